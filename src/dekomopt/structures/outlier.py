"""Where today's structure falls among its alternatives: percentiles over a stated reference law.

A percentile is the share of the reference set whose value is below today's, ties counted half;
two values are tied when they differ by at most :data:`TIE_TOLERANCE` × max(1, |today|), so
floating-point noise never decides a rank. Over every plausible structure the percentile is
exact (:func:`exact_placement`). From a sampler (:func:`sampled_placement`) it is estimated,
either under the sampler's own law or, with importance weights, under the uniform law over the
plausible structures (self-normalised importance sampling). Its effective sample size (ESS,
:data:`ESS_DEFINITION`) accounts for the weights, the chains' autocorrelation and their
disagreement, and never exceeds the weights' own ESS, (Σw)²/Σw²; its interval is bounded by
Jeffreys' intervals for the shares strictly below and at or below today on their effective
numbers of draws, so it keeps its level with few effective draws, at 0 and 1, and with many
ties.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.stats import beta, norm, t

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
    """Whether ``a`` equals ``b`` within :data:`TIE_TOLERANCE` (elementwise); an infinite
    ``b`` ties only itself."""
    a = np.asarray(a, dtype=float)
    if not math.isfinite(b):
        return a == b
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
    is the same in every structure seen, enumerated or drawn, and for today) or when no
    structure seen has the score. ``ess``
    is the effective number of independent uniform draws behind a sampled estimate (NaN when
    exact); ``used`` counts the structures (or draws) with a score, ``left_out`` those without
    one (the allocation has no solution, or the score is undefined). ``below`` and ``above``
    are the shares strictly below and strictly above today (exact or estimated like the
    percentile; NaN without a percentile): ``below == 0`` over an enumeration says today's
    value is the lowest possible, shared with the ties.
    """

    percentile: float
    lo: float
    hi: float
    ess: float
    used: int
    left_out: int
    constant: bool
    below: float = math.nan
    above: float = math.nan

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
    v = v[keep]
    p = percentile(v, today)
    same = tied(v, today)
    below, above = float(np.mean(~same & (v < today))), float(np.mean(~same & (v > today)))
    return Placement(p, p, p, math.nan, used, left, False, below, above)


def _batch_variance(a: np.ndarray, chains: np.ndarray) -> tuple[float, int]:
    """``N × Var(mean of a)`` and the number of batches. Independent draws (every chain one
    draw long) give the plug-in variance ``mean(a²)`` of ``a`` (centred), so ``n`` independent
    unweighted draws have an effective size of exactly ``n``; chains give non-overlapping batch
    means within each chain, of ``floor(sqrt(n))`` draws, n the shortest chain's length."""
    ids = np.unique(chains)
    lengths = [int(np.count_nonzero(chains == c)) for c in ids]
    if max(lengths) == 1:
        return float(a @ a) / len(a), len(a)
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


@dataclass(frozen=True)
class _Estimate:
    """A self-normalised estimate of the mean of an indicator under the target law."""

    value: float
    var: float
    """Variance of ``value`` (NaN when the chains are too short to tell)."""
    spread: float
    """Variance of one draw's indicator under the target law."""


def _weighted(x: np.ndarray, w: np.ndarray, chains: np.ndarray) -> tuple[_Estimate, int]:
    """Self-normalised estimate of the mean of ``x`` under the law the weights ``w`` point at,
    and the number of batches behind its variance."""
    p = float(w @ x / w.sum())
    a = w * (x - p)
    sigma2, batches = _batch_variance(a, chains)
    var = sigma2 / (len(w) * float(w.mean()) ** 2)
    ids, lengths = np.unique(chains, return_counts=True)
    if len(ids) >= 2 and lengths.min() == lengths.max() >= 4 and a.var() > 0:
        # Stan's multi-chain ESS of the same series; the larger variance of the two is kept
        series = np.stack([a[chains == c] for c in ids])
        var = max(var, float(a.var()) / (ess(series, method="mean") * float(w.mean()) ** 2))
    return _Estimate(p, var, float(w @ (x - p) ** 2 / w.sum())), batches


