"""Allocate and score one region structure: the scenario's LP re-solved on the new regions.

A structure assigns every municipality to one of k geographic regions; owners outside the
geography (the private network, the county) keep their own regions. Every region is linked to
every eligible partner, at the region's FTE-weighted great-circle km, so the LP sends partner
funds to the nearest one; today's structure is scored the same way, so it is compared with its
alternatives on equal terms. Rules tied to today's regions (R10 last year's amounts, R12
special-challenge indices) cannot carry over to other regions and are left out of every
structure's problem, today's included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dekomopt.allocation.fast import allocation_of, failed_allocation
from dekomopt.allocation.highs import HighsLP, Solution, solver_name
from dekomopt.allocation.model import LinearModel, build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.county import allocation_problem
from dekomopt.county.model import County, owner_partner_km
from dekomopt.errors import DekomoptError
from dekomopt.metrics.engine import StructureScores, score_allocation, score_structures
from dekomopt.scenario import Scenario
from dekomopt.scenario.schema import Metrics
from dekomopt.structures.batch import BatchLP, geometry, nearest_only, reducible

METRICS: tuple[str, ...] = (
    "theil_between_share",
    "theil_total",
    "gini",
    "travel_km",
    "small_large_gap",
    "max_power",
    "need_match",
    "n_regions",
)
"""Score columns of every evaluated structure (``need_match`` is NaN without needs reports)."""


@dataclass(frozen=True)
class StructureContext:
    """What every structure's problem and score share; plain arrays, cheap to send to workers.

    ``nodes`` are the municipalities in label order; ``node_owner[j]`` is node j's owner index.
    """

    base: AllocationProblem
    nodes: tuple[str, ...]
    node_owner: np.ndarray
    fixed_regions: tuple[str, ...]
    fixed_owner_region: np.ndarray
    """Index into ``fixed_regions`` for owners outside the geography, -1 for municipalities."""
    owner_km: np.ndarray
    """owners × partners, great-circle km (see :func:`~dekomopt.county.model.owner_partner_km`)."""
    today_labels: np.ndarray
    today_regions: tuple[str, ...]
    cost_per_km_fte: float
    coordination_cost: float
    size_thresholds: tuple[float, float]
    themes_chosen: int
    notes: tuple[str, ...] = field(default=())


def structure_context(
    scenario: Scenario, county: County, nodes: tuple[str, ...]
) -> StructureContext:
    """The shared inputs for scoring structures of ``county`` over ``nodes`` (kommunenummer)."""
    base = allocation_problem(scenario, county)
    owners = county.owners
    ids = list(owners["owner_id"])
    node_owner = np.array([ids.index(n) for n in nodes], dtype=np.int64)
    geographic = owners["owner_kind"].eq("municipality").to_numpy()
    fixed = tuple(dict.fromkeys(owners.loc[~geographic, "region"]))
    fixed_owner_region = np.array(
        [
            -1 if geo else fixed.index(r)
            for geo, r in zip(geographic, owners["region"], strict=True)
        ],
        dtype=np.int64,
    )
    today_names = [owners.at[i, "region"] for i in node_owner]
    today_regions = tuple(dict.fromkeys(today_names))
    today_labels = np.array([today_regions.index(r) for r in today_names], dtype=np.int16)
    notes = []
    if base.region_previous is not None:
        notes.append("R10 (last year's amounts per region) is left out: regions differ")
    if base.region_special is not None and base.rules.key_weights.special > 0:
        notes.append("R12 special-challenge indices are left out: they belong to today's regions")
    m = scenario.spec.metrics
    return StructureContext(
        base=base,
        nodes=nodes,
        node_owner=node_owner,
        fixed_regions=fixed,
        fixed_owner_region=fixed_owner_region,
        owner_km=owner_partner_km(owners, county.partners),
        today_labels=today_labels,
        today_regions=tuple(str(r) for r in today_regions),
        cost_per_km_fte=m.travel_cost_nok_per_km_fte,
        coordination_cost=m.coordination_cost_nok,
        size_thresholds=(float(m.size_thresholds_fte[0]), float(m.size_thresholds_fte[1])),
        themes_chosen=m.themes_chosen,
        notes=tuple(notes),
    )


def structure_problem(ctx: StructureContext, labels: np.ndarray) -> AllocationProblem:
    """The scenario's allocation problem with municipalities in the regions ``labels`` gives."""
    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max()) + 1
    base = ctx.base
    owner_region = np.where(ctx.fixed_owner_region >= 0, ctx.fixed_owner_region + k, 0)
    owner_region[ctx.node_owner] = labels
    n_regions = k + len(ctx.fixed_regions)
    fte = np.asarray(base.owner_fte, dtype=float)
    member = np.zeros((n_regions, len(fte)))
    member[owner_region, np.arange(len(fte))] = 1.0
    weighted = member * fte
    region_fte = weighted.sum(axis=1)
    # a region without teachers is measured from its municipalities' unweighted mean
    weighted[region_fte == 0] = member[region_fte == 0]
    region_km = np.maximum(
        weighted @ ctx.owner_km / weighted.sum(axis=1, keepdims=True), 0.1
    )  # regions × partners
    n_p = region_km.shape[1]
    return base.with_(
        owner_region=owner_region,
        owner_km=region_km.min(axis=1)[owner_region],
        region_ids=tuple(str(j + 1) for j in range(k)) + ctx.fixed_regions,
        edge_region=np.repeat(np.arange(n_regions), n_p),
        edge_partner=np.tile(np.arange(n_p), n_regions),
        edge_km=region_km.ravel(),
        region_special=None,
        region_previous=None,
        previous_total_nok=None,
    )


