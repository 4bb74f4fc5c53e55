"""Where today's structure falls among its alternatives: percentiles over a stated reference law.

A percentile is the share of the reference set whose value is below today's, ties counted half;
two values are tied when they differ by at most :data:`TIE_TOLERANCE` × max(1, |today|), so
floating-point noise never decides a rank. Over every plausible structure the percentile is
exact (:func:`exact_placement`). From a sampler (:func:`sampled_placement`) it is estimated,
either under the sampler's own law or, with importance weights, under the uniform law over the
plausible structures (self-normalised importance sampling); its interval comes from batch means
and Stan's ESS over the chains, so it accounts for the weights, the chains' autocorrelation and
their disagreement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta, t

from dekomopt.structures.diagnostics import ess

ESS_DEFINITION = (
    "ESS (effective sample size): how many independent draws from the reference law would "
    "give the same precision; a percentile's = one draw's variance / the estimate's variance, "
    "the importance weights' alone = (Σw)²/Σw²; reported to say what the draws are worth, "
    "which weights and autocorrelation set apart from their count"
)
"""The one-line definition printed where ESS is first shown (the structures summary)."""

TIE_TOLERANCE = 1e-9
"""Relative tolerance under which two scores count as equal (ranks, dominance, "the same")."""

NOISE = 1e-9
"""A score within ``NOISE`` × max(1, largest |value| of its column) of zero is zero: scores are
differences and ratios of sums of kroner, whose rounding noise is far above 1e-16."""


def denoise(values: np.ndarray) -> np.ndarray:
    """``values`` with floating-point noise around zero set to exactly 0 (see :data:`NOISE`).

    Infinite and NaN values are kept and do not set the scale.
    """
    v = np.array(values, dtype=float)
    finite = np.isfinite(v)
    if not finite.any():
        return v
    scale = max(1.0, float(np.abs(v[finite]).max()))
    v[finite & (np.abs(v) <= NOISE * scale)] = 0.0
    return v


def tied(a: np.ndarray | float, b: float) -> np.ndarray:
    """Whether ``a`` equals ``b`` within :data:`TIE_TOLERANCE` (elementwise)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(invalid="ignore"):
        return (a == b) | (np.abs(a - b) <= TIE_TOLERANCE * max(1.0, abs(b)))


def _below(values: np.ndarray, today: float) -> np.ndarray:
    """1 below today, 0.5 tied, 0 above."""
    same = tied(values, today)
    return np.where(same, 0.5, np.where(values < today, 1.0, 0.0))


@dataclass(frozen=True)
class Placement:
    """Today's place in one score's distribution.

    ``percentile`` lies in [lo, hi] (equal when exact); it is NaN when ``constant`` (the score
    is the same for every structure and for today) or when no structure has the score. ``ess``
    is the effective number of independent uniform draws behind a sampled estimate (NaN when
    exact); ``used`` counts the structures (or draws) with a score, ``left_out`` those without
    one (the allocation has no solution, or the score is undefined).
    """

    percentile: float
    lo: float
    hi: float
    ess: float
    used: int
    left_out: int
    constant: bool

    @property
    def exact(self) -> bool:
        return self.lo == self.hi


def percentile(values: np.ndarray, today: float) -> float:
    """Share of ``values`` below ``today``, ties counted half; NaN values are left out.

    Returns NaN when ``today`` is NaN or no value is left.
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if math.isnan(today) or not v.size:
        return math.nan
    return float(_below(v, today).mean())


def _constant(values: np.ndarray, today: float) -> bool:
    return bool(tied(values, today).all())


def exact_placement(values: np.ndarray, today: float) -> Placement:
    """Today's percentile among every structure in ``values`` (one value per structure)."""
    v = np.asarray(values, dtype=float)
    keep = ~np.isnan(v)
    used, left = int(keep.sum()), int((~keep).sum())
    if math.isnan(today) or not used:
        return Placement(math.nan, math.nan, math.nan, math.nan, used, left, False)
    if _constant(v[keep], today):
        return Placement(math.nan, math.nan, math.nan, math.nan, used, left, True)
    p = percentile(v[keep], today)
    return Placement(p, p, p, math.nan, used, left, False)


