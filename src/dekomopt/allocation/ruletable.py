"""The rules as linear rows over the kroner amounts: what rounding keeps and the report checks.

Amounts are the vector a = (x[i, t, s] for owners, then y[e, t, s] for edges) in kroner.
Each row says ``lo ≤ coef · a ≤ hi``; its name matches the LP row it mirrors, so the LP dual
of that row is the rule's shadow price. Equality rules on shares of the budget (R7) hold to
within one rounding unit, since a share of the budget need not be a whole multiple of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.keys import Draws, draws_of
from dekomopt.allocation.model import active_rules
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules import Rule, Space, make_space
from dekomopt.allocation.rules.base import over_entries, stack

CHECK_TOL = 1e-6
"""Kroner of floating-point slack allowed when checking integer amounts against a bound."""


@dataclass(frozen=True)
class RuleTable:
    """Rule rows over the amount vector, with the data needed to explain them."""

    rule: tuple[str, ...]
    """Rule id per row ("R3")."""
    name: tuple[str, ...]
    """Row name, identical to the LP row's name."""
    coef: sp.csr_matrix
    lo: np.ndarray
    hi: np.ndarray
    region_of: np.ndarray
    """Region of every amount entry."""

    def values(self, amounts: np.ndarray) -> np.ndarray:
        return self.coef @ np.asarray(amounts, dtype=float)

    def violations(self, amounts: np.ndarray) -> np.ndarray:
        """Indices of rows the amounts break."""
        val = self.values(amounts)
        return np.flatnonzero((val < self.lo - CHECK_TOL) | (val > self.hi + CHECK_TOL))


def check_bounds(
    rules: Sequence[Rule], s: Space, d: Draws, pattern: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The bounds (lo, hi; draws × rows, kroner) of the check rows of ``rules`` under the
    data ``d``, in row order (``pattern`` as for :func:`rule_table`)."""
    bounds = [b for rule in rules for b in rule.check_bounds(s, d, pattern)]
    return np.concatenate([lo for lo, _ in bounds], 1), np.concatenate([hi for _, hi in bounds], 1)


def rule_table(problem: AllocationProblem, pattern: bool = False) -> RuleTable:
    """Every active rule of ``problem`` as rows over the kroner amounts.

    Rows exist for every owner, partner and region×theme even where the bound is infinite
    (no cap reported). ``pattern`` gives the rows of every data of this structure: R9's rows
    even where no partner has a cap, and no R8 row (the fast path checks R8 on the entries).
    """
    s = make_space(problem)
    rules = active_rules(problem)
    blocks = [(rule.id, over_entries(b)) for rule in rules for b in rule.check_rows(s, pattern)]
    rows = stack(blocks)
    n = len(rows.rule), len(s.entry_region)
    coef = sp.csr_matrix((rows.vals, (rows.rows, rows.cols)), shape=n)
    lo, hi = check_bounds(rules, s, draws_of(problem), pattern)
    return RuleTable(rows.rule, rows.names, coef, lo[0], hi[0], s.entry_region)
