"""Every plausible structure at once: a zero-suppressed decision diagram (ZDD) of partitions.

A partition of a graph into k connected parts is the set of edges whose two ends share a part;
graphillion (Kawahara et al.'s frontier-based construction) builds the ZDD of all such edge sets
in milliseconds for a county. With the number of paths below each diagram node, the diagram
counts its partitions exactly and maps every integer rank ``0 <= r < count`` to one partition
(the r-th in the diagram's order), so

* enumeration streams ranks ``0, 1, 2, ...`` in chunks (memory bounded by the chunk), and
* uniform sampling draws ranks with a numpy Generator: exactly uniform, seeded, and the same
  whatever the number of workers (all draws are made in the calling process).

Rules the diagram does not hold exactly are applied by exact rejection, so samples stay uniform
over the plausible set:

* FTE bounds (``balance``, ``min_weight``): the diagram holds integer-weight bounds only, so it
  is built on weights quantised to :attr:`StructureSpace.quantum` FTE, rounded so that it holds a
  superset of the plausible structures; the exact (unquantised) bound is then checked;
* ``together`` groups and the part test ``part_ok`` are checked on each structure.

The acceptance rate says how much of the diagram passes those checks.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from dekomopt.errors import DataError
from dekomopt.structures._indexed import PartPredicate

ENUMERATE_LIMIT = 250_000
"""Most structures ``structures`` enumerates; beyond it, it samples (or refuses ``--enumerate``)."""

QUANTUM_STEPS = 100
"""FTE bounds are quantised in the diagram to (mean part FTE) / QUANTUM_STEPS, or coarser so
that the upper bound spans at most 1.5 * QUANTUM_STEPS steps (the diagram's size grows with the
number of steps), and then checked exactly."""

_CHUNK = 20_000
_BOTTOM, _TOP = 0, 1


@dataclass(frozen=True)
class SpaceCount:
    """The size of the plausible set: exact, or estimated from the diagram's acceptance rate.

    ``diagram`` counts the structures in the diagram (contiguous, k parts, quantised bounds);
    ``plausible`` is exact when ``exact`` and otherwise ``diagram * acceptance``, with
    ``interval`` its 95 % Jeffreys interval from ``checked`` uniform draws.
    """

    diagram: int
    plausible: int
    exact: bool
    checked: int
    accepted: int
    interval: tuple[int, int]

    @property
    def acceptance(self) -> float:
        return self.accepted / self.checked if self.checked else 1.0

    def describe(self) -> str:
        if self.exact:
            return f"{self.plausible:,}".replace(",", " ")
        lo, hi = (f"{v:,}".replace(",", " ") for v in self.interval)
        return f"about {self.plausible:,} ({lo}–{hi})".replace(",", " ")


@dataclass(frozen=True)
class SampleDraw:
    """Uniform draws from the plausible set, with the diagram draws it took to find them."""

    labels: np.ndarray
    drawn: int

    @property
    def acceptance(self) -> float:
        return len(self.labels) / self.drawn if self.drawn else 1.0


@dataclass(frozen=True)
class Residual:
    """The rules checked on each structure drawn from the diagram (exact rejection)."""

    weights: np.ndarray
    lo: float
    hi: float
    together: tuple[np.ndarray, ...]
    part_ok: PartPredicate | None

    @property
    def active(self) -> bool:
        return self.lo > 0 or self.hi < math.inf or bool(self.together) or self.part_ok is not None


class StructureSpace:
    """The partitions of a graph into ``k`` connected parts, as a ZDD over its edges.

    ``nodes`` fixes the label order of every structure this space returns: row entry i is the
    part of ``nodes[i]``, parts numbered by their lowest-index node (node 0 is in part 0).
    """

    def __init__(
        self,
        nodes: tuple[Hashable, ...],
        k: int,
        edges: np.ndarray,
        var: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        root: int,
        residual: Residual,
        quantum: float | None,
    ) -> None:
        self.nodes = nodes
        self.k = k
        self.edges = edges
        self._var, self._lo, self._hi, self._root = var, lo, hi, root
        self.residual = residual
        self.quantum = quantum
        counts = [0] * len(var)
        counts[_TOP] = 1
        for i in range(2, len(var)):
            counts[i] = counts[int(lo[i])] + counts[int(hi[i])]
        self._counts = counts
        self.diagram_count: int = counts[root]
        self._small = self.diagram_count < 2**62
        self._count_arr = np.array(counts, dtype=np.int64 if self._small else object)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def diagram_nodes(self) -> int:
        """Nodes of the ZDD, terminals included."""
        return len(self._var)

    @property
    def exact(self) -> bool:
        """True when every structure in the diagram is plausible (nothing left to reject)."""
        return not self.residual.active

    def unrank(self, ranks: np.ndarray) -> np.ndarray:
        """The structures of the given ranks (each ``0 <= r < diagram_count``), rows of labels."""
        r = np.array(ranks, dtype=np.int64 if self._small else object)
        if r.size and (r.min() < 0 or r.max() >= self.diagram_count):
            raise ValueError("rank out of range")
        taken = np.zeros((len(r), len(self.edges)), dtype=bool)
        cur = np.full(len(r), self._root, dtype=np.int64)
        rows = np.arange(len(r))
        active = cur >= 2
        while active.any():
            idx = rows[active]
            v = cur[idx]
            c_lo = self._count_arr[self._lo[v]]
            up = r[idx] >= c_lo
            r[idx] = r[idx] - np.where(up, c_lo, 0)
            taken[idx[up], self._var[v[up]]] = True
            cur[idx] = np.where(up, self._hi[v], self._lo[v])
            active = cur >= 2
        return self._labels(taken)

    def _labels(self, taken: np.ndarray) -> np.ndarray:
        """Canonical part labels from the chosen (inside-a-part) edges, row by row."""
        lab = np.tile(np.arange(self.n, dtype=np.int64), (len(taken), 1))
        # each label points at a smaller node of the same part; sweep the chosen edges and
        # jump pointers until every part shares its lowest node's index
        while True:
            before = lab.copy()
            for e, (u, v) in enumerate(self.edges):
                low = np.where(taken[:, e], np.minimum(lab[:, u], lab[:, v]), lab[:, u])
                lab[:, u] = low
                lab[:, v] = np.where(taken[:, e], low, lab[:, v])
            lab = np.take_along_axis(lab, lab, axis=1)
            if np.array_equal(lab, before):
                break
        is_root = lab == np.arange(self.n)
        rank = np.cumsum(is_root, axis=1) - 1
        return np.take_along_axis(rank, lab, axis=1).astype(np.int16)

    def accepts(self, labels: np.ndarray) -> np.ndarray:
        """Which rows meet the rules the diagram does not hold exactly."""
        labels = np.asarray(labels)
        ok = np.ones(len(labels), dtype=bool)
        res = self.residual
        if not res.active or not len(labels):
            return ok
        if res.lo > 0 or res.hi < math.inf:
            offset = labels.astype(np.int64) + self.k * np.arange(len(labels))[:, None]
            part_w = np.bincount(
                offset.ravel(), np.tile(res.weights, len(labels)), self.k * len(labels)
            ).reshape(len(labels), self.k)
            ok &= ((part_w >= res.lo) & (part_w <= res.hi)).all(axis=1)
        for group in res.together:
            ok &= (labels[:, group] == labels[:, group[:1]]).all(axis=1)
        if res.part_ok is not None:
            for i in np.flatnonzero(ok):
                row = labels[i]
                for part in range(self.k):
                    members = frozenset(self.nodes[j] for j in np.flatnonzero(row == part))
                    if not res.part_ok(members):
                        ok[i] = False
                        break
        return ok

    def contains(self, labels: np.ndarray) -> bool:
        """Whether the structure ``labels`` (over :attr:`nodes`) is in the plausible set."""
        row = np.asarray(labels, dtype=np.int64)
        if row.shape != (self.n,) or row.min() < 0 or int(row.max()) + 1 != self.k:
            return False
        if len(np.unique(row)) != self.k:
            return False
        taken = row[self.edges[:, 0]] == row[self.edges[:, 1]] if len(self.edges) else []
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n))
        graph.add_edges_from(e for e, t in zip(self.edges.tolist(), taken, strict=True) if t)
        if nx.number_connected_components(graph) != self.k:
            return False
        canonical = self._labels(np.asarray(taken, dtype=bool)[None, :])
        return bool(self.accepts(canonical)[0])

    def iter_plausible(self, chunk: int = _CHUNK) -> Iterator[np.ndarray]:
        """Every plausible structure, in rank order, a chunk of rows at a time."""
        for start in range(0, self.diagram_count, chunk):
            stop = min(start + chunk, self.diagram_count)
            labels = self.unrank(np.arange(start, stop))
            yield labels[self.accepts(labels)]

    def enumerate(self) -> np.ndarray:
        """Every plausible structure as one array (see :meth:`iter_plausible`)."""
        parts = list(self.iter_plausible())
        if not parts:
            return np.empty((0, self.n), dtype=np.int16)
        return np.concatenate(parts)

    def _ranks(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self._small:
            return rng.integers(0, self.diagram_count, size=size, dtype=np.int64)
        words = (self.diagram_count.bit_length() + 63) // 64
        out: list[int] = []
        while len(out) < size:
            raw = rng.integers(0, 2**64, size=(size, words), dtype=np.uint64, endpoint=False)
            for row in raw:
                value = 0
                for w in row:
                    value = (value << 64) | int(w)
                value >>= 64 * words - self.diagram_count.bit_length()
                if value < self.diagram_count:
                    out.append(value)
        return np.array(out[:size], dtype=object)

    def sample(
        self, n: int, rng: np.random.Generator, *, max_draws: int | None = None
    ) -> SampleDraw:
        """``n`` structures drawn independently and uniformly from the plausible set.

        Draws ranks uniformly from the diagram and keeps those that pass :meth:`accepts`, so the
        kept ones are uniform over the plausible set. Stops early (fewer rows) after
        ``max_draws`` diagram draws (default: no limit unless nothing is plausible).
        """
        if self.diagram_count == 0:
            return SampleDraw(np.empty((0, self.n), dtype=np.int16), 0)
        kept: list[np.ndarray] = []
        have = drawn = 0
        while have < n and (max_draws is None or drawn < max_draws):
            size = min(_CHUNK, max(n - have, 1000)) if self.exact else _CHUNK
            if max_draws is not None:
                size = min(size, max_draws - drawn)
            labels = self.unrank(self._ranks(rng, size))
            drawn += size
            labels = labels[self.accepts(labels)]
            kept.append(labels[: n - have])
            have += len(kept[-1])
        return SampleDraw(np.concatenate(kept) if kept else np.empty((0, self.n), np.int16), drawn)

    def count(
        self, limit: int = ENUMERATE_LIMIT, rng: np.random.Generator | None = None
    ) -> SpaceCount:
        """The number of plausible structures: exact when nothing is rejected or the diagram
        holds at most ``limit`` structures (all checked); else estimated from 20 000 draws."""
        total = self.diagram_count
        if self.exact:
            return SpaceCount(total, total, True, 0, 0, (total, total))
        if total <= limit:
            found = sum(len(c) for c in self.iter_plausible())
            return SpaceCount(total, found, True, total, found, (found, found))
        from scipy.stats import beta

        rng = rng if rng is not None else np.random.default_rng(0)
        draw = self.sample(_CHUNK, rng, max_draws=_CHUNK)
        accepted, checked = len(draw.labels), draw.drawn
        a, b = accepted + 0.5, checked - accepted + 0.5
        lo = 0.0 if accepted == 0 else float(beta.ppf(0.025, a, b))
        hi = 1.0 if accepted == checked else float(beta.ppf(0.975, a, b))
        estimate = round(total * accepted / checked)
        bounds = (math.floor(total * lo), math.ceil(total * hi))
        return SpaceCount(total, estimate, False, checked, accepted, bounds)


def _parse_dump(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """graphillion's ``dumps()`` text (``id var lo hi`` lines, children first) as arrays."""
    ids: dict[str, int] = {"B": _BOTTOM, "T": _TOP}
    var, lo, hi = [-1, -1], [0, 0], [0, 0]
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        ids[parts[0]] = len(var)
        var.append(int(parts[1]) - 1)
        lo.append(ids[parts[2]])
        hi.append(ids[parts[3]])
    first = text.split(maxsplit=1)[0] if text.strip() else "B"
    # a terminal-only diagram is dumped as the terminal's letter alone
    root = ids[first] if first in ("B", "T") else len(var) - 1
    return (
        np.array(var, dtype=np.int64),
        np.array(lo, dtype=np.int64),
        np.array(hi, dtype=np.int64),
        root,
    )


