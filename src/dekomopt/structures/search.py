"""A local search for the scores no integer programme holds: between-region inequality after
the allocation LP (Theil between share, Gini), the largest Banzhaf power, and the need match.

Each score is searched by walkers started from the best structures of the reference set (the
uniform sample, or the ReCom draws). A walker looks at the structures one move away — a
municipality on a region border reassigned to a neighbouring region — keeps those in the
plausible set (:meth:`~dekomopt.structures.space.StructureSpace.contains`, the very check the
decision diagram's samples pass: contiguity, the number of regions and every rule of the
scenario's ``[structures]`` table), allocates and scores them with the scenario's LP
(:func:`~dekomopt.structures.runner.evaluate_structures`) and moves to the best one when it is
better. A walker with no better neighbour is at a local optimum; it restarts from a few random
moves away from the best structure found so far (iterated local search).

The budget is a number of structures allocated and scored, not seconds, so the result depends
only on the seed: every random choice is made in the calling process, and the structures of a
round are scored in fixed chunks, the same for any number of workers. Nothing is proven: the
result is the best structure evaluated, never worse than the best one of the reference set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dekomopt.structures.diagnostics import canonical_labels
from dekomopt.structures.evaluate import StructureContext
from dekomopt.structures.outlier import NOISE, TIE_TOLERANCE
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.space import StructureSpace

SEARCHED: dict[str, float] = {
    "theil_between_share": 1.0,
    "gini": 1.0,
    "max_power": 1.0,
    "need_match": -1.0,
}
"""The scores the search looks for the best of, and their direction (1 minimised, -1 maximised)."""

SEEDS = 3
"""Walkers per score, started from that many of the reference set's best structures."""

PER_ROUND = 24
"""Neighbours a walker looks at per round (all are scored in one batch across walkers)."""

KICK = 3
"""Random moves away from the best structure found that restart a walker at a local optimum."""

CHUNK = 64
"""Structures per scoring chunk (fixed, so the scores do not depend on the number of workers)."""


def objective_values(scores: pd.DataFrame, objective: str) -> np.ndarray:
    """The score to minimise per row (``need_match`` negated); NaN where the structure has no
    value: its LP failed, the score is undefined, or (between-region share) Theil T is 0."""
    ok = scores["status"].eq("optimal").to_numpy().copy()
    values = scores[objective].to_numpy(float).copy()
    values[np.abs(values) <= NOISE] = 0.0
    if objective == "theil_between_share":
        ok &= np.abs(scores["theil_total"].to_numpy(float)) > NOISE
    values[~ok | ~np.isfinite(values)] = np.nan
    return values * SEARCHED[objective]


def better(a: float, b: float) -> bool:
    """Whether ``a`` is below ``b`` by more than the tie tolerance (NaN is never better)."""
    return bool(a < b - TIE_TOLERANCE * max(1.0, abs(b)))


@dataclass(frozen=True)
class Skipped:
    """A score not searched, and why (``constant``: the same for every reference structure;
    ``missing``: no reference structure has a value)."""

    objective: str
    why: str


@dataclass(frozen=True)
class Searched:
    """The search's answer for one score, in the score's own direction.

    ``row`` is the best structure's row in :attr:`SearchResult.labels` (the reference set
    first, then the structures the search scored); ``reference_best`` and ``reference_row``
    are the reference set's best; ``improved`` is True when the search found a better one.
    """

    objective: str
    value: float
    row: int
    reference_best: float
    reference_row: int

    @property
    def improved(self) -> bool:
        return self.row != self.reference_row and better(
            SEARCHED[self.objective] * self.value, SEARCHED[self.objective] * self.reference_best
        )

    @property
    def improvement(self) -> float:
        """How much better than the reference set's best (0 when not better)."""
        return abs(self.value - self.reference_best) if self.improved else 0.0


