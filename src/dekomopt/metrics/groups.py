"""Owner groups (size classes, ownership) and the gap between two groups' FTE-weighted means."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dekomopt.metrics._checks import labels, positive_weights, vector
from dekomopt.metrics.noise import snap_zero
from dekomopt.scenario.schema import Metrics

DEFAULT_SIZE_THRESHOLDS: tuple[float, float] = Metrics.model_fields["size_thresholds_fte"].default
"""Teacher FTE bounds (small_max, large_min): the default of ``[metrics] size_thresholds_fte``."""


class GroupGap(NamedTuple):
    """FTE-weighted means of groups ``a`` and ``b``, ``difference = mean_a - mean_b`` and
    ``ratio = mean_a / mean_b`` (NaN when ``mean_b == 0``), as :func:`gap_rows` gives them."""

    mean_a: float
    mean_b: float
    difference: float
    ratio: float


def size_class(fte, thresholds: tuple[float, float] = DEFAULT_SIZE_THRESHOLDS) -> np.ndarray:
    """Label each owner ``"small"`` (``fte <= small_max``), ``"large"`` (``fte >= large_min``)
    or ``"medium"`` (in between), with ``thresholds = (small_max, large_min)``.

    Requires ``small_max < large_min``. Returns a NumPy string array.
    """
    fte = vector("fte", fte, nonnegative=True)
    try:
        small_max, large_min = (float(t) for t in thresholds)
    except (TypeError, ValueError):
        raise ValueError("thresholds: expected a pair (small_max, large_min)") from None
    if not small_max < large_min:
        raise ValueError(f"thresholds: need small_max < large_min, got {thresholds}")
    out = np.full(fte.size, "medium", dtype="<U6")
    out[fte <= small_max] = "small"
    out[fte >= large_min] = "large"
    return out


def gap_rows(
    x: np.ndarray, w: np.ndarray, in_a: np.ndarray, in_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of draws × owners: FTE-weighted mean of ``x`` over group a minus that over
    group b, and their ratio a / b. ``in_a`` and ``in_b`` are boolean masks (owners, or draws ×
    owners). NaN when a group has no weight; the ratio is NaN when b's mean is 0. A difference
    within floating-point noise of 0 is 0, and its ratio exactly 1.
    """
    xs = np.where(w > 0, x, 0.0)
    means = []
    for mask in (in_a, in_b):
        ww = w * mask
        sw = ww.sum(axis=1)
        m = np.full(len(x), np.nan)
        np.divide((ww * xs).sum(axis=1), sw, out=m, where=sw > 0)
        means.append(m)
    a, b = means
    diff = snap_zero(a - b, np.fmax(np.abs(a), np.abs(b)))
    ratio = np.full(len(x), np.nan)
    np.divide(a, b, out=ratio, where=np.isfinite(b) & (b != 0))
    return diff, np.where(diff == 0, np.where(np.isfinite(ratio), 1.0, ratio), ratio)


def group_gap(x, w, groups, a, b) -> GroupGap:
    """Compare the FTE-weighted mean of ``x`` in group ``a`` with that in group ``b``.

    ``groups`` labels each owner (e.g. ``size_class`` output or ownership kind). Owners with
    zero weight are ignored (their ``x`` may be NaN). ``w=None`` means equal weights.
    Raises ValueError if either group has no owner with positive weight.
    """
    x, w, keep = positive_weights(x, w)
    grp = labels("groups", groups, keep.size)[keep]
    for name, label in (("a", a), ("b", b)):
        if not np.any(grp == label):
            raise ValueError(f"{name}: no owner with positive weight in group {label!r}")
    in_a, in_b = grp == a, grp == b
    diff, ratio = gap_rows(x[None], w[None], in_a, in_b)
    mean_a = float(w[in_a] @ x[in_a] / w[in_a].sum())
    mean_b = float(w[in_b] @ x[in_b] / w[in_b].sum())
    return GroupGap(mean_a, mean_b, float(diff[0]), float(ratio[0]))