def _batch_variance(a: np.ndarray, chains: np.ndarray) -> tuple[float, int]:
    """``N × Var(mean of a)`` from non-overlapping batch means within each chain, and the
    number of batches. Batches have ``floor(sqrt(n))`` draws, n the shortest chain's length."""
    ids = np.unique(chains)
    lengths = [int(np.count_nonzero(chains == c)) for c in ids]
    size = max(1, math.isqrt(min(lengths)))
    means = []
    for c in ids:
        x = a[chains == c]
        whole = (len(x) // size) * size
        means.append(x[len(x) - whole :].reshape(-1, size).mean(axis=1))
    batch = np.concatenate(means)
    if len(batch) < 2:
        return math.nan, len(batch)
    return size * float(batch.var(ddof=1)), len(batch)


def _weighted(
    below: np.ndarray, w: np.ndarray, chains: np.ndarray
) -> tuple[float, float, float, float, int]:
    """Self-normalised estimate, its variance, the variance of one draw of the indicator under
    the target law, the weights' ESS ((Σw)²/Σw²) and the batch count."""
    p = float(w @ below / w.sum())
    a = w * (below - p)
    sigma2, batches = _batch_variance(a, chains)
    n = len(w)
    var = sigma2 / (n * float(w.mean()) ** 2)
    ids, lengths = np.unique(chains, return_counts=True)
    if len(ids) >= 2 and lengths.min() == lengths.max() >= 4 and a.var() > 0:
        # Stan's multi-chain ESS of the same series; the larger variance of the two is kept
        series = np.stack([a[chains == c] for c in ids])
        var = max(var, float(a.var()) / (ess(series, method="mean") * float(w.mean()) ** 2))
    spread = float(w @ (below - p) ** 2 / w.sum())
    weights_ess = float(w.sum() ** 2 / (w @ w))
    return p, var, spread, weights_ess, batches


def sampled_placement(
    values: np.ndarray,
    today: float,
    chain_of: np.ndarray,
    log_weights: np.ndarray | None = None,
    group_of: np.ndarray | None = None,
    group_share: Mapping[int, float] | None = None,
    level: float = 0.95,
) -> Placement:
    """Today's estimated percentile from sampled draws (one value per draw, in chain order).

    Without ``log_weights`` the estimate is under the sampler's own law. With them, each draw
    counts ``exp(log_weights)`` (known up to a constant), which reweights the draws to the law
    the weights point at. ``group_of`` splits the draws into separately run samplers (one per
    number of regions); each group is normalised on its own and the groups are combined with
    ``group_share`` (default: their shares of the draws). The interval is estimate ± t ×
    standard error (Student t on the number of batches less one), clipped to [0, 1]; the
    standard error is the larger of two estimates of the weighted residuals' autocorrelated
    variance: batch means within the chains, and Stan's multi-chain ESS (chains of equal
    length). When no draw falls on the other side of today the standard error is zero and the
    interval is Jeffreys' binomial interval at the smaller of the weights' ESS ((Σw)²/Σw²) and
    the scores' bulk ESS instead. ``ess`` is the variance of one draw's indicator
    under the target law divided by the estimate's variance: the number of independent draws
    from that law that would give the same precision (:data:`ESS_DEFINITION`).
    """
    v = np.asarray(values, dtype=float)
    chains = np.asarray(chain_of)
    lw = np.zeros(len(v)) if log_weights is None else np.asarray(log_weights, dtype=float)
    groups = np.zeros(len(v), dtype=np.int64) if group_of is None else np.asarray(group_of)
    keep = ~np.isnan(v)
    used, left = int(keep.sum()), int((~keep).sum())
    if math.isnan(today) or not used:
        return Placement(math.nan, math.nan, math.nan, math.nan, used, left, False)
    if _constant(v[keep], today):
        return Placement(math.nan, math.nan, math.nan, math.nan, used, left, True)
    v, chains, lw, groups = v[keep], chains[keep], lw[keep], groups[keep]
    ids = np.unique(groups)
    drawn = {g: float(np.mean(groups == g)) for g in ids}
    share = dict(drawn) if group_share is None else {g: float(group_share[g]) for g in ids}
    total = sum(share.values())
    p = var = spread = weights_ess = 0.0
    batches = []
    for g in ids:
        inside = groups == g
        w = np.exp(lw[inside] - lw[inside].max())
        p_g, var_g, spread_g, ess_g, b_g = _weighted(_below(v[inside], today), w, chains[inside])
        s = share[g] / total
        p += s * p_g
        var += s * s * var_g
        spread += s * spread_g
        weights_ess += ess_g
        batches.append(b_g)
    dof = max(1, min(batches) - 1)
    if var > 0 and math.isfinite(var):
        half = float(t.ppf(0.5 + level / 2, dof)) * math.sqrt(var)
        lo, hi = max(0.0, p - half), min(1.0, p + half)
        n_eff = spread / var
    else:
        ids, lengths = np.unique(chains, return_counts=True)
        if len(ids) >= 2 and lengths.min() == lengths.max() >= 4:
            # no draw on the other side of today: the draws count as many as the scores' own
            # bulk ESS says, at most the weights' ESS
            scores = ess(np.stack([v[chains == c] for c in ids]), method="bulk")
            weights_ess = min(weights_ess, scores)
        a = (1 - level) / 2
        k = p * weights_ess
        lo = 0.0 if p == 0 else float(beta.ppf(a, k + 0.5, weights_ess - k + 0.5))
        hi = 1.0 if p == 1 else float(beta.ppf(1 - a, k + 0.5, weights_ess - k + 0.5))
        n_eff = weights_ess
    return Placement(p, lo, hi, n_eff, used, left, False)
