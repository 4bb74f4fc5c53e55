from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from dekomopt.errors import DataError, InfeasibleError
from dekomopt.structures import (
    canonical_labels,
    enumerate_partitions,
    log_tree_weights,
    recom_chain,
    run_chains,
)

from .conftest import grid


def _parts(labels: np.ndarray, k: int) -> list[list[int]]:
    return [np.flatnonzero(labels == p).tolist() for p in range(k)]


def _index_of_states(states: list[np.ndarray]) -> dict[bytes, int]:
    return {s.astype(np.int8).tobytes(): i for i, s in enumerate(states)}


def _frequencies(chains, index: dict[bytes, int]) -> np.ndarray:
    rows = canonical_labels(np.concatenate([c.assignments for c in chains]))
    counts = np.zeros(len(index))
    for row in rows:
        counts[index[row.astype(np.int8).tobytes()]] += 1
    return counts / counts.sum()


def _spanning_trees(graph: nx.Graph) -> list[list[tuple]]:
    nodes = list(graph.nodes)
    edges = list(graph.edges)
    trees = []
    for chosen in itertools.combinations(edges, len(nodes) - 1):
        tree = nx.Graph(chosen)
        tree.add_nodes_from(nodes)
        if nx.is_tree(tree):
            trees.append(chosen)
    return trees


def _tree_count(graph: nx.Graph) -> float:
    if graph.number_of_nodes() == 1:
        return 1.0
    laplacian = nx.laplacian_matrix(graph).toarray().astype(float)
    return float(round(np.linalg.det(laplacian[1:, 1:])))


def _plain_recom_stationary(graph, k, states, index, attempts):
    """Exact stationary law of plain ReCom (unit weights, exact balance) from its kernel."""
    size = graph.number_of_nodes() // k
    edges = list(graph.edges)
    kernel = np.zeros((len(states), len(states)))
    for s, labels in enumerate(states):
        cut = [(a, b) for a, b in edges if labels[a] != labels[b]]
        for a, b in cut:
            i, j = labels[a], labels[b]
            members = [u for u in graph.nodes if labels[u] in (i, j)]
            merged = graph.subgraph(members)
            trees = _spanning_trees(merged)
            split_prob: dict[frozenset, float] = {}
            failures = 0
            for chosen in trees:
                tree = nx.Graph(chosen)
                good = []
                for edge in chosen:
                    tree.remove_edge(*edge)
                    side = frozenset(nx.node_connected_component(tree, edge[0]))
                    tree.add_edge(*edge)
                    if len(side) == size:
                        good.append(side)
                if not good:
                    failures += 1
                for side in good:
                    split_prob[side] = split_prob.get(side, 0) + 1 / (len(trees) * len(good))
            p_fail = failures / len(trees)
            scale = (1 - p_fail**attempts) / (1 - p_fail)
            kernel[s, s] += p_fail**attempts / len(cut)
            for side, p in split_prob.items():
                new = labels.copy()
                new[[u for u in members if u not in side]] = j
                new[list(side)] = i
                key = canonical_labels(new[None, :])[0].astype(np.int8).tobytes()
                kernel[s, index[key]] += scale * p / len(cut)
    values, vectors = np.linalg.eig(kernel.T)
    stationary = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    assert np.allclose(kernel.sum(axis=1), 1)
    return stationary / stationary.sum()


def _grid_states(rows: int, cols: int):
    graph = grid(rows, cols)
    states = list(enumerate_partitions(graph, 3, balance=0.0))
    return graph, states, _index_of_states(states)


def test_plain_recom_matches_its_exact_stationary_law():
    graph, states, index = _grid_states(3, 4)
    target = _plain_recom_stationary(graph, 3, states, index, attempts=100)
    chains = run_chains(graph, 3, None, 0.0, seed=7, steps=15000, chains=4)
    freq = _frequencies(chains, index)
    assert (freq > 0).all()
    assert 0.5 * np.abs(freq - target).sum() < 0.03
    # the law is not uniform, so the test can tell them apart
    assert 0.5 * np.abs(target - 1 / len(states)).sum() > 0.05


def test_reversible_recom_targets_spanning_tree_weights():
    graph, states, index = _grid_states(2, 6)
    weights = np.array(
        [np.prod([_tree_count(graph.subgraph(p)) for p in _parts(s, 3)]) for s in states]
    )
    target = weights / weights.sum()
    chains = run_chains(graph, 3, None, 0.0, seed=11, steps=15000, chains=4, variant="reversible")
    freq = _frequencies(chains, index)
    assert (freq > 0).all()
    assert 0.5 * np.abs(freq - target).sum() < 0.04
    assert 0.5 * np.abs(target - 1 / len(states)).sum() > 0.1


