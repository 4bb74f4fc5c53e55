"""Which rules clash when the allocation LP is infeasible.

Each rule group (R2 key tolerance, R3, R4, R5, R7, R9, R10, R11) can be switched off by
freeing its rows. A deletion filter then drops one group at a time and keeps it dropped if the
rest is still infeasible (one LP solve per test); what remains is an irreducible set of rule
groups that cannot hold together. Budget conservation (R1), non-participation (R8) and the
partnership edges are never dropped: they define the problem.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.keys import draws_of
from dekomopt.allocation.model import build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Status
from dekomopt.allocation.rules import BY_ID
from dekomopt.errors import InfeasibleError, SolverError
from dekomopt.formats import format_nok

GROUPS = ("R2", "R3", "R4", "R5", "R7", "R9", "R10", "R11")
"""Rule groups that may be switched off to find a conflict, in the order they are tried."""


def find_conflicts(problem: AllocationProblem) -> InfeasibleError | None:
    """An :class:`InfeasibleError` naming a minimal set of clashing rules, or None if feasible.

    Raises :class:`~dekomopt.errors.SolverError` when a solve ends neither optimal nor proven
    infeasible: a rule set is only called conflicting on HiGHS's proof.
    """
    model = build_model(problem)
    lp = HighsLP.of(model)
    lo, hi = model.row_lo, model.row_hi
    group = np.where(np.isin(model.row_rules, GROUPS), model.row_rules, "")

    def feasible(active: set[str]) -> bool:
        off = ~np.isin(group, sorted(active)) & (group != "")
        lp.set_row_bounds(np.where(off, -np.inf, lo), np.where(off, np.inf, hi))
        status = lp.run()
        if status not in (Status.OPTIMAL, Status.INFEASIBLE):
            raise SolverError(f"the conflict search's LP ended with status {status}")
        return status is Status.OPTIMAL

    present = {g for g in group if g}
    if feasible(present):
        return None
    conflict = set(present)
    for g in GROUPS:
        if g in conflict and not feasible(conflict - {g}):
            conflict.discard(g)
    names = tuple(g for g in GROUPS if g in conflict)
    return InfeasibleError(_message(problem, names), conflicts=names or ("R1", "R8"))


def _message(problem: AllocationProblem, names: tuple[str, ...]) -> str:
    if not names:
        if not draws_of(problem).facts.region_active.any():
            return "no owner takes part, so the budget cannot be allocated (R1, R8)"
        return "the budget cannot be allocated to the participating owners and their partners"
    parts = [BY_ID[n].describe(problem) for n in names]
    if len(parts) == 1:
        return (
            f"{parts[0]} cannot hold while the whole budget of {format_nok(problem.budget_nok)} "
            f"goes to the participating owners and their partners ({names[0]} with R1, R8)"
        )
    return f"these rules cannot all hold ({', '.join(names)}): " + "; ".join(parts) + "."
