import numpy as np
import pytest

from dekomopt.structures.frontier import pareto_mask


def test_dominated_points_are_dropped():
    points = np.array([[1, 5], [2, 2], [5, 1], [3, 3], [2, 4]])
    assert pareto_mask(points).tolist() == [True, True, True, False, False]


def test_equal_points_both_stay():
    points = np.array([[1, 2], [1, 2], [2, 1], [2, 2]])
    assert pareto_mask(points).tolist() == [True, True, True, False]


def test_tie_in_one_objective_still_dominates():
    points = np.array([[1, 1, 3], [1, 1, 2]])
    assert pareto_mask(points).tolist() == [False, True]


def test_nan_rows_are_never_on_the_frontier():
    points = np.array([[np.nan, 0.0], [1.0, 1.0]])
    assert pareto_mask(points).tolist() == [False, True]


def test_single_objective_keeps_every_minimum():
    assert pareto_mask(np.array([[3.0], [1.0], [1.0]])).tolist() == [False, True, True]


def test_matches_brute_force_on_random_points():
    rng = np.random.default_rng(7)
    points = rng.integers(0, 4, size=(60, 3)).astype(float)
    brute = [not any(np.all(q <= p) and np.any(q < p) for q in points) for p in points]
    assert pareto_mask(points).tolist() == brute


def test_rejects_a_vector():
    with pytest.raises(ValueError, match="2-D"):
        pareto_mask(np.array([1.0, 2.0]))
