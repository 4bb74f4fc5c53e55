import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dekomopt.metrics import RESOLUTION_FTE, banzhaf, banzhaf_fte, region_power
from dekomopt.metrics.power import (
    MAX_ENUMERATED,
    _enumerated,
    _swings,
    _swings_by_halves,
    _swings_by_weight,
    fte_weights,
    power_rows,
)


def brute_force_swings(weights, quota):
    """Swing counts by enumerating every coalition."""
    n = len(weights)
    swings = [0] * n
    for members in itertools.product((0, 1), repeat=n):
        total = sum(w for w, m in zip(weights, members, strict=True) if m)
        if total < quota:
            for i in range(n):
                if not members[i] and total + weights[i] >= quota:
                    swings[i] += 1
    return swings


def exact_normalised(swings):
    total = sum(swings)
    return [Fraction(s, total) for s in swings]


def python_int_swings(weights, quota):
    """Swing counts with Python integers: coalitions of the others counted by weight."""
    swings = []
    for i in range(len(weights)):
        counts = {0: 1}
        for j, w in enumerate(weights):
            if j != i:
                nxt = dict(counts)
                for weight, c in counts.items():
                    nxt[weight + w] = nxt.get(weight + w, 0) + c
                counts = nxt
        swings.append(sum(c for s, c in counts.items() if quota - weights[i] <= s < quota))
    return swings


def test_eec_council_1958():
    np.testing.assert_allclose(
        banzhaf([4, 4, 4, 2, 2, 1], quota=12), np.array([5, 5, 5, 3, 3, 0]) / 21, rtol=1e-15
    )


def test_three_party_parliament_default_majority():
    # Total 100, simple majority 51: any two parties win.
    np.testing.assert_allclose(banzhaf([49, 49, 2]), [1 / 3, 1 / 3, 1 / 3], rtol=1e-15)


def test_dictator_and_dummies():
    np.testing.assert_array_equal(banzhaf([60, 20, 20]), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(banzhaf([7, 0, 3], quota=10), [0.5, 0.0, 0.5])


def test_default_quota_is_simple_majority():
    # Total 4 -> quota 3, so {2, 1} wins and {1, 1} does not: swings (3, 1, 1).
    np.testing.assert_allclose(banzhaf([2, 1, 1]), [3 / 5, 1 / 5, 1 / 5], rtol=1e-15)
    # Total 7 -> quota 4: any two win. A quota of 5 would leave {2, 2} losing: (3, 1, 1) / 5.
    np.testing.assert_allclose(banzhaf([3, 2, 2]), np.full(3, 1 / 3), rtol=1e-15)
    np.testing.assert_allclose(banzhaf([3, 2, 2], quota=5), [3 / 5, 1 / 5, 1 / 5], rtol=1e-15)


def test_fractional_quota_means_at_least_the_quota():
    np.testing.assert_array_equal(banzhaf([2, 1, 1], quota=2.5), banzhaf([2, 1, 1], quota=3))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 20), min_size=1, max_size=10)
    .filter(lambda w: sum(w) > 0)
    .flatmap(lambda w: st.tuples(st.just(w), st.integers(1, sum(w))))
)
def test_matches_brute_force_enumeration(game):
    weights, quota = game
    expected = [float(f) for f in exact_normalised(brute_force_swings(weights, quota))]
    np.testing.assert_allclose(banzhaf(weights, quota), expected, rtol=1e-13, atol=1e-15)


def test_forty_five_players_against_python_integers():
    # 2^44 coalitions of the others: beyond int32, exact in float64.
    weights = [1 + (7 * i) % 11 for i in range(45)]
    quota = sum(weights) // 2 + 1
    expected = [float(f) for f in exact_normalised(python_int_swings(weights, quota))]
    np.testing.assert_allclose(banzhaf(weights), expected, rtol=1e-14)


def test_symmetric_game_of_many_players_is_uniform():
    np.testing.assert_allclose(banzhaf(np.ones(60, dtype=int)), np.full(60, 1 / 60), rtol=1e-13)


