import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from dekomopt.metrics import gini, theil_decomposition, theil_t


def test_gini_hand_computed():
    # Ordered-pair absolute differences of [1, 2, 3, 4] sum to 20; 20 / (2 * 16 * 2.5).
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    # 3 teachers at 1 and 1 at 3: 2*3*1*2 / (2 * 16 * 1.5).
    assert gini([1, 3], [3, 1]) == pytest.approx(0.25)
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert gini([5, 5, 5]) == pytest.approx(0.0, abs=1e-15)


def test_theil_hand_computed():
    assert theil_t([1, 3]) == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    # A zero income contributes 0 * log 0 = 0; the maximum for two people is log 2.
    assert theil_t([0, 2]) == pytest.approx(math.log(2))
    assert theil_t([1, 3], [3, 1]) == pytest.approx(0.5 * math.log(2 / 3) + 0.5 * math.log(2))


def test_decomposition_extremes():
    split = theil_decomposition([1, 1, 3, 3], None, ["a", "a", "b", "b"])
    assert split.within == pytest.approx(0.0, abs=1e-15)
    assert split.between == pytest.approx(theil_t([1, 3]))
    assert split.between_share == pytest.approx(1.0)
    split = theil_decomposition([1, 3, 1, 3], None, ["a", "a", "b", "b"])
    assert split.between == pytest.approx(0.0, abs=1e-15)
    assert split.within == pytest.approx(theil_t([1, 3]))


def test_decomposition_with_an_all_zero_group():
    # Group "z" holds no income: between = 1 * log(mu_a / mu) = log 2, within = 0.
    split = theil_decomposition([2, 2, 0, 0], None, ["a", "a", "z", "z"])
    assert split.between == pytest.approx(math.log(2))
    assert split.within == pytest.approx(0.0, abs=1e-15)
    assert split.total == pytest.approx(math.log(2))


def test_equal_incomes_have_undefined_between_share():
    split = theil_decomposition([4.0, 4.0, 4.0], [1, 2, 3], [0, 1, 1])
    assert split.total == 0.0
    assert math.isnan(split.between_share)


def test_zero_weight_observations_are_ignored():
    assert gini([1, np.nan, 3], [3, 0, 1]) == pytest.approx(0.25)
    assert theil_t([1, np.nan, 3], [3, 0, 1]) == pytest.approx(theil_t([1, 3], [3, 1]))
    split = theil_decomposition([1, np.nan, 3], [1, 0, 1], ["a", "b", "c"])
    assert split.between == pytest.approx(theil_t([1, 3]))


@pytest.mark.parametrize("seed", range(5))
def test_equal_weights_match_pysal(seed):
    rng = np.random.default_rng(seed)
    x = rng.lognormal(10, 0.5, size=30)
    x[:2] = 0.0
    groups = rng.integers(0, 4, size=30)
    assert gini(x) == pytest.approx(Gini(x).g, rel=1e-12)
    assert gini(x, np.full(30, 7.3)) == pytest.approx(Gini(x).g, rel=1e-12)
    assert theil_t(x) == pytest.approx(Theil(x).T, rel=1e-12)
    pysal = TheilD(x, groups)
    split = theil_decomposition(x, np.ones(30), groups)
    assert split.between == pytest.approx(float(pysal.bg[0]), rel=1e-10)
    assert split.within == pytest.approx(float(pysal.wg[0]), rel=1e-10)


observations = st.lists(
    st.tuples(
        st.floats(0, 1e4, allow_subnormal=False),
        st.integers(0, 5),
        st.sampled_from("abc"),
    ),
    min_size=1,
    max_size=15,
).filter(lambda obs: sum(x * w for x, w, _ in obs) > 1e-3)


@settings(max_examples=150, deadline=None)
@given(observations)
def test_integer_weights_equal_replicated_observations(obs):
    x, w, g = (np.array(col) for col in zip(*obs, strict=True))
    rx, rg = np.repeat(x, w), np.repeat(g, w)
    assert gini(x, w) == pytest.approx(gini(rx), abs=1e-12)
    assert theil_t(x, w) == pytest.approx(theil_t(rx), abs=1e-12)
    weighted, replicated = theil_decomposition(x, w, g), theil_decomposition(rx, None, rg)
    assert weighted.between == pytest.approx(replicated.between, abs=1e-12)
    assert weighted.within == pytest.approx(replicated.within, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1e6, allow_subnormal=False),
            st.floats(0.01, 3000),
            st.integers(0, 4),
        ),
        min_size=1,
        max_size=30,
    ).filter(lambda obs: sum(x for x, _, _ in obs) > 1e-3)
)
def test_decomposition_is_exact_and_indices_are_bounded(obs):
    x, w, g = (np.array(col) for col in zip(*obs, strict=True))
    split = theil_decomposition(x, w, g)
    assert abs(split.between + split.within - split.total) <= 1e-12
    assert split.total == pytest.approx(theil_t(x, w), abs=1e-12)
    assert split.between >= -1e-12 and split.within >= -1e-12
    # The maximum puts all income on the lightest observation: T = log(W / w_min).
    assert split.total <= math.log(w.sum() / w.min()) + 1e-9
    assert -1e-12 <= gini(x, w) <= 1.0
    assert gini(3.7 * x, w) == pytest.approx(gini(x, w), abs=1e-12)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: gini([1, 2], [0, 0]), "w"),
        (lambda: gini([1, 2], [1, -1]), "w"),
        (lambda: gini([1, np.nan], [1, 1]), "x"),
        (lambda: gini([1, 2], [1, 1, 1]), "w"),
        (lambda: theil_decomposition([1, 2], None, ["a"]), "groups"),
    ],
)
def test_invalid_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_undefined_values_are_nan_by_one_rule():
    """A negative amount makes Theil's T and its parts undefined; so does a mean that is not
    positive (Gini too). Zero amounts are ordinary: 0·ln 0 = 0."""
    assert math.isnan(theil_t([-1, 2]))
    split = theil_decomposition([-1.0, 2.0, 3.0], None, ["a", "a", "b"])
    assert all(math.isnan(v) for v in split)
    assert math.isnan(theil_t([0, 0])) and math.isnan(gini([0, 0]))
    assert gini([-1, 3]) == pytest.approx(gini([-1.0, 3.0], [1, 1]))
    assert theil_t([0, 2]) == pytest.approx(math.log(2))


def test_noise_is_zero_and_never_negative():
    # Equal amounts per FTE that floating point does not represent exactly.
    fte = np.array([123.4, 56.7, 8.9, 1234.5, 0.3])
    x = (0.1 * 3 * fte) / fte * 1e6
    for value in (gini(x, fte), theil_t(x, fte), *theil_decomposition(x, fte, [0, 0, 1, 1, 2])[:3]):
        assert value == 0.0 and math.copysign(1.0, value) == 1.0
    assert math.isnan(theil_decomposition(x, fte, [0, 0, 1, 1, 2]).between_share)
