import math

import numpy as np
import pytest

from dekomopt.structures.outlier import batch_means_interval, percentile, percentile_interval


@pytest.mark.parametrize(
    ("values", "today", "expected"),
    [
        ([1, 2, 3, 4], 2.5, 0.5),
        ([1, 2, 3, 4], 0.0, 0.0),
        ([1, 2, 3, 4], 9.0, 1.0),
        ([1, 2, 2, 3], 2.0, 0.5),  # one below, two ties counted half
        ([5, 5, 5, 5], 5.0, 0.5),
        ([1, np.nan, 3], 2.0, 0.5),  # NaN left out
        ([1, 2, np.inf], 3.0, 2 / 3),
    ],
)
def test_percentile_hand_cases(values, today, expected):
    assert percentile(np.array(values, dtype=float), today) == pytest.approx(expected)


def test_percentile_of_nan_or_empty_is_nan():
    assert math.isnan(percentile(np.array([1.0, 2.0]), math.nan))
    assert math.isnan(percentile(np.array([np.nan]), 1.0))


def test_interval_covers_the_percentile_and_narrows_with_more_draws():
    rng = np.random.default_rng(3)
    small = rng.normal(size=200)
    large = rng.normal(size=20000)
    lo_s, hi_s = percentile_interval(small, np.arange(200) % 4, 0.5)
    lo_l, hi_l = percentile_interval(large, np.arange(20000) % 4, 0.5)
    assert lo_s <= percentile(small, 0.5) <= hi_s
    assert lo_l <= percentile(large, 0.5) <= hi_l
    assert hi_l - lo_l < (hi_s - lo_s) / 5


def test_correlated_chains_widen_the_interval():
    rng = np.random.default_rng(4)
    independent = rng.normal(size=4000)
    # each value repeated 20 times in a row: far fewer effective draws
    sticky = np.repeat(rng.normal(size=200), 20)
    chains = np.repeat(np.arange(4), 1000)
    lo_i, hi_i = percentile_interval(independent, chains, 0.0)
    lo_s, hi_s = percentile_interval(sticky, chains, 0.0)
    assert hi_s - lo_s > 2 * (hi_i - lo_i)


def test_interval_at_the_edge_reaches_zero():
    lo, hi = percentile_interval(np.arange(100.0), np.arange(100) % 2, -1.0)
    assert lo == 0.0
    assert 0.0 < hi < 0.1


def test_batch_means_interval_from_per_chain_percentiles():
    values = np.array([1.0, 2.0, 3.0, 4.0] * 4)
    chains = np.repeat(np.arange(4), 4)
    assert batch_means_interval(values, chains, 2.5) == pytest.approx((0.5, 0.5))
    spread = np.array([1.0, 2.0, 3.0, 4.0, 1.0, 1.0, 1.0, 4.0, 1.0, 1.0, 3.0, 4.0])
    lo, hi = batch_means_interval(spread, np.repeat(np.arange(3), 4), 2.5)
    # chain percentiles 0.5, 0.75 and 0.5
    assert 0.0 < lo < 0.5833 < hi < 1.0