def test_banzhaf_fte_rounds_to_the_stated_resolution():
    assert RESOLUTION_FTE == 0.1
    # 10.04 -> 100, 9.96 -> 100, 0.04 -> 0 tenths: two equal players and a dummy.
    np.testing.assert_allclose(banzhaf_fte([10.04, 9.96, 0.04]), [0.5, 0.5, 0.0], rtol=1e-15)
    np.testing.assert_allclose(banzhaf_fte([1234.5, 876.3, 40.2]), banzhaf([12345, 8763, 402]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 4000), min_size=1, max_size=MAX_ENUMERATED + 4).filter(
        lambda w: sum(w) > 0
    )
)
def test_enumeration_and_dynamic_programme_agree(tenths):
    """Regions up to MAX_ENUMERATED owners are enumerated, larger ones use the DP: both give
    the same exact values (checked here on the same games both ways)."""
    fte = np.array(tenths, dtype=float) / 10
    weights = fte_weights(fte[None])
    np.testing.assert_allclose(_enumerated(weights)[0], banzhaf(weights[0]), rtol=1e-12)
    np.testing.assert_allclose(
        power_rows(fte[None], np.zeros(len(fte), dtype=int), 1)[0], banzhaf_fte(fte), rtol=1e-12
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 5000), min_size=1, max_size=16)
    .filter(lambda w: sum(w) > 0)
    .flatmap(lambda w: st.tuples(st.just(w), st.integers(1, sum(w))))
)
def test_every_counting_method_gives_the_same_swings(game):
    """By weight, by halves, and the dictator's shortcut: the same integer swing counts."""
    weights, quota = game
    w = np.array(weights, dtype=np.int64)
    by_weight = _swings_by_weight(w, quota)
    np.testing.assert_array_equal(_swings_by_halves(w, quota), by_weight)
    np.testing.assert_array_equal(_swings(w, quota), by_weight)
    if len(weights) <= 10:
        assert by_weight.tolist() == brute_force_swings(weights, quota)


def test_power_of_a_structure_per_draw_equals_each_structure_alone():
    rng = np.random.default_rng(7)
    n_owners, n_regions = 30, 4
    fte = rng.gamma(2.0, 80.0, size=(60, n_owners)).round(1)
    fte[:, 3] = 0.0  # an owner without votes
    region = rng.integers(0, n_regions, size=(60, n_owners))
    region[:, :n_regions] = np.arange(n_regions)  # every region has an owner
    region[0, :] = np.r_[np.arange(n_regions), np.zeros(n_owners - n_regions, int)]  # 27 in one
    together = power_rows(fte, region, n_regions)
    for d in range(len(fte)):
        alone = power_rows(fte[d][None], region[d], n_regions)[0]
        np.testing.assert_array_equal(together[d], alone)


def test_power_rows_by_hand():
    # 3-2-2 of 7: any two win, so each is pivotal in two coalitions; 4-2-1: 4 alone wins.
    w = np.array([[3.0, 2.0, 2.0, 0.0], [4.0, 2.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    power = power_rows(w, np.zeros(4, dtype=int), 1)
    assert np.allclose(power[0], [1 / 3, 1 / 3, 1 / 3, 0.0])
    assert (power[1] == [1.0, 0.0, 0.0, 0.0]).all()
    assert np.isnan(power[2]).all()


def test_region_power(county):
    fte, region = county
    power = region_power(fte, region)
    for label in np.unique(region):
        members = region == label
        assert power[members].sum() == pytest.approx(1.0, rel=1e-14)
        np.testing.assert_allclose(power[members], banzhaf_fte(fte[members]), rtol=1e-15)


def test_region_power_single_owner_and_empty_region():
    power = region_power([120.0, 40.0, 40.0, 0.0], ["a", "b", "b", "c"])
    assert power[0] == 1.0
    np.testing.assert_allclose(power[1:3], [0.5, 0.5])
    assert math.isnan(power[3])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: banzhaf([1.5, 2]), "weights"),
        (lambda: banzhaf([-1, 2]), "weights"),
        (lambda: banzhaf([0, 0]), "weights"),
        (lambda: banzhaf([1, 2], quota=0), "quota"),
        (lambda: banzhaf([1, 2], quota=4), "quota"),
        (lambda: banzhaf_fte([0.01]), "fte"),
        (lambda: region_power([1.0, 2.0], ["a"]), "region"),
    ],
)
def test_invalid_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 3000), min_size=13, max_size=13).filter(lambda w: sum(w) > 0),
        min_size=1,
        max_size=6,
    )
)
def test_games_counted_together_equal_each_game_alone(games):
    from dekomopt.metrics.power import _majority_power_by_halves

    w = np.array(games, dtype=float)
    together = _majority_power_by_halves(w)
    for row, game in zip(together, games, strict=True):
        np.testing.assert_array_equal(row, banzhaf(game))
