"""The same LP, built once as a highspy model and re-solved warm after parameter changes.

Because the tie-breaking targets are constants (see :mod:`~dekomopt.allocation.model`), a
change of FTEs, participation, budget, capacities, needs or last year's allocation changes
only column bounds and row bounds; coefficients are compared too and changed one by one in
the rare case they differ. HiGHS keeps its basis, so a re-solve is a few dual simplex steps.
"""

from __future__ import annotations

from dataclasses import replace

import highspy
import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.lp import solver_name
from dekomopt.allocation.model import LinearModel, build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.ruletable import rule_table
from dekomopt.allocation.solution import build_allocation, failed_allocation

_STATUS = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: Status.UNBOUNDED,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: Status.INFEASIBLE,
}


def _inf(a: np.ndarray) -> np.ndarray:
    """numpy infinities as HiGHS's infinity."""
    return np.clip(a, -highspy.kHighsInf, highspy.kHighsInf)


class FastAllocator:
    """Re-solves one problem's LP under changed data, warm from the previous basis.

    The structure (owners, regions, edges, themes, sectors) and which rules are on are fixed
    at construction; every ``solve`` keyword replaces one data field of the problem.
    """

    def __init__(self, problem: AllocationProblem) -> None:
        self.problem = problem
        self.model = build_model(problem)
        self.table = rule_table(problem)
        self._solver = solver_name()
        m = self.model
        n_cols = len(m.cost)
        self._all_cols = np.arange(n_cols, dtype=np.int32)
        self._all_rows = np.arange(m.n_rows, dtype=np.int32)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.addVars(n_cols, _inf(m.col_lo), _inf(m.col_hi))
        h.changeColsCost(n_cols, self._all_cols, m.cost)
        csr = sp.csr_matrix((m.vals, (m.rows, m.cols)), shape=(m.n_rows, n_cols))
        h.addRows(
            m.n_rows,
            _inf(m.row_lo),
            _inf(m.row_hi),
            csr.nnz,
            csr.indptr[:-1].astype(np.int32),
            csr.indices.astype(np.int32),
            csr.data,
        )
        self.highs = h
        self._coef = (m.rows, m.cols, m.vals)

    def _apply(self, model: LinearModel) -> None:
        h = self.highs
        if len(model.vals) != len(self._coef[2]) or not (
            np.array_equal(model.rows, self._coef[0]) and np.array_equal(model.cols, self._coef[1])
        ):
            raise ValueError("the changed data alter the LP's structure; build a new FastAllocator")
        changed = np.flatnonzero(model.vals != self._coef[2])
        for j in changed:
            h.changeCoeff(int(model.rows[j]), int(model.cols[j]), float(model.vals[j]))
        self._coef = (model.rows, model.cols, model.vals)
        h.changeColsBounds(
            len(model.col_lo), self._all_cols, _inf(model.col_lo), _inf(model.col_hi)
        )
        h.changeRowsBounds(
            len(model.row_lo), self._all_rows, _inf(model.row_lo), _inf(model.row_hi)
        )

    def solve(
        self,
        budget_nok: int | None = None,
        owner_fte: np.ndarray | None = None,
        owner_participates: np.ndarray | None = None,
        partner_capacity: np.ndarray | None = None,
        owner_needs: np.ndarray | None = None,
        region_previous: np.ndarray | None = None,
        owner_cofin_capacity: np.ndarray | None = None,
        region_special: np.ndarray | None = None,
        *,
        raise_on_failure: bool = True,
    ) -> Allocation:
        """Solve with the given data replaced (None = keep the construction problem's value)."""
        changes = {
            name: value
            for name, value in (
                ("budget_nok", budget_nok),
                ("owner_fte", owner_fte),
                ("owner_participates", owner_participates),
                ("partner_capacity", partner_capacity),
                ("owner_needs", owner_needs),
                ("region_previous", region_previous),
                ("owner_cofin_capacity", owner_cofin_capacity),
                ("region_special", region_special),
            )
            if value is not None
        }
        problem = self.problem.with_(**changes) if changes else self.problem
        model = build_model(problem, with_names=False)
        self._apply(model)
        h = self.highs
        h.run()
        status = _STATUS.get(h.getModelStatus(), Status.ERROR)
        named = replace(model, row_names=self.model.row_names, col_names=self.model.col_names)
        if status is not Status.OPTIMAL:
            return failed_allocation(problem, named, status, self._solver, raise_on_failure)
        solution = h.getSolution()
        return build_allocation(
            problem,
            named,
            np.asarray(solution.col_value),
            h.getInfo().objective_function_value,
            np.asarray(solution.row_dual),
            np.asarray(solution.row_value),
            self._solver,
            rule_table(problem, like=self.table),
        )
