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
from dekomopt.allocation.model import active_rules, lp_bounds
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules import RULES, make_space
from dekomopt.allocation.ruletable import check_bounds

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
    """The bounds of the LP rows and of the rule table's rows for every data of one
    problem's structure (the table of :func:`~dekomopt.allocation.ruletable.rule_table` with
    ``pattern=True``)."""

    def __init__(self, problem: AllocationProblem) -> None:
        self.problem = problem
        self.space = make_space(problem)
        self.rules = active_rules(problem)
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
        col_hi, row_lo, row_hi = lp_bounds(self.rules, self.space, d)
        rule_lo, rule_hi = check_bounds(self.rules, self.space, d, pattern=True)
        owner = self.space.entry_owner
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
