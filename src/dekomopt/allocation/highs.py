"""The one way the package talks to HiGHS: load a model, re-solve with new bounds, read results.

:class:`HighsLP` holds one highspy instance loaded with a
:class:`~dekomopt.allocation.model.LinearModel` (or with raw arrays, for the rounding MIP);
``run`` returns a :class:`~dekomopt.allocation.result.Status` through the one status map
:data:`STATUS`. HiGHS prints its banner ("Running HiGHS … Copyright …") once per process, to
stdout, the first time an instance with logging on does anything; ``highspy.Highs()`` does
something in its own constructor, before ``output_flag`` can be set, and so does PuLP's HiGHS
interface. :func:`silence_banner` writes it once on a bare instance that logs nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING

import highspy
import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.result import Status

if TYPE_CHECKING:
    from dekomopt.allocation.model import LinearModel

STATUS: dict[object, Status] = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: Status.UNBOUNDED,
}
"""HiGHS model status → :class:`Status`; every other status is ``Status.ERROR``.

``kUnboundedOrInfeasible`` (a presolve verdict that proves neither) is re-solved without
presolve by :meth:`HighsLP.run`, so that only a proven status is reported."""


@cache
def silence_banner() -> None:
    """Use up the process's one HiGHS banner without printing it."""
    # highspy._Highs is the C++ class without highspy's callback set-up, so its constructor
    # logs nothing; its setCallback writes the banner, here to no console and no file.
    sink = highspy._Highs()  # type: ignore[attr-defined]
    sink.setOptionValue("log_to_console", False)
    sink.setCallback(None, None)


def solver_name() -> str:
    """Solver name and version as recorded in results."""
    return f"HiGHS {version('highspy')} (highspy; PuLP {version('pulp')})"


def new_highs() -> highspy.Highs:
    """A highspy instance that prints nothing."""
    silence_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


@dataclass(frozen=True)
class Solution:
    """An optimal solution: column values, row values, row duals (objective per unit of each
    row's bound), and the objective."""

    col_value: np.ndarray
    row_value: np.ndarray
    row_dual: np.ndarray
    objective: float


class HighsLP:
    """One LP ``min cost·v, col_lo ≤ v ≤ col_hi, row_lo ≤ A v ≤ row_hi`` in one HiGHS instance.

    Infinite bounds are ±inf (HiGHS's own infinity). ``single_thread`` spares HiGHS a
    probe of the CPU topology on every run (a third of a warm re-solve of a county's LP);
    the LPs are far too small to gain from more threads.
    """

    def __init__(
        self,
        cost: np.ndarray,
        col_lo: np.ndarray,
        col_hi: np.ndarray,
        matrix: sp.csr_matrix,
        row_lo: np.ndarray,
        row_hi: np.ndarray,
        *,
        single_thread: bool = True,
    ) -> None:
        h = new_highs()
        self._serial = single_thread
        if single_thread:
            h.setOptionValue("threads", 1)
        self.n_cols, self.n_rows = len(cost), matrix.shape[0]
        h.addVars(self.n_cols, np.asarray(col_lo, float), np.asarray(col_hi, float))
        self.highs = h
        self.set_cost(np.asarray(cost, float))
        self.add_rows(matrix, row_lo, row_hi)
        self._all_rows = np.arange(self.n_rows, dtype=np.int32)

    @classmethod
    def of(cls, model: LinearModel, *, single_thread: bool = True) -> HighsLP:
        """The LP of a :class:`~dekomopt.allocation.model.LinearModel`."""
        return cls(
            model.cost,
            model.col_lo,
            model.col_hi,
            model.matrix(),
            model.row_lo,
            model.row_hi,
            single_thread=single_thread,
        )

    def add_rows(self, matrix: sp.csr_matrix, lo: np.ndarray, hi: np.ndarray) -> None:
        """Append rows (kept until :meth:`drop_rows_from`)."""
        csr = matrix.tocsr()
        self.highs.addRows(
            csr.shape[0],
            np.asarray(lo, float),
            np.asarray(hi, float),
            csr.nnz,
            csr.indptr[:-1].astype(np.int32),
            csr.indices.astype(np.int32),
            csr.data,
        )

    def drop_rows_from(self, first: int) -> None:
        """Delete every row from index ``first`` on."""
        n = self.highs.getNumRow() - first
        if n > 0:
            self.highs.deleteRows(n, np.arange(first, first + n, dtype=np.int32))

    def set_cost(self, cost: np.ndarray) -> None:
        self.highs.changeColsCost(self.n_cols, np.arange(self.n_cols, dtype=np.int32), cost)

    def set_integer(self, cols: np.ndarray) -> None:
        """Make ``cols`` integer (the problem becomes a MIP, solved to a zero gap)."""
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        n = len(cols)
        kinds = np.full(n, highspy.HighsVarType.kInteger)
        self.highs.changeColsIntegrality(n, np.asarray(cols, dtype=np.int32), kinds)

    def set_coefficients(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> None:
        """Replace the matrix entries at (``rows[j]``, ``cols[j]``) by ``vals[j]``."""
        h = self.highs
        for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
            h.changeCoeff(r, c, v)

    def set_col_bounds(self, cols: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        self.highs.changeColsBounds(len(cols), cols, lo, hi)

    def set_row_bounds(self, lo: np.ndarray, hi: np.ndarray) -> None:
        """Replace the bounds of the model's rows (the first ``n_rows``)."""
        self.highs.changeRowsBounds(self.n_rows, self._all_rows, lo, hi)  # type: ignore[attr-defined]

    def run(self) -> Status:
        """Solve (warm from the last basis) and return the proven status."""
        h = self.highs
        if h.run() == highspy.HighsStatus.kError and self._serial:
            # HiGHS refuses one thread once another instance has started its global
            # scheduler with more; then this instance takes the scheduler as it is.
            self._serial = False
            h.setOptionValue("threads", 0)
            h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
            h.setOptionValue("presolve", "off")
            h.run()
            h.setOptionValue("presolve", "choose")
            status = h.getModelStatus()
        return STATUS.get(status, Status.ERROR)

    def start_cold(self) -> None:
        """Forget the basis: the next :meth:`run` starts from scratch."""
        self.highs.clearSolver()

    def values(self) -> np.ndarray:
        """Column values of the last solve."""
        return np.asarray(self.highs.getSolution().col_value)

    def solution(self) -> Solution:
        """Column values, values and duals of the model's rows, and the objective."""
        s, n = self.highs.getSolution(), self.n_rows
        rows = np.asarray(s.row_value)[:n], np.asarray(s.row_dual)[:n]
        return Solution(np.asarray(s.col_value), *rows, float(self.highs.getObjectiveValue()))
