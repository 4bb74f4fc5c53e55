"""Monte Carlo statistics: mean, spread, percentile interval, standard error, stop rule.

Draws are independent and identically distributed (every draw has its own random inputs and
the allocation of a draw does not depend on other draws), so the Monte Carlo standard error
of a mean is the plain ``sd / sqrt(n)``; batch means are not needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dekomopt.metrics import ZERO_TOLERANCE

SUMMARY_COLUMNS = ("metric", "owner", "unit", "n", "mean", "sd", "q025", "q975", "mc_se")


def describe(values) -> dict[str, float]:
    """n (finite values), mean, sd (n − 1), 2.5 % and 97.5 % percentiles, MC SE = sd/√n.

    NaN values (a metric undefined in a draw) are left out and not counted. A metric the same
    in every draw up to floating-point noise (:data:`~dekomopt.metrics.ZERO_TOLERANCE` of its
    size; at least two draws) has sd and MC SE 0 and its first value as mean and both percentiles.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n > 1 and np.ptp(x) <= ZERO_TOLERANCE * np.abs(x).max():
        same = float(x[0])
        return {"n": n, "mean": same, "sd": 0.0, "q025": same, "q975": same, "mc_se": 0.0}
    if n == 0:
        return {
            "n": 0,
            "mean": np.nan,
            "sd": np.nan,
            "q025": np.nan,
            "q975": np.nan,
            "mc_se": np.nan,
        }
    sd = float(x.std(ddof=1)) if n > 1 else np.nan
    q025, q975 = np.quantile(x, [0.025, 0.975])
    return {
        "n": n,
        "mean": float(x.mean()),
        "sd": sd,
        "q025": float(q025),
        "q975": float(q975),
        "mc_se": sd / np.sqrt(n) if n > 1 else np.nan,
    }


def summarise(
    draws: pd.DataFrame,
    owners: pd.DataFrame | pa.Table,
    units: dict[str, str],
    owner_metrics: tuple[str, ...],
) -> pd.DataFrame:
    """One row per scalar metric (``owner`` empty) and per owner × owner metric."""
    ok = draws[draws["status"] == "optimal"]
    rows = [
        {"metric": name, "owner": "", "unit": unit, **describe(ok[name])}
        for name, unit in units.items()
    ]
    names = owners.column_names if isinstance(owners, pa.Table) else list(owners.columns)
    ids, split = _by_owner(owners["owner_id"])
    for name in owner_metrics:
        if name in names:
            values = split(np.asarray(owners[name], dtype=float))
            rows.extend(
                {"metric": name, "owner": owner, "unit": "", **describe(v)}
                for owner, v in zip(ids, values, strict=True)
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _by_owner(column) -> tuple[list[str], Callable[[np.ndarray], Sequence[np.ndarray]]]:
    """Owners in order of first appearance, and how to split a column into each owner's
    values in table order (a reshape when every draw lists the owners in one order)."""
    if isinstance(column, pa.ChunkedArray):
        encoded = pc.dictionary_encode(column.combine_chunks())
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        ids = encoded.dictionary.to_pylist()
    else:
        codes, found = pd.factorize(column)
        ids = list(found)
    k = len(ids)
    if k == 0:
        return ids, lambda values: []
    if len(codes) % k == 0 and (codes.reshape(-1, k) == np.arange(k)).all():
        return ids, lambda values: values.reshape(-1, k).T
    order = np.argsort(codes, kind="stable")
    edges = np.cumsum(np.bincount(codes, minlength=k))[:-1]
    return ids, lambda values: np.split(values[order], edges)


def converged(draws: pd.DataFrame, stop_metrics: tuple[str, ...], target_se: float) -> bool:
    """True when every stop metric with at least two finite values has MC SE < target_se.

    A metric never defined (all NaN) cannot be estimated and does not hold the run back.
    """
    ok = draws[draws["status"] == "optimal"]
    if len(ok) < 2:
        return False
    for name in stop_metrics:
        se = describe(ok[name])["mc_se"]
        if np.isfinite(se) and se >= target_se:
            return False
    return True
