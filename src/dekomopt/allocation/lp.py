"""The allocation LP through PuLP, solved by HiGHS: the reference path.

The rows come from :func:`~dekomopt.allocation.model.build_model` (one statement of the rules
for every path); here each becomes a named PuLP constraint, so ``constraint.pi`` maps duals
to rules by name.
"""

from __future__ import annotations

import numpy as np
import pulp
import scipy.sparse as sp

from dekomopt.allocation.highs import silence_banner, solver_name
from dekomopt.allocation.model import LinearModel, build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.solution import build_allocation, failed_allocation

_STATUS = {
    pulp.LpStatusOptimal: Status.OPTIMAL,
    pulp.LpStatusInfeasible: Status.INFEASIBLE,
    pulp.LpStatusUnbounded: Status.UNBOUNDED,
}


def to_pulp(
    model: LinearModel,
) -> tuple[pulp.LpProblem, list[pulp.LpVariable], list[pulp.LpConstraint | None]]:
    """A PuLP problem with one variable per column and one named constraint per row.

    Rows without a finite bound (an owner or partner with no cap) are left out (``None``).
    """
    lp = pulp.LpProblem("allocation", pulp.LpMinimize)
    variables = [
        pulp.LpVariable(f"v{j}_{name}", lowBound=lo, upBound=None if np.isinf(hi) else hi)
        for j, (name, lo, hi) in enumerate(
            zip(model.col_names, model.col_lo, model.col_hi, strict=True)
        )
    ]
    lp += pulp.lpSum(c * variables[j] for j, c in enumerate(model.cost) if c != 0)
    matrix = sp.csr_matrix(
        (model.vals, (model.rows, model.cols)), shape=(model.n_rows, len(model.cost))
    )
    constraints: list[pulp.LpConstraint | None] = []
    for g, name in enumerate(model.row_names):
        start, end = matrix.indptr[g], matrix.indptr[g + 1]
        expr = pulp.LpAffineExpression(
            (variables[j], c)
            for j, c in zip(matrix.indices[start:end], matrix.data[start:end], strict=True)
        )
        lo, hi = model.row_lo[g], model.row_hi[g]
        if lo == hi:
            sense, rhs = pulp.LpConstraintEQ, lo
        elif np.isfinite(lo) and np.isfinite(hi):
            raise ValueError(f"ranged row {name}: state it as two rows")
        elif np.isfinite(lo):
            sense, rhs = pulp.LpConstraintGE, lo
        elif np.isfinite(hi):
            sense, rhs = pulp.LpConstraintLE, hi
        else:
            constraints.append(None)
            continue
        constraint = pulp.LpConstraint(expr, sense, name, rhs)
        lp.addConstraint(constraint)
        constraints.append(constraint)
    return lp, variables, constraints


def solve(problem: AllocationProblem, *, raise_on_failure: bool = True) -> Allocation:
    """Solve ``problem`` with PuLP + HiGHS and round to whole kroner.

    Raises :class:`~dekomopt.errors.InfeasibleError` (naming the conflicting rules) or
    :class:`~dekomopt.errors.SolverError` unless ``raise_on_failure`` is False.
    """
    model = build_model(problem)
    lp, variables, constraints = to_pulp(model)
    silence_banner()
    lp.solve(pulp.HiGHS(msg=False))
    status = _STATUS.get(lp.status, Status.ERROR)
    if status is not Status.OPTIMAL:
        return failed_allocation(problem, model, status, solver_name(), raise_on_failure)
    v = np.array([var.varValue or 0.0 for var in variables])
    duals = np.array([0.0 if c is None else c.pi for c in constraints])
    activity = np.array([np.nan if c is None else c.value() - c.constant for c in constraints])
    return build_allocation(
        problem, model, v, float(pulp.value(lp.objective)), duals, activity, solver_name()
    )
