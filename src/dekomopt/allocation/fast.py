"""Solving the allocation LP: built once as a highspy model and re-solved warm after data changes.

The LP's coefficients depend only on the problem's structure and rules (the tie-breaking
targets are constants, see :mod:`~dekomopt.allocation.model`), so a change of FTEs,
participation, budget, capacities, needs or last year's allocation changes bounds only;
:meth:`FastAllocator.bounds` asks every rule object for them, for a batch of draws at once.
HiGHS keeps its basis, so a re-solve is a few dual simplex steps, and rounding checks every
rule with one product by a matrix built once. :func:`solve` is the first solve of a new
:class:`FastAllocator`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from dekomopt.allocation.conflicts import find_conflicts
from dekomopt.allocation.highs import HighsLP, Solution, solver_name
from dekomopt.allocation.keys import Draws, draws_of
from dekomopt.allocation.model import LinearModel, active_rules, build_model, lp_bounds
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.rounding import (
    Rounded,
    Rounder,
    integer_program,
    round_allocation,
    to_units,
)
from dekomopt.allocation.rules import RULES
from dekomopt.allocation.ruletable import check_bounds, rule_table
from dekomopt.errors import InfeasibleError, SolverError

FIELDS = (
    "budget_nok",
    "owner_fte",
    "owner_participates",
    "partner_capacity",
    "owner_needs",
    "region_previous",
    "owner_cofin_capacity",
    "region_special",
)
"""The problem fields a re-solve may replace."""


class Bounds(NamedTuple):
    """The data of a batch of draws and the bounds they give (rows are draws)."""

    d: Draws
    col_hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    rule_lo: np.ndarray
    """Bounds of the rows of the rule table for every data (``rule_table(pattern=True)``)."""
    rule_hi: np.ndarray
    absent: np.ndarray
    """Amount entries of non-participating owners (R8)."""


class FastAllocator:
    """Re-solves one problem's LP under changed data, warm from the previous basis.

    The structure (owners, regions, edges, themes, sectors) and which rules are on are fixed
    at construction; every ``solve`` keyword replaces one data field of the problem (None
    keeps the construction problem's value, whatever an earlier solve used).
    """

    def __init__(self, problem: AllocationProblem) -> None:
        self.problem = problem
        self.model = m = build_model(problem)
        self._solver = solver_name()
        self._unit = int(problem.rules.rounding_unit_nok)
        # Rule rows for every data: R9 rows present (any capacity may become finite), R8
        # left to the check (which owners are out changes per solve).
        pattern = rule_table(problem, pattern=True)
        self._rules = active_rules(problem)
        self._structure = _structure(problem)
        self._rounder = Rounder(pattern, problem.n_regions, self._unit)
        # Every column's bounds are set on each re-solve (HiGHS re-solves faster so than with
        # only the data columns changed).
        self._cols = np.arange(len(m.cost), dtype=np.int32)
        self.lp = HighsLP.of(m)

    def bounds(self, n: int, fields: Mapping[str, Sequence]) -> Bounds:
        """The bounds of ``n`` draws (each field a sequence of ``n`` values, the others the
        construction problem's). Refuses data that would add or remove rows (R4, R10, R11)."""
        for name, values in fields.items():
            if name in ("owner_cofin_capacity", "owner_needs", "region_previous"):
                for value in values[: n if name == "owner_cofin_capacity" else 1]:
                    changed = self.problem.with_(**{name: np.asarray(value, dtype=float)})
                    if _structure(changed) != self._structure:
                        raise ValueError(
                            "the changed data alter the LP's structure; build a new allocator"
                        )
        d = draws_of(self.problem, n, fields)
        s = self.model.space
        owner = s.entry_owner
        return Bounds(
            d,
            *lp_bounds(self._rules, s, d),
            *check_bounds(self._rules, s, d, pattern=True),
            (owner >= 0)[None, :] & ~d.participates[:, np.maximum(owner, 0)],
        )

    def _resolve(self, col_hi: np.ndarray, row_lo: np.ndarray, row_hi: np.ndarray) -> Status:
        """Re-solve warm with the data columns' upper bounds and all row bounds replaced."""
        lp = self.lp
        lp.set_col_bounds(self._cols, self.model.col_lo, col_hi)
        lp.set_row_bounds(row_lo, row_hi)
        return lp.run()

    def solve(self, *, raise_on_failure: bool = True, **data: object) -> Allocation:
        """Solve with data fields (keywords named as in :data:`FIELDS`) replaced; None or
        absent keeps the construction problem's value."""
        given = _given(data)
        b = self.bounds(1, _one(given))
        status = self._resolve(b.col_hi[0], b.row_lo[0], b.row_hi[0])
        if status is not Status.OPTIMAL:
            problem = self.problem.with_(**given)
            return failed_allocation(problem, status, self._solver, raise_on_failure)
        return self.allocation(self.lp.solution(), given, b)

    def allocation(
        self, sol: Solution, given: dict[str, object] | None = None, bounds: Bounds | None = None
    ) -> Allocation:
        """The rounded :class:`Allocation` of the LP solution ``sol`` under the data ``given``
        (None: the construction problem's)."""
        given = given or {}
        b = self.bounds(1, _one(given)) if bounds is None else bounds
        raw = self.model.space.kroner(sol.col_value[None, :], b.d.facts.owner_share, b.d.budget)[0]
        rounded = self._rounder.round(
            to_units(raw, self._unit),
            int(b.d.budget[0]),
            b.rule_lo[0],
            b.rule_hi[0],
            b.absent[0],
            lambda: rule_table(self.problem.with_(**given)),
        )
        problem = self.problem.with_(**given) if given else self.problem
        return allocation_of(problem, self.model, self._solver, raw, rounded, sol, b.d.facts.key[0])

    def solve_many(self, n: int, **fields: Sequence) -> tuple[list[Status], np.ndarray]:
        """``n`` draws at once, for Monte Carlo loops: each keyword of :meth:`solve` given as
        a sequence of ``n`` values (draw ``i`` uses item ``i``). Returns each draw's status
        and its whole-krone amounts (a row of zeros when not optimal), the same as
        :meth:`solve` draw by draw; nothing raises on infeasibility, and the rounding runs on
        all draws together."""
        _given(fields)
        # All bounds first, then the solves back to back: HiGHS keeps its working data warm.
        b = self.bounds(n, fields)
        status: list[Status] = []
        v = np.zeros((n, len(self.model.cost)))
        for i in range(n):
            status.append(self._resolve(b.col_hi[i], b.row_lo[i], b.row_hi[i]))
            if status[-1] is Status.OPTIMAL:
                v[i] = self.lp.values()
        amounts = np.zeros((n, len(self.model.space.entry_column)), dtype=np.int64)
        solved = np.flatnonzero([st is Status.OPTIMAL for st in status])
        if not len(solved):
            return status, amounts
        unit = self._unit
        raw = self.model.space.kroner(v[solved], b.d.facts.owner_share[solved], b.d.budget[solved])
        q = to_units(raw, unit)
        lo, hi, absent = b.rule_lo[solved], b.rule_hi[solved], b.absent[solved]
        batch = self._rounder.round_many(q, b.d.budget[solved], lo, hi, absent)
        amounts[solved] = batch.amounts
        for j in np.flatnonzero(~batch.ok):
            given = {name: values[solved[j]] for name, values in fields.items()}
            table = rule_table(self.problem.with_(**given))
            amounts[solved[j]] = integer_program(table, q[j], unit, batch.extra[j])
        return status, amounts


def solve(problem: AllocationProblem, *, raise_on_failure: bool = True) -> Allocation:
    """Solve ``problem`` with HiGHS and round to whole kroner.

    Raises :class:`~dekomopt.errors.InfeasibleError` (naming the conflicting rules) or
    :class:`~dekomopt.errors.SolverError` unless ``raise_on_failure`` is False.
    """
    return FastAllocator(problem).solve(raise_on_failure=raise_on_failure)


def allocation_of(
    problem: AllocationProblem,
    model: LinearModel,
    solver: str,
    raw: np.ndarray,
    rounded: Rounded | None = None,
    sol: Solution | None = None,
    key_shares: np.ndarray | None = None,
    status: Status = Status.OPTIMAL,
) -> Allocation:
    """A solve's :class:`Allocation`: LP kroner ``raw``, their rounding (default
    :func:`~dekomopt.allocation.rounding.round_allocation`), the LP's objective, duals and
    row values (``sol``), and ``key_shares`` those of the draw (default the model's)."""
    rounded = rounded or round_allocation(problem, raw)
    nan = np.full(model.n_rows, np.nan)
    return Allocation(
        status=status,
        objective=float("nan") if sol is None else sol.objective,
        amounts=rounded.amounts,
        lp_amounts=raw,
        problem=problem,
        key_shares=model.facts.key if key_shares is None else key_shares,
        solver=solver,
        row_names=model.row_names,
        row_duals=nan if sol is None else sol.row_dual,
        row_values=nan if sol is None else sol.row_value,
        remainder_recipient=rounded.remainder_recipient,
        rounding_method=rounded.method,
    )


def failed_allocation(
    problem: AllocationProblem, status: Status, solver: str, raise_on_failure: bool
) -> Allocation:
    """The result of a solve without an optimum (all amounts 0); raises unless
    ``raise_on_failure`` is False (infeasibility explained by
    :func:`~dekomopt.allocation.conflicts.find_conflicts`)."""
    if raise_on_failure:
        if status is Status.INFEASIBLE:
            raise find_conflicts(problem) or InfeasibleError(
                "the rules cannot all hold, but no smaller set of them conflicts on its own"
            )
        raise SolverError(f"the allocation LP ended with status {status}")
    model = build_model(problem)
    n = len(model.space.entry_column)
    none = Rounded(np.zeros(n, dtype=np.int64), None, "none")
    return allocation_of(problem, model, solver, np.zeros(n), none, status=status)


def _structure(problem: AllocationProblem) -> tuple[bool, ...]:
    """Which rules have rows: the LP's structure, beside its owners, regions and edges."""
    return tuple(rule.on(problem) for rule in RULES)


def _one(given: Mapping[str, object]) -> dict[str, list[object]]:
    """One draw's data fields as the batch form of :meth:`FastAllocator.bounds`."""
    return {name: [value] for name, value in given.items()}


def _given(data: Mapping[str, object]) -> dict[str, object]:
    """The data fields given (not None); unknown names are refused."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    return {name: value for name, value in data.items() if value is not None}
