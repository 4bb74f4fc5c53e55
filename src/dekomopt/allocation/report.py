"""The rule report: for every active rule row, is it met, is it binding, and what does it cost.

``met`` and ``slack`` are checked on the rounded kroner; ``binding`` and ``shadow_price`` come
from the LP. ``shadow_price`` is the change of the LP objective per krone the row's bound is
raised (the LP dual scaled to kroner). Explanations are plain English; ``params`` carries
every number a sentence uses so the report layer can phrase it in Norwegian.
"""

from __future__ import annotations

import math

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.allocation.ruletable import CHECK_TOL, rule_table

RULE_NAMES = {
    "R1": "budget conservation",
    "R2": "regional key tolerance",
    "R3": "minimum share to UH partners",
    "R4": "owner co-financing capacity",
    "R5": "special-education minimum",
    "R7": "kindergarten share",
    "R8": "non-participating owners get nothing",
    "R9": "partner capacity",
    "R10": "stability from last year",
    "R11": "reported need cap",
}


def kr(amount: float) -> str:
    """Kroner with thin grouping, as in "1 234 567 kr"."""
    return f"{round(amount):,} kr".replace(",", " ")


def required_cofinancing(problem: AllocationProblem, allocation: Allocation) -> np.ndarray:
    """R4: each owner's required own contribution, ceil(cofinancing_share × amount), kroner."""
    share = problem.rules.cofinancing_share
    totals = allocation.owner_totals.astype(float)
    return np.ceil(np.round(share * totals, 6)).astype(np.int64)


def _shadow_scale(problem: AllocationProblem, allocation: Allocation, name: str) -> float:
    """LP right-hand side (budget shares) per krone of the row's bound."""
    B = float(problem.budget_nok)
    if name.startswith("R4_") and problem.rules.owner_split == "fte":
        i = problem.owner_ids.index(name.removeprefix("R4_cofin_"))
        region = problem.owner_region[i]
        part = np.asarray(problem.owner_participates, bool)
        fte = np.where(part, problem.owner_fte, 0.0)
        region_fte = fte[np.asarray(problem.owner_region) == region].sum()
        share = fte[i] / region_fte if region_fte > 0 else 0.0
        return 1.0 / (problem.rules.cofinancing_share * B * share) if share > 0 else 0.0
    if name.startswith("R4_"):
        return 1.0 / (problem.rules.cofinancing_share * B)
    return 1.0 / B


def _explain(
    rule: str,
    name: str,
    value: float,
    bound: float,
    sense: str,
    met: bool,
    binding: bool,
    shadow: float,
    problem: AllocationProblem,
    allocation: Allocation,
) -> tuple[str, dict]:
    B = float(problem.budget_nok)
    params = {"value_nok": value, "bound_nok": bound, "sense": sense, "budget_nok": B}
    state = "met" if met else "NOT met"
    if rule == "R3" and name == "R3_uh_min":
        step = 0.01 * B
        cost = allocation.dual(name) * 0.01
        params |= {
            "uh_share_min": problem.rules.uh_share_min,
            "step_nok": step,
            "objective_change": cost,
        }
        text = (
            f"Partners receive {kr(value)}, the UH minimum of "
            f"{problem.rules.uh_share_min:.0%} asks for {kr(bound)} ({state}). "
            + (
                f"Raising the UH minimum by one percentage point moves {kr(step)} from owners "
                f"to partners and changes the objective by {cost:.4g}."
                if binding
                else "The minimum is not binding: partners get more than it asks."
            )
        )
        return text, params
    word = {">=": "at least", "<=": "at most", "==": "exactly"}[sense]
    text = (
        f"{RULE_NAMES.get(rule, rule)} ({name}): {kr(value)}, {word} {kr(bound)} allowed; {state}."
    )
    if binding:
        per_thousand = shadow * 1000
        params["objective_change_per_1000_nok"] = per_thousand
        text += (
            f" Binding: raising the bound by 1 000 kr changes the objective by {per_thousand:.4g}."
        )
    if rule == "R4":
        params["required_cofinancing_nok"] = math.ceil(round(value, 6))
        text += f" Required own contribution: {kr(math.ceil(round(value, 6)))}."
    return text, params


def rule_report(problem: AllocationProblem, allocation: Allocation) -> list[dict]:
    """One dict per active rule row (rows with a finite bound); see the module docstring."""
    table = rule_table(problem)
    values = table.values(allocation.amounts)
    lp_values = table.values(allocation.lp_amounts)
    B = float(problem.budget_nok)
    names = {n: g for g, n in enumerate(allocation.row_names)}
    out = []
    for g, (rule, name) in enumerate(zip(table.rule, table.name, strict=True)):
        lo, hi = table.lo[g], table.hi[g]
        if not (np.isfinite(lo) or np.isfinite(hi)):
            continue
        value = float(values[g])
        if np.isfinite(lo) and np.isfinite(hi):
            sense, bound = "==", (lo + hi) / 2
            slack = min(value - lo, hi - value)
            lp_gap = min(abs(lp_values[g] - lo), abs(hi - lp_values[g]))
        elif np.isfinite(lo):
            sense, bound, slack, lp_gap = ">=", lo, value - lo, lp_values[g] - lo
        else:
            sense, bound, slack, lp_gap = "<=", hi, hi - value, hi - lp_values[g]
        met = bool(lo - CHECK_TOL <= value <= hi + CHECK_TOL)
        dual = float(allocation.row_duals[names[name]]) if name in names else 0.0
        shadow = dual * _shadow_scale(problem, allocation, name)
        binding = bool(abs(lp_gap) <= 1e-6 * B or abs(dual) > 1e-9)
        text, params = _explain(
            rule, name, value, float(bound), sense, met, binding, shadow, problem, allocation
        )
        out.append(
            {
                "rule": rule,
                "name": name,
                "value": value,
                "bound": float(bound),
                "sense": sense,
                "met": met,
                "binding": binding,
                "slack": float(slack),
                "shadow_price": shadow,
                "explanation": text,
                "params": params,
            }
        )
    return out
