"""The same LP, built once as a highspy model and re-solved warm after data changes.

The LP's coefficients depend only on the problem's structure and rules (the tie-breaking
targets are constants, see :mod:`~dekomopt.allocation.model`), so a change of FTEs,
participation, budget, capacities, needs or last year's allocation changes bounds only;
:class:`~dekomopt.allocation.bounds.BoundMap` recomputes them with a few array operations.
HiGHS keeps its basis, so a re-solve is a few dual simplex steps, and rounding checks every
rule with one product by a matrix built once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from dekomopt.allocation.bounds import FIELDS, BoundMap, Bounds
from dekomopt.allocation.highs import HighsLP, solver_name
from dekomopt.allocation.model import build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.rounding import Rounded, Rounder, repaired, to_units
from dekomopt.allocation.ruletable import rule_table
from dekomopt.allocation.solution import failed_allocation, optimal_allocation


class FastAllocator:
    """Re-solves one problem's LP under changed data, warm from the previous basis.

    The structure (owners, regions, edges, themes, sectors) and which rules are on are fixed
    at construction; every ``solve`` keyword replaces one data field of the problem (None
    keeps the construction problem's value, whatever an earlier solve used).
    """

    def __init__(self, problem: AllocationProblem) -> None:
        self.problem = problem
        self.model = build_model(problem)
        self.table = rule_table(problem)
        self._solver = solver_name()
        m = self.model
        # Rule rows for every data: R9 rows present (any capacity may become finite), R8
        # left to the check (which owners are out changes per solve).
        pattern = rule_table(problem, pattern=True)
        self._bounds = BoundMap(problem, m, pattern)
        self._rounder = Rounder(pattern, problem.n_regions)
        # Every column's bounds are set on each re-solve (HiGHS re-solves faster so than with
        # only the data columns changed).
        self._cols = np.arange(len(m.cost), dtype=np.int32)
        self._col_lo = m.col_lo
        lay = m.layout
        n_t, n_s = len(problem.themes), len(problem.sectors)
        # Each amount entry's LP column; with owner_split "fte" an owner's entry reads its
        # region's column, scaled by the owner's FTE share at solve time.
        per = n_t * n_s
        self._split_by_fte = lay.owner_split == "fte"
        self._entry_owner = np.repeat(np.arange(problem.n_owners), per)
        self._entry_sector = np.arange(problem.n_owners * per) % n_s
        own_cols = np.arange(problem.n_owners * per)
        if self._split_by_fte:
            owner_region = np.asarray(problem.owner_region, dtype=np.int64)
            own_cols = owner_region[self._entry_owner] * per + own_cols % per
        self._source = np.r_[own_cols, np.arange(lay.y.start, lay.y.stop)]
        self._unit = int(problem.rules.rounding_unit_nok)

        self.lp = HighsLP.of(m)
        self.highs = self.lp.highs
        """The raw highspy instance (``lp.clear()`` drops its working data)."""

    def _run(self, given: dict[str, object]) -> tuple[Status, Bounds]:
        b = self._bounds.compute(given)
        return self._resolve(b.col_hi[0, self._cols], b.row_lo[0], b.row_hi[0]), b

    def _resolve(self, col_hi: np.ndarray, row_lo: np.ndarray, row_hi: np.ndarray) -> Status:
        """Re-solve warm with the data columns' upper bounds and all row bounds replaced."""
        lp = self.lp
        lp.set_col_bounds(self._cols, self._col_lo, col_hi)
        lp.set_row_bounds(row_lo, row_hi)
        return lp.run()

    def _raw(self, v: np.ndarray, share: np.ndarray, budget: np.ndarray) -> np.ndarray:
        """LP solutions (draws × columns) as kroner per amount entry, given each draw's
        owner shares and budget."""
        raw = v[:, self._source]
        if self._split_by_fte:
            own = share[:, self._entry_owner, self._entry_sector]
            raw[:, : len(self._entry_owner)] *= own
        raw *= np.asarray(budget, dtype=float)[:, None]
        return raw

    def _round(
        self, given: dict[str, object], b: Bounds, v: np.ndarray
    ) -> tuple[np.ndarray, Rounded]:
        """LP amounts in kroner and their rounding (see :mod:`~dekomopt.allocation.rounding`)."""
        raw = self._raw(v[None, :], b.facts.owner_share, b.budget)[0]
        unit = self._unit
        q = to_units(raw, unit)
        absent = b.absent[0] if b.absent[0].any() else None
        rounded, remainder, ok = self._rounder.round(
            q, unit, int(b.budget[0]), b.rule_lo[0], b.rule_hi[0], absent
        )
        if not ok:
            table = rule_table(self.problem.with_(**given))
            rounded = repaired(table, rounded, q, unit, remainder)
        return raw, rounded

    def solve(self, *, raise_on_failure: bool = True, **data: object) -> Allocation:
        """Solve with data fields (keywords named as in :data:`FIELDS`) replaced; None or
        absent keeps the construction problem's value."""
        given = _given(data)
        status, b = self._run(given)
        if status is not Status.OPTIMAL:
            return self._failed(given, status, raise_on_failure)
        s = self.lp.solution()
        raw, rounded = self._round(given, b, s.col_value)
        return optimal_allocation(
            self.problem,
            self.model,
            self._solver,
            raw,
            rounded,
            s.objective,
            s.row_dual,
            s.row_value,
            b.facts.key[0],
        )

    def solve_amounts(self, **data: object) -> tuple[Status, np.ndarray]:
        """Like :meth:`solve` (the same data keywords), but only the status and the
        whole-krone amounts (zeros when not optimal); nothing raises on infeasibility."""
        given = {name: [value] for name, value in data.items() if value is not None}
        status, amounts = self.solve_many(1, **given)
        return status[0], amounts[0]

    def solve_many(self, n: int, **fields: Sequence) -> tuple[list[Status], np.ndarray]:
        """``n`` draws at once, for Monte Carlo loops: each keyword of :meth:`solve` given as
        a sequence of ``n`` values (draw ``i`` uses item ``i``). Returns each draw's status
        and its whole-krone amounts (a row of zeros when not optimal), the same as
        :meth:`solve_amounts` draw by draw; the rounding runs on all draws together."""
        _given(fields)
        m = len(self._source)
        # All bounds first, then the solves back to back: HiGHS keeps its working data warm.
        b = self._bounds.compute_many(n, fields)
        budget, share, absent = b.budget, b.facts.owner_share, b.absent
        col_hi, row_lo, row_hi = b.col_hi[:, self._cols], b.row_lo, b.row_hi
        lo, hi = b.rule_lo, b.rule_hi
        status: list[Status] = []
        v = np.zeros((n, len(self.model.cost)))
        for i in range(n):
            status.append(self._resolve(col_hi[i], row_lo[i], row_hi[i]))
            if status[-1] is Status.OPTIMAL:
                v[i] = self.lp.values()
        amounts = np.zeros((n, m), dtype=np.int64)
        solved = np.flatnonzero([st is Status.OPTIMAL for st in status])
        if not len(solved):
            return status, amounts
        unit = self._unit
        q = to_units(self._raw(v[solved], share[solved], budget[solved]), unit)
        lo, hi, absent = lo[solved], hi[solved], absent[solved]
        batch = self._rounder.round_many(q, unit, budget[solved], lo, hi, absent)
        amounts[solved] = batch.amounts
        for j in np.flatnonzero(~batch.ok):
            rounded, ok = self._rounder.finish(batch, int(j), q[j], unit, lo[j], hi[j], absent[j])
            if not ok:
                i = solved[j]
                given = {name: values[i] for name, values in fields.items()}
                table = rule_table(self.problem.with_(**given))
                plain = Rounded(rounded, (), None, "largest_remainder")
                rounded = repaired(table, plain, q[j], unit, batch.extra[j]).amounts
            amounts[solved[j]] = rounded
        return status, amounts

    def _failed(self, given: dict[str, object], status: Status, raise_on_failure: bool):
        problem = self.problem.with_(**given)
        model = build_model(problem)
        return failed_allocation(problem, model, status, self._solver, raise_on_failure)


def _given(data: Mapping[str, object]) -> dict[str, object]:
    """The data fields given (not None); unknown names are refused."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    return {name: value for name, value in data.items() if value is not None}
