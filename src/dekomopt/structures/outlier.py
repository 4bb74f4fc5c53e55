"""Where today's structure falls among its alternatives: percentiles and their Monte Carlo error."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import beta, t

from dekomopt.structures.diagnostics import ess


def percentile(values: np.ndarray, today: float) -> float:
    """Share of ``values`` below ``today``, ties counted half; NaN values are left out.

    Returns NaN when ``today`` is NaN or no value is left.
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if math.isnan(today) or not v.size:
        return math.nan
    below = np.count_nonzero(v < today)
    ties = np.count_nonzero(v == today)
    return (below + 0.5 * ties) / v.size


def percentile_interval(
    values: np.ndarray, chain_of: np.ndarray, today: float, level: float = 0.95
) -> tuple[float, float]:
    """A Monte Carlo interval for :func:`percentile` of sampled ``values``.

    The indicator "value below today" (ties half) is a chain-correlated mean. With two or more
    chains of at least four draws its effective sample size comes from the chains
    (:func:`~dekomopt.structures.diagnostics.ess`), and the interval is the Jeffreys binomial
    interval at that size; otherwise the draws count as independent.
    """
    v = np.asarray(values, dtype=float)
    chains = np.asarray(chain_of)
    keep = ~np.isnan(v)
    v, chains = v[keep], chains[keep]
    if math.isnan(today) or not v.size:
        return (math.nan, math.nan)
    indicator = np.where(v < today, 1.0, np.where(v == today, 0.5, 0.0))
    p = indicator.mean()
    n_eff = float(v.size)
    ids, counts = np.unique(chains, return_counts=True)
    if len(ids) >= 2 and counts.min() >= 4 and 0 < p < 1 and indicator.var() > 0:
        length = counts.min()
        draws = np.stack([indicator[chains == c][:length] for c in ids])
        n_eff = min(float(v.size), ess(draws))
    a = (1 - level) / 2
    successes = p * n_eff
    lo = 0.0 if p == 0 else float(beta.ppf(a, successes + 0.5, n_eff - successes + 0.5))
    hi = 1.0 if p == 1 else float(beta.ppf(1 - a, successes + 0.5, n_eff - successes + 0.5))
    return (lo, hi)


def batch_means_interval(
    values: np.ndarray, chain_of: np.ndarray, today: float, level: float = 0.95
) -> tuple[float, float]:
    """The percentile's interval from the spread of the per-chain percentiles (Student t)."""
    v = np.asarray(values, dtype=float)
    chains = np.asarray(chain_of)
    per_chain = [percentile(v[chains == c], today) for c in np.unique(chains)]
    per_chain = np.array([p for p in per_chain if not math.isnan(p)])
    if len(per_chain) < 2:
        return (math.nan, math.nan)
    centre = per_chain.mean()
    half = t.ppf(0.5 + level / 2, len(per_chain) - 1) * per_chain.std(ddof=1)
    half /= math.sqrt(len(per_chain))
    return (max(0.0, centre - half), min(1.0, centre + half))
