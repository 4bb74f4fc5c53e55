"""Exact enumeration of partitions of a graph into k connected parts, under part-level rules.

A partition is built canonically: its next part is the one holding the lowest-index node not
yet assigned, grown as a connected set. A branch is cut as soon as the nodes left over cannot
be split into the parts still to come (too many components, or weights that no number of
balanced parts can cover). Counts are memoised on (nodes left, parts left), which is exact
because every rule looks at one part at a time.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

import networkx as nx
import numpy as np

from dekomopt.errors import DataError
from dekomopt.structures._indexed import IndexedGraph, PartPredicate, group_masks, index_graph


class PartitionCount(NamedTuple):
    """``total``: connected k-partitions with no other rule; ``feasible``: those meeting all."""

    total: int
    feasible: int


class _Rules:
    """The part-level constraints, with early tests usable while a part is still growing."""

    def __init__(
        self,
        ig: IndexedGraph,
        k: int,
        balance: float | None,
        min_weight: float | None,
        groups: tuple[int, ...],
        part_ok: PartPredicate | None,
    ) -> None:
        self.ig = ig
        eps = 1e-9 * max(ig.total_weight, 1.0)
        mean = ig.total_weight / k
        lo = 0.0
        self.hi = math.inf
        if balance is not None:
            if balance < 0:
                raise DataError("balance", "tolerance", f"must be non-negative, got {balance}")
            lo = mean * (1 - balance)
            self.hi = mean * (1 + balance) + eps
        if min_weight is not None:
            lo = max(lo, min_weight)
        self.lo = lo - eps if lo > 0 else 0.0
        self.groups = groups
        self.part_ok = part_ok
        self._verdicts: dict[int, bool] = {}

    def growing_ok(self, part: int, weight: float, excluded: int) -> bool:
        """False once no superset of ``part`` avoiding ``excluded`` can be a valid part."""
        if weight > self.hi:
            return False
        return all(not (g & part and g & excluded) for g in self.groups)

    def fits(self, part: int, weight: float) -> bool:
        if not self.lo <= weight <= self.hi:
            return False
        if any(g & part and g & ~part for g in self.groups):
            return False
        if self.part_ok is None:
            return True
        verdict = self._verdicts.get(part)
        if verdict is None:
            verdict = bool(self.part_ok(self.ig.members(part)))
            self._verdicts[part] = verdict
        return verdict

    def remainder_ok(self, rest: int, parts: int) -> bool:
        """Necessary condition for ``rest`` to split into ``parts`` valid connected parts."""
        if rest.bit_count() < parts:
            return False
        comps = self.ig.components(rest)
        if len(comps) > parts:
            return False
        low = high = 0
        for comp in comps:
            if any(g & comp and g & ~comp & rest for g in self.groups):
                return False
            w = self.ig.mask_weight(comp)
            jmin = max(1, math.ceil(w / self.hi)) if self.hi < math.inf else 1
            jmax = comp.bit_count()
            if self.lo > 0:
                jmax = min(jmax, math.floor(w / self.lo))
            if jmin > jmax:
                return False
            low += jmin
            high += jmax
        return low <= parts <= high


class _Search:
    def __init__(self, ig: IndexedGraph, rules: _Rules) -> None:
        self.ig = ig
        self.rules = rules
        self._counts: dict[tuple[int, int], int] = {}

    def first_parts(self, rest: int, parts: int) -> list[int]:
        """Valid parts holding the lowest node of ``rest`` whose complement can still be split."""
        ig, rules = self.ig, self.rules
        nbr, w = ig.nbr_masks, ig.weights
        max_size = rest.bit_count() - (parts - 1)
        found: list[int] = []

        def grow(part: int, weight: float, size: int, cand: int, excluded: int) -> None:
            if not rules.growing_ok(part, weight, excluded):
                return
            if rules.fits(part, weight) and rules.remainder_ok(rest & ~part, parts - 1):
                found.append(part)
            if size == max_size:
                return
            for larger in _larger_sets(part, weight, size, cand, excluded, rest, nbr, w):
                grow(*larger)

        low = rest & -rest
        i = low.bit_length() - 1
        grow(low, float(w[i]), 1, nbr[i] & rest, 0)
        return found

    def last_part_ok(self, rest: int) -> bool:
        return self.ig.is_connected(rest) and self.rules.fits(rest, self.ig.mask_weight(rest))

    def count(self, rest: int, parts: int) -> int:
        if parts == 1:
            return int(self.last_part_ok(rest))
        key = (rest, parts)
        cached = self._counts.get(key)
        if cached is None:
            cached = sum(self.count(rest & ~p, parts - 1) for p in self.first_parts(rest, parts))
            self._counts[key] = cached
        return cached

    def count_all(self, k: int) -> int:
        full = (1 << self.ig.n) - 1
        if not self.rules.remainder_ok(full, k):
            return 0
        return self.count(full, k)

    def partitions(self, rest: int, parts: int, prefix: tuple[int, ...]) -> Iterator[tuple]:
        if parts == 1:
            if self.last_part_ok(rest):
                yield (*prefix, rest)
            return
        if self.count(rest, parts) == 0:
            return
        for p in self.first_parts(rest, parts):
            yield from self.partitions(rest & ~p, parts - 1, (*prefix, p))


def _larger_sets(part, weight, size, cand, excluded, rest, nbr, w):
    """Each connected set one candidate node larger than ``part``, in canonical order.

    A candidate tried here is excluded from the later branches, so every connected set
    containing the seed is reached exactly once.
    """
    while cand:
        bit = cand & -cand
        cand ^= bit
        i = bit.bit_length() - 1
        bigger = part | bit
        yield (
            bigger,
            weight + w[i],
            size + 1,
            cand | (nbr[i] & rest & ~bigger & ~excluded),
            excluded,
        )
        excluded |= bit


def _prepare(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Hashable, float] | None,
    nodes: Sequence[Hashable] | None,
) -> IndexedGraph:
    ig = index_graph(graph, weights, nodes)
    if not 1 <= k <= ig.n:
        raise DataError("partitions", "k", f"must be between 1 and {ig.n}, got {k}")
    return ig


def _search(
    ig: IndexedGraph,
    k: int,
    balance: float | None,
    min_weight: float | None,
    together: Iterable[Iterable[Hashable]],
    part_ok: PartPredicate | None,
) -> _Search:
    return _Search(ig, _Rules(ig, k, balance, min_weight, group_masks(ig, together), part_ok))


def count_partitions(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Hashable, float] | None = None,
    balance: float | None = None,
    *,
    min_weight: float | None = None,
    together: Iterable[Iterable[Hashable]] = (),
    part_ok: PartPredicate | None = None,
    nodes: Sequence[Hashable] | None = None,
) -> PartitionCount:
    """Count the partitions of ``graph`` into exactly ``k`` connected parts.

    ``balance`` keeps every part's weight within ``balance`` (relative) of total/k;
    ``min_weight`` is a floor on every part's weight; each group in ``together`` must lie in
    one part; ``part_ok(frozenset_of_nodes)`` must hold for every part. Weights default to 1.
    """
    together = [tuple(g) for g in together]
    ig = _prepare(graph, k, weights, nodes)
    total = _search(ig, k, None, None, (), None).count_all(k)
    feasible = _search(ig, k, balance, min_weight, together, part_ok).count_all(k)
    return PartitionCount(total, feasible)


def enumerate_partitions(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Hashable, float] | None = None,
    balance: float | None = None,
    *,
    min_weight: float | None = None,
    together: Iterable[Iterable[Hashable]] = (),
    part_ok: PartPredicate | None = None,
    nodes: Sequence[Hashable] | None = None,
) -> Iterator[np.ndarray]:
    """Yield every partition meeting the rules of :func:`count_partitions`, in a fixed order.

    Each is an int16 array over ``nodes`` (default ``list(graph.nodes)``): entry i is the part
    of node i. Parts are numbered by their lowest-index node, so node 0 is in part 0.
    """
    together = [tuple(g) for g in together]
    ig = _prepare(graph, k, weights, nodes)
    search = _search(ig, k, balance, min_weight, together, part_ok)
    full = (1 << ig.n) - 1
    if not search.rules.remainder_ok(full, k):
        return
    for parts in search.partitions(full, k, ()):
        labels = np.empty(ig.n, dtype=np.int16)
        for label, mask in enumerate(parts):
            while mask:
                bit = mask & -mask
                mask ^= bit
                labels[bit.bit_length() - 1] = label
        yield labels


def closest_balance(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Hashable, float] | None = None,
    *,
    nodes: Sequence[Hashable] | None = None,
) -> float:
    """Smallest max relative deviation |w(part)/mean - 1| over connected k-partitions.

    ``mean`` is total weight / k. Returns ``inf`` when the graph has no connected k-partition.
    """
    ig = _prepare(graph, k, weights, nodes)
    mean = ig.total_weight / k
    if mean == 0:
        return 0.0 if count_partitions(graph, k, nodes=ig.nodes).total else math.inf
    nbr, w = ig.nbr_masks, ig.weights
    memo: dict[tuple[int, int], float] = {}

    def dev(weight: float) -> float:
        return abs(weight / mean - 1)

    def best(rest: int, parts: int) -> float:
        if parts == 1:
            return dev(ig.mask_weight(rest)) if ig.is_connected(rest) else math.inf
        key = (rest, parts)
        if key in memo:
            return memo[key]
        bound = math.inf
        max_size = rest.bit_count() - (parts - 1)

        def grow(part: int, weight: float, size: int, cand: int, excluded: int) -> None:
            nonlocal bound
            d = dev(weight)
            if weight > mean and d >= bound:
                return
            if d < bound:
                remainder = rest & ~part
                if len(ig.components(remainder)) <= parts - 1:
                    bound = min(bound, max(d, best(remainder, parts - 1)))
            if size == max_size:
                return
            for larger in _larger_sets(part, weight, size, cand, excluded, rest, nbr, w):
                grow(*larger)

        low = rest & -rest
        i = low.bit_length() - 1
        grow(low, float(w[i]), 1, nbr[i] & rest, 0)
        memo[key] = bound
        return bound

    return best((1 << ig.n) - 1, k)
