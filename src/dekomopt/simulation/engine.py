"""One process's simulation engine: the allocator built once, and a chunk of draws run on it
into a table per draw and a table per draw × owner.

Only the package's own rule errors become data: a draw whose rules cannot all hold
(:class:`~dekomopt.errors.InfeasibleError`, with the rules that conflict) is a counted
"infeasible" draw. Any other exception stops the run with its message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from dekomopt import county
from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Status
from dekomopt.errors import InfeasibleError
from dekomopt.metrics import MetricsEngine
from dekomopt.notes import Note
from dekomopt.scenario import Scenario
from dekomopt.scenario.files import InputFile
from dekomopt.simulation.chunkfiles import ChunkFiles, ipc_bytes
from dekomopt.simulation.draws import DrawInputs, Perturber
from dekomopt.simulation.reasons import SET_ASIDES_TAKE_ALL, infeasible_reason

OWNER_METRICS = ("funding_per_fte", "net_per_fte", "power", "need_match")
"""Per-owner metrics summarised owner by owner (need_match only when needs are drawn)."""


@dataclass(frozen=True)
class ChunkSpec:
    """Chunk ``index`` holds draws ``start .. start + size − 1``, drawn from ``seed``."""

    index: int
    start: int
    size: int
    seed: np.random.SeedSequence


@dataclass(frozen=True)
class Job:
    """What every process of a run builds its engine from: the validated scenario as it is in
    memory (not re-read from its file) and its allocation problem, built once."""

    scenario: Scenario
    problem: AllocationProblem
    input_files: tuple[InputFile, ...] = ()
    """The files the scenario named, as read (for provenance)."""
    caveats: tuple[Note, ...] = ()
    """The county model's caveats (imputed figures, unknown partner places, ...)."""
    scope: str = ""
    """The county or Statsforvalter office, as the shared record names it."""

    @classmethod
    def of(cls, scenario: Scenario) -> Job:
        """The job of ``scenario``, its problem built from the county data."""
        built = county.build_county(scenario)
        problem = county.allocation_problem(scenario, built)
        scope = built.scope.label if built.scope is not None else built.name
        return cls(
            scenario,
            simulation_problem(scenario, problem),
            built.input_files,
            built.warnings,
            scope,
        )


@dataclass(frozen=True)
class ChunkResult:
    """A chunk's rows: one per draw, and one per draw × owner for draws that solved."""

    index: int
    draws: pa.Table
    owners: pa.Table

    def files(self) -> ChunkFiles:
        """The tables as file contents (:func:`~.chunkfiles.ipc_bytes`)."""
        return ChunkFiles(self.index, ipc_bytes(self.draws), ipc_bytes(self.owners))

    def save(self, out: Path) -> None:
        """Write the chunk's files into the run folder ``out``."""
        self.files().save(out)


def simulation_problem(scenario: Scenario, problem: AllocationProblem) -> AllocationProblem:
    """The problem the allocator is built on: with drawn needs, a needs matrix must exist
    from the start, because the need rows (R11) are part of the LP's structure."""
    unc = scenario.spec.uncertainty
    if unc.needs_probability is None or problem.owner_needs is not None:
        return problem
    fte = np.asarray(problem.owner_fte, dtype=float)
    needs = np.repeat((unc.needs_nok_per_fte * fte)[:, None], len(problem.themes), axis=1)
    return problem.with_(owner_needs=needs)


def _item(data: dict, j: int, stop: int | None = None) -> dict:
    """Draw ``j``'s data from per-field sequences (with ``stop``, draws ``j`` to ``stop``)."""
    return {name: values[j] if stop is None else values[j:stop] for name, values in data.items()}


