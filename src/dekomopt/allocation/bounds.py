"""The data of one or many draws, and the bounds they give every rule row.

Coefficients of the LP (:mod:`~dekomopt.allocation.model`) and of the rule table
(:mod:`~dekomopt.allocation.ruletable`) depend only on a problem's structure and rules; its
data (budget, FTEs, participation, capacities, needs, last year's amounts, co-financing
capacity, special index) enter through bounds only. :func:`draws_of` turns data into
:class:`~dekomopt.allocation.rules.Draws`; :class:`BoundMap` asks every rule object for its
bounds of a whole batch of draws at once, so the bounds are the model's and the table's own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from dekomopt.allocation.keys import KeyFacts, draws_of
from dekomopt.allocation.model import LinearModel, active_rules
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules import RULES, TIE_BREAKS
from dekomopt.allocation.ruletable import RuleTable

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

_STRUCTURE = "the changed data alter the LP's structure; build a new FastAllocator"


class Bounds(NamedTuple):
    """The data-dependent numbers of a batch of draws (rows are draws)."""

    budget: np.ndarray
    facts: KeyFacts
    participates: np.ndarray
    col_hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    rule_lo: np.ndarray
    """Bounds of the rule rows of the map's ``table`` (every rule but R8)."""
    rule_hi: np.ndarray
    absent: np.ndarray
    """Amount entries of non-participating owners (R8)."""


class BoundMap:
    """Where each rule's bounds land in the LP and in the rule rows of one problem's
    structure; ``table`` is the problem's rule table for every data (see
    :func:`~dekomopt.allocation.ruletable.rule_table` with ``pattern=True``)."""

    def __init__(self, problem: AllocationProblem, model: LinearModel, table: RuleTable) -> None:
        self.problem = problem
        self.space = model.space
        self.rules = active_rules(problem)
        self.col_hi = model.col_hi
        self.n_rows = model.n_rows
        self.n_checks = len(table.lo)
        self.structure = self._structure(problem)

    def _structure(self, problem: AllocationProblem) -> tuple[bool, ...]:
        return tuple(rule.on(problem) for rule in RULES)

    def _check(self, fields: Mapping[str, Sequence]) -> None:
        """Refuse data that would add or remove rows (R4, R10, R11)."""
        if "owner_cofin_capacity" in fields:
            for cap in fields["owner_cofin_capacity"]:
                changed = self.problem.with_(owner_cofin_capacity=np.asarray(cap, dtype=float))
                if self._structure(changed) != self.structure:
                    raise ValueError(_STRUCTURE)
        for name in ("owner_needs", "region_previous"):
            if name in fields and getattr(self.problem, name) is None:
                changed = self.problem.with_(**{name: np.asarray(fields[name][0], dtype=float)})
                if self._structure(changed) != self.structure:
                    raise ValueError(_STRUCTURE)

    def compute_many(self, n: int, fields: Mapping[str, Sequence]) -> Bounds:
        """The bounds of ``n`` draws (each field a sequence of ``n`` values)."""
        self._check(fields)
        d = draws_of(self.problem, n, fields)
        s = self.space
        col_hi = np.repeat(self.col_hi[None], n, axis=0)
        row_lo = np.empty((n, self.n_rows))
        row_hi = np.empty((n, self.n_rows))
        rule_lo = np.empty((n, self.n_checks))
        rule_hi = np.empty((n, self.n_checks))
        row = check = 0
        for rule in (*self.rules, TIE_BREAKS):
            for cols, hi in rule.lp_columns(s, d):
                col_hi[:, cols] = hi
            for lo, hi in rule.lp_bounds(s, d):
                k = lo.shape[1]
                row_lo[:, row : row + k], row_hi[:, row : row + k] = lo, hi
                row += k
            for lo, hi in rule.check_bounds(s, d, pattern=True):
                k = lo.shape[1]
                rule_lo[:, check : check + k], rule_hi[:, check : check + k] = lo, hi
                check += k
        owner = s.entry_owner
        absent = (owner >= 0)[None, :] & ~d.participates[:, np.maximum(owner, 0)]
        return Bounds(
            d.budget.astype(np.int64),
            d.facts,
            d.participates,
            col_hi,
            row_lo,
            row_hi,
            rule_lo,
            rule_hi,
            absent,
        )

    def compute(self, given: Mapping[str, object]) -> Bounds:
        """The bounds of one draw with the ``given`` fields replaced (rows of length 1)."""
        return self.compute_many(1, {name: [value] for name, value in given.items()})
