"""Voting power in weighted majority games: the normalised Banzhaf index, computed exactly.

Owners vote with their teacher FTEs in whole tenths (:data:`RESOLUTION_FTE`); a coalition wins
with strictly more than half its region's weight. That one game is behind every power figure
(``simulate``, ``structures`` and :func:`region_power`).

A coalition wins when its total weight is at least the quota. Player ``i`` *swings* for a
coalition ``S`` of the other players when ``S`` loses but ``S + i`` wins, i.e.
``quota - w_i <= w(S) < quota``. The normalised Banzhaf index is ``eta_i / sum_j eta_j``
with ``eta_i`` the number of such ``S``.

Coalitions are counted by weight with generating polynomials ``prod_j (1 + z^{w_j})``
truncated below the quota, so the cost is O(n × quota) rather than O(2^n). Counts are
float64 (int64 would overflow past 63 players): every count is at most ``2^(n-1)``, so all
arithmetic is exact for up to 54 players. Beyond that swing counts carry an absolute error
of roughly ``2^(n-1) × 1e-16``, which matters only for players with very little power;
games of more than 1024 players are refused (the counts would overflow float64). Where
``2^(n/2)`` is below the quota, the coalitions are instead counted by meeting in the middle:
the sorted coalition weights of one half of the players are searched for each coalition of
the other half, O(n 2^(n/2) log) with integer counts, exact. A player with more than the
quota while the others together have less is a dictator: it swings for all ``2^(n-1)``
coalitions of the others, and no one else for any. Every method gives the same swing counts,
hence the same indices.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from dekomopt.metrics._checks import factorize, scalar, vector

RESOLUTION_FTE = 0.1
"""Vote weights are teacher FTEs in whole tenths: the one resolution of every power figure."""

MAX_ENUMERATED = 12
"""Regions of up to this many owners are computed by enumerating the 2^n coalitions."""

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
    """``eta_i`` for integer weights and an integer quota ``1 <= quota <= sum(weights)``, by
    the cheapest exact method (see the module)."""
    n = weights.size
    top = int(np.argmax(weights))
    if weights[top] >= quota and int(weights.sum()) - int(weights[top]) < quota:
        # A dictator: every coalition with it wins, none without it, so it swings for all
        # 2^(n-1) coalitions of the others and no one else ever does.
        swings = np.zeros(n)
        swings[top] = 2.0 ** (n - 1)
        return swings
    if 1 << ((n + 1) // 2) < quota:
        return _swings_by_halves(weights, quota)
    return _swings_by_weight(weights, quota)


def _swings_by_weight(weights: np.ndarray, quota: int) -> np.ndarray:
    """``eta_i`` (as :func:`_swings`) from coalition counts by weight below the quota."""
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


def _subset_sums(weights: np.ndarray) -> np.ndarray:
    """Total weight of every coalition of ``weights`` (bit i of the index = player i); of
    each row for games × players ``weights``."""
    w = np.asarray(weights, dtype=np.int64)
    sums = np.zeros((*w.shape[:-1], 1), dtype=np.int64)
    for j in range(w.shape[-1]):
        sums = np.concatenate([sums, sums + w[..., j : j + 1]], axis=-1)
    return sums


@lru_cache(maxsize=64)
def _signs(m: int) -> np.ndarray:
    """m × 2^m: +1 where coalition (bit mask) of m players lacks player j, −1 where it has j."""
    masks = np.arange(1 << m, dtype=np.int64)
    return 1 - 2 * ((masks[None, :] >> np.arange(m, dtype=np.int64)[:, None]) & 1)


def _swings_by_halves(weights: np.ndarray, quota: int) -> np.ndarray:
    """``eta_i`` (as :func:`_swings`) by meeting in the middle (:func:`_swings_of_games`)."""
    return _swings_of_games(weights[None], np.array([quota]))[0]


def _swings_of_games(weights: np.ndarray, quota: np.ndarray) -> np.ndarray:
    """``eta_i`` of games × players ``weights`` with their ``quota``, all at once.

    Players are split in halves A and B. For a coalition ``a`` of A let ``G(a)`` count the
    coalitions ``b`` of B with ``w(a) + w(b) < quota`` (one search in B's sorted coalition
    weights). Player i of A swings for ``a + b`` (i not in a) iff
    ``quota - w_i <= w(a) + w(b) < quota``, so ``eta_i = sum_{a without i} G(a) − G(a + i)
    = sum_a ±G(a)``, + where a lacks i; B likewise. Counts are int64, exact. Each game's
    coalition weights are shifted into a range of their own, so one sorted array serves the
    searches of every game.
    """
    w = np.asarray(weights, dtype=np.int64)
    n_games, n = w.shape
    span = int(w.sum(axis=1).max()) + 1
    shift = (np.arange(n_games, dtype=np.int64) * 4 + 2) * span
    halves = ((0, n // 2), (n // 2, n))
    sums = [_subset_sums(w[:, a:b]) for a, b in halves]
    swings = np.zeros((n_games, n))
    for side, (a, b) in enumerate(halves):
        if a == b:
            continue
        other = np.sort(sums[1 - side], axis=1) + shift[:, None]
        own = sums[side]
        top = np.asarray(quota, dtype=np.int64)[:, None] + shift[:, None] - own
        reach = np.searchsorted(other.ravel(), top.ravel(), side="left").reshape(own.shape)
        below = reach - (np.arange(n_games) * other.shape[1])[:, None]  # G(a) of each game
        swings[:, a:b] = below @ _signs(b - a).T
    return swings


MAX_BY_HALVES = 24
"""Many games of up to this many players are counted by halves together."""


def _majority_power_by_halves(w: np.ndarray) -> np.ndarray:
    """games × n whole weights -> normalised Banzhaf indices of their simple-majority games
    (:func:`_swings_of_games`); NaN when all weights are 0."""
    w = w.astype(np.int64)
    swings = _swings_of_games(w, w.sum(axis=1) // 2 + 1)
    out = np.full(w.shape, np.nan)
    norm = swings.sum(axis=1, keepdims=True)
    np.divide(swings, norm, out=out, where=norm > 0)
    return out


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


def fte_weights(fte: np.ndarray) -> np.ndarray:
    """Teacher FTEs as whole vote weights: ``rint(fte / RESOLUTION_FTE)`` (halves to even)."""
    return np.rint(np.asarray(fte, dtype=float) / RESOLUTION_FTE)


def banzhaf_fte(fte) -> np.ndarray:
    """Normalised Banzhaf index of a simple-majority vote weighted by teacher FTE, at
    :data:`RESOLUTION_FTE` (:func:`fte_weights`): the quota is strictly more than half the
    total of the whole weights, and owners whose FTE rounds to 0 have no power."""
    fte = vector("fte", fte, nonnegative=True)
    w = fte_weights(fte)
    if w.sum() == 0:
        raise ValueError(f"fte: total rounds to zero at {RESOLUTION_FTE} FTE")
    return banzhaf(w)


def _coalition_weights(w: np.ndarray) -> np.ndarray:
    """coalitions × draws total weight of every coalition (bit i of the row = player i).

    Built by adding players one at a time rather than by a matrix product: a multithreaded
    BLAS call would keep spare cores spinning that other workers need.
    """
    n_draws, n = w.shape
    sums = np.zeros((1 << n, n_draws))
    for i in range(n):
        np.add(sums[: 1 << i], w[:, i], out=sums[1 << i : 2 << i])
    return sums


def _enumerated(w: np.ndarray) -> np.ndarray:
    """draws × n whole weights -> normalised Banzhaf indices by enumerating every coalition
    (integer sums in float64: exact); NaN when all weights are 0."""
    n_draws, n = w.shape
    # whole weights: half the total is exact in float64, so this is "2·w(S) > total"
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


@lru_cache(maxsize=65536)
def _cached_banzhaf(weights: tuple[int, ...]) -> tuple[float, ...]:
    return tuple(banzhaf(np.array(weights, dtype=np.int64)))


def _by_dynamic_programme(w: np.ndarray) -> np.ndarray:
    out = np.full(w.shape, np.nan)
    for d, row in enumerate(w):
        if row.sum() > 0:
            out[d] = _cached_banzhaf(tuple(row.astype(np.int64).tolist()))
    return out


def power_rows(fte: np.ndarray, region: np.ndarray, n_regions: int) -> np.ndarray:
    """draws × owners: each owner's normalised Banzhaf power in its own region's
    simple-majority vote, weighted by its FTEs at :data:`RESOLUTION_FTE`.

    ``fte`` holds the voting FTEs (0 for owners not taking part), ``region`` the owners'
    region codes ``0 .. n_regions - 1``, or draws × owners codes (a structure per draw).
    Regions are separate games, so values sum to 1 within each region; an owner of weight 0
    has power 0, and every owner of a region whose weights are all 0 gets NaN. Games of at
    most :data:`MAX_ENUMERATED` owners enumerate every coalition, many games at once; with a
    structure per draw, games of up to :data:`MAX_BY_HALVES` owners are counted by halves,
    many at once. A single game of one draw (one structure, where the same regions recur)
    and larger games use :func:`banzhaf`, cached by weights. All are exact and give the same
    values.
    """
    weights = fte_weights(np.atleast_2d(fte))
    region = np.asarray(region)
    if region.ndim == 2:
        return _games_per_draw(weights, region.astype(np.int64), n_regions)
    out = np.full(weights.shape, np.nan)
    for r in range(n_regions):
        members = np.flatnonzero(region == r)
        if not len(members):
            continue
        w = weights[:, members]
        enumerate_all = len(members) <= MAX_ENUMERATED and len(w) > 1
        out[:, members] = _enumerated(w) if enumerate_all else _by_dynamic_programme(w)
    return out


_ENUMERATED_CELLS = 1 << 21
"""Coalitions × games enumerated (or searched, by halves) at once: 16 MB of sums."""


def _games_per_draw(weights: np.ndarray, region: np.ndarray, n_regions: int) -> np.ndarray:
    """:func:`power_rows` with draws × owners ``region``: the games of all draws, grouped by
    their number of players."""
    n_draws, n_owners = weights.shape
    # Each draw's owners in region order (owner order within a region), and each game's
    # (draw, region) start and size.
    order = np.argsort(region, axis=1, kind="stable")
    sizes = np.zeros((n_draws, n_regions), dtype=np.int64)
    np.add.at(sizes, (np.repeat(np.arange(n_draws), n_owners), region.ravel()), 1)
    starts = np.cumsum(sizes, axis=1) - sizes
    out = np.full(weights.shape, np.nan)
    sorted_w = np.take_along_axis(weights, order, axis=1)
    for n in np.unique(sizes[sizes > 0]):
        draw, reg = np.nonzero(sizes == n)
        cols = starts[draw, reg][:, None] + np.arange(n)
        members = order[draw[:, None], cols]
        w = sorted_w[draw[:, None], cols]
        if n <= MAX_BY_HALVES:
            method = _enumerated if n <= MAX_ENUMERATED else _majority_power_by_halves
            power = np.empty(w.shape)
            cells = 1 << int(n) if n <= MAX_ENUMERATED else int(n) << ((int(n) + 1) // 2)
            step = max(1, _ENUMERATED_CELLS // cells)
            for first in range(0, len(w), step):
                power[first : first + step] = method(w[first : first + step])
        else:
            power = _by_dynamic_programme(w)
        out[draw[:, None], members] = power
    return out


def region_power(fte, region) -> np.ndarray:
    """Each owner's normalised Banzhaf power in its own region's simple-majority FTE vote, for
    one allocation (:func:`power_rows`); ``region`` holds any sortable labels. A region with a
    single owner gives it 1.0; owners of a region whose FTEs all round to 0 get NaN."""
    fte = vector("fte", fte, nonnegative=True)
    names, codes = factorize("region", region, fte.size)
    return power_rows(fte[None], codes, names.size)[0]
