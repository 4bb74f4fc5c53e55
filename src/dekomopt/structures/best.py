"""Proven-best structures: an integer programme with flow-based contiguity (PuLP + HiGHS).

Formulation (nodes in a fixed order, a region named by its lowest node, its *root*):

* ``x[i, j] = 1`` when node i is in the region rooted at j (only j <= i), ``x[j, j]`` marks
  roots; every node is in one region, a region's members need its root, and the number of
  roots is the number of regions (or within a range);
* ``z[u, v] = 1`` may be set only when u and v share a region; a single-commodity flow sends
  one unit from every non-root node along edges with ``z = 1`` to a root, which absorbs its
  region's flow, so every region is connected;
* ``a[i, p] = 1`` gives node i's partner; along every ``z = 1`` edge the partner is the same,
  so each (connected) region has one partner, and the FTE-weighted travel
  ``sum_i fte_i * km[i, a(i)] / sum fte`` is exactly what the scoring reads for the structure
  (each region's nearest partner by FTE-weighted km).

Objectives: ``travel`` (FTE-weighted km to the partner) and ``spread`` (largest minus smallest
region FTE); rules: the number of regions, ``together`` groups, FTE bounds. The solver's gap is
reported with the structure: ``proven`` means HiGHS closed the gap to its tolerance. Scores
after the allocation LP (between-region inequality, power) are not linear in the membership;
:mod:`dekomopt.structures.search` looks for theirs.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pulp

from dekomopt.allocation.highs import silence_banner
from dekomopt.errors import DataError
from dekomopt.structures.constraints import PartRules
from dekomopt.structures.evaluate import StructureContext
from dekomopt.structures.outlier import TIE_TOLERANCE

OBJECTIVES = ("travel", "spread")

COLUMNS = {"travel": "travel_km", "spread": "fte_spread"}
"""The column each objective's value is reported under."""


@dataclass(frozen=True)
class BestStructure:
    """The best structure an integer programme found for one objective, with its proof: of
    one programme (:func:`best_structure`, :func:`best_for_scenario`) or the best over every
    analysed region count (:func:`programme_bests`).

    ``labels`` are parts numbered by their lowest node; ``value`` the objective of that
    structure and ``bound`` the solver's proven bound on the optimum (over several region
    counts, the lowest); ``gap`` is ``(value - bound) / |value|``; ``proven`` is True when the
    solver reports optimality (over several region counts, for every one); ``seconds`` the
    solver time (summed); ``status`` the solver's status (of the best programme).
    """

    objective: str
    labels: np.ndarray
    value: float
    bound: float
    gap: float
    proven: bool
    seconds: float
    status: str

    @property
    def column(self) -> str:
        """The column the objective's value is reported under (:data:`COLUMNS`)."""
        return COLUMNS[self.objective]


