"""The integer programme's optimum against every enumerated structure of small graphs."""

from __future__ import annotations

import numpy as np
import pytest

from dekomopt.errors import DataError
from dekomopt.structures.best import best_structure, region_fte_spread
from dekomopt.structures.space import build_space

from .conftest import grid


def _travel(labels: np.ndarray, w: np.ndarray, km: np.ndarray) -> float:
    total = 0.0
    for r in range(int(labels.max()) + 1):
        members = labels == r
        total += float((w[members] @ km[members]).min())
    return total / w.sum()


@pytest.fixture
def small():
    graph = grid(3, 3)
    rng = np.random.default_rng(7)
    w = rng.uniform(1, 10, 9)
    km = rng.uniform(5, 80, (9, 3))
    return graph, w, km


@pytest.mark.parametrize("k", [2, 3, 4])
def test_travel_optimum_is_the_best_enumerated(small, k):
    graph, w, km = small
    every = build_space(graph, k, nodes=list(range(9))).enumerate()
    truth = min(_travel(row, w, km) for row in every)
    found = best_structure(graph, k, w, km, nodes=list(range(9)))
    assert found.proven
    assert found.value == pytest.approx(truth, rel=1e-7)
    assert _travel(found.labels, w, km) == pytest.approx(truth, rel=1e-7)
    assert any(np.array_equal(found.labels, row) for row in every)


def test_spread_optimum_and_rules(small):
    graph, w, km = small
    every = build_space(graph, 3, {i: w[i] for i in range(9)}, min_weight=12.0).enumerate()
    truth = min(region_fte_spread(row, w) for row in every)
    found = best_structure(graph, 3, w, km, objective="spread", nodes=list(range(9)), min_fte=12.0)
    assert found.proven
    assert found.value == pytest.approx(truth, rel=1e-7, abs=1e-7)
    assert np.bincount(found.labels, weights=w).min() >= 12.0 - 1e-9


def test_together_and_region_range(small):
    graph, w, km = small
    found = best_structure(graph, (2, 4), w, km, nodes=list(range(9)), together=[(0, 8)])
    assert found.labels[0] == found.labels[8]
    assert 2 <= found.labels.max() + 1 <= 4
    every = [
        row
        for k in (2, 3, 4)
        for row in build_space(graph, k, nodes=list(range(9)), together=[(0, 8)]).enumerate()
    ]
    assert found.value == pytest.approx(min(_travel(r, w, km) for r in every), rel=1e-7)


def test_impossible_rules_are_a_data_error(small):
    graph, w, km = small
    with pytest.raises(DataError, match="infeasible"):
        best_structure(graph, 3, w, km, nodes=list(range(9)), min_fte=w.sum())
