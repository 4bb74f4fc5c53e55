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
from dekomopt.allocation.keys import key_facts, previous_shares, region_needs
from dekomopt.allocation.model import build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Status
from dekomopt.errors import InfeasibleError, SolverError
from dekomopt.formats import format_nok as kr

GROUPS = ("R2", "R3", "R4", "R5", "R7", "R9", "R10", "R11")
"""Rule groups that may be switched off to find a conflict, in the order they are tried."""


def _group_of(row_name: str) -> str | None:
    if row_name.startswith("R2_key_hi") or row_name.startswith("R2_key_lo"):
        return "R2"
    head = row_name.split("_", 1)[0]
    return head if head in GROUPS else None


def find_conflicts(problem: AllocationProblem) -> InfeasibleError | None:
    """An :class:`InfeasibleError` naming a minimal set of clashing rules, or None if feasible.

    Raises :class:`~dekomopt.errors.SolverError` when a solve ends neither optimal nor proven
    infeasible: a rule set is only called conflicting on HiGHS's proof.
    """
    model = build_model(problem)
    lp = HighsLP.of(model)
    lo, hi = model.row_lo, model.row_hi
    group = np.array([_group_of(n) or "" for n in model.row_names])

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


def _describe(problem: AllocationProblem, rule: str) -> str:
    r = problem.rules
    B = problem.budget_nok
    if rule == "R2":
        return f"the key tolerance of ±{r.key_tolerance:.0%} around each region's key share"
    if rule == "R3":
        where = "of the county total" if r.uh_scope == "county" else "of every region's total"
        return f"the UH minimum of {r.uh_share_min:.0%} {where} ({kr(r.uh_share_min * B)})"
    if rule == "R4":
        cap = np.asarray(problem.owner_cofin_capacity, float)
        limit = np.nansum(cap) / r.cofinancing_share
        return (
            f"the owners' co-financing capacity ({r.cofinancing_share:.0%} own share; "
            f"owners with a cap can take at most {kr(limit)} together)"
        )
    if rule == "R5":
        share = r.special_ed_share_min
        return f"the special-education minimum of {share:.0%} ({kr(share * B)})"
    if rule == "R7":
        return (
            f"the kindergarten share of {r.kindergarten_share:.0%} ({kr(r.kindergarten_share * B)})"
        )
    if rule == "R9":
        caps = np.asarray(problem.partner_capacity, float)
        listed = ", ".join(
            f"{problem.partner_names[p]} {kr(c)}" for p, c in enumerate(caps) if np.isfinite(c)
        )
        total = np.nansum(caps) if np.isfinite(caps).all() else np.inf
        tail = f": partners can take at most {kr(total)}" if np.isfinite(total) else ""
        return f"the partner capacities ({listed}){tail}"
    if rule == "R10":
        prev = previous_shares(problem)
        return (
            f"the stability rule (each region within ±{r.stability_max_change:.0%} of last "
            f"year's share; largest share {prev.max():.1%})"
        )
    if rule == "R11":
        needs = region_needs(problem)
        finite = np.isfinite(needs).all()
        total = kr(needs.sum()) if finite else "no limit for some themes"
        return f"the reported needs (all regions and themes: {total})"
    return rule


def _message(problem: AllocationProblem, names: tuple[str, ...]) -> str:
    if not names:
        facts = key_facts(problem)
        if not facts.region_active.any():
            return "no owner takes part, so the budget cannot be allocated (R1, R8)"
        return "the budget cannot be allocated to the participating owners and their partners"
    parts = [_describe(problem, n) for n in names]
    if len(parts) == 1:
        return f"{parts[0]} cannot hold on its own"
    return f"these rules cannot all hold ({', '.join(names)}): " + "; ".join(parts) + "."