def best_structure(
    graph: nx.Graph,
    regions: int | tuple[int, int],
    fte: np.ndarray | Sequence[float],
    km: np.ndarray,
    *,
    objective: str = "travel",
    nodes: Sequence[Hashable] | None = None,
    together: Iterable[Iterable[Hashable]] = (),
    min_fte: float | None = None,
    max_fte: float | None = None,
    time_limit: float = 60.0,
    gap: float = 1e-6,
) -> BestStructure:
    """Solve for the structure of ``graph`` best in ``objective`` under the rules.

    ``fte[i]`` and ``km[i, p]`` (node i to partner p) follow ``nodes`` (default
    ``list(graph.nodes)``); ``regions`` is a number or an inclusive range. Raises DataError if
    the rules leave no structure (the programme is infeasible).
    """
    if objective not in OBJECTIVES:
        raise DataError("best", "objective", f"must be one of {', '.join(OBJECTIVES)}")
    order = list(graph.nodes) if nodes is None else list(nodes)
    n = len(order)
    pos = {v: i for i, v in enumerate(order)}
    w = np.asarray(fte, dtype=float)
    km = np.asarray(km, dtype=float)
    n_p = km.shape[1]
    k_lo, k_hi = (regions, regions) if isinstance(regions, int) else regions
    edges = [(pos[a], pos[b]) for a, b in graph.edges if a != b]

    prob = pulp.LpProblem("best_structure", pulp.LpMinimize)
    x = {
        (i, j): pulp.LpVariable(f"x_{i}_{j}", cat="Binary") for i in range(n) for j in range(i + 1)
    }
    z = {e: pulp.LpVariable(f"z_{e[0]}_{e[1]}", cat="Binary") for e in edges}
    f = {}
    for u, v in edges:
        f[u, v] = pulp.LpVariable(f"f_{u}_{v}", lowBound=0)
        f[v, u] = pulp.LpVariable(f"f_{v}_{u}", lowBound=0)

    def xv(i: int, j: int):
        return x.get((i, j), 0)

    for i in range(n):
        prob += pulp.lpSum(x[i, j] for j in range(i + 1)) == 1, f"one_region_{i}"
        for j in range(i):
            prob += x[i, j] <= x[j, j], f"root_{i}_{j}"
    roots = pulp.lpSum(x[j, j] for j in range(n))
    prob += roots >= k_lo, "regions_min"
    prob += roots <= k_hi, "regions_max"
    cap = n - k_lo
    for u, v in edges:
        for j in range(max(u, v) + 1):
            prob += z[u, v] <= 1 - xv(u, j) + xv(v, j), f"same_a_{u}_{v}_{j}"
            prob += z[u, v] <= 1 + xv(u, j) - xv(v, j), f"same_b_{u}_{v}_{j}"
        prob += f[u, v] <= cap * z[u, v], f"flow_uv_{u}_{v}"
        prob += f[v, u] <= cap * z[u, v], f"flow_vu_{u}_{v}"
    for i in range(n):
        out = pulp.lpSum(f[i, j] for (a, j) in f if a == i)
        inn = pulp.lpSum(f[a, i] for (a, b) in f if b == i)
        prob += out - inn >= 1 - n * x[i, i], f"supply_{i}"
    for group in together:
        idx = [pos[v] for v in group]
        for a, b in zip(idx, idx[1:], strict=False):
            for j in range(max(a, b) + 1):
                prob += xv(a, j) == xv(b, j), f"together_{a}_{b}_{j}"
    region_fte = {j: pulp.lpSum(w[i] * x[i, j] for i in range(j, n)) for j in range(n)}
    for j in range(n):
        if min_fte is not None:
            prob += region_fte[j] >= min_fte * x[j, j], f"min_fte_{j}"
        if max_fte is not None:
            prob += region_fte[j] <= max_fte * x[j, j], f"max_fte_{j}"

    if objective == "travel":
        partner = {
            (i, p): pulp.LpVariable(f"a_{i}_{p}", cat="Binary")
            for i in range(n)
            for p in range(n_p)
        }
        for i in range(n):
            prob += pulp.lpSum(partner[i, p] for p in range(n_p)) == 1, f"partner_{i}"
        for u, v in edges:
            for p in range(n_p):
                prob += partner[u, p] - partner[v, p] <= 1 - z[u, v], f"same_p_a_{u}_{v}_{p}"
                prob += partner[v, p] - partner[u, p] <= 1 - z[u, v], f"same_p_b_{u}_{v}_{p}"
        prob += pulp.lpSum(
            w[i] * km[i, p] / w.sum() * partner[i, p] for i in range(n) for p in range(n_p)
        )
    else:
        big = float(w.sum())
        top = pulp.LpVariable("largest", lowBound=0)
        low = pulp.LpVariable("smallest", lowBound=0)
        for j in range(n):
            prob += top >= region_fte[j], f"largest_{j}"
            prob += low <= region_fte[j] + big * (1 - x[j, j]), f"smallest_{j}"
        prob += top - low

    silence_banner()
    solver = pulp.HiGHS(msg=False, timeLimit=time_limit, gapRel=gap)
    began = time.perf_counter()
    prob.solve(solver)
    seconds = time.perf_counter() - began
    status = pulp.LpStatus[prob.status]
    if status == "Infeasible":
        raise DataError(
            "best", "rules", "no structure meets the rules (the programme is infeasible)"
        )
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        raise DataError("best", "solver", f"no structure found within {time_limit:g} s ({status})")
    root_of = np.array(
        [next(j for j in range(i + 1) if (x[i, j].value() or 0) > 0.5) for i in range(n)]
    )
    _, labels = np.unique(root_of, return_inverse=True)
    value = float(pulp.value(prob.objective))
    bound = _bound(prob, value)
    proven = prob.sol_status == pulp.LpSolutionOptimal
    rel = abs(value - bound) / abs(value) if value else 0.0
    return BestStructure(
        objective, labels.astype(np.int16), value, bound, rel, proven, seconds, status
    )