class _ReusedLP:
    """One :class:`~dekomopt.allocation.highs.HighsLP` reused across structures: loaded
    afresh per model (``mode="pass"``), or updated in place (``"update"``) when the model's
    sparsity pattern is the loaded one's."""

    def __init__(self, mode: str) -> None:
        if mode not in ("update", "pass"):
            raise ValueError(f"mode must be 'update' or 'pass', got {mode!r}")
        self.mode = mode
        self._lp: HighsLP | None = None
        self._loaded: LinearModel | None = None

    def _same_pattern(self, m: LinearModel) -> bool:
        old = self._loaded
        return (
            old is not None
            and len(old.cost) == len(m.cost)
            and old.n_rows == m.n_rows
            and np.array_equal(old.rows, m.rows)
            and np.array_equal(old.cols, m.cols)
        )

    def run(self, m: LinearModel) -> tuple[Status, Solution | None]:
        """Solve ``m`` (warm from the last basis when updated in place); the solution when
        optimal."""
        lp = self._lp
        if self.mode == "update" and lp is not None and self._same_pattern(m):
            assert self._loaded is not None
            changed = np.flatnonzero(m.vals != self._loaded.vals)
            lp.set_coefficients(m.rows[changed], m.cols[changed], m.vals[changed])
            lp.set_cost(m.cost)
            lp.set_col_bounds(np.arange(len(m.cost), dtype=np.int32), m.col_lo, m.col_hi)
            lp.set_row_bounds(m.row_lo, m.row_hi)
        else:
            lp = self._lp = HighsLP.of(m)
        self._loaded = m
        status = lp.run()
        return status, lp.solution() if status is Status.OPTIMAL else None


