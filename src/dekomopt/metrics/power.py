"""Voting power in weighted majority games: the normalised Banzhaf index, computed exactly.

A coalition wins when its total weight is at least the quota. Player ``i`` *swings* for a
coalition ``S`` of the other players when ``S`` loses but ``S + i`` wins, i.e.
``quota - w_i <= w(S) < quota``. The normalised Banzhaf index is ``eta_i / sum_j eta_j``
with ``eta_i`` the number of such ``S``.

Coalitions are counted by weight with generating polynomials ``prod_j (1 + z^{w_j})``
truncated below the quota, so the cost is O(n × quota) rather than O(2^n). Counts are
float64 (int64 would overflow past 63 players): every count is at most ``2^(n-1)``, so all
arithmetic is exact for up to 54 players. Beyond that swing counts carry an absolute error
of roughly ``2^(n-1) × 1e-16``, which matters only for players with very little power;
games of more than 1024 players are refused (the counts would overflow float64).
"""

from __future__ import annotations

import math

import numpy as np

from dekomopt.metrics._checks import factorize, scalar, vector

_MAX_PLAYERS = 1024
_MAX_TABLE_CELLS = 50_000_000
"""The DP keeps a (players + 1) × quota table of float64 counts; this caps it at 400 MB."""


def _integer_weights(weights) -> np.ndarray:
    arr = vector("weights", weights, nonnegative=True)
    if not np.all(arr == np.round(arr)):
        raise ValueError("weights: must be whole numbers (use banzhaf_fte for FTEs)")
    if arr.size > _MAX_PLAYERS:
        raise ValueError(f"weights: at most {_MAX_PLAYERS} players, got {arr.size}")
    return arr.astype(np.int64)


def _add_player(counts: np.ndarray, weight: int, out: np.ndarray | None = None) -> np.ndarray:
    """Coalition counts by weight after one more player of ``weight`` may join or not.

    Multiplies the truncated polynomial ``counts`` by ``1 + z^weight``; this commutes with a
    cumulative sum, so it serves for counts "of weight at most m" as well.
    """
    if out is None:
        out = counts.copy()
    else:
        out[:] = counts
    if weight == 0:
        out *= 2.0
    elif weight < counts.size:
        out[weight:] += counts[:-weight]
    return out


def _swings(weights: np.ndarray, quota: int) -> np.ndarray:
    """``eta_i`` for integer weights and an integer quota ``1 <= quota <= sum(weights)``."""
    n = weights.size
    # suffix_at_most[i, m]: coalitions of players i.. with weight at most m, for m < quota.
    suffix_at_most = np.empty((n + 1, quota))
    suffix_at_most[n] = 1.0
    for i in range(n - 1, -1, -1):
        _add_player(suffix_at_most[i + 1], int(weights[i]), out=suffix_at_most[i])

    prefix = np.zeros(quota)
    prefix[0] = 1.0
    swings = np.zeros(n)
    for i in range(n):
        w_i = int(weights[i])
        if w_i > 0:
            # Others weigh a (players before i) + m (players after i); i swings iff
            # quota - w_i - a <= m <= quota - 1 - a. With F = cumulative counts after i:
            # eta_i = sum_a prefix[a] (F[quota - 1 - a] - F[quota - w_i - 1 - a]).
            at_most = suffix_at_most[i + 1]
            swings[i] = prefix @ at_most[::-1]
            if w_i < quota:
                swings[i] -= prefix[: quota - w_i] @ at_most[quota - w_i - 1 :: -1]
        prefix = _add_player(prefix, w_i)
    return swings


def banzhaf(weights, quota: float | None = None) -> np.ndarray:
    """Normalised Banzhaf power index of the weighted majority game ``[quota; weights]``.

    ``weights`` are nonnegative whole numbers. A coalition wins when its weight is
    ``>= quota``; the default quota is a simple majority, strictly more than half the total
    weight (``total // 2 + 1``). Requires ``0 < quota <= total``. Returns an array summing to 1.
    """
    w = _integer_weights(weights)
    total = int(w.sum())
    if total == 0:
        raise ValueError("weights: total weight must be positive")
    if quota is None:
        q = total // 2 + 1
    else:
        quota = scalar("quota", quota, nonnegative=False)
        if not 0 < quota <= total:
            raise ValueError(f"quota: must satisfy 0 < quota <= total weight {total}, got {quota}")
        q = math.ceil(quota)
    if (w.size + 1) * q > _MAX_TABLE_CELLS:
        raise ValueError(
            f"weights: game too large for the exact computation ({w.size} players, quota {q}); "
            "use coarser weights"
        )
    swings = _swings(w, q)
    return swings / swings.sum()


def _fte_weights(fte, resolution: float) -> np.ndarray:
    return np.rint(fte / resolution).astype(np.int64)


def banzhaf_fte(fte, resolution: float = 0.1) -> np.ndarray:
    """Normalised Banzhaf index of a simple-majority vote weighted by teacher FTE.

    FTEs are converted to whole weights ``rint(fte / resolution)`` (nearest multiple of
    ``resolution``, halves to even), and the quota is strictly more than half the total of
    those rounded weights. Owners whose FTE rounds to 0 have no power.
    """
    fte = vector("fte", fte, nonnegative=True)
    step = scalar("resolution", resolution)
    if step == 0:
        raise ValueError("resolution: must be positive")
    w = _fte_weights(fte, step)
    if w.sum() == 0:
        raise ValueError("fte: total rounds to zero at this resolution")
    return banzhaf(w)


def region_power(fte, region, resolution: float = 0.1) -> np.ndarray:
    """Each owner's normalised Banzhaf power in its own region's simple-majority FTE vote.

    Regions are separate games (see :func:`banzhaf_fte` for the rounding), so values sum to
    1 within each region; a region with a single owner gives it 1.0. Owners of a region
    whose FTEs all round to 0 get NaN.
    """
    fte = vector("fte", fte, nonnegative=True)
    step = scalar("resolution", resolution)
    if step == 0:
        raise ValueError("resolution: must be positive")
    names, codes = factorize("region", region, fte.size)
    weights = _fte_weights(fte, step)
    out = np.full(fte.size, np.nan)
    for r in range(names.size):
        members = np.flatnonzero(codes == r)
        if weights[members].sum() > 0:
            out[members] = banzhaf(weights[members])
    return out
