"""Owner groups (size classes, ownership) and the gap between two groups' FTE-weighted means."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dekomopt.metrics._checks import labels, positive_weights, vector

DEFAULT_SIZE_THRESHOLDS = (50.0, 200.0)
"""Teacher FTE bounds (small_max, large_min). At roughly one teacher FTE per 100 inhabitants
they match the usual municipality size bands: under about 5,000 inhabitants small, about
20,000 and over large."""


class GroupGap(NamedTuple):
    """FTE-weighted means of groups ``a`` and ``b``, ``difference = mean_a - mean_b`` and
    ``ratio = mean_a / mean_b`` (NaN when ``mean_b == 0``)."""

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


def group_gap(x, w, groups, a, b) -> GroupGap:
    """Compare the FTE-weighted mean of ``x`` in group ``a`` with that in group ``b``.

    ``groups`` labels each owner (e.g. ``size_class`` output or ownership kind). Owners with
    zero weight are ignored (their ``x`` may be NaN). ``w=None`` means equal weights.
    Raises ValueError if either group has no owner with positive weight.
    """
    x, w, keep = positive_weights(x, w)
    grp = labels("groups", groups, keep.size)[keep]
    means = []
    for name, label in (("a", a), ("b", b)):
        in_group = grp == label
        if not np.any(in_group):
            raise ValueError(f"{name}: no owner with positive weight in group {label!r}")
        means.append(float(w[in_group] @ x[in_group] / w[in_group].sum()))
    mean_a, mean_b = means
    ratio = mean_a / mean_b if mean_b != 0 else float("nan")
    return GroupGap(mean_a, mean_b, mean_a - mean_b, ratio)