def _bound(prob: pulp.LpProblem, value: float) -> float:
    """The solver's dual bound when PuLP exposes it, else the value (optimal status only)."""
    solver_model = getattr(prob, "solverModel", None)
    if solver_model is not None:
        try:
            return float(solver_model.getInfo().mip_dual_bound)
        except AttributeError:
            pass
    return value


def region_fte_spread(labels: np.ndarray, fte: np.ndarray) -> float:
    """Largest minus smallest region FTE of one structure."""
    sizes = np.bincount(np.asarray(labels, dtype=np.int64), weights=np.asarray(fte, float))
    return float(sizes.max() - sizes.min())


def best_for_scenario(
    ctx: StructureContext,
    rules: PartRules,
    objective: str = "travel",
    *,
    time_limit: float = 60.0,
) -> BestStructure:
    """:func:`best_structure` for a scenario's structures, in the units the scores use.

    The travel objective is shifted and scaled to the ``travel_km`` score (owners outside the
    geography add a constant), and the structure found is scored to check it: if the score
    differs from the programme's value (the partner chosen by raw FTE differs from the one by
    participating FTE), the result is not marked proven. ``max_partner_km`` and other part tests
    are checked the same way.
    """
    from dekomopt.structures.evaluate import StructureEvaluator

    base = ctx.base
    w_all = np.where(base.owner_participates, np.asarray(base.owner_fte, dtype=float), 0.0)
    order = list(ctx.nodes)
    if list(rules.nodes) != order:
        raise DataError("best", "nodes", "the rules and the context list nodes differently")
    w = w_all[ctx.node_owner]
    km = ctx.owner_km[ctx.node_owner]
    eps = 1e-9 * max(float(w.sum()), 1.0)
    total = sum(rules.weights.values())
    lo = rules.min_weight
    hi = None
    if rules.balance is not None:
        lo = max(lo or 0.0, total / rules.k * (1 - rules.balance)) - eps
        hi = total / rules.k * (1 + rules.balance) + eps
    fte = np.array([rules.weights[v] for v in order])
    found = best_structure(
        rules.graph,
        rules.k,
        fte if objective == "spread" else w,
        km,
        objective=objective,
        nodes=order,
        together=rules.together,
        min_fte=lo,
        max_fte=hi,
        time_limit=time_limit,
    )
    if objective == "spread":
        spread = region_fte_spread(found.labels, fte)
        same = bool(np.isclose(spread, found.value, rtol=1e-9, atol=1e-9))
        return BestStructure(
            objective,
            found.labels,
            spread,
            found.bound,
            found.gap,
            found.proven and same,
            found.seconds,
            found.status,
        )
    scale = float(w.sum()) / float(w_all.sum())
    score = float(StructureEvaluator(ctx).evaluate(found.labels)["travel_km"])
    shift = score - found.value * scale
    value, bound = found.value * scale + shift, found.bound * scale + shift
    fixed_only = np.isclose(score, value, rtol=1e-9)
    ok = rules.part_ok is None or all(
        rules.part_ok(frozenset(np.array(order)[found.labels == r])) for r in range(rules.k)
    )
    return BestStructure(
        objective,
        found.labels,
        value,
        bound,
        abs(value - bound) / abs(value) if value else 0.0,
        found.proven and ok and bool(fixed_only),
        found.seconds,
        found.status if ok else f"{found.status}; breaks max_partner_km",
    )


def programme_bests(
    ctx: StructureContext, rules: Sequence[PartRules], *, time_limit: float = 60.0
) -> list[BestStructure]:
    """The travel and FTE-spread optima, one programme per region count in ``rules``; each the
    best over the region counts, its gap against the lowest bound (noise below the tie
    tolerance is 0)."""
    out = []
    for objective in COLUMNS:
        results = [best_for_scenario(ctx, r, objective, time_limit=time_limit) for r in rules]
        best = min(results, key=lambda b: b.value)
        bound = min(b.bound for b in results)
        gap = abs(best.value - bound) / abs(best.value) if best.value else 0.0
        out.append(
            BestStructure(
                objective,
                best.labels,
                best.value,
                bound,
                0.0 if gap <= TIE_TOLERANCE else gap,
                all(b.proven for b in results),
                sum(b.seconds for b in results),
                best.status,
            )
        )
    return out
