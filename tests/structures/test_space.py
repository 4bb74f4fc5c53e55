"""The decision-diagram structure space against brute force, the enumerator and its own laws."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from scipy.stats import chisquare

from dekomopt.structures.diagnostics import canonical_labels
from dekomopt.structures.partitions import count_partitions, enumerate_partitions
from dekomopt.structures.space import build_space, sample_spaces

from .conftest import SMALL_GRAPHS, brute_force, grid


def _as_sets(labels: np.ndarray, nodes) -> set[frozenset]:
    return {
        frozenset(
            frozenset(n for n, lab in zip(nodes, row, strict=True) if lab == p) for p in set(row)
        )
        for row in labels
    }


@pytest.mark.parametrize("name", sorted(SMALL_GRAPHS))
def test_counts_and_members_agree_with_brute_force(name):
    graph = SMALL_GRAPHS[name]
    nodes = list(graph.nodes)
    for k in range(1, len(nodes) + 1):
        space = build_space(graph, k, nodes=nodes)
        expected = brute_force(graph, k)
        assert space.diagram_count == len(expected)
        labels = space.enumerate()
        assert len(labels) == len(expected)
        assert _as_sets(labels, nodes) == {frozenset(p) for p in expected}
        # labels are canonical: parts numbered by their lowest-index node
        assert np.array_equal(labels, canonical_labels(labels)) if len(labels) else True


def test_isolated_nodes_are_parts_of_their_own():
    graph = nx.path_graph(4)
    graph.add_nodes_from([10, 11])
    nodes = list(graph.nodes)
    for k in range(1, 7):
        space = build_space(graph, k, nodes=nodes)
        assert space.diagram_count == len(brute_force(graph, k))
        assert _as_sets(space.enumerate(), nodes) == {frozenset(p) for p in brute_force(graph, k)}


@pytest.mark.parametrize(
    "rules",
    [
        {"balance": 0.3},
        {"balance": 0.0},
        {"min_weight": 4.0},
        {"balance": 0.6, "min_weight": 3.5, "together": [(0, 8)]},
        {"together": [(0, 5), (2, 7)]},
        {"part_ok": lambda part: len(part) != 2},
    ],
)
def test_rules_agree_with_the_enumerator(rules):
    graph = grid(3, 4)
    weights = {v: 0.5 + (v * 7 % 5) * 0.75 for v in graph}
    for k in (2, 3, 4):
        space = build_space(graph, k, weights, **rules)
        expected = list(enumerate_partitions(graph, k, weights, **rules))
        found = space.enumerate()
        assert space.count().plausible == count_partitions(graph, k, weights, **rules).feasible
        assert {r.tobytes() for r in found} == {r.astype(np.int16).tobytes() for r in expected}


def test_whole_number_weights_are_bounded_exactly():
    graph = grid(3, 4)
    space = build_space(graph, 4, balance=0.0)
    assert space.exact and space.quantum is None
    assert space.diagram_count == count_partitions(graph, 4, balance=0.0).feasible
    # 5 nodes in 2 parts of exactly 2.5 nodes: no whole number fits
    assert build_space(nx.path_graph(5), 2, balance=0.0).count().plausible == 0


def test_rogaland_counts_agree_with_the_enumerator(rogaland):
    _, county = rogaland
    graph = county.adjacency_graph(("land", "sea"))
    counts = [build_space(graph, k).diagram_count for k in (2, 3, 4, 5)]
    assert counts == [count_partitions(graph, k).total for k in (2, 3, 4, 5)]
    assert counts == [70, 1341, 13406, 85290]


def test_unrank_is_a_bijection_onto_the_diagram():
    space = build_space(grid(3, 3), 3)
    labels = space.unrank(np.arange(space.diagram_count))
    assert len({r.tobytes() for r in labels}) == space.diagram_count
    with pytest.raises(ValueError, match="rank"):
        space.unrank(np.array([space.diagram_count]))


def test_large_counts_use_exact_integers():
    graph = nx.path_graph(70)
    space = build_space(graph, 35)
    assert space.diagram_count == math.comb(69, 34) > 2**62
    draw = space.sample(3, np.random.default_rng(1))
    assert draw.labels.shape == (3, 70)
    assert (draw.labels.max(axis=1) == 34).all()
    # on a path, a part is a run of consecutive nodes: labels never decrease
    assert (np.diff(draw.labels, axis=1) >= 0).all()
    last = space.unrank(np.array([space.diagram_count - 1], dtype=object))
    assert last.shape == (1, 70)


def _chi_square_p(space, n, seed) -> float:
    everything = {r.tobytes(): i for i, r in enumerate(space.enumerate())}
    draw = space.sample(n, np.random.default_rng(seed))
    assert len(draw.labels) == n
    hits = np.bincount([everything[r.tobytes()] for r in draw.labels], minlength=len(everything))
    return float(chisquare(hits).pvalue)


def test_uniform_sampler_passes_chi_square():
    space = build_space(grid(3, 3), 3)
    assert _chi_square_p(space, 30_000, seed=11) > 0.001


def test_rejection_keeps_the_sample_uniform():
    graph = grid(3, 3)
    weights = {v: 1.0 + 0.37 * v for v in graph}
    space = build_space(graph, 3, weights, balance=0.5)
    assert not space.exact
    assert _chi_square_p(space, 20_000, seed=12) > 0.001


def test_samples_depend_only_on_the_seed():
    space = build_space(grid(3, 4), 4)
    a = space.sample(500, np.random.default_rng(5)).labels
    b = space.sample(500, np.random.default_rng(5)).labels
    assert np.array_equal(a, b)
    assert not np.array_equal(a, space.sample(500, np.random.default_rng(6)).labels)


def test_union_of_spaces_is_uniform_over_all():
    graph = grid(2, 4)
    spaces = [build_space(graph, k) for k in (2, 3)]
    per, _ = sample_spaces(spaces, 20_000, np.random.default_rng(3))
    counts = [s.diagram_count for s in spaces]
    observed = [len(p) for p in per]
    expected = np.array(counts) / sum(counts) * 20_000
    assert float(chisquare(observed, expected).pvalue) > 0.001
    assert all(set(np.unique(p.max(axis=1))) == {k - 1} for p, k in zip(per, (2, 3), strict=True))


def test_estimated_count_covers_the_truth():
    graph = grid(4, 5)
    weights = {v: 1.0 + (v * 3 % 7) * 0.4 for v in graph}
    space = build_space(graph, 4, weights, balance=0.4)
    exact = space.count(limit=10**9)
    estimate = space.count(limit=10, rng=np.random.default_rng(2))
    assert exact.exact and not estimate.exact
    assert estimate.interval[0] <= exact.plausible <= estimate.interval[1]
    assert estimate.diagram == exact.diagram


def test_pairs_of_rules_combine():
    graph = grid(3, 3)
    for a, b in itertools.combinations([(0, 2), (6, 8), (0, 8)], 2):
        space = build_space(graph, 3, together=[a, b])
        assert space.count().plausible == count_partitions(graph, 3, together=[a, b]).feasible


def test_contains_recognises_members_whatever_their_labels():
    graph = grid(3, 3)
    weights = {v: 1.0 + 0.37 * v for v in graph}
    space = build_space(graph, 3, weights, balance=0.5)
    members = {r.tobytes() for r in space.enumerate()}
    for row in space.unrank(np.arange(space.diagram_count)):
        assert space.contains(row) == (row.tobytes() in members)
        assert space.contains((2 - row) % 3) == (row.tobytes() in members)
    assert not space.contains(np.array([0, 1, 0, 1, 0, 1, 2, 2, 2]))  # parts not connected
    assert not space.contains(np.zeros(9, dtype=np.int16))  # one region, not three


@pytest.fixture(scope="module")
def vestland_edges(tmp_path_factory):
    """Vestland 2026's land + sea graph as the `partitions` command reads it (a,b)."""
    from dekomopt.county import build_county
    from dekomopt.scenario import load_scenario

    from .conftest import SCENARIOS

    county = build_county(load_scenario(SCENARIOS / "vestland-2026.toml"))
    graph = county.adjacency_graph(("land", "sea"))
    path = tmp_path_factory.mktemp("vestland") / "edges.csv"
    path.write_text("a,b\n" + "".join(f"{a},{b}\n" for a, b in graph.edges), encoding="utf-8")
    return path


def test_vestland_counts_from_the_command_line(vestland_edges, capsys):
    from dekomopt.cli import main

    args = ["partitions", "--edges", str(vestland_edges), "--parts", "13", "--count"]
    assert main(args) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == "connected partitions into 13 parts: 77\u00a0624\u00a0129\u00a0467\u00a0390"
    assert main([*args, "--balance", "0.21"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("meeting balance 0.21: 22\u00a0709")
