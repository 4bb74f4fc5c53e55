import math

import numpy as np
import pytest
from scipy.stats import beta, binom

from dekomopt.structures.outlier import (
    denoise,
    exact_placement,
    percentile,
    sampled_placement,
)
from dekomopt.structures.summary import extreme_words


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
        ([1.0, 2.0 + 1e-13, 3.0], 2.0, 0.5),  # noise is a tie
    ],
)
def test_percentile_hand_cases(values, today, expected):
    assert percentile(np.array(values, dtype=float), today) == pytest.approx(expected)


def test_percentile_of_nan_or_empty_is_nan():
    assert math.isnan(percentile(np.array([1.0, 2.0]), math.nan))
    assert math.isnan(percentile(np.array([np.nan]), 1.0))


def test_noise_is_zero_and_real_values_stay():
    values = np.array([1.97e-16, -8.6e-17, 1.2e-15, np.nan, np.inf])
    cleaned = denoise(values)
    assert cleaned[:3].tolist() == [0.0, 0.0, 0.0]
    assert math.isnan(cleaned[3]) and cleaned[4] == np.inf
    assert denoise(np.array([0.019, 1e-16])).tolist() == [0.019, 0.0]
    assert denoise(np.array([2e-6, 0.5])).tolist() == [2e-6, 0.5]


def test_a_score_the_same_everywhere_has_no_percentile():
    placed = exact_placement(np.array([0.0, 1e-17, -3e-17]), 0.0)
    assert placed.constant and math.isnan(placed.percentile)
    # the same everywhere but today differs: a real percentile
    placed = exact_placement(np.array([3.0, 3.0, 3.0]), 4.0)
    assert not placed.constant and placed.percentile == 1.0
    chains = np.repeat(np.arange(2), 5)
    assert sampled_placement(np.full(10, 2.0), 2.0, chains).constant


def test_exact_placement_counts_what_it_leaves_out():
    placed = exact_placement(np.array([1.0, np.nan, 3.0, np.nan]), 2.0)
    assert (placed.percentile, placed.lo, placed.hi) == (0.5, 0.5, 0.5)
    assert (placed.used, placed.left_out) == (2, 2) and placed.exact


