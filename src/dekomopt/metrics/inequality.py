"""FTE-weighted inequality indices: Gini, Theil's T and its exact group decomposition.

Weights mean counts of individuals: ``w_i`` teachers each receive ``x_i``. With integer
weights every index equals the unweighted index of the data with ``x_i`` repeated ``w_i``
times. Observations with ``w_i == 0`` are dropped first (their ``x_i`` may be NaN); the
remaining ``x`` must be finite and the weights must not all be zero.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dekomopt.metrics._checks import factorize, positive_weights


class TheilSplit(NamedTuple):
    """Theil's T split into between-group and within-group parts (``between + within == total``).

    ``between_share`` is ``between / total``; NaN when ``total == 0`` (perfect equality).
    """

    total: float
    between: float
    within: float
    between_share: float


def _log_or_zero(ratio: np.ndarray) -> np.ndarray:
    """``log(ratio)`` where ``ratio > 0``, else 0: multiplied by a zero share this is 0·log0 = 0."""
    out = np.zeros_like(ratio)
    np.log(ratio, out=out, where=ratio > 0)
    return out


def gini(x, w=None) -> float:
    """Weighted Gini coefficient.

    Defined as the weighted mean absolute difference over ordered pairs divided by twice the
    weighted mean::

        G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mu),   W = sum_i w_i,
        mu = sum_i w_i x_i / W.

    ``w=None`` means equal weights (then ``G`` equals PySAL's ``inequality.gini.Gini``).
    Zero incomes are ordinary values. Negative ``x`` are allowed (``G`` may then exceed 1),
    but the weighted mean must be positive, else ValueError. Computed in O(n log n) by
    sorting: ``G = sum_i w_i x_i (2 C_i - w_i - W) / (W sum_i w_i x_i)`` with ``C_i`` the
    cumulative weight up to and including ``i`` in ascending order of ``x``.
    """
    x, w, _ = positive_weights(x, w)
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    total_w = ws.sum()
    total_y = ws @ xs
    if not total_y > 0:
        raise ValueError("x: the weighted mean must be positive")
    cum_w = np.cumsum(ws)
    return float(np.sum(ws * xs * (2.0 * cum_w - ws - total_w)) / (total_w * total_y))


def theil_t(x, w=None) -> float:
    """Weighted Theil T index: ``T = sum_i (w_i x_i / Y) ln(x_i / mu)``, ``Y = sum_i w_i x_i``.

    Equivalently ``(1/W) sum_i w_i (x_i/mu) ln(x_i/mu)``. Zero incomes contribute
    ``0·ln 0 = 0``. ``x`` must be nonnegative with a positive weighted mean, else ValueError.
    With equal weights this equals PySAL's ``inequality.theil.Theil``.
    """
    x, w, _ = positive_weights(x, w, nonnegative_x=True)
    total_y = w @ x
    if not total_y > 0:
        raise ValueError("x: the weighted mean must be positive")
    mu = total_y / w.sum()
    return float((w * x / total_y) @ _log_or_zero(x / mu))


def theil_decomposition(x, w, groups) -> TheilSplit:
    """Exact decomposition of the weighted Theil T over a partition into groups.

    With ``s_g = Y_g / Y`` the group's income share and ``mu_g`` its weighted mean::

        between = sum_g s_g ln(mu_g / mu)
        within  = sum_g s_g T_g        (T_g = weighted Theil T inside group g)

    and ``between + within == total`` up to rounding. Groups whose incomes are all zero have
    ``s_g = 0`` and contribute nothing. ``w=None`` means equal weights (then ``between``
    equals PySAL's ``TheilD.bg``). ``groups`` holds any sortable labels.
    """
    x, w, keep = positive_weights(x, w, nonnegative_x=True)
    _, codes = factorize("groups", groups, keep.size)
    codes = np.unique(codes[keep], return_inverse=True)[1].reshape(-1)

    total_y = w @ x
    if not total_y > 0:
        raise ValueError("x: the weighted mean must be positive")
    mu = total_y / w.sum()
    group_w = np.bincount(codes, weights=w)
    group_y = np.bincount(codes, weights=w * x)
    group_mu = group_y / group_w
    share_i = w * x / total_y

    total = float(share_i @ _log_or_zero(x / mu))
    between = float((group_y / total_y) @ _log_or_zero(group_mu / mu))
    # An all-zero group has group_mu == 0 and zero shares, so its ratio is never used.
    safe_mu = np.where(group_mu > 0, group_mu, 1.0)[codes]
    within = float(share_i @ _log_or_zero(x / safe_mu))
    between_share = between / total if total != 0 else float("nan")
    return TheilSplit(total, between, within, between_share)
