"""Near-optimal alternatives (modelling to generate alternatives, Hop-Skip-Jump).

With the optimum z* known, the objective is capped at (1 + slack)·z* + abs_slack and the LP
is re-solved minimising the total of the owner and partner funds that were positive in any
earlier solution: each step pushes money into places the earlier proposals left empty, so
the proposals differ as much as the cap allows. It stops after ``n`` alternatives or when a
step finds nothing new. ``abs_slack`` (in the objective's unit, a share of the budget off the
key) lets a zero optimum still move money.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.highs import solver_name
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.allocation.solution import build_allocation


@dataclass(frozen=True)
class Alternative:
    """A near-optimal proposal and how far it is from the optimum."""

    allocation: Allocation
    distance_nok: int
    """Kroner moved relative to the optimum: L1 distance of the rounded amounts / 2."""


def alternatives(
    problem: AllocationProblem, n: int, slack: float = 0.05, abs_slack: float = 0.01
) -> list[Alternative]:
    """Up to ``n`` rounded alternatives with objective ≤ (1+slack)·optimum + abs_slack."""
    fast = FastAllocator(problem)
    best = fast.solve()
    model = fast.model
    h: highspy.Highs = fast.highs
    n_cols = len(model.cost)
    cost = model.cost
    # The objective cap as a row: cost · v ≤ (1 + slack) z* + abs_slack.
    nz = np.flatnonzero(cost)
    h.addRow(
        -highspy.kHighsInf,
        (1 + slack) * best.objective + abs_slack,
        len(nz),
        nz.astype(np.int32),
        cost[nz],
    )
    funds = np.r_[np.arange(model.layout.n_own), model.layout.y.start + np.arange(model.layout.n_y)]
    used = np.zeros(n_cols, dtype=bool)
    solution = np.asarray(h.getSolution().col_value)
    out: list[Alternative] = []
    seen = [best.amounts]
    all_cols = np.arange(n_cols, dtype=np.int32)
    for _ in range(n):
        used[funds] |= solution[funds] > 1e-9
        weights = np.where(used, 1.0, 0.0)
        h.changeColsCost(n_cols, all_cols, weights)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        sol = h.getSolution()
        solution = np.asarray(sol.col_value)
        allocation = build_allocation(
            problem,
            model,
            solution,
            float(cost @ solution),
            np.asarray(sol.row_dual)[:-1],
            np.asarray(sol.row_value)[:-1],
            solver_name(),
            fast.table,
        )
        if any(np.array_equal(allocation.amounts, a) for a in seen):
            continue
        seen.append(allocation.amounts)
        moved = int(np.abs(allocation.amounts - best.amounts).sum() // 2)
        out.append(Alternative(allocation, moved))
    h.changeColsCost(n_cols, all_cols, cost)
    h.deleteRows(1, np.array([model.n_rows], dtype=np.int32))
    return out


__all__ = ["Alternative", "alternatives"]