class StructureEvaluator:
    """Solves and scores structures, reusing HiGHS instances across them.

    :meth:`evaluate_many` solves a batch's LPs back to back (see :mod:`.batch`: one warm
    HiGHS instance per number of regions when the scenario's rules allow, else the
    one-structure path below) and scores the whole batch at once with the metrics engine.
    The one-structure path re-solves one loaded LP: ``mode="update"`` changes costs, bounds
    and coefficients of the loaded LP and re-solves warm when the LP's sparsity pattern is
    unchanged (same number of regions); ``"pass"`` loads every structure's LP afresh and
    never uses the batch path.
    """

    def __init__(self, ctx: StructureContext, mode: str = "update") -> None:
        self.ctx = ctx
        self._lp = _ReusedLP(mode)
        self._solver = solver_name()
        self._metrics = Metrics(
            travel_cost_nok_per_km_fte=ctx.cost_per_km_fte,
            coordination_cost_nok=ctx.coordination_cost,
            size_thresholds_fte=ctx.size_thresholds,
            themes_chosen=ctx.themes_chosen,
        )
        self._batched = mode == "update" and reducible(structure_problem(ctx, ctx.today_labels))
        self._batches: dict[int, BatchLP | None] = {}

    def reset(self) -> None:
        """Forget the warm bases: what follows does not depend on what was solved before."""
        self._lp = _ReusedLP(self._lp.mode)
        for batch in self._batches.values():
            if batch is not None:
                batch.reset()

    def _solve(
        self, labels: np.ndarray
    ) -> tuple[AllocationProblem, LinearModel, Status, Solution | None]:
        problem = structure_problem(self.ctx, labels)
        model = build_model(problem, with_names=False)
        return problem, model, *self._lp.run(model)

    def allocate(self, labels: np.ndarray) -> tuple[AllocationProblem, Allocation]:
        """The structure's problem and its rounded allocation (status says if it failed)."""
        problem, model, status, sol = self._solve(labels)
        if sol is None:
            return problem, failed_allocation(problem, status, self._solver, False)
        raw = model.kroner(sol.col_value)
        return problem, allocation_of(problem, model, self._solver, raw, sol=sol)

    def evaluate(self, labels: np.ndarray) -> dict[str, float | str]:
        """Status, reason and every score of :data:`METRICS` for one structure
        (:meth:`evaluate_many` of one)."""
        return self.evaluate_many(np.asarray(labels)[None])[0]

    def evaluate_many(self, labels: np.ndarray) -> list[dict[str, float | str]]:
        """Status, reason and every score of :data:`METRICS` (and ``min_net_per_fte``) for
        each row of structures × nodes ``labels``.

        Scores read the LP's kroner before rounding (each rounded entry is within one rounding
        unit of them), which saves the rounding pass on every structure.
        """
        labels = np.asarray(labels)
        out: list[dict[str, float | str]] = [{} for _ in range(len(labels))]
        ks = labels.max(axis=1) + 1
        for k in np.unique(ks):
            at = np.flatnonzero(ks == k)
            for i, row in zip(at, self._evaluate_k(labels[at]), strict=True):
                out[i] = row
        return out

    def _evaluate_k(self, labels: np.ndarray) -> list[dict[str, float | str]]:
        """:meth:`evaluate_many` for structures of one number of regions."""
        ctx = self.ctx
        base = ctx.base
        n, n_i = len(labels), base.n_owners
        geo = geometry(
            ctx.node_owner,
            ctx.fixed_owner_region,
            len(ctx.fixed_regions),
            np.asarray(base.owner_fte, dtype=float),
            ctx.owner_km,
            labels,
        )
        k = geo.n_regions - len(ctx.fixed_regions)
        status: list[Status] = [Status.ERROR] * n
        owner_totals = np.zeros((n, n_i))
        partner_funds = np.zeros((n, geo.n_regions))
        nearest = geo.nearest
        batched = np.full(n, self._batched) & ~geo.tied
        if batched.any():
            at = np.flatnonzero(batched)
            if k not in self._batches:
                template = nearest_only(structure_problem(ctx, labels[at[0]]))
                self._batches[k] = BatchLP.of(template)
            batch = self._batches[k]
            if batch is None:
                batched[:] = False
            else:
                solved = batch.solve(geo.take(at), base.budget_nok)
                for j, i in enumerate(at.tolist()):
                    status[i] = solved.status[j]
                owner_totals[at] = solved.owner_totals
                partner_funds[at] = solved.partner_funds
        for i in np.flatnonzero(~batched).tolist():
            problem, model, status[i], sol = self._solve(labels[i])
            if sol is not None:
                amounts = model.kroner(sol.col_value)
                owner_totals[i], partner_funds[i], nearest[i] = _totals(problem, amounts)
        rows: list[dict[str, float | str]] = []
        for i in range(n):
            row: dict[str, float | str] = {"status": str(status[i]), "reason": ""}
            if status[i] is not Status.OPTIMAL:
                row["reason"] = _reason(structure_problem(ctx, labels[i]))
                row.update(dict.fromkeys((*METRICS, "min_net_per_fte"), np.nan))
                row["n_regions"] = float(k)
            rows.append(row)
        ok = np.flatnonzero([st is Status.OPTIMAL for st in status])
        if len(ok):
            region = geo.owner_region[ok]
            km = ctx.owner_km[np.arange(n_i), np.take_along_axis(nearest[ok], region, axis=1)]
            scores = score_structures(
                base,
                self._metrics,
                region,
                tuple(str(j + 1) for j in range(k)) + ctx.fixed_regions,
                owner_totals[ok],
                partner_funds[ok],
                km,
                regions=k,
            )
            for j, i in enumerate(ok.tolist()):
                rows[i].update(_score_row(scores.row(j), k))
        return rows

    def score(self, problem: AllocationProblem, amounts: np.ndarray) -> dict[str, float]:
        """The fairness scores of one solved structure; ``amounts`` over the amount vector
        (:func:`~dekomopt.metrics.score_allocation`, the metrics of ``simulate`` as well)."""
        owner_totals, partner_funds, nearest = _totals(problem, amounts)
        region = np.asarray(problem.owner_region)
        km = self.ctx.owner_km[np.arange(problem.n_owners), nearest[region]]
        k = problem.n_regions - len(self.ctx.fixed_regions)
        scores = score_allocation(
            problem, self._metrics, owner_totals[None], partner_funds[None], km, regions=k
        )
        return _score_row(scores, k)