def build_space(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Hashable, float] | None = None,
    balance: float | None = None,
    *,
    min_weight: float | None = None,
    together: Iterable[Iterable[Hashable]] = (),
    part_ok: PartPredicate | None = None,
    nodes: Sequence[Hashable] | None = None,
    quantum_steps: int = QUANTUM_STEPS,
) -> StructureSpace:
    """The diagram of ``graph``'s partitions into ``k`` connected parts under the given rules.

    The rules mean what they mean in :func:`~dekomopt.structures.partitions.count_partitions`
    (``balance`` relative to total/k, ``min_weight`` a floor, ``together`` groups in one part,
    ``part_ok`` a test on each part). Whole-number weights (the default: 1 per node) are bounded
    exactly in the diagram; other weights are quantised (see the module docstring).
    """
    from graphillion import GraphSet

    order = tuple(graph.nodes) if nodes is None else tuple(nodes)
    if len(set(order)) != len(order) or set(order) != set(graph.nodes):
        raise DataError("graph", "nodes", "node order must list every graph node exactly once")
    n = len(order)
    if not 1 <= k <= n:
        raise DataError("partitions", "k", f"must be between 1 and {n}, got {k}")
    if balance is not None and not balance >= 0:
        raise DataError("balance", "tolerance", f"must be non-negative, got {balance}")
    pos = {v: i for i, v in enumerate(order)}
    w = np.array([1.0 if weights is None else float(weights[v]) for v in order], dtype=float)
    total = float(w.sum())
    eps = 1e-9 * max(total, 1.0)
    lo_w, hi_w = 0.0, math.inf
    if balance is not None:
        lo_w, hi_w = total / k * (1 - balance) - eps, total / k * (1 + balance) + eps
    if min_weight is not None:
        lo_w = max(lo_w, min_weight - eps)
    groups = []
    for group in together:
        idx = np.array([pos[v] for v in group if v in pos], dtype=np.int64)
        missing = [v for v in group if v not in pos]
        if missing:
            raise DataError("graph", repr(missing[0]), "node is not in the graph")
        if len(idx) > 1:
            groups.append(idx)
    residual = Residual(w, lo_w, hi_w, tuple(groups), part_ok)

    isolated = [v for v in order if graph.degree(v) == 0]
    k_rest = k - len(isolated)
    edge_list = [(a, b) for a, b in graph.edges if a != b]
    quantum = None
    if not edge_list or k_rest < 1:
        # no edge to choose: the only partition puts every node alone
        root = _TOP if k == n else _BOTTOM
        return StructureSpace(
            order,
            k,
            np.zeros((0, 2), dtype=np.int64),
            np.array([-1, -1]),
            np.zeros(2, np.int64),
            np.zeros(2, np.int64),
            root,
            residual,
            quantum,
        )
    GraphSet.set_universe(edge_list)
    universe = [(a, b) for a, b, *_ in GraphSet.universe()]
    if lo_w > 0 or hi_w < math.inf:
        integral = bool(np.all(w == np.round(w))) and total < 2**30
        # whole-number weights are held exactly; others are quantised to a superset
        step = 1.0
        if not integral:
            step = total / k / quantum_steps
            if hi_w < math.inf:
                step = max(step, hi_w / (1.5 * quantum_steps))
        quantum = None if integral else step
        gs = None
        if integral:
            whole = {v: int(w[pos[v]]) for v in order if graph.degree(v)}
            bounds = {"lower": max(0, int(math.ceil(lo_w)))}
            if hi_w < math.inf:
                bounds["upper"] = int(math.floor(hi_w))
            if bounds["lower"] > bounds.get("upper", bounds["lower"]):
                # no whole number lies within the bounds: no part can meet them
                gs = GraphSet([])
            else:
                gs = GraphSet.balanced_partitions(weight_list=whole, num_comps=k_rest, **bounds)
        elif hi_w < math.inf:
            floor_w = {v: int(math.floor(w[pos[v]] / step)) for v in order if graph.degree(v)}
            upper = int(math.floor(hi_w / step)) + (0 if integral else 1)
            gs = GraphSet.balanced_partitions(weight_list=floor_w, upper=upper, num_comps=k_rest)
        if lo_w > 0 and not integral:
            ceil_w = {v: int(math.ceil(w[pos[v]] / step)) for v in order if graph.degree(v)}
            lower = max(0, int(math.ceil(lo_w / step)) - (0 if integral else 1))
            low = GraphSet.balanced_partitions(weight_list=ceil_w, lower=lower, num_comps=k_rest)
            gs = low if gs is None else gs & low
        if integral and not isolated:
            residual = Residual(w, 0.0, math.inf, residual.together, residual.part_ok)
    else:
        gs = GraphSet.partitions(num_comp_lb=k_rest, num_comp_ub=k_rest)
    assert gs is not None, "a diagram is built on every path above"
    var, lo, hi, root = _parse_dump(gs.dumps())
    edges = np.array([(pos[a], pos[b]) for a, b in universe], dtype=np.int64)
    space = StructureSpace(order, k, edges, var, lo, hi, root, residual, quantum)
    if space.diagram_count != gs.len():
        raise RuntimeError("decision diagram count disagrees with graphillion's")
    return space


