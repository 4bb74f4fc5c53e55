"""Spanning-tree recombination (ReCom) Markov chains over balanced connected k-partitions.

Two variants, both drawing uniform spanning trees with Wilson's algorithm:

``"recom"`` (plain ReCom, DeFord, Duchin and Solomon 2021). Each step picks a cut edge uniformly
at random and merges the two parts it joins; draws a uniform spanning tree of the merged
subgraph; and cuts one edge chosen uniformly among the tree edges whose removal leaves both
sides within the balance bound and the part-level rules. A tree without such an edge is
redrawn, up to ``tree_attempts`` times; then the chain stays where it is. This chain is not
reversible and its stationary distribution has no closed form. It is *approximately*
proportional to the product over parts of the number of spanning trees of each part, and
certainly *not* uniform over partitions: compact parts (many spanning trees) are favoured.

``"reversible"`` (a Metropolised recombination in the spirit of Cannon, Duchin, Randall and
Rule 2022). Each step picks a cut edge uniformly, merges its two parts, draws one uniform
spanning tree and cuts one of its edges chosen uniformly among *all* tree edges. An
unbalanced or rule-breaking split is rejected; otherwise the move is accepted with
probability ``min(1, C(P) / C(P'))``, C = number of cut edges. Its stationary distribution is
exactly ``pi(P) ∝ prod_i tau(P_i)`` over the partitions meeting the balance and the rules,
``tau`` being the number of spanning trees of a part (a spanning-tree-weighted target, not a
uniform one). It is slower to mix because most uniformly chosen edges give unbalanced splits.
With ``tree_power`` gamma < 1 the acceptance ratio also carries
``(tau(A') tau(B') / (tau(A) tau(B))) ** (gamma - 1)`` for the two parts replaced, and the
stationary law becomes ``prod_i tau(P_i) ** gamma``: 0 targets the uniform law over the valid
partitions directly. Because the law is known up to a constant, draws can be reweighted to the
uniform law with importance weights ``prod_i tau(P_i) ** -gamma`` (:func:`log_tree_weights`
gives ``sum_i log tau(P_i)``; ``tau`` by the matrix-tree theorem).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx
import numpy as np

from dekomopt.errors import DataError, InfeasibleError
from dekomopt.structures._indexed import IndexedGraph, PartPredicate, group_masks, index_graph

Variant = Literal["recom", "reversible"]
SeedLike = int | np.random.SeedSequence | np.random.Generator


@dataclass(frozen=True)
class ChainResult:
    """One chain: ``assignments[t, i]`` is the part of ``nodes[i]`` after step t+1.

    ``accepted[t]`` says whether step t+1 moved to a proposed split (a move may re-create the
    same partition); ``initial`` is the starting assignment.
    """

    nodes: tuple[Hashable, ...]
    k: int
    tol: float
    variant: str
    initial: np.ndarray
    assignments: np.ndarray
    accepted: np.ndarray

    @property
    def acceptance_rate(self) -> float:
        return float(self.accepted.mean()) if self.accepted.size else math.nan


class _Uniforms:
    """Uniform draws from a Generator, fetched in blocks because single draws are slow."""

    def __init__(self, rng: np.random.Generator, block: int = 4096) -> None:
        self._rng = rng
        self._block = block
        self._buf: list[float] = []
        self._next = 0

    def __call__(self) -> float:
        if self._next == len(self._buf):
            self._buf = self._rng.random(self._block).tolist()
            self._next = 0
        value = self._buf[self._next]
        self._next += 1
        return value

    def index(self, n: int) -> int:
        return min(int(self() * n), n - 1)


class _Trees:
    """Uniform spanning trees of induced subgraphs and the balanced cuts of those trees."""

    def __init__(
        self,
        ig: IndexedGraph,
        lo: float,
        hi: float,
        groups: tuple[int, ...],
        part_ok: PartPredicate | None,
        uniforms: _Uniforms,
    ) -> None:
        self.ig = ig
        self.adj = [list(nbrs) for nbrs in ig.nbr_lists]
        self.w = ig.weights.tolist()
        self.lo, self.hi = lo, hi
        self.groups = [[i for i in range(ig.n) if g >> i & 1] for g in groups]
        self.part_ok = part_ok
        self.uniform = uniforms
        self._stamp = [0] * ig.n
        self._clock = 0
        self._parent = [0] * ig.n
        self._verdicts: dict[int, bool] = {}
        self._log_tau: dict[int, float] = {}

    def draw(self, members: list[int]) -> tuple[list[int], list[int]]:
        """Wilson's algorithm on the subgraph induced by ``members``.

        Returns (parent, order): ``order`` lists the members so that every node's parent comes
        before it; ``parent`` is indexed by node and valid for members other than order[0].
        """
        self._clock += 1
        clock = self._clock
        stamp = self._stamp
        inside = set(members)
        adj = self.adj
        nbrs = {u: [v for v in adj[u] if v in inside] for u in members}
        uniform = self.uniform
        root = members[uniform.index(len(members))]
        stamp[root] = clock
        order = [root]
        nxt: dict[int, int] = {}
        parent = self._parent
        for start in members:
            u = start
            while stamp[u] != clock:
                nb = nbrs[u]
                v = nb[int(uniform() * len(nb))]
                nxt[u] = v
                u = v
            path = []
            u = start
            while stamp[u] != clock:
                stamp[u] = clock
                parent[u] = nxt[u]
                path.append(u)
                u = nxt[u]
            path.reverse()
            order.extend(path)
        return parent, order

    def log_tau(self, part: list[int]) -> float:
        """log of the number of spanning trees of the subgraph ``part`` induces (cached)."""
        mask = 0
        for x in part:
            mask |= 1 << x
        value = self._log_tau.get(mask)
        if value is None:
            value = _log_det_reduced_laplacian(self.adj, part)
            self._log_tau[mask] = value
        return value

    def subtree_sums(self, parent: list[int], order: list[int]) -> dict[int, float]:
        sub = {u: self.w[u] for u in order}
        for u in reversed(order[1:]):
            sub[parent[u]] += sub[u]
        return sub

    def side(self, parent: list[int], order: list[int], top: int) -> list[int]:
        """Members of the subtree hanging from ``top``."""
        inside = {top}
        for u in order:
            if u != top and u != order[0] and parent[u] in inside:
                inside.add(u)
        return [u for u in order if u in inside]

    def part_fits(self, part: list[int], weight: float) -> bool:
        if not self.lo <= weight <= self.hi:
            return False
        if self.groups:
            members = set(part)
            for g in self.groups:
                hits = sum(1 for x in g if x in members)
                if 0 < hits < len(g):
                    return False
        if self.part_ok is None:
            return True
        mask = 0
        for x in part:
            mask |= 1 << x
        verdict = self._verdicts.get(mask)
        if verdict is None:
            verdict = bool(self.part_ok(self.ig.members(mask)))
            self._verdicts[mask] = verdict
        return verdict

    def cuts(
        self,
        parent: list[int],
        order: list[int],
        rest_lo: float,
        rest_hi: float,
        rest_is_part: bool,
    ) -> list[int]:
        """Tree nodes whose parent edge, when cut, leaves a valid subtree part and remainder.

        The remainder must weigh within [rest_lo, rest_hi]; when ``rest_is_part`` it must also
        be a valid part itself.
        """
        sub = self.subtree_sums(parent, order)
        total = sub[order[0]]
        lo, hi = self.lo, self.hi
        good = []
        for u in order[1:]:
            s = sub[u]
            if lo <= s <= hi and rest_lo <= total - s <= rest_hi:
                good.append(u)
        if not good or (not self.groups and self.part_ok is None):
            return good
        members = set(order)
        checked = []
        for u in good:
            part = self.side(parent, order, u)
            if not self.part_fits(part, sub[u]):
                continue
            if rest_is_part:
                rest = list(members.difference(part))
                if not self.part_fits(rest, total - sub[u]):
                    continue
            checked.append(u)
        return checked


def _log_det_reduced_laplacian(adj: list[list[int]], part: list[int]) -> float:
    if len(part) <= 1:
        return 0.0
    index = {u: a for a, u in enumerate(part)}
    laplacian = np.zeros((len(part), len(part)))
    for u in part:
        a = index[u]
        for v in adj[u]:
            b = index.get(v)
            if b is not None:
                laplacian[a, b] -= 1.0
                laplacian[a, a] += 1.0
    sign, logdet = np.linalg.slogdet(laplacian[1:, 1:])
    if sign <= 0:
        raise DataError("recom", "part", "a part is not connected: it has no spanning tree")
    return float(logdet)


def _bounds(ig: IndexedGraph, k: int, tol: float) -> tuple[float, float]:
    if tol < 0 or not math.isfinite(tol):
        raise DataError("recom", "tol", f"must be a finite non-negative number, got {tol}")
    mean = ig.total_weight / k
    eps = 1e-9 * max(ig.total_weight, 1.0)
    return mean * (1 - tol) - eps, mean * (1 + tol) + eps


def _initial_partition(
    trees: _Trees, ig: IndexedGraph, k: int, attempts: int, restarts: int
) -> np.ndarray:
    """A valid partition by recursive spanning-tree bisection (random, not uniform)."""
    lo, hi = trees.lo, trees.hi
    for _ in range(restarts):
        labels = np.zeros(ig.n, dtype=np.int64)
        rest = list(range(ig.n))
        for label in range(k - 1):
            left = k - label - 1
            for _ in range(attempts):
                parent, order = trees.draw(rest)
                good = trees.cuts(parent, order, left * lo, left * hi, left == 1)
                if good:
                    top = good[trees.uniform.index(len(good))]
                    part = set(trees.side(parent, order, top))
                    labels[list(part)] = label
                    rest = [u for u in rest if u not in part]
                    break
            else:
                break
        else:
            labels[rest] = k - 1
            return labels
    raise InfeasibleError(
        f"no valid {k}-part starting partition found by spanning-tree bisection "
        f"(tolerance {trees.hi / (ig.total_weight / k) - 1:.3g}); loosen the balance or the rules"
    )


def _check_initial(trees: _Trees, ig: IndexedGraph, k: int, labels: np.ndarray) -> None:
    if labels.shape != (ig.n,) or set(labels.tolist()) != set(range(k)):
        raise DataError("recom", "initial", f"must label every node with parts 0..{k - 1}")
    for p in range(k):
        part = np.flatnonzero(labels == p).tolist()
        if not ig.is_connected(sum(1 << u for u in part)):
            raise DataError("recom", "initial", f"part {p} is not connected")
        if not trees.part_fits(part, float(ig.weights[part].sum())):
            raise DataError("recom", "initial", f"part {p} breaks the balance or a part rule")


def _as_generator(seed: SeedLike) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def recom_chain(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Any, float] | None = None,
    tol: float = 0.1,
    seed: SeedLike = 0,
    steps: int = 1000,
    *,
    variant: Variant = "recom",
    together: Iterable[Iterable[Hashable]] = (),
    part_ok: PartPredicate | None = None,
    initial: Mapping[Hashable, int] | None = None,
    nodes: Sequence[Hashable] | None = None,
    tree_attempts: int = 100,
    tree_power: float = 1.0,
) -> ChainResult:
    """Run one ReCom chain of ``steps`` steps; a pure function of its arguments.

    Every part keeps its weight within ``tol`` (relative) of total/k, every group in
    ``together`` within one part, and ``part_ok(frozenset_of_nodes)`` true. ``seed`` may be an
    int, a SeedSequence or a Generator (which is then advanced). Without ``initial`` the start
    is drawn by recursive spanning-tree bisection from the same random stream. See the module
    docstring for what each ``variant`` samples; the reversible one targets
    ``prod_i tau(P_i) ** tree_power`` (1: spanning-tree weights, 0: uniform).
    """
    if not 0.0 <= tree_power <= 1.0:
        raise DataError("recom", "tree_power", f"must be between 0 and 1, got {tree_power}")
    if variant not in ("recom", "reversible"):
        raise DataError("recom", "variant", f"must be 'recom' or 'reversible', got {variant!r}")
    ig = index_graph(graph, weights, nodes)
    if not 1 <= k <= ig.n:
        raise DataError("recom", "k", f"must be between 1 and {ig.n}, got {k}")
    if not ig.is_connected((1 << ig.n) - 1):
        raise DataError("recom", "graph", "the graph is not connected")
    lo, hi = _bounds(ig, k, tol)
    uniforms = _Uniforms(_as_generator(seed))
    trees = _Trees(ig, lo, hi, group_masks(ig, together), part_ok, uniforms)
    if initial is None:
        labels = _initial_partition(trees, ig, k, attempts=1000, restarts=50)
    else:
        labels = np.array([initial[node] for node in ig.nodes], dtype=np.int64)
        _check_initial(trees, ig, k, labels)
    start = labels.copy()

    dtype = np.int8 if k <= 127 else np.int16
    out = np.empty((steps, ig.n), dtype=dtype)
    accepted = np.zeros(steps, dtype=bool)
    eu = np.array([u for u in range(ig.n) for v in ig.nbr_lists[u] if u < v], dtype=np.int64)
    ev = np.array([v for u in range(ig.n) for v in ig.nbr_lists[u] if u < v], dtype=np.int64)
    cut = np.flatnonzero(labels[eu] != labels[ev])
    reversible = variant == "reversible"

    for t in range(steps):
        if cut.size:
            e = cut[uniforms.index(cut.size)]
            i, j = labels[eu[e]], labels[ev[e]]
            members = np.flatnonzero((labels == i) | (labels == j)).tolist()
            if reversible:
                moved = _reversible_move(trees, labels, members, i, j, cut.size, eu, ev, tree_power)
            else:
                moved = _recom_move(trees, labels, members, i, j, tree_attempts)
            if moved is not None:
                labels = moved
                cut = np.flatnonzero(labels[eu] != labels[ev])
                accepted[t] = True
        out[t] = labels
    return ChainResult(ig.nodes, k, tol, variant, start.astype(dtype), out, accepted)


def _split(labels: np.ndarray, side: list[int], members: list[int], i: int, j: int) -> np.ndarray:
    new = labels.copy()
    new[members] = j
    new[side] = i
    return new


def _recom_move(
    trees: _Trees, labels: np.ndarray, members: list[int], i: int, j: int, attempts: int
) -> np.ndarray | None:
    for _ in range(attempts):
        parent, order = trees.draw(members)
        good = trees.cuts(parent, order, trees.lo, trees.hi, True)
        if good:
            top = good[trees.uniform.index(len(good))]
            return _split(labels, trees.side(parent, order, top), members, i, j)
    return None


def _reversible_move(
    trees: _Trees,
    labels: np.ndarray,
    members: list[int],
    i: int,
    j: int,
    n_cut: int,
    eu: np.ndarray,
    ev: np.ndarray,
    tree_power: float,
) -> np.ndarray | None:
    """One Metropolis-Hastings recombination step; its proposal ratio is
    ``C(P') tau(A') tau(B') / (C(P) tau(A) tau(B))`` for parts A, B → A', B' and C the number of
    cut edges, so accepting with ``min(1, C(P) / C(P') * (tau(A')tau(B') / tau(A)tau(B)) **
    (tree_power - 1))`` leaves ``prod tau ** tree_power`` stationary."""
    parent, order = trees.draw(members)
    top = order[1 + trees.uniform.index(len(order) - 1)]
    side = trees.side(parent, order, top)
    weight = sum(trees.w[u] for u in side)
    if not trees.part_fits(side, weight):
        return None
    rest = list(set(members).difference(side))
    total = sum(trees.w[u] for u in members)
    if not trees.part_fits(rest, total - weight):
        return None
    new = _split(labels, side, members, i, j)
    new_cut = int(np.count_nonzero(new[eu] != new[ev]))
    log_ratio = math.log(n_cut / new_cut)
    if tree_power != 1.0:
        old = trees.log_tau(np.flatnonzero(labels == i).tolist()) + trees.log_tau(
            np.flatnonzero(labels == j).tolist()
        )
        log_ratio += (tree_power - 1.0) * (trees.log_tau(side) + trees.log_tau(rest) - old)
    if log_ratio < 0 and trees.uniform() >= math.exp(log_ratio):
        return None
    return new


def log_tree_weights(graph: nx.Graph, nodes: Sequence[Hashable], labels: np.ndarray) -> np.ndarray:
    """``sum_i log tau(P_i)`` for every row of ``labels`` (rows × ``nodes``, parts 0..k-1).

    ``tau`` is the number of spanning trees of the subgraph a part induces (matrix-tree
    theorem: the log-determinant of its Laplacian with one row and column removed). The
    reversible chain's stationary law is proportional to ``exp(tree_power *`` this ``)``.
    Raises DataError for a part that is not connected.
    """
    ig = index_graph(graph, None, nodes)
    adj = [list(nbrs) for nbrs in ig.nbr_lists]
    rows = np.asarray(labels)
    cache: dict[bytes, float] = {}
    out = np.zeros(len(rows))
    for r, row in enumerate(rows):
        for p in range(int(row.max()) + 1):
            inside = row == p
            key = np.packbits(inside).tobytes()
            value = cache.get(key)
            if value is None:
                value = _log_det_reduced_laplacian(adj, np.flatnonzero(inside).tolist())
                cache[key] = value
            out[r] += value
    return out


def run_chains(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Any, float] | None = None,
    tol: float = 0.1,
    seed: int | np.random.SeedSequence = 0,
    steps: int = 1000,
    chains: int = 4,
    **options,
) -> list[ChainResult]:
    """``chains`` independent chains, each seeded from ``SeedSequence(seed).spawn``.

    Each chain draws its own starting partition unless ``initial`` is among ``options``.
    """
    seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return [
        recom_chain(graph, k, weights, tol, child, steps, **options) for child in seq.spawn(chains)
    ]