def _totals(
    problem: AllocationProblem, amounts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each owner's own funds, each region's partner funds and its nearest partner, from the
    amount vector of ``problem``."""
    n_regions = problem.n_regions
    n_i = problem.n_owners
    per = len(problem.themes) * len(problem.sectors)
    owner_totals = amounts[: n_i * per].reshape(n_i, per).sum(axis=1)
    edge_totals = amounts[n_i * per :].reshape(-1, per).sum(axis=1)
    partner_funds = np.bincount(problem.edge_region, edge_totals, n_regions)
    nearest = np.asarray(problem.edge_partner)[
        _nearest_edges(problem.edge_region, problem.edge_km, n_regions)
    ]
    return owner_totals, partner_funds, nearest


def _score_row(scores: StructureScores, k: int) -> dict[str, float]:
    return {
        "theil_between_share": scores.theil_between_share,
        "theil_total": scores.theil_total,
        "gini": scores.gini,
        "travel_km": scores.travel_km,
        "small_large_gap": scores.small_large_gap,
        "max_power": scores.max_power,
        "need_match": scores.need_match,
        "n_regions": float(k),
        "min_net_per_fte": scores.min_net_per_fte,
    }


def _nearest_edges(edge_region: np.ndarray, edge_km: np.ndarray, n_regions: int) -> np.ndarray:
    """Per region, the index of its shortest edge (lowest index among equals)."""
    order = np.lexsort((np.arange(len(edge_km)), edge_km, edge_region))
    first = np.r_[True, np.diff(np.asarray(edge_region)[order]) != 0]
    out = np.full(n_regions, -1, dtype=np.int64)
    out[np.asarray(edge_region)[order][first]] = order[first]
    return out


def _reason(problem: AllocationProblem) -> str:
    from dekomopt.allocation.conflicts import find_conflicts

    try:
        found = find_conflicts(problem)
    except DekomoptError as exc:
        return str(exc)
    return str(found) if found is not None else "the LP has no solution"