def sample_spaces(
    spaces: Sequence[StructureSpace], n: int, rng: np.random.Generator
) -> tuple[list[np.ndarray], int]:
    """``n`` draws uniform over the union of the spaces' plausible sets (one array per space).

    Each batch splits its diagram draws between the spaces in proportion to their diagram
    counts (multinomial), keeps those that pass each space's checks, and shuffles the batch
    before the last one is cut to size, so every plausible structure of every space is equally
    likely. Returns the kept rows per space and the number of diagram draws made.
    """
    sizes = np.array([float(s.diagram_count) for s in spaces])
    kept: list[list[np.ndarray]] = [[] for _ in spaces]
    have = drawn = 0
    if sizes.sum() == 0:
        return [np.empty((0, s.n), dtype=np.int16) for s in spaces], 0
    while have < n:
        batch = min(_CHUNK, max(2 * (n - have), 1000))
        per = rng.multinomial(batch, sizes / sizes.sum())
        rows: list[tuple[int, np.ndarray]] = []
        for i, (space, m) in enumerate(zip(spaces, per, strict=True)):
            if m:
                draw = space.sample(int(m), rng, max_draws=int(m))
                rows.extend((i, r) for r in draw.labels)
        drawn += batch
        order = rng.permutation(len(rows))[: n - have]
        for j in np.sort(order):
            i, r = rows[j]
            kept[i].append(r)
        have += len(order)
        if drawn >= 1000 * max(n, 1) and have == 0:
            break
    return [
        np.stack(rows) if rows else np.empty((0, s.n), dtype=np.int16)
        for s, rows in zip(spaces, kept, strict=True)
    ], drawn


