import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dekomopt.metrics import need_match, region_theme_choice

NEEDS = np.array(
    [
        [True, False, True],
        [False, True, False],
        [True, True, False],
        [False, True, True],
    ]
)
FTE = [10.0, 30.0, 5.0, 5.0]
# Labels given out of order: rows of a choice follow sorted labels (A, B).
REGION = ["B", "B", "A", "A"]


def test_choice_by_fte_weighted_vote_with_lowest_index_tie_break():
    # Region B votes (10, 30, 10); region A votes (5, 10, 5).
    chosen = region_theme_choice(NEEDS, FTE, REGION, k=2)
    np.testing.assert_array_equal(chosen, [[True, True, False], [True, True, False]])
    chosen = region_theme_choice(NEEDS, FTE, REGION, k=1)
    np.testing.assert_array_equal(chosen, [[False, True, False], [False, True, False]])


def test_choice_by_intensity():
    intensity = np.array([[4.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    # Votes: indicator (10, 30, 10) -> theme 1; intensity (40, 30, 10) -> theme 0.
    plain = region_theme_choice(intensity, [10, 30], ["r", "r"], k=1)
    weighted = region_theme_choice(intensity, [10, 30], ["r", "r"], k=1, intensity=True)
    assert plain.tolist() == [[False, True, False]]
    assert weighted.tolist() == [[True, False, False]]


def test_floating_point_near_ties_count_as_ties():
    # Theme 1 gets 0.1 + 0.2 (= 0.30000000000000004), theme 0 gets 0.3: a tie, so theme 0.
    needs = np.array([[False, True], [False, True], [True, False]])
    chosen = region_theme_choice(needs, [0.1, 0.2, 0.3], [0, 0, 0], k=1)
    assert chosen.tolist() == [[True, False]]


def test_need_match_counts_and_intensity():
    chosen = region_theme_choice(NEEDS, FTE, REGION, k=1)
    np.testing.assert_allclose(need_match(NEEDS, chosen, REGION), [0.0, 1.0, 0.5, 0.5])
    intensity = np.array([[1.0, 3.0, 0.0], [0.0, 0.0, 0.0]])
    chosen = np.array([[False, True, False]])
    out = need_match(intensity, chosen, ["r", "r"], intensity=True)
    assert out[0] == pytest.approx(0.75)
    assert np.isnan(out[1])
    assert need_match(intensity, chosen, ["r", "r"])[0] == pytest.approx(0.5)


def test_errors():
    with pytest.raises(ValueError, match="k"):
        region_theme_choice(NEEDS, FTE, REGION, k=4)
    with pytest.raises(ValueError, match="k"):
        region_theme_choice(NEEDS, FTE, REGION, k=0)
    with pytest.raises(ValueError, match="needs"):
        region_theme_choice(-NEEDS.astype(float), FTE, REGION, k=1)
    with pytest.raises(ValueError, match="fte"):
        region_theme_choice(NEEDS, FTE[:3], REGION, k=1)
    with pytest.raises(ValueError, match="chosen"):
        need_match(NEEDS, np.ones((1, 3), dtype=bool), REGION)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, 5), elements=st.sampled_from([0.0, 0.0, 1.0, 2.5])),
            arrays(np.float64, n, elements=st.floats(0, 3000)),
            arrays(np.int64, n, elements=st.integers(0, 2)),
            st.integers(1, 5),
        )
    )
)
def test_choice_and_match_invariants(case):
    needs, fte, region, k = case
    chosen = region_theme_choice(needs, fte, region, k)
    assert chosen.shape == (np.unique(region).size, 5)
    assert (chosen.sum(axis=1) == k).all()
    match = need_match(needs, chosen, region)
    has_needs = (needs > 0).any(axis=1)
    assert np.isnan(match[~has_needs]).all()
    assert ((match[has_needs] >= 0) & (match[has_needs] <= 1)).all()
    if k == 5:
        assert (match[has_needs] == 1.0).all()
