import numpy as np
import pytest

from dekomopt.metrics import fte_weighted_distance, region_totals


def test_county_mean_ignores_zero_fte_owners():
    assert fte_weighted_distance([10, 20, np.nan], [1, 3, 0]) == pytest.approx(17.5)


def test_per_region_means_in_sorted_label_order():
    out = fte_weighted_distance([10, 20, 40, 5], [1, 3, 2, 0], region=["N", "N", "M", "S"])
    assert list(out) == ["M", "N", "S"]
    assert out["M"] == pytest.approx(40.0)
    assert out["N"] == pytest.approx(17.5)
    assert np.isnan(out["S"])


def test_errors():
    with pytest.raises(ValueError, match="km"):
        fte_weighted_distance([-1, 2], [1, 1])
    with pytest.raises(ValueError, match="km"):
        fte_weighted_distance([np.nan, 2], [1, 1])
    with pytest.raises(ValueError, match="fte"):
        fte_weighted_distance([1, 2], [0, 0])


def test_region_totals():
    np.testing.assert_array_equal(
        region_totals([1.5, 2.0, 4.0], np.array([2, 0, 2]), 4), [2.0, 0.0, 5.5, 0.0]
    )
    with pytest.raises(ValueError, match="region"):
        region_totals([1.0], np.array([3]), 3)
    with pytest.raises(ValueError, match="region"):
        region_totals([1.0], np.array([0.5]), 3)