def explain_empty_space(
    graph: nx.Graph,
    k: int,
    weights: Mapping[Hashable, float] | None = None,
    balance: float | None = None,
    *,
    min_weight: float | None = None,
    together: Iterable[Iterable[Hashable]] = (),
    part_ok: PartPredicate | None = None,
    nodes: Sequence[Hashable] | None = None,
    part_test: str = "has every region pass the part test",
) -> str:
    """Say which rule leaves no structure, counting on the diagram with each rule on its own.

    Returns one paragraph (how many meet every rule, if any do); the closest achievable
    balance is named for graphs of at most 30 nodes (its search grows fast).
    """
    together = [tuple(g) for g in together]

    def plausible(**rules) -> int:
        space = build_space(graph, k, weights, rules.pop("balance", None), nodes=nodes, **rules)
        return space.count().plausible

    total = build_space(graph, k, nodes=nodes).diagram_count
    if total == 0:
        return f"the graph has no partition into {k} connected parts"
    everything = plausible(
        balance=balance, min_weight=min_weight, together=together, part_ok=part_ok
    )
    if everything:
        return (
            f"{format_count(everything)} of {format_count(total)} connected {k}-part structures "
            "meet every rule"
        )
    lines = []
    if balance is not None and plausible(balance=balance) == 0:
        line = (
            f"no contiguous {k}-region structure keeps every region within {balance:.0%} of "
            "the mean weight"
        )
        if graph.number_of_nodes() <= 30:
            from dekomopt.structures.partitions import closest_balance

            line += f"; the closest is {closest_balance(graph, k, weights, nodes=nodes):.0%}"
        lines.append(line)
    if min_weight is not None and plausible(min_weight=min_weight) == 0:
        lines.append(
            f"no contiguous {k}-region structure gives every region weight >= {min_weight}"
        )
    if together and plausible(together=together) == 0:
        lines.append(f"no contiguous {k}-region structure keeps the fixed-together groups whole")
    if part_ok is not None and plausible(part_ok=part_ok) == 0:
        lines.append(f"no contiguous {k}-region structure {part_test}")
    if not lines:
        lines.append(
            f"each rule alone leaves some of the {format_count(total)} connected {k}-part "
            "structures, but no structure meets them all together"
        )
    return "; ".join(lines)


def format_count(n: int) -> str:
    """A whole number with spaces between thousands."""
    return f"{n:,}".replace(",", " ")