@dataclass(frozen=True)
class SearchResult:
    """Everything the search scored: ``labels``/``scores`` hold the reference structures (first
    ``reference`` rows, in the given order, labels in canonical form) and then each distinct
    new structure it scored, in the order scored."""

    labels: np.ndarray
    scores: pd.DataFrame
    reference: int
    found: tuple[Searched, ...]
    skipped: tuple[Skipped, ...]
    budget: int

    @property
    def evaluated(self) -> int:
        """New structures allocated and scored by the search."""
        return len(self.labels) - self.reference


@dataclass
class _Walker:
    """One walker: its structure (a row of the pool), the neighbours it has yet to look at,
    those it looked at this round, and whether its neighbours are still to be listed."""

    objective: str
    row: int
    pending: list[np.ndarray] = field(default_factory=list)
    tried: list[int] = field(default_factory=list)
    fresh: bool = True


class _Pool:
    """Structures seen so far, by canonical form; the first ``n_scored`` have their scores in
    ``frames`` and each searched score's value (to minimise) in ``values``."""

    def __init__(
        self, labels: np.ndarray, scores: pd.DataFrame, objectives: tuple[str, ...]
    ) -> None:
        canon = canonical_labels(np.asarray(labels))
        self.labels: list[np.ndarray] = list(canon)
        self.index = {row.tobytes(): i for i, row in enumerate(canon)}
        self.frames = [scores.drop(columns="structure_id", errors="ignore")]
        self.values = {o: list(objective_values(scores, o)) for o in objectives}
        self.n_scored = len(scores)

    def add(self, labels: np.ndarray) -> int:
        key = labels.tobytes()
        if key not in self.index:
            self.index[key] = len(self.labels)
            self.labels.append(labels)
        return self.index[key]

    def scored(self, i: int) -> bool:
        return i < self.n_scored

    def extend(self, scores: pd.DataFrame) -> None:
        self.frames.append(scores.drop(columns="structure_id"))
        for o, values in self.values.items():
            values.extend(objective_values(scores, o))
        self.n_scored += len(scores)

    def best(self, objective: str) -> int:
        """The scored row with the lowest value (the first among equal ones)."""
        return int(np.nanargmin(np.array(self.values[objective])))


