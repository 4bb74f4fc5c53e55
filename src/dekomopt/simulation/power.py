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


def _coalition_weights(w: np.ndarray) -> np.ndarray:
    """coalitions × draws total weight of every coalition (bit i of the row = player i).

    Built by adding players one at a time, in player order, rather than by a matrix product:
    a multithreaded BLAS call would keep spare cores spinning that other workers need.
    """
    n_draws, n = w.shape
    sums = np.zeros((1 << n, n_draws))
    for i in range(n):
        np.add(sums[: 1 << i], w[:, i], out=sums[1 << i : 2 << i])
    return sums


@lru_cache(maxsize=65536)
def _rounded_banzhaf(weights: tuple[int, ...]) -> tuple[float, ...]:
    return tuple(banzhaf(np.array(weights)))


def _exact(w: np.ndarray) -> np.ndarray:
    """draws × n weights → draws × n normalised Banzhaf indices (NaN when all weights are 0)."""
    n_draws, n = w.shape
    wins = _coalition_weights(w) > w.sum(axis=1) / 2  # coalitions × draws
    swings = np.empty((n_draws, n))
    for i in range(n):
        # Rows (coalitions) in blocks of 2^i without player i, then 2^i with it.
        without, with_i = np.moveaxis(wins.reshape(-1, 2, 1 << i, n_draws), 1, 0)
        swings[:, i] = np.count_nonzero(with_i & ~without, axis=(0, 1))
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
