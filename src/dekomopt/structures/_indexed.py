"""A graph indexed for fast set arithmetic: nodes as positions, neighbourhoods as bitmasks."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from dekomopt.errors import DataError

PartPredicate = Callable[[frozenset], bool]


@dataclass(frozen=True)
class IndexedGraph:
    """``nodes[i]`` is node i; ``nbr_masks[i]`` has bit j set iff i and j are adjacent."""

    nodes: tuple[Hashable, ...]
    position: dict[Hashable, int]
    nbr_masks: tuple[int, ...]
    nbr_lists: tuple[tuple[int, ...], ...]
    weights: np.ndarray
    _weight_tables: tuple[tuple[float, ...], ...]

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def total_weight(self) -> float:
        return float(self.weights.sum())

    def mask_weight(self, mask: int) -> float:
        """Sum of the weights of the nodes in ``mask`` (table look-up a byte at a time)."""
        total = 0.0
        for table in self._weight_tables:
            if not mask:
                break
            total += table[mask & 0xFF]
            mask >>= 8
        return total

    def members(self, mask: int) -> frozenset:
        return frozenset(self.nodes[i] for i in range(self.n) if mask >> i & 1)

    def mask_of(self, nodes: Iterable[Hashable]) -> int:
        mask = 0
        for node in nodes:
            if node not in self.position:
                raise DataError("graph", repr(node), "node is not in the graph")
            mask |= 1 << self.position[node]
        return mask

    def components(self, mask: int) -> list[int]:
        """Connected components of the subgraph induced by ``mask``, as masks."""
        comps = []
        nbr = self.nbr_masks
        while mask:
            comp = mask & -mask
            frontier = comp
            while frontier:
                bit = frontier & -frontier
                frontier ^= bit
                new = nbr[bit.bit_length() - 1] & mask & ~comp
                comp |= new
                frontier |= new
            comps.append(comp)
            mask &= ~comp
        return comps

    def is_connected(self, mask: int) -> bool:
        return mask != 0 and len(self.components(mask)) == 1


def index_graph(
    graph: nx.Graph,
    weights: Mapping[Hashable, float] | None = None,
    nodes: Sequence[Hashable] | None = None,
) -> IndexedGraph:
    """Index ``graph`` in the order ``nodes`` (default: ``list(graph.nodes)``).

    Missing weights default to 1 for every node; given weights must cover every node and be
    finite and non-negative.
    """
    order = tuple(graph.nodes) if nodes is None else tuple(nodes)
    if len(set(order)) != len(order) or set(order) != set(graph.nodes):
        raise DataError("graph", "nodes", "node order must list every graph node exactly once")
    if not order:
        raise DataError("graph", "nodes", "the graph has no nodes")
    position = {node: i for i, node in enumerate(order)}
    if weights is None:
        w = np.ones(len(order))
    else:
        missing = [node for node in order if node not in weights]
        if missing:
            raise DataError("weights", repr(missing[0]), "no weight for this node")
        w = np.array([float(weights[node]) for node in order])
        bad = ~np.isfinite(w) | (w < 0)
        if bad.any():
            node = order[int(np.flatnonzero(bad)[0])]
            raise DataError("weights", repr(node), "weight must be finite and non-negative")
    lists = []
    masks = []
    for node in order:
        nbrs = tuple(sorted(position[v] for v in graph.neighbors(node) if v != node))
        lists.append(nbrs)
        mask = 0
        for j in nbrs:
            mask |= 1 << j
        masks.append(mask)
    tables = []
    for start in range(0, len(order), 8):
        chunk = w[start : start + 8]
        table = [0.0] * 256
        for byte in range(256):
            table[byte] = float(sum(chunk[b] for b in range(len(chunk)) if byte >> b & 1))
        tables.append(tuple(table))
    return IndexedGraph(order, position, tuple(masks), tuple(lists), w, tuple(tables))


def group_masks(ig: IndexedGraph, together: Iterable[Iterable[Hashable]]) -> tuple[int, ...]:
    """Masks of the fixed-together groups that constrain anything (two or more nodes)."""
    masks = []
    for group in together:
        mask = ig.mask_of(group)
        if mask & (mask - 1):
            masks.append(mask)
    return tuple(masks)