def neighbours(labels: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The structures one move away: a node at a region border given to the region across an
    edge; rows of canonical labels, each once (not yet checked against the plausible set)."""
    if not len(edges):
        return np.empty((0, len(labels)), dtype=labels.dtype)
    ends = np.concatenate([edges, edges[:, ::-1]])
    node, other = ends[:, 0], ends[:, 1]
    cross = labels[node] != labels[other]
    # a node alone in its region cannot leave it: the region would vanish
    sizes = np.bincount(labels.astype(np.int64))
    cross &= sizes[labels[node]] > 1
    node, other = node[cross], other[cross]
    moved = np.tile(labels, (len(node), 1))
    moved[np.arange(len(node)), node] = labels[other]
    if not len(moved):
        return moved
    _, first = np.unique(canonical_labels(moved), axis=0, return_index=True)
    return canonical_labels(moved[np.sort(first)])


def search_structures(
    ctx: StructureContext,
    spaces: dict[int, StructureSpace],
    labels: np.ndarray,
    scores: pd.DataFrame,
    *,
    budget: int,
    seed: np.random.SeedSequence,
    workers: int = 1,
    objectives: tuple[str, ...] = tuple(SEARCHED),
) -> SearchResult:
    """Search each score of ``objectives`` from the best of the reference structures.

    ``labels`` (rows over ``ctx.nodes``) and ``scores`` (their rows from
    :func:`~dekomopt.structures.runner.evaluate_structures`) are the reference set; ``spaces``
    hold the plausible set per number of regions. At most ``budget`` new structures are
    allocated and scored. Every structure returned is plausible, and each score's answer is at
    least as good as the reference set's best. A score with no value, or the same value for
    every reference structure (at the tie tolerance), is skipped and said so.
    """
    if budget < 1:
        raise ValueError(f"budget must be at least 1, got {budget}")
    rng = np.random.default_rng(seed)
    pool = _Pool(labels, scores, objectives)
    reference = pool.n_scored
    skipped: list[Skipped] = []
    walkers: list[_Walker] = []
    live: list[str] = []
    for objective in objectives:
        values = np.array(pool.values[objective])
        if np.isnan(values).all():
            skipped.append(Skipped(objective, "missing"))
            continue
        finite = values[np.isfinite(values)]
        if not better(float(finite.min()), float(finite.max())):
            skipped.append(Skipped(objective, "constant"))
            continue
        live.append(objective)
        order = np.argsort(np.where(np.isnan(values), np.inf, values), kind="stable")
        walkers.extend(_Walker(objective, int(i)) for i in order[:SEEDS] if np.isfinite(values[i]))

    checked: dict[bytes, bool] = {}

    def plausible(row: np.ndarray) -> bool:
        key = row.tobytes()
        if key not in checked:
            k = int(row.max()) + 1
            checked[key] = key in pool.index or (k in spaces and spaces[k].contains(row))
        return checked[key]

    def moves(row: np.ndarray) -> list[np.ndarray]:
        found = neighbours(row, spaces[int(row.max()) + 1].edges)
        return list(found[rng.permutation(len(found))])

    def kick(w: _Walker) -> None:
        start = pool.labels[pool.best(w.objective)]
        for _ in range(KICK):
            step = next((m for m in moves(start) if plausible(m)), None)
            if step is None:
                break
            start = step
        w.row, w.pending, w.tried, w.fresh = pool.add(start), [], [], True

    spent = idle = 0
    while walkers and spent < budget and idle < _IDLE_ROUNDS:
        for w in walkers:
            if w.fresh and pool.scored(w.row):
                w.pending, w.tried, w.fresh = moves(pool.labels[w.row]), [], False
            taken = 0
            while not w.fresh and w.pending and taken < PER_ROUND:
                candidate = w.pending.pop()
                if plausible(candidate):
                    w.tried.append(pool.add(candidate))
                    taken += 1
        # every structure not yet scored is scored now, in the order first seen
        batch = range(pool.n_scored, min(len(pool.labels), pool.n_scored + budget - spent))
        if len(batch):
            pool.extend(
                evaluate_structures(
                    ctx,
                    np.stack([pool.labels[i] for i in batch]),
                    workers=workers,
                    chunk_size=CHUNK,
                )
            )
            spent += len(batch)
        idle = 0 if len(batch) else idle + 1
        for w in walkers:
            if w.fresh:
                continue
            seen = pool.values[w.objective]
            tried = [i for i in w.tried if pool.scored(i)]
            best = min(tried, key=lambda i: _key(seen[i]), default=None)
            if best is not None and better(seen[best], seen[w.row]):
                w.row, w.pending, w.tried, w.fresh = best, [], [], True
            elif not w.pending:
                kick(w)
            else:
                w.tried = []
    del pool.labels[pool.n_scored :]

    frame = pd.concat(pool.frames, ignore_index=True)
    frame.insert(0, "structure_id", np.arange(len(frame)))
    found = []
    for objective in live:
        sign = SEARCHED[objective]
        best = pool.best(objective)
        ref = int(np.nanargmin(np.array(pool.values[objective][:reference])))
        found.append(
            Searched(
                objective,
                sign * pool.values[objective][best],
                best,
                sign * pool.values[objective][ref],
                ref,
            )
        )
    return SearchResult(
        np.stack(pool.labels).astype(np.int16),
        frame,
        reference,
        tuple(found),
        tuple(skipped),
        budget,
    )


_IDLE_ROUNDS = 20
"""Rounds in a row with nothing new to score (every restart lands on known structures) that
end the search before its budget."""


def _key(v: float) -> float:
    return np.inf if np.isnan(v) else v