class ChunkEngine:
    """Draws, solves and scores chunks of one scenario; build once per process."""

    def __init__(self, scenario: Scenario, problem: AllocationProblem | None = None) -> None:
        """``problem``: the scenario's allocation problem, if already built (it is built from
        the county data otherwise)."""
        self.scenario = scenario
        if problem is None:
            problem = county.allocation_problem(scenario, county.build_county(scenario))
        self.problem = simulation_problem(scenario, problem)
        self.allocator = FastAllocator(self.problem)
        self.perturber = Perturber(scenario, self.problem)
        self.scorer = MetricsEngine.for_problem(self.problem, scenario.spec.metrics)
        self.needs = scenario.spec.uncertainty.needs_probability is not None
        self.capacity_noise = scenario.spec.uncertainty.partner_capacity_noise > 0
        self.units = self.scorer.units(self.needs)
        p = self.problem
        self.owner_ids = pa.array(p.owner_ids, pa.string())
        self.owner_region_ids = pa.array(np.array(p.region_ids, dtype=object)[p.owner_region])
        self.edge_region = np.asarray(p.edge_region, dtype=np.int64)
        self.edge_onehot = np.eye(p.n_regions, dtype=np.int64)[self.edge_region]
        per_entity = len(p.themes) * len(p.sectors)
        self.n_owner_entries = p.n_owners * per_entity
        self.n_edge_entries = len(self.edge_region) * per_entity

    def _solve_each(self, data: dict, n: int) -> list[tuple[Status | InfeasibleError, np.ndarray]]:
        """Each of ``n`` draws' status (or the rule conflict it raised) and amounts, one by one."""
        outcomes: list[tuple[Status | InfeasibleError, np.ndarray]] = []
        for j in range(n):
            try:
                status, amounts = self.allocator.solve_many(1, **_item(data, j, j + 1))
                outcomes.append((status[0], amounts[0]))
            except InfeasibleError as exc:
                outcomes.append((exc, np.zeros(0, dtype=np.int64)))
        return outcomes

    def run(self, spec: ChunkSpec) -> ChunkResult:
        """The chunk's draws; depends only on ``spec`` (the solver starts cold each chunk)."""
        rng = np.random.default_rng(spec.seed)
        inputs = self.perturber.draw(rng, np.arange(spec.start, spec.start + spec.size))
        return self.solve_and_score(inputs, spec.index)

    def solve_and_score(self, inputs: DrawInputs, index: int = 0) -> ChunkResult:
        """Allocate every draw of ``inputs`` and compute its metrics."""
        p = self.problem
        n, n_owners = len(inputs), p.n_owners
        amounts = np.zeros((n, self.n_owner_entries + self.n_edge_entries), dtype=np.int64)
        status = np.full(n, "optimal", dtype=object)
        reason = np.full(n, "", dtype=object)
        empty = inputs.budget_nok <= 0
        status[empty] = "infeasible"
        reason[empty] = str(SET_ASIDES_TAKE_ALL)
        tried = np.flatnonzero(~empty)
        data = {
            "budget_nok": inputs.budget_nok[tried].tolist(),
            "owner_fte": inputs.fte[tried],
            "owner_participates": inputs.participates[tried],
        }
        if self.capacity_noise:
            data["partner_capacity"] = inputs.partner_capacity[tried]
        if inputs.needs is not None:
            data["owner_needs"] = inputs.needs[tried]
        # A warm basis carried over from another chunk could pick another of several optimal
        # vertices; starting each chunk cold makes results independent of the worker.
        self.allocator.lp.start_cold()
        outcomes: Iterable[tuple[Status | InfeasibleError, np.ndarray]]
        try:
            outcomes = zip(*self.allocator.solve_many(len(tried), **data), strict=True)
        except InfeasibleError:
            # A draw's rules clash before the LP: again draw by draw from the same cold
            # start, so that only that draw is infeasible.
            self.allocator.lp.start_cold()
            outcomes = self._solve_each(data, len(tried))
        # A draw that did not solve is solved again only to raise its failure with the reason;
        # after all draws, so that no draw starts from the basis this leaves.
        for j, (outcome, values) in enumerate(outcomes):
            d = tried[j]
            try:
                if isinstance(outcome, Exception):
                    raise outcome
                if outcome is not Status.OPTIMAL:
                    values = self.allocator.solve(**_item(data, j)).amounts
                amounts[d] = values
            except InfeasibleError as exc:
                status[d], reason[d] = "infeasible", infeasible_reason(exc)
        ok = status == "optimal"
        own = amounts[:, : self.n_owner_entries].reshape(n, n_owners, -1).sum(axis=2)
        edges = amounts[:, self.n_owner_entries :].reshape(n, len(self.edge_region), -1).sum(axis=2)
        partner = (edges @ self.edge_onehot).astype(float)
        scores = self.scorer.score(own, partner, inputs.fte, inputs.participates, inputs.needs)
        draws = {
            "draw": inputs.draw_ids,
            "chunk": np.full(n, index, dtype=np.int64),
            "status": pa.array(status.tolist(), pa.string()),
            "reason": pa.array(reason.tolist(), pa.string()),
            "total_nok": inputs.total_nok,
            "budget_nok": inputs.budget_nok,
            "allocated_nok": amounts.sum(axis=1),
        }
        for name in self.units:
            draws[name] = np.where(ok, scores.scalars[name], np.nan)
        rows = np.flatnonzero(ok)
        owner = np.tile(np.arange(n_owners, dtype=np.int32), len(rows))
        owners = {
            "draw": np.repeat(inputs.draw_ids[rows], n_owners),
            "owner_id": self.owner_ids.take(owner),
            "region": self.owner_region_ids.take(owner),
            "amount_nok": own[rows].ravel(),
            "fte": inputs.fte[rows].ravel(),
            "participates": inputs.participates[rows].ravel(),
        }
        for name, values in scores.owners.items():
            owners[name] = values[rows].ravel()
        return ChunkResult(index, pa.table(draws), pa.table(owners))


_ENGINES: dict[str, ChunkEngine] = {}
"""This process's engines by scenario content hash (a worker builds each scenario's allocator
once)."""


def engine_for(job: Job) -> ChunkEngine:
    """This process's engine for ``job`` (built on its first use)."""
    key = job.scenario.content_sha256
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = ChunkEngine(job.scenario, job.problem)
    return engine


def run_chunk(job: Job, spec: ChunkSpec) -> ChunkFiles:
    """Run one chunk in this process and return its files (the task Dask workers run)."""
    return engine_for(job).run(spec).files()


def run_and_save_chunk(job: Job, spec: ChunkSpec, out: str) -> int:
    """Run one chunk in this process and save its files into the run folder ``out``; the
    chunk's index (the task local worker processes run: what they send back is small, and
    the files are read back from the page cache)."""
    engine_for(job).run(spec).save(Path(out))
    return spec.index
