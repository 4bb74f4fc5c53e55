"""Solving one problem, and from an LP solution vector to a rounded :class:`Allocation`."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.highs import HighsLP, solver_name
from dekomopt.allocation.model import LinearModel, build_model, owner_amounts_from
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.rounding import Rounded, round_allocation
from dekomopt.allocation.ruletable import RuleTable
from dekomopt.errors import InfeasibleError, SolverError


def lp_amounts(problem: AllocationProblem, model: LinearModel, v: np.ndarray) -> np.ndarray:
    """Kroner over the amount vector (owners × themes × sectors, then edges) from LP values."""
    owners = owner_amounts_from(problem, model, v).ravel()
    return np.concatenate([owners, v[model.layout.y]]) * float(problem.budget_nok)


def build_allocation(
    problem: AllocationProblem,
    model: LinearModel,
    v: np.ndarray,
    objective: float,
    duals: np.ndarray,
    activity: np.ndarray,
    solver: str,
    table: RuleTable | None = None,
) -> Allocation:
    """Round an optimal LP solution and wrap it."""
    raw = lp_amounts(problem, model, v)
    rounded = round_allocation(problem, raw, table)
    return optimal_allocation(problem, model, solver, raw, rounded, objective, duals, activity)


def optimal_allocation(
    problem: AllocationProblem,
    model: LinearModel,
    solver: str,
    raw: np.ndarray,
    rounded: Rounded,
    objective: float,
    duals: np.ndarray,
    activity: np.ndarray,
    key_shares: np.ndarray | None = None,
) -> Allocation:
    """An optimal solve's :class:`Allocation`: LP kroner ``raw``, their rounding, the LP's
    objective, duals and row values; ``key_shares`` those of the draw (default the model's)."""
    layout = _layout(problem, model, solver)
    if key_shares is not None:
        layout["key_shares"] = key_shares
    return Allocation(
        status=Status.OPTIMAL,
        objective=objective,
        amounts=rounded.amounts,
        lp_amounts=raw,
        **layout,
        row_duals=duals,
        row_activity=activity,
        ties=rounded.ties,
        remainder_recipient=rounded.remainder_recipient,
        rounding_method=rounded.method,
    )


def _layout(problem: AllocationProblem, model: LinearModel, solver: str) -> dict:
    """The fields of an Allocation that depend only on the problem, the model and the solver."""
    return {
        "shape": (
            problem.n_owners,
            len(problem.edge_region),
            len(problem.themes),
            len(problem.sectors),
        ),
        "owner_region": np.asarray(problem.owner_region, dtype=np.int64),
        "edge_region": np.asarray(problem.edge_region, dtype=np.int64),
        "edge_partner": np.asarray(problem.edge_partner, dtype=np.int64),
        "n_regions": problem.n_regions,
        "n_partners": problem.n_partners,
        "key_shares": model.facts.key,
        "solver": solver,
        "row_names": model.row_names,
    }


def failed_allocation(
    problem: AllocationProblem,
    model: LinearModel,
    status: Status,
    solver: str,
    raise_on_failure: bool,
    detail: str = "",
) -> Allocation:
    """The result of a solve without an optimum; raises unless ``raise_on_failure`` is False.

    Infeasibility is explained by :func:`~dekomopt.allocation.conflicts.find_conflicts`.
    """
    if raise_on_failure:
        if status is Status.INFEASIBLE:
            from dekomopt.allocation.conflicts import find_conflicts

            raise find_conflicts(problem) or InfeasibleError(
                "the rules cannot all hold, but no smaller set of them conflicts on its own"
            )
        raise SolverError(f"the allocation LP ended with status {status}{detail}")
    n = (problem.n_owners + len(problem.edge_region)) * len(problem.themes) * len(problem.sectors)
    return Allocation(
        status=status,
        objective=float("nan"),
        amounts=np.zeros(n, dtype=np.int64),
        lp_amounts=np.zeros(n),
        **_layout(problem, model, solver),
        row_duals=np.full(model.n_rows, np.nan),
        row_activity=np.full(model.n_rows, np.nan),
    )


def solve(problem: AllocationProblem, *, raise_on_failure: bool = True) -> Allocation:
    """Solve ``problem`` with HiGHS and round to whole kroner.

    Raises :class:`~dekomopt.errors.InfeasibleError` (naming the conflicting rules) or
    :class:`~dekomopt.errors.SolverError` unless ``raise_on_failure`` is False.
    """
    model = build_model(problem)
    lp = HighsLP.of(model)
    status = lp.run()
    if status is not Status.OPTIMAL:
        return failed_allocation(problem, model, status, solver_name(), raise_on_failure)
    s = lp.solution()
    return build_allocation(
        problem, model, s.col_value, s.objective, s.row_dual, s.row_value, solver_name()
    )
