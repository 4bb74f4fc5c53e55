"""Near-optimal alternatives that differ from the optimum in what recipients receive.

With the optimum z* known, the objective is capped at z* + slack, in the objective's unit (a
share of the budget: kroner off the key, plus the travel, need and tie-break terms, over the
budget), so ``slack`` = 0.01 lets an alternative be 1 % of the budget worse. Under that cap
the LP is re-solved for extreme directions: each region's total as
large and as small as it can be, and each region's partner part as large and as small. Every
rounded result is a candidate; alternatives are picked farthest first: the candidate whose
smallest distance to the optimum and to every alternative already picked is largest, as long
as that distance is at least ``min_moved_nok``.

The distance between two allocations is the kroner moved between recipients:
Σ |difference of a recipient's total| / 2 over owners and partners (both add up to the budget,
so this is exactly what one would have to take from some recipients and give to others).
Amounts moved between themes or sectors of one recipient do not count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.highs import Solution
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status


@dataclass(frozen=True)
class Direction:
    """What an alternative pushes: a region's total or its partners' part (``part``, "total"
    or "partners"), as large (``most``) or as small as it can be (its words:
    :func:`dekomopt.report.summary.direction_words`)."""

    most: bool
    part: str
    region: str


@dataclass(frozen=True)
class Alternative:
    """A near-optimal proposal and how far it is from the optimum and the others."""

    allocation: Allocation
    """Rounded amounts; its duals are those of the direction it was found for, not the
    proposal's objective, so they are NaN."""
    moved_nok: int
    """Kroner moved between recipients relative to the optimum (see the module doc)."""
    nearest_nok: int
    """Kroner moved relative to the nearest of the optimum and the alternatives before it."""
    direction: Direction


@dataclass(frozen=True)
class Search:
    """What an alternatives search asked for and allowed: ``asked`` alternatives, ``tried``
    directions (four per region), each moving at least ``min_moved_nok`` and with an objective
    at most ``slack_nok`` (kroner of objective) above the optimum's."""

    asked: int
    found: int
    tried: int
    min_moved_nok: int
    slack_nok: float


@dataclass(frozen=True)
class Alternatives:
    """The alternatives found and the search that found them."""

    found: tuple[Alternative, ...]
    search: Search


def recipient_totals(allocation: Allocation) -> np.ndarray:
    """Owners' totals, then partners' totals, kroner."""
    return np.r_[allocation.owner_totals, allocation.partner_totals].astype(np.int64)


def moved_nok(a: Allocation, b: Allocation) -> int:
    """Kroner moved between recipients from ``a`` to ``b`` (Σ |difference| / 2)."""
    return int(np.abs(recipient_totals(a) - recipient_totals(b)).sum() // 2)


def alternatives(
    problem: AllocationProblem,
    n: int,
    slack: float = 0.01,
    min_moved_share: float = 0.005,
) -> Alternatives:
    """Up to ``n`` rounded alternatives with objective ≤ optimum + ``slack``, each moving at
    least ``min_moved_share`` of the budget (whole kroner, rounded up) relative to
    the optimum and to every other alternative."""
    if n < 0 or slack < 0:
        raise ValueError(f"alternatives need n ≥ 0 and slack ≥ 0, got {n} and {slack}")
    min_moved = int(np.ceil(min_moved_share * problem.budget_nok))
    fast = FastAllocator(problem)
    best = fast.solve()
    cap = best.objective + slack
    if n == 0:
        return Alternatives((), Search(0, 0, 0, min_moved, slack * problem.budget_nok))
    model, lp = fast.model, fast.lp
    space = model.space
    n_cols = len(model.cost)
    nz = np.flatnonzero(model.cost)
    cap_row = sp.csr_matrix((model.cost[nz], (np.zeros(len(nz)), nz)), shape=(1, n_cols))
    lp.add_rows(cap_row, np.array([-np.inf]), np.array([cap]))
    candidates: list[tuple[Direction, Allocation]] = []
    try:
        for r, region in enumerate(problem.region_ids):
            total = np.zeros(n_cols)
            total[space.funds[space.funds_region == r]] = 1.0
            partners = np.zeros(n_cols)
            partners[space.y[space.funds_region[space.y] == r]] = 1.0
            for pushed, cost in (
                (Direction(True, "total", region), -total),
                (Direction(False, "total", region), total),
                (Direction(True, "partners", region), -partners),
                (Direction(False, "partners", region), partners),
            ):
                lp.set_cost(cost)
                if lp.run() is not Status.OPTIMAL:
                    continue
                v = lp.values()
                nan = np.full(model.n_rows, np.nan)
                sol = Solution(v, nan, nan, float(model.cost @ v))
                candidates.append((pushed, fast.allocation(sol)))
    finally:
        lp.set_cost(model.cost)
        lp.drop_rows_from(model.n_rows)
    chosen: list[Allocation] = [best]
    found: list[Alternative] = []
    while len(found) < n and candidates:
        distance = [min(moved_nok(c, a) for c in chosen) for _, a in candidates]
        pick = int(np.argmax(distance))
        if distance[pick] < min_moved:
            break
        pushed, allocation = candidates.pop(pick)
        found.append(Alternative(allocation, moved_nok(best, allocation), distance[pick], pushed))
        chosen.append(allocation)
    search = Search(n, len(found), 4 * problem.n_regions, min_moved, slack * problem.budget_nok)
    return Alternatives(tuple(found), search)