@pytest.mark.parametrize("variant", ["recom", "reversible"])
def test_every_state_is_connected_balanced_and_meets_rules(variant):
    graph = grid(4, 4)
    weights = {n: 1.0 + (n % 3) for n in graph.nodes}
    mean = sum(weights.values()) / 4
    chain = recom_chain(
        graph,
        4,
        weights,
        0.25,
        seed=3,
        steps=400,
        variant=variant,
        together=[(0, 5)],
        part_ok=lambda part: not {3, 12} <= part,
    )
    assert chain.assignments.shape == (400, 16) and chain.assignments.dtype == np.int8
    assert chain.accepted.any()
    assert len({row.tobytes() for row in chain.assignments}) > 10
    for labels in chain.assignments:
        assert labels[0] == labels[5]
        for part in _parts(labels, 4):
            assert nx.is_connected(graph.subgraph(part))
            assert abs(sum(weights[u] for u in part) - mean) <= 0.25 * mean + 1e-9
            assert not {3, 12} <= set(part)


def test_chain_is_a_pure_function_of_its_seed():
    graph = grid(4, 4)
    a = recom_chain(graph, 4, None, 0.0, seed=5, steps=200)
    b = recom_chain(graph, 4, None, 0.0, seed=5, steps=200)
    c = recom_chain(graph, 4, None, 0.0, seed=6, steps=200)
    assert np.array_equal(a.assignments, b.assignments)
    assert np.array_equal(a.accepted, b.accepted)
    assert not np.array_equal(a.assignments, c.assignments)


def test_given_initial_partition_is_checked_and_used():
    graph = nx.path_graph(4)
    chain = recom_chain(graph, 2, None, 0.0, seed=0, steps=5, initial={0: 0, 1: 0, 2: 1, 3: 1})
    # the only balanced split of a 4-path is {0,1} | {2,3}
    assert (canonical_labels(chain.assignments) == [0, 0, 1, 1]).all()
    with pytest.raises(DataError, match="balance"):
        recom_chain(graph, 2, None, 0.0, steps=1, initial={0: 0, 1: 1, 2: 1, 3: 1})
    with pytest.raises(DataError, match="not connected"):
        recom_chain(graph, 2, None, 1.0, steps=1, initial={0: 0, 1: 1, 2: 0, 3: 1})


def test_impossible_balance_raises_infeasible():
    with pytest.raises(InfeasibleError):
        recom_chain(nx.star_graph(4), 2, None, 0.1, seed=0, steps=1)
    with pytest.raises(DataError, match="variant"):
        recom_chain(nx.path_graph(4), 2, variant="uniform")


def test_log_tree_weights_count_spanning_trees():
    graph = grid(3, 4)
    states = list(enumerate_partitions(graph, 3))
    logs = log_tree_weights(graph, list(graph.nodes), np.array(states[:40]))
    for labels, value in zip(states[:40], logs, strict=True):
        brute = np.prod([len(_spanning_trees(graph.subgraph(p))) for p in _parts(labels, 3)])
        assert value == pytest.approx(np.log(brute), abs=1e-9)


def _reweighted(chains, graph, index, gamma):
    rows = canonical_labels(np.concatenate([c.assignments for c in chains]))
    log_w = -gamma * log_tree_weights(graph, list(graph.nodes), rows)
    w = np.exp(log_w - log_w.max())
    freq = np.zeros(len(index))
    for row, weight in zip(rows, w, strict=True):
        freq[index[row.astype(np.int8).tobytes()]] += weight
    return freq / freq.sum()


@pytest.mark.parametrize("gamma", [1.0, 0.5, 0.0])
def test_importance_weights_recover_the_uniform_law(gamma):
    # every connected 3-partition of a 3 × 3 grid (no balance), enumerated exactly
    graph = grid(3, 3)
    states = list(enumerate_partitions(graph, 3))
    index = _index_of_states(states)
    chains = run_chains(
        graph, 3, None, 3.0, seed=21, steps=12000, chains=4, variant="reversible", tree_power=gamma
    )
    uniform = np.full(len(states), 1 / len(states))
    plain = _frequencies(chains, index)
    weighted = _reweighted(chains, graph, index, gamma)
    assert 0.5 * np.abs(weighted - uniform).sum() < 0.05
    if gamma > 0:
        # without the weights the chain is visibly not uniform
        assert 0.5 * np.abs(plain - uniform).sum() > 0.1
