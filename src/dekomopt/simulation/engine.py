"""One process's simulation engine: the allocator built once, and a chunk of draws run on it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.county import allocation_problem, build_county
from dekomopt.errors import DataError, InfeasibleError, SolverError
from dekomopt.scenario import Scenario, load_scenario
from dekomopt.simulation.draws import DrawInputs, Perturber
from dekomopt.simulation.scoring import Scorer

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
class ChunkResult:
    """A chunk's rows: one per draw, and one per draw × owner for draws that solved."""

    index: int
    draws: pd.DataFrame
    owners: pd.DataFrame


def simulation_problem(scenario: Scenario, problem: AllocationProblem) -> AllocationProblem:
    """The problem the allocator is built on: with drawn needs, a needs matrix must exist
    from the start, because the need rows (R11) are part of the LP's structure."""
    unc = scenario.spec.uncertainty
    if unc.needs_probability is None or problem.owner_needs is not None:
        return problem
    fte = np.asarray(problem.owner_fte, dtype=float)
    needs = np.repeat((unc.needs_nok_per_fte * fte)[:, None], len(problem.themes), axis=1)
    return problem.with_(owner_needs=needs)


def _reason(exc: Exception) -> str:
    conflicts = getattr(exc, "conflicts", ())
    text = " ".join(str(exc).split())
    return f"{text} [conflicts: {', '.join(conflicts)}]" if conflicts else text


class ChunkEngine:
    """Draws, solves and scores chunks of one scenario; build once per process."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        base = allocation_problem(scenario, build_county(scenario))
        self.problem = simulation_problem(scenario, base)
        self.allocator = FastAllocator(self.problem)
        self.perturber = Perturber(scenario, self.problem)
        self.scorer = Scorer(self.problem, scenario.spec.metrics)
        self.needs = scenario.spec.uncertainty.needs_probability is not None
        self.capacity_noise = scenario.spec.uncertainty.partner_capacity_noise > 0
        self.units = self.scorer.units(self.needs)
        self.edge_region = np.asarray(self.problem.edge_region, dtype=np.int64)

    def run(self, spec: ChunkSpec) -> ChunkResult:
        """The chunk's draws; depends only on ``spec`` (the solver starts cold each chunk)."""
        rng = np.random.default_rng(spec.seed)
        inputs = self.perturber.draw(rng, np.arange(spec.start, spec.start + spec.size))
        return self.solve_and_score(inputs, spec.index)

    def solve_and_score(self, inputs: DrawInputs, index: int = 0) -> ChunkResult:
        """Allocate every draw of ``inputs`` and compute its metrics."""
        # A warm basis carried over from another chunk could pick another of several optimal
        # vertices; starting each chunk cold makes results independent of the worker.
        self.allocator.highs.clearSolver()
        p = self.problem
        n, n_owners, n_regions = len(inputs), p.n_owners, p.n_regions
        own = np.zeros((n, n_owners), dtype=np.int64)
        partner = np.zeros((n, n_regions))
        allocated = np.zeros(n, dtype=np.int64)
        status = np.full(n, "optimal", dtype=object)
        reason = np.full(n, "", dtype=object)
        for d in range(n):
            if inputs.budget_nok[d] <= 0:
                status[d] = "infeasible"
                reason[d] = "the set-asides take the whole drawn budget"
                continue
            try:
                alloc = self.allocator.solve(
                    budget_nok=int(inputs.budget_nok[d]),
                    owner_fte=inputs.fte[d],
                    owner_participates=inputs.participates[d],
                    partner_capacity=inputs.partner_capacity[d] if self.capacity_noise else None,
                    owner_needs=inputs.needs[d] if self.needs else None,
                )
            except InfeasibleError as exc:
                status[d], reason[d] = "infeasible", _reason(exc)
                continue
            except (SolverError, DataError, ValueError) as exc:
                status[d], reason[d] = "error", _reason(exc)
                continue
            owners = alloc.owner_amounts
            own[d] = owners.reshape(n_owners, -1).sum(axis=1)
            edges = alloc.edge_amounts.reshape(len(self.edge_region), -1).sum(axis=1)
            partner[d] = np.bincount(self.edge_region, edges, n_regions)
            allocated[d] = own[d].sum() + edges.sum()
        scores = self.scorer.score(own, partner, inputs.fte, inputs.participates, inputs.needs)
        ok = status == "optimal"
        draws = pd.DataFrame(
            {
                "draw": inputs.draw_ids,
                "chunk": np.full(n, index, dtype=np.int64),
                "status": status.astype(str),
                "reason": reason.astype(str),
                "total_nok": inputs.total_nok,
                "budget_nok": inputs.budget_nok,
                "allocated_nok": allocated,
            }
        )
        for name in self.units:
            draws[name] = np.where(ok, scores.scalars[name], np.nan)
        rows = np.flatnonzero(ok)
        owners = pd.DataFrame(
            {
                "draw": np.repeat(inputs.draw_ids[rows], n_owners),
                "owner_id": np.tile(np.array(p.owner_ids, dtype=object), len(rows)).astype(str),
                "region": np.tile(
                    np.array(p.region_ids, dtype=object)[p.owner_region], len(rows)
                ).astype(str),
                "amount_nok": own[rows].ravel(),
                "fte": inputs.fte[rows].ravel(),
                "participates": inputs.participates[rows].ravel(),
            }
        )
        for name, values in scores.owners.items():
            owners[name] = values[rows].ravel()
        return ChunkResult(index, draws, owners)


_ENGINES: dict[str, ChunkEngine] = {}
"""This process's engines by scenario sha256 (a worker builds each scenario's allocator once)."""


def engine_for(path: str, sha256: str) -> ChunkEngine:
    """The cached engine of the scenario at ``path``, which must still have hash ``sha256``."""
    engine = _ENGINES.get(sha256)
    if engine is None:
        scenario = load_scenario(path)
        if scenario.sha256 != sha256:
            raise DataError(
                path, "sha256", f"the scenario file changed during the run (now {scenario.sha256})"
            )
        engine = _ENGINES[sha256] = ChunkEngine(scenario)
    return engine


def run_chunk(path: str, sha256: str, spec: ChunkSpec) -> ChunkResult:
    """Run one chunk in this process (the task that process pools and Dask workers run)."""
    return engine_for(path, sha256).run(spec)
