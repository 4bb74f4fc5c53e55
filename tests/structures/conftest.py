"""Small hand-made graphs and a brute-force partition enumerator to check against."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest


def _set_partitions(items: list, k: int):
    """All partitions of ``items`` into exactly k non-empty blocks."""
    if k == 0:
        if not items:
            yield []
        return
    if len(items) < k:
        return
    first, rest = items[0], items[1:]
    for smaller in _set_partitions(rest, k - 1):
        yield [[first], *smaller]
    for smaller in _set_partitions(rest, k):
        for i in range(len(smaller)):
            yield [*smaller[:i], [first, *smaller[i]], *smaller[i + 1 :]]


def brute_force(graph: nx.Graph, k: int) -> list[list[frozenset]]:
    """Every partition of the nodes into k blocks that each induce a connected subgraph."""
    return [
        [frozenset(b) for b in blocks]
        for blocks in _set_partitions(list(graph.nodes), k)
        if all(nx.is_connected(graph.subgraph(b)) for b in blocks)
    ]


@pytest.fixture
def brute():
    return brute_force


def grid(rows: int, cols: int) -> nx.Graph:
    """A grid with integer nodes numbered row by row."""
    g = nx.grid_2d_graph(rows, cols)
    return nx.relabel_nodes(g, {(r, c): r * cols + c for r, c in g.nodes})


@pytest.fixture
def grid3():
    return grid(3, 3)


SMALL_GRAPHS = {
    "path6": nx.path_graph(6),
    "cycle7": nx.cycle_graph(7),
    "grid3x3": grid(3, 3),
    "grid2x4": grid(2, 4),
    "star6": nx.star_graph(5),
    "complete5": nx.complete_graph(5),
}


SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="session")
def rogaland():
    """Rogaland 2025: the scenario and its county model."""
    from dekomopt.county import build_county
    from dekomopt.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / "rogaland-2025.toml")
    return scenario, build_county(scenario)


@pytest.fixture
def scenario_with_structures(tmp_path):
    """Write Rogaland 2025 with a ``[structures]`` table (given as TOML lines) to tmp_path."""

    def write(*lines: str) -> Path:
        text = (SCENARIOS / "rogaland-2025.toml").read_text(encoding="utf-8")
        text = text.split("\n[structures]\n")[0]
        path = tmp_path / "rogaland-structures.toml"
        path.write_text(text + "\n[structures]\n" + "\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