def test_interval_covers_the_percentile_and_narrows_with_more_draws():
    rng = np.random.default_rng(3)
    small = rng.normal(size=200)
    large = rng.normal(size=20000)
    s = sampled_placement(small, 0.5, np.arange(200) // 50)
    la = sampled_placement(large, 0.5, np.arange(20000) // 5000)
    assert s.lo <= percentile(small, 0.5) <= s.hi
    assert la.lo <= percentile(large, 0.5) <= la.hi
    assert la.hi - la.lo < (s.hi - s.lo) / 5
    # independent draws: the effective size is about the number of draws
    assert la.ess == pytest.approx(20000, rel=0.35)


def test_correlated_chains_widen_the_interval():
    rng = np.random.default_rng(4)
    independent = rng.normal(size=4000)
    # each value repeated 20 times in a row: far fewer effective draws
    sticky = np.repeat(rng.normal(size=200), 20)
    chains = np.repeat(np.arange(4), 1000)
    i = sampled_placement(independent, 0.0, chains)
    s = sampled_placement(sticky, 0.0, chains)
    assert s.hi - s.lo > 2 * (i.hi - i.lo)
    assert s.ess < i.ess / 5


def test_interval_at_the_edge_reaches_zero():
    values = np.random.default_rng(6).permutation(100).astype(float)
    placed = sampled_placement(values, -1.0, np.arange(100) // 50)
    assert placed.percentile == 0.0 and placed.lo == 0.0
    assert 0.0 < placed.hi < 0.1
    # a trend inside the chains leaves few effective draws, and a wide interval
    trend = sampled_placement(np.arange(100.0), -1.0, np.arange(100) // 50)
    assert trend.hi > 5 * placed.hi


def test_weights_move_the_estimate_to_the_weighted_law():
    rng = np.random.default_rng(5)
    # draws from N(0, 1); weights exp(x) tilt them to N(1, 1), where P(X < 1) = 0.5
    x = rng.normal(size=40000)
    chains = np.arange(40000) // 10000
    plain = sampled_placement(x, 1.0, chains)
    tilted = sampled_placement(x, 1.0, chains, log_weights=x)
    assert plain.percentile == pytest.approx(0.841, abs=0.01)
    assert tilted.lo <= 0.5 <= tilted.hi
    # weights cost precision
    assert tilted.ess < plain.ess


def test_groups_are_normalised_apart_and_combined_by_share():
    chains = np.arange(8) // 2
    values = np.array([0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 5.0, 5.0])
    groups = np.array([3, 3, 3, 3, 4, 4, 4, 4])
    # group 3 entirely below today, group 4 entirely above; huge weights in group 4 do not
    # change its share
    log_w = np.array([0.0, 0.0, 0.0, 0.0, 50.0, 0.0, 0.0, 0.0])
    placed = sampled_placement(values, 1.0, chains, log_w, groups, {3: 1.0, 4: 3.0})
    assert placed.percentile == pytest.approx(0.25)


def test_ess_never_exceeds_the_draws_nor_the_weights_ess():
    # one heavily down-weighted draw is the only one below today: the estimate is tiny and so
    # is its plug-in variance, but the weights leave few effective draws
    rng = np.random.default_rng(8)
    n = 300
    values = rng.uniform(1.0, 2.0, size=n)
    values[0] = -1.0
    log_w = rng.normal(scale=3.0, size=n)
    log_w[0] = log_w.min() - 15.0
    placed = sampled_placement(values, 0.0, np.arange(n), log_weights=log_w)
    w = np.exp(log_w - log_w.max())
    weights_ess = w.sum() ** 2 / (w @ w)
    assert 0 < placed.percentile < 1e-6
    assert placed.ess <= weights_ess <= n
    # with about weights_ess effective draws and none below, Jeffreys' upper end
    assert placed.hi >= 0.5 * beta.ppf(0.975, 0.5, weights_ess + 0.5)


def test_independent_draws_have_one_effective_size_the_number_of_draws():
    values = np.random.default_rng(9).normal(size=300)
    chains = np.arange(300)
    for today in (-10.0, 0.0, 0.7, 10.0):
        assert sampled_placement(values, today, chains).ess == pytest.approx(300)
    # with a value left out, the draws with a value
    values[5] = np.nan
    assert sampled_placement(values, 0.0, chains).ess == pytest.approx(299)


def _exact_coverage(n: int, below: float, tie: float) -> float:
    """Probability over n independent draws (below, tied with or above today with the given
    shares) that the 95 % interval holds the ties-half percentile ``below + tie / 2``."""
    truth = below + tie / 2
    covered = 0.0
    for a in range(n + 1):
        pa = binom.pmf(a, n, below)
        for b in range(n - a + 1):
            pb = pa * binom.pmf(b, n - a, tie / (1 - below))
            if pb < 1e-7:
                continue
            values = np.r_[np.full(a, -1.0), np.zeros(b), np.ones(n - a - b)]
            placed = sampled_placement(values, 0.0, np.arange(n))
            covered += pb * (placed.constant or placed.lo <= truth <= placed.hi)
    return covered


@pytest.mark.parametrize(("below", "tie"), [(0.01, 0.04), (0.03, 0.1), (0.3, 0.4)])
def test_interval_keeps_its_level_with_many_ties(below, tie):
    assert _exact_coverage(60, below, tie) >= 0.95


def test_the_shares_below_and_above_say_when_today_is_the_lowest_possible():
    # today's value is the smallest, shared by two structures: percentile 1/5 (ties half)
    placed = exact_placement(np.array([1.0, 1.0, 2.0, 3.0, 4.0]), 1.0)
    assert placed.percentile == pytest.approx(0.2)
    assert placed.below == 0.0 and placed.above == pytest.approx(0.6)
    assert extreme_words(placed).startswith("none lower")
    top = exact_placement(np.array([1.0, 2.0, 4.0, 4.0]), 4.0)
    assert top.above == 0.0 and extreme_words(top).startswith("none higher")
    assert extreme_words(exact_placement(np.array([1.0, 2.0, 3.0]), 2.0)) == ""
    sampled = sampled_placement(np.array([1.0, 1.0, 2.0, 3.0]), 1.0, np.arange(4))
    assert sampled.below == 0.0 and sampled.above == pytest.approx(0.5)
