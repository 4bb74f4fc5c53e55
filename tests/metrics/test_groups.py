import math

import numpy as np
import pytest

from dekomopt.metrics import DEFAULT_SIZE_THRESHOLDS, group_gap, size_class
from dekomopt.scenario.schema import Metrics


def test_size_class_boundaries_with_default_thresholds():
    assert DEFAULT_SIZE_THRESHOLDS == Metrics().size_thresholds_fte == (50.0, 300.0)
    out = size_class([10, 50, 50.1, 299.9, 300, 3000])
    assert out.tolist() == ["small", "small", "medium", "medium", "large", "large"]


def test_size_class_custom_thresholds_and_errors():
    assert size_class([5, 6, 9], thresholds=(5, 9)).tolist() == ["small", "medium", "large"]
    with pytest.raises(ValueError, match="thresholds"):
        size_class([1], thresholds=(200, 50))
    with pytest.raises(ValueError, match="fte"):
        size_class([-1])


def test_group_gap_hand_computed():
    gap = group_gap(
        x=[100, 200, 50, 80, np.nan],
        w=[1, 3, 2, 2, 0],
        groups=["small", "large", "small", "medium", "large"],
        a="small",
        b="large",
    )
    assert gap.mean_a == pytest.approx(200 / 3)
    assert gap.mean_b == pytest.approx(200.0)
    assert gap.difference == pytest.approx(200 / 3 - 200)
    assert gap.ratio == pytest.approx(1 / 3)


def test_group_gap_private_vs_public_and_edge_cases():
    kinds = np.array(["private", "municipality", "municipality"])
    gap = group_gap([0.0, 10.0, 30.0], [5, 1, 3], kinds, "municipality", "private")
    assert (gap.mean_a, gap.mean_b, gap.difference) == pytest.approx((25.0, 0.0, 25.0))
    assert math.isnan(gap.ratio)
    with pytest.raises(ValueError, match="b"):
        group_gap([1.0, 2.0], [1, 1], kinds[1:], "municipality", "private")
    with pytest.raises(ValueError, match="a"):
        group_gap([1.0, 2.0], [0, 1], ["x", "y"], "x", "y")
