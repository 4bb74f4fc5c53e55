"""Banzhaf power of each owner in its region's FTE-weighted majority vote, for many draws at once.

The game is the one of :func:`dekomopt.metrics.region_power`: participating owners vote
with their teacher FTEs, a coalition wins with strictly more than half the region's FTEs,
non-participating owners (weight 0) have no power.

* Regions of at most ``max_exact`` owners: every coalition is enumerated with the real FTE
  weights, vectorised over the draws. This is exact; :func:`~dekomopt.metrics.region_power`
  instead rounds weights to ``resolution`` FTE, so the two differ only for a coalition
  within that rounding of exactly half the region (tests bound the difference).
* Larger regions: the exact dynamic programme of :func:`~dekomopt.metrics.banzhaf` on
  weights rounded to 1/``units`` of the region's FTE total (default 1/1000) — an
  approximation for coalitions within 0.1 % of half the region — cached by the rounded
  weight vector, which repeats often between draws.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dekomopt.metrics import banzhaf

MAX_EXACT = 12
"""Largest region enumerated exactly (2^12 coalitions per draw)."""

UNITS = 1000
"""Weight units per region total in the rounded fallback."""


def _subsets(n: int) -> np.ndarray:
    """All 2^n coalitions as a 0/1 matrix (coalitions × players); bit i of the row = player i."""
    masks = np.arange(2**n)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(float)


@lru_cache(maxsize=65536)
def _rounded_banzhaf(weights: tuple[int, ...]) -> tuple[float, ...]:
    return tuple(banzhaf(np.array(weights)))


def _exact(w: np.ndarray) -> np.ndarray:
    """draws × n weights → draws × n normalised Banzhaf indices (NaN when all weights are 0)."""
    n_draws, n = w.shape
    coalitions = _subsets(n)
    total = w.sum(axis=1, keepdims=True)
    wins = coalitions @ w.T > total.T / 2  # coalitions × draws
    masks = np.arange(2**n)
    swings = np.empty((n_draws, n))
    for i in range(n):
        with_i = masks[(masks >> i) & 1 == 1]
        swings[:, i] = (wins[with_i] & ~wins[with_i ^ (1 << i)]).sum(axis=0)
    out = np.full((n_draws, n), np.nan)
    norm = swings.sum(axis=1, keepdims=True)
    np.divide(swings, norm, out=out, where=norm > 0)
    return out


def _rounded(w: np.ndarray, units: int) -> np.ndarray:
    out = np.full(w.shape, np.nan)
    for d, row in enumerate(w):
        total = row.sum()
        if total <= 0:
            continue
        integer = np.rint(row / total * units).astype(np.int64)
        if integer.sum() > 0:
            out[d] = _rounded_banzhaf(tuple(integer.tolist()))
    return out


def region_power_draws(
    weights: np.ndarray,
    region: np.ndarray,
    n_regions: int,
    *,
    max_exact: int = MAX_EXACT,
    units: int = UNITS,
) -> np.ndarray:
    """draws × owners power of each owner in its region (0 for weight 0, NaN for an empty vote).

    ``weights`` are draws × owners (participating FTEs, 0 for owners not taking part);
    ``region`` the owners' region codes.
    """
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    out = np.full(weights.shape, np.nan)
    for r in range(n_regions):
        members = np.flatnonzero(region == r)
        if not len(members):
            continue
        w = weights[:, members]
        out[:, members] = _exact(w) if len(members) <= max_exact else _rounded(w, units)
    return out
