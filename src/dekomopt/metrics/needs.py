"""Needs reports: which themes each region picks, and how much of each owner's needs that covers.

``needs`` is an owners × themes array, boolean or nonnegative intensity. An owner *has* a
need for a theme when its entry is positive. Region rows of a choice follow the sorted
unique labels of ``region`` (``np.unique`` order).
"""

from __future__ import annotations

import numpy as np

from dekomopt.metrics._checks import factorize, vector
from dekomopt.metrics.regions import Membership

_TIE_DECIMALS = 12
"""Votes are compared after rounding their share of the region's total to this many decimals,
so sums that differ only by floating-point rounding count as ties."""


def _needs_matrix(needs) -> np.ndarray:
    try:
        arr = np.asarray(needs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"needs: not numeric ({exc})") from None
    if arr.ndim != 2:
        raise ValueError(f"needs: expected an owners x themes array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("needs: must be finite and nonnegative")
    return arr


def theme_choice_rows(
    needs: np.ndarray,
    fte: np.ndarray,
    regions: np.ndarray | Membership,
    k: int,
    *,
    intensity: bool = False,
) -> np.ndarray:
    """draws × regions × themes: the ``k`` themes each region picks in each draw.

    ``needs`` is draws × owners × themes, ``fte`` draws × owners (the votes' weights, 0 for
    owners not taking part), ``regions`` an owners × regions indicator matrix or a
    :class:`~dekomopt.metrics.regions.Membership`. Owner ``i``'s vote for theme ``t``
    is ``fte_i * 1[needs_it > 0]``, or ``fte_i * needs_it`` with ``intensity=True``; votes are
    compared as shares of the region's total rounded to 12 decimals, ties going to the lowest
    theme index.
    """
    contribution = fte[:, :, None] * (needs if intensity else (needs > 0))
    votes = Membership.of(regions).sum(contribution)
    region_total = votes.sum(axis=2, keepdims=True)
    scaled = np.divide(votes, region_total, out=np.zeros_like(votes), where=region_total > 0)
    # A stable sort on the negated votes keeps the lower theme index first among ties.
    ranked = np.argsort(-np.round(scaled, _TIE_DECIMALS), axis=2, kind="stable")
    chosen = np.zeros(votes.shape, dtype=bool)
    np.put_along_axis(chosen, ranked[:, :, :k], True, axis=2)
    return chosen


def need_match_rows(
    needs: np.ndarray, chosen: np.ndarray, region: np.ndarray, *, intensity: bool = False
) -> np.ndarray:
    """draws × owners: the share of each owner's needs its region's chosen themes cover,
    ``sum_t needs_it * chosen_rt / sum_t needs_it`` (needed themes counted, or intensities
    summed with ``intensity=True``); NaN for an owner with no needs. ``region`` holds region
    codes per owner, or draws × owners."""
    need = needs if intensity else (needs > 0).astype(np.float64)
    covered = (need * Membership(region, chosen.shape[1]).spread(chosen)).sum(axis=2)
    total = need.sum(axis=2)
    out = np.full(total.shape, np.nan)
    np.divide(covered, total, out=out, where=total > 0)
    return out


def region_theme_choice(needs, fte, region, k: int, *, intensity: bool = False) -> np.ndarray:
    """Each region picks the ``k`` themes with the largest FTE-weighted vote of its owners
    (:func:`theme_choice_rows` for one allocation).

    Returns a boolean array (regions × themes) with exactly ``k`` True per row, rows in
    sorted region-label order. Requires ``1 <= k <= n_themes``.
    """
    mat = _needs_matrix(needs)
    n_owners, n_themes = mat.shape
    fte = vector("fte", fte, n=n_owners, nonnegative=True)
    names, codes = factorize("region", region, n_owners)
    if not (isinstance(k, int | np.integer) and 1 <= k <= n_themes):
        raise ValueError(f"k: must be an integer in 1 .. {n_themes}, got {k!r}")
    onehot = np.eye(names.size)[codes]
    return theme_choice_rows(mat[None], fte[None], onehot, int(k), intensity=intensity)[0]


def need_match(needs, chosen, region, *, intensity: bool = False) -> np.ndarray:
    """Per owner: the share of its own needs covered by its region's chosen themes
    (:func:`need_match_rows` for one allocation). ``chosen`` is a regions × themes boolean
    array in sorted region-label order (as from :func:`region_theme_choice`). Owners with no
    needs get NaN.
    """
    mat = _needs_matrix(needs)
    n_owners, n_themes = mat.shape
    names, codes = factorize("region", region, n_owners)
    pick = np.asarray(chosen)
    if pick.shape != (names.size, n_themes):
        raise ValueError(
            f"chosen: expected shape {(names.size, n_themes)} (regions x themes), got {pick.shape}"
        )
    if pick.dtype != bool:
        raise ValueError("chosen: expected a boolean array")
    return need_match_rows(mat[None], pick[None], codes, intensity=intensity)[0]
