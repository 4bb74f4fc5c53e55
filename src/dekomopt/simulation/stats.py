"""Monte Carlo statistics: mean, spread, percentile interval, standard error, stop rule.

Draws are independent and identically distributed (every draw has its own random inputs and
the allocation of a draw does not depend on other draws), so the Monte Carlo standard error
of a mean is the plain ``sd / sqrt(n)``; batch means are not needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dekomopt.metrics import ZERO_TOLERANCE

SUMMARY_COLUMNS = ("metric", "owner", "unit", "over", "n", "mean", "sd", "q025", "q975", "mc_se")
"""``summary.csv``'s columns: ``over`` says which draws a row's statistics are of, ``n`` how
many of them give the metric a value."""

REGION_METRICS = ("net_per_fte_", "power_largest_")
"""Prefixes of the scalar metrics of one region (the region's id follows)."""

OVER_FEASIBLE = "feasible draws where defined"
OVER_REGION = "feasible draws where the region takes part"
OVER_OWNER = "feasible draws where the owner takes part"


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
    """One row per scalar metric (``owner`` empty) and per owner × owner metric, each over the
    draws its ``over`` column names: a scalar metric over the feasible draws in which it is
    defined; a region's metric (:data:`REGION_METRICS`) over those in which the region takes
    part (it is undefined in the others); an owner's metric over those in which the owner
    takes part (``owners``' ``participates``: an absent owner's power of 0 is left out, as
    its undefined funding is), so that every per-region and per-owner row is conditional on
    taking part, and ``n`` says in how many draws."""
    ok = draws[draws["status"] == "optimal"]
    rows = [
        {
            "metric": name,
            "owner": "",
            "unit": unit,
            "over": OVER_REGION if name.startswith(REGION_METRICS) else OVER_FEASIBLE,
            **describe(ok[name]),
        }
        for name, unit in units.items()
    ]
    names = owners.column_names if isinstance(owners, pa.Table) else list(owners.columns)
    ids, split = _by_owner(owners["owner_id"])
    taking_part = (
        np.asarray(owners["participates"], dtype=bool) if "participates" in names else None
    )
    for name in owner_metrics:
        if name in names:
            column = np.asarray(owners[name], dtype=float)
            if taking_part is not None:
                column = np.where(taking_part, column, np.nan)
            rows.extend(
                {"metric": name, "owner": owner, "unit": "", "over": OVER_OWNER, **describe(v)}
                for owner, v in zip(ids, split(column), strict=True)
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


@dataclass(frozen=True)
class StopCheck:
    """The stop rule over some draws: each scalar metric whose unit has a target, with its
    Monte Carlo standard error against that target (in the metric's own unit)."""

    targets: dict[str, float]
    """The target per unit, as the scenario or the caller gave it."""
    draws: int
    """The feasible draws the standard errors are of."""
    checked: tuple[str, ...]
    """The metrics with a target and a standard error (finite in at least two draws); a
    metric never defined cannot be estimated and does not hold the run back."""
    above: tuple[str, ...]
    """Those whose standard error is not below their unit's target."""
    largest: str | None
    """The checked metric with the largest standard error relative to its target."""
    largest_se: float | None
    largest_unit: str | None
    largest_target: float | None

    @property
    def reached(self) -> bool:
        """Every checked metric below its target (and at least one checked)."""
        return bool(self.checked) and not self.above


def stop_check(
    draws: pd.DataFrame, units: Mapping[str, str], targets: Mapping[str, float]
) -> StopCheck:
    """The stop rule over ``draws``: every metric of ``units`` whose unit is in ``targets``."""
    ok = draws[draws["status"] == "optimal"]
    checked: list[str] = []
    above: list[str] = []
    ratios: dict[str, tuple[float, float, str, float]] = {}
    for name, unit in units.items():
        if unit not in targets or len(ok) < 2:
            continue
        se = describe(ok[name])["mc_se"]
        if not np.isfinite(se):
            continue
        checked.append(name)
        ratios[name] = (se / targets[unit], se, unit, targets[unit])
        if se >= targets[unit]:
            above.append(name)
    largest = max(ratios, key=lambda m: ratios[m][0]) if ratios else None
    return StopCheck(
        targets=dict(targets),
        draws=len(ok),
        checked=tuple(checked),
        above=tuple(above),
        largest=largest,
        largest_se=ratios[largest][1] if largest else None,
        largest_unit=ratios[largest][2] if largest else None,
        largest_target=ratios[largest][3] if largest else None,
    )
