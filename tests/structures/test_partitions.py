from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dekomopt.errors import DataError
from dekomopt.structures import (
    closest_balance,
    count_partitions,
    enumerate_partitions,
)
from dekomopt.structures.space import explain_empty_space

from .conftest import SMALL_GRAPHS, brute_force, grid


def _as_sets(labels: np.ndarray, nodes: list) -> frozenset:
    parts: dict[int, set] = {}
    for node, p in zip(nodes, labels, strict=True):
        parts.setdefault(int(p), set()).add(node)
    return frozenset(frozenset(s) for s in parts.values())


def _balanced(blocks, weights, k, tol) -> bool:
    mean = sum(weights.values()) / k
    return all(abs(sum(weights[n] for n in b) - mean) <= tol * mean + 1e-9 for b in blocks)


@pytest.mark.parametrize("n", range(2, 9))
def test_path_and_cycle_closed_forms(n):
    for k in range(1, n + 1):
        assert count_partitions(nx.path_graph(n), k).total == math.comb(n - 1, k - 1)
    for k in range(2, n + 1):
        assert count_partitions(nx.cycle_graph(n), k).total == math.comb(n, k)


@pytest.mark.parametrize("name", sorted(SMALL_GRAPHS))
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_counts_and_partitions_match_brute_force(name, k):
    graph = SMALL_GRAPHS[name]
    weights = {n: 1 + (i % 3) for i, n in enumerate(graph.nodes)}
    expected = brute_force(graph, k)
    got = list(enumerate_partitions(graph, k))
    assert count_partitions(graph, k).total == len(expected)
    assert {_as_sets(a, list(graph.nodes)) for a in got} == {frozenset(p) for p in expected}
    assert len(got) == len(expected)
    for tol in (0.0, 0.3):
        balanced = [p for p in expected if _balanced(p, weights, k, tol)]
        result = count_partitions(graph, k, weights, tol)
        assert result == (len(expected), len(balanced))
        found = enumerate_partitions(graph, k, weights, tol)
        listed = {_as_sets(a, list(graph.nodes)) for a in found}
        assert listed == {frozenset(p) for p in balanced}


def test_fixed_together_min_weight_and_predicate_match_brute_force():
    graph = grid(3, 3)
    weights = {n: float(n + 1) for n in graph.nodes}
    groups = [(0, 8)]
    expected = [
        p
        for p in brute_force(graph, 3)
        if any({0, 8} <= b for b in p)
        and all(sum(weights[n] for n in b) >= 8 for b in p)
        and all(4 not in b or len(b) <= 4 for b in p)
    ]
    kwargs = {
        "together": groups,
        "min_weight": 8,
        "part_ok": lambda part: 4 not in part or len(part) <= 4,
    }
    assert count_partitions(graph, 3, weights, **kwargs).feasible == len(expected) > 0
    found = enumerate_partitions(graph, 3, weights, **kwargs)
    listed = {_as_sets(a, list(graph.nodes)) for a in found}
    assert listed == {frozenset(p) for p in expected}


def test_labels_are_canonical_and_order_deterministic():
    graph = grid(2, 4)
    first = list(enumerate_partitions(graph, 3))
    second = list(enumerate_partitions(graph, 3))
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    for labels in first:
        seen = list(dict.fromkeys(labels.tolist()))
        assert seen == list(range(3))
    assert len({a.tobytes() for a in first}) == len(first)


@st.composite
def connected_graphs(draw):
    n = draw(st.integers(2, 9))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for v in range(1, n):
        graph.add_edge(v, draw(st.integers(0, v - 1)))
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=8))
    graph.add_edges_from((a, b) for a, b in extra if a != b)
    return graph


@settings(max_examples=25, deadline=None)
@given(graph=connected_graphs(), k=st.integers(1, 4), data=st.data())
def test_random_graphs_match_brute_force(graph, k, data):
    k = min(k, graph.number_of_nodes())
    weights = {n: data.draw(st.integers(1, 5)) for n in graph.nodes}
    pair = (
        data.draw(st.sampled_from(sorted(graph.nodes)), "a"),
        data.draw(st.sampled_from(sorted(graph.nodes)), "b"),
    )
    expected = brute_force(graph, k)
    balanced = [p for p in expected if _balanced(p, weights, k, 0.4)]
    together = [p for p in balanced if any(set(pair) <= b for b in p)]
    assert count_partitions(graph, k, weights, 0.4) == (len(expected), len(balanced))
    assert count_partitions(graph, k, weights, 0.4, together=[pair]).feasible == len(together)
    best = min(
        (
            max(abs(sum(weights[n] for n in b) * k / sum(weights.values()) - 1) for b in p)
            for p in expected
        ),
        default=math.inf,
    )
    assert closest_balance(graph, k, weights) == pytest.approx(best)


def test_closest_balance_and_explanation():
    graph = nx.path_graph(4)
    weights = {0: 1, 1: 1, 2: 1, 3: 5}
    # best 2-split: {0,1,2} | {3} -> weights 3 and 5, mean 4, deviation 0.25
    assert closest_balance(graph, 2, weights) == pytest.approx(0.25)
    message = explain_empty_space(graph, 2, weights, balance=0.1)
    assert "within 10%" in message and "closest is 25%" in message
    assert "meet every rule" in explain_empty_space(graph, 2, weights, balance=0.3)
    # 0 and 3 share a part only if that part is the whole path
    assert "fixed-together" in explain_empty_space(graph, 2, together=[(0, 3)])
    assert "part test" in explain_empty_space(graph, 2, part_ok=lambda part: len(part) == 1)


def test_explain_names_combination_when_each_rule_alone_is_satisfiable():
    graph = nx.path_graph(4)
    message = explain_empty_space(graph, 2, balance=0.0, together=[(1, 2)])
    assert count_partitions(graph, 2, balance=0.0).feasible == 1
    assert count_partitions(graph, 2, together=[(1, 2)]).feasible == 2
    assert "no structure meets them all together" in message


def test_disconnected_graph_has_no_partition_with_fewer_parts_than_components():
    graph = nx.Graph([(0, 1), (2, 3)])
    assert count_partitions(graph, 1).total == 0
    assert count_partitions(graph, 2).total == 1
    assert closest_balance(graph, 1) == math.inf


def test_bad_arguments_raise_data_error():
    graph = nx.path_graph(3)
    with pytest.raises(DataError, match="k"):
        count_partitions(graph, 4)
    with pytest.raises(DataError, match="no weight"):
        count_partitions(graph, 2, {0: 1, 1: 1})
    with pytest.raises(DataError, match="non-negative"):
        count_partitions(graph, 2, {0: 1, 1: -1, 2: 1})
    with pytest.raises(DataError, match="not in the graph"):
        count_partitions(graph, 2, together=[(0, 9)])