def _effective(e: _Estimate, ceiling: float, otherwise: float | None = None) -> float:
    """Effective number of independent draws behind ``e``: the variance of one draw over the
    estimate's variance, at most ``ceiling``; ``otherwise`` (default ``ceiling``) when no
    draw differs from another."""
    if e.var > 0 and math.isfinite(e.var):
        return min(ceiling, e.spread / e.var)
    return ceiling if otherwise is None else min(ceiling, otherwise)


def _jeffreys(p: float, n: float, level: float) -> tuple[float, float]:
    """Jeffreys' interval for a proportion ``p`` observed on ``n`` effective draws (0 or 1 at
    the ends when ``p`` is there)."""
    a = (1 - level) / 2
    k = p * n
    lo = 0.0 if p <= 0 else float(beta.ppf(a, k + 0.5, n - k + 0.5))
    hi = 1.0 if p >= 1 else float(beta.ppf(1 - a, k + 0.5, n - k + 0.5))
    return lo, hi


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
    ``group_share`` (default: their shares of the draws).

    ``ess`` is the variance of one draw's ties-half indicator under the target law divided by
    the estimate's variance — the number of independent draws from that law that would give
    the same precision (:data:`ESS_DEFINITION`) — and never more than the weights' ESS,
    (Σw)²/Σw² (the number of draws when unweighted); when no draw falls on the other side of
    today, it is the weights' ESS (with
    chains, at most the scores' bulk ESS). The estimate's variance is the larger of batch
    means within the chains and Stan's multi-chain ESS (chains of equal length); independent
    draws give ``n`` for ``n`` unweighted draws.

    The interval holds the ties-half percentile ``(below + at or below) / 2`` at ``level``:
    its ends are the means of the ends of Jeffreys' intervals for the share strictly below
    today and the share at or below it, each on its own effective number of draws (capped
    like ``ess``; ``ess`` itself for a share no draw varies in; shrunk by ``(z / t)²`` for a
    variance read from few batches). It stays
    honest at 0 and 1, with few effective draws and with many ties.
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
    same = tied(v, today)
    indicators = {
        "half": _below(v, today),
        "below": np.where(~same & (v < today), 1.0, 0.0),
        "at_or_below": np.where(same | (v < today), 1.0, 0.0),
    }
    ids = np.unique(groups)
    drawn = {g: float(np.mean(groups == g)) for g in ids}
    share = dict(drawn) if group_share is None else {g: float(group_share[g]) for g in ids}
    total = sum(share.values())
    combined = dict.fromkeys(indicators, _Estimate(0.0, 0.0, 0.0))
    weights_ess = 0.0
    batches = []
    for g in ids:
        inside = groups == g
        w = np.exp(lw[inside] - lw[inside].max())
        weights_ess += float(w.sum() ** 2 / (w @ w))
        s = share[g] / total
        for name, x in indicators.items():
            e, b = _weighted(x[inside], w, chains[inside])
            c = combined[name]
            combined[name] = _Estimate(
                c.value + s * e.value, c.var + s * s * e.var, c.spread + s * e.spread
            )
        batches.append(b)
    ceiling = weights_ess
    chain_ids, lengths = np.unique(chains, return_counts=True)
    half = combined["half"]
    if len(chain_ids) >= 2 and lengths.min() == lengths.max() >= 4 and not half.var > 0:
        # no draw on the other side of today: the draws count as many as the scores' own
        # bulk ESS says, at most the weights' ESS
        ceiling = min(ceiling, ess(np.stack([v[chains == c] for c in chain_ids]), method="bulk"))
    dof = max(1, min(batches) - 1)
    shrink = (float(norm.ppf(0.5 + level / 2)) / float(t.ppf(0.5 + level / 2, dof))) ** 2
    # a share no draw varies in (none strictly below, or all at or below) counts as many
    # draws as the percentile itself
    n_eff = _effective(half, ceiling)
    ends = [
        _jeffreys(combined[name].value, shrink * _effective(combined[name], ceiling, n_eff), level)
        for name in ("below", "at_or_below")
    ]
    p = half.value
    lo = min(p, (ends[0][0] + ends[1][0]) / 2)
    hi = max(p, (ends[0][1] + ends[1][1]) / 2)
    below, above = combined["below"].value, 1.0 - combined["at_or_below"].value
    return Placement(p, lo, hi, n_eff, used, left, False, below, above)
