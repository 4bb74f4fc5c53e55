"""From an LP solution vector to a rounded :class:`Allocation`, or the record of a failed
solve."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.conflicts import find_conflicts
from dekomopt.allocation.model import LinearModel
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.rounding import Rounded, round_allocation
from dekomopt.allocation.ruletable import RuleTable
from dekomopt.errors import InfeasibleError, SolverError


def lp_amounts(problem: AllocationProblem, model: LinearModel, v: np.ndarray) -> np.ndarray:
    """Kroner over the amount vector (owners × themes × sectors, then edges) from LP values."""
    budget = np.array([problem.budget_nok])
    return model.space.kroner(v[None, :], model.facts.owner_share[None, :], budget)[0]


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
) -> Allocation:
    """The result of a solve without an optimum; raises unless ``raise_on_failure`` is False.

    Infeasibility is explained by :func:`~dekomopt.allocation.conflicts.find_conflicts`.
    """
    if raise_on_failure:
        if status is Status.INFEASIBLE:
            raise find_conflicts(problem) or InfeasibleError(
                "the rules cannot all hold, but no smaller set of them conflicts on its own"
            )
        raise SolverError(f"the allocation LP ended with status {status}")
    n = len(model.space.entry_column)
    return Allocation(
        status=status,
        objective=float("nan"),
        amounts=np.zeros(n, dtype=np.int64),
        lp_amounts=np.zeros(n),
        **_layout(problem, model, solver),
        row_duals=np.full(model.n_rows, np.nan),
        row_activity=np.full(model.n_rows, np.nan),
    )
