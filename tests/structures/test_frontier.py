import numpy as np
import pytest

from dekomopt.structures.command import first_best
from dekomopt.structures.frontier import Best, pareto_mask


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


def _scored(rows):
    """A pool's scores from (theil share, travel km, regions) per structure."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["theil_between_share", "travel_km", "n_regions"])
    frame.insert(0, "structure_id", np.arange(len(rows)))
    frame["status"] = "optimal"
    frame["need_match"] = np.nan
    frame["gini"] = 0.02
    frame["max_power"] = 1.0
    return frame


def test_the_frontier_is_over_today_too_and_its_counts_say_so():
    from dekomopt.structures.summary import frontier_size, frontier_table

    # row 2 is today's structure; row 1 is worse than today in the share, same elsewhere
    scored = _scored([(0.2, 33.0, 3), (0.83, 25.5, 3), (0.525, 25.5, 3), (0.9, 40.0, 3)])
    today = scored.iloc[2].to_dict()
    names = [f"s{i}" for i in range(4)]
    found_by = ["sampled", "sampled", "today", "sampled"]
    frontier, dominating = frontier_table(scored, today, 2, names, found_by)
    # today listed once (first row), on the frontier; the structure it dominates is not
    assert frontier["structure_id"].tolist() == [2, 0]
    assert frontier["on_frontier"].tolist() == [True, True]
    assert len(dominating) == 0
    assert frontier_size(frontier) == "2 structures, today's on it"
    # a structure that dominates today pushes it off, and the words follow
    scored.loc[1, "theil_between_share"] = 0.5
    frontier, dominating = frontier_table(scored, today, 2, names, found_by)
    assert dominating.tolist() == [1]
    assert frontier["structure_id"].tolist() == [2, 0, 1]
    assert frontier["on_frontier"].tolist() == [False, True, True]
    assert frontier_size(frontier) == "2 structures, today's not on it"
    # today outside the plausible set: not among them, and said so
    frontier, _ = frontier_table(
        scored.iloc[[0, 1, 3]].reset_index(drop=True), today, None, names, found_by
    )
    assert frontier_size(frontier).endswith("today's structure is not plausible, so not on it")


def test_a_search_best_within_noise_of_the_sample_is_no_improvement():
    sampled = 0.015466387374704411
    noise = sampled - 1.006e-16
    best = Best("gini", noise, 284, "search", "144 sampled structures", reference_best=sampled)
    assert best.improvement == 0.0
    assert "found by search" not in best.claim()
    assert "none better" in best.claim()
    assert best.kind != "search"
    real = Best("gini", sampled * 0.9, 284, "search", "144 sampled", reference_best=sampled)
    assert real.improvement > 0 and "found by search" in real.claim()


def test_the_best_row_is_the_first_that_ties_the_smallest():
    sampled = 0.015466387374704411
    # reference rows first; a searched row lower by noise does not displace them
    values = np.array([0.02, sampled, np.nan, sampled - 1e-16, sampled * 0.999])
    assert first_best(values) == 4
    assert first_best(values[:4]) == 1


def test_a_best_says_when_today_is_as_good():
    enumerated = Best("travel_km", 25.4972098172, 1046, "enumerated", "1 939", today=25.4972098172)
    assert enumerated.today_ties and "optimal too" in enumerated.today_tie()
    sampled = Best("gini", 0.01, 3, "sampled", "150 sampled", today=0.01 + 1e-15)
    assert sampled.today_ties and "as good" in sampled.today_tie()
    assert Best("gini", 0.01, 3, "sampled", "150 sampled", today=0.02).today_tie() == ""
