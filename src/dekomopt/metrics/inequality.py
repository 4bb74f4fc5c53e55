"""FTE-weighted inequality indices: Gini, Theil's T and its exact group decomposition.

Each index is defined once, row-wise over draws × owners (``*_rows``); the scalar functions
are the same computation on one draw, after checking their arguments.

Weights mean counts of individuals: ``w_i`` teachers each receive ``x_i``. With integer
weights every index equals the unweighted index of the data with ``x_i`` repeated ``w_i``
times. Observations with ``w_i == 0`` are left out (their ``x_i`` may be NaN).

Undefined values are NaN, by one rule:

* Gini is NaN when the weighted mean is not positive (negative ``x`` are otherwise allowed;
  the index may then exceed 1).
* Theil's T needs ``ln x``: an amount of 0 contributes ``0·ln 0 = 0``, but a negative amount
  (of positive weight) makes T, its parts and its between-group share NaN, as does a weighted
  mean that is not positive. A negative net amount is a real outcome (costs above funding),
  so the metric is undefined for that allocation, not infinitely unequal.

Values within floating-point noise of 0 are 0 (:mod:`.noise`), and Theil's T is the sum of
its between- and within-group parts; the between-group share of a Theil index below
:data:`THEIL_FLOOR` is NaN. Whole-krone rounding is a property of kroner, not of the indices:
:class:`~dekomopt.metrics.engine.MetricsEngine` sets to 0 what it can explain.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dekomopt.metrics._checks import factorize, positive_weights
from dekomopt.metrics.noise import snap_zero
from dekomopt.metrics.regions import Membership

THEIL_FLOOR = 1e-9
"""Theil T below this is the rounding of whole-krone amounts: its between-group share is NaN."""


class TheilSplit(NamedTuple):
    """Theil's T split into between-group and within-group parts (``between + within == total``).

    ``between_share`` is ``between / total``; NaN when ``total`` is below :data:`THEIL_FLOOR`.
    """

    total: float
    between: float
    within: float
    between_share: float


class TheilRows(NamedTuple):
    """:class:`TheilSplit` of many draws: each field an array over draws."""

    total: np.ndarray
    between: np.ndarray
    within: np.ndarray
    between_share: np.ndarray


def _log_where(ratio: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``log(ratio)`` where ``where`` and ``ratio > 0``, else 0 (0·log 0 = 0 with a zero share)."""
    out = np.zeros_like(ratio)
    np.log(ratio, out=out, where=where & (ratio > 0))
    return out


def gini_rows(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted Gini per row of draws × owners ``x`` with weights ``w`` (>= 0).

    ``G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mu)``, computed in O(n log n) by sorting:
    ``G = sum_i w_i x_i (2 C_i - w_i - W) / (W sum_i w_i x_i)`` with ``C_i`` the cumulative
    weight up to and including ``i`` in ascending order of ``x``.
    """
    x = np.where(w > 0, x, 0.0)
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    total_w = ws.sum(axis=1)
    total_y = (ws * xs).sum(axis=1)
    cum = np.cumsum(ws, axis=1)
    num = (ws * xs * (2.0 * cum - ws - total_w[:, None])).sum(axis=1)
    out = np.full(len(x), np.nan)
    ok = (total_y > 0) & (total_w > 0)
    out[ok] = num[ok] / (total_w[ok] * total_y[ok])
    return snap_zero(out)


def theil_rows(x: np.ndarray, w: np.ndarray, groups: np.ndarray | Membership) -> TheilRows:
    """Weighted Theil T per row of draws × owners ``x``, split by ``groups``: an owners ×
    groups indicator matrix (one 1 per row) or a :class:`~dekomopt.metrics.regions.Membership`
    (which may give each draw its own groups).

    With ``Y = sum_i w_i x_i``, ``mu = Y / W``, ``s_g = Y_g / Y`` and ``mu_g`` the group mean::

        total   = sum_i (w_i x_i / Y) ln(x_i / mu)
        between = sum_g s_g ln(mu_g / mu)
        within  = sum_g s_g T_g   (T_g the weighted Theil T inside group g)

    A group whose amounts are all 0 has ``s_g = 0`` and contributes nothing. ``between``
    and ``within`` are each 0 within floating-point noise (:mod:`.noise`) and ``total`` is
    their sum, so ``between + within == total`` holds exactly in every row.
    """
    has = w > 0
    x = np.where(has, x, 0.0)
    valid = ~(has & (x < 0)).any(axis=1)
    wx = w * x
    total_y = wx.sum(axis=1)
    valid &= total_y > 0
    safe_y = np.where(valid, total_y, 1.0)
    mu = safe_y / np.where(valid, w.sum(axis=1), 1.0)
    share = wx / safe_y[:, None]
    positive = has & (x > 0)
    member = Membership.of(groups)
    group_w = member.sum(w)
    group_y = member.sum(wx)
    group_mu = np.divide(group_y, group_w, out=np.zeros_like(group_y), where=group_w > 0)
    between = (group_y / safe_y[:, None] * _log_where(group_mu / mu[:, None], group_y > 0)).sum(
        axis=1
    )
    owner_mu = member.spread(group_mu)
    within = (share * _log_where(x / np.where(owner_mu > 0, owner_mu, 1.0), positive)).sum(axis=1)
    nan = np.where(valid, 0.0, np.nan)
    between, within = (snap_zero(v + nan) for v in (between, within))
    total = between + within
    share_between = np.full(len(x), np.nan)
    big = valid & (total >= THEIL_FLOOR)
    share_between[big] = snap_zero(between[big] / total[big])
    return TheilRows(total, between, within, share_between)


def _one_draw(x, w, *, x_name: str = "x") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked positive-weight observations as one-row arrays, and the mask used."""
    xs, ws, keep = positive_weights(x, w, x_name=x_name)
    return xs[None], ws[None], keep


def gini(x, w=None) -> float:
    """Weighted Gini coefficient of one allocation (:func:`gini_rows`); ``w=None`` means
    equal weights (then ``G`` equals PySAL's ``inequality.gini.Gini``). NaN when the weighted
    mean is not positive."""
    xs, ws, _ = _one_draw(x, w)
    return float(gini_rows(xs, ws)[0])


def theil_t(x, w=None) -> float:
    """Weighted Theil T of one allocation (:func:`theil_rows`); NaN for a negative amount or
    a mean that is not positive. With equal weights this equals PySAL's ``inequality.theil.Theil``.
    """
    xs, ws, _ = _one_draw(x, w)
    return float(theil_rows(xs, ws, np.ones((xs.shape[1], 1))).total[0])


def theil_decomposition(x, w, groups) -> TheilSplit:
    """Exact decomposition of the weighted Theil T of one allocation over a partition into
    groups (:func:`theil_rows`). ``w=None`` means equal weights (then ``between`` equals
    PySAL's ``TheilD.bg``). ``groups`` holds any sortable labels."""
    xs, ws, keep = _one_draw(x, w)
    _, codes = factorize("groups", groups, keep.size)
    codes = np.unique(codes[keep], return_inverse=True)[1].reshape(-1)
    onehot = np.eye(int(codes.max()) + 1)[codes]
    split = theil_rows(xs, ws, onehot)
    return TheilSplit(*(float(v[0]) for v in split))
