"""The rules as linear rows over the kroner amounts: what rounding keeps and the report checks.

Amounts are the vector a = (x[i, t, s] for owners, then y[e, t, s] for edges) in kroner.
Each row says ``lo ≤ coef · a ≤ hi``; its name matches the LP row it mirrors, so the LP dual
of that row is the rule's shadow price. Equality rules on shares of the budget (R7) hold to
within one rounding unit, since a share of the budget need not be a whole multiple of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.keys import draws_of
from dekomopt.allocation.model import active_rules
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules import make_space

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


def rule_table(problem: AllocationProblem, pattern: bool = False) -> RuleTable:
    """Every active rule of ``problem`` as rows over the kroner amounts.

    Rows exist for every owner, partner and region×theme even where the bound is infinite
    (no cap reported). ``pattern`` gives the rows of every data of this structure: R9's rows
    even where no partner has a cap, and no R8 row (the fast path checks R8 on the entries).
    """
    d = draws_of(problem)
    space = make_space(problem, d.needs is not None)
    rule_ids: list[str] = []
    names: list[str] = []
    r_list, c_list, v_list, lo_list, hi_list = [], [], [], [], []
    offset = 0
    n = len(space.entry_region)
    for rule in active_rules(problem):
        blocks = rule.check_rows(space, pattern)
        bounds = rule.check_bounds(space, d, pattern)
        for rows, (lo, hi) in zip(blocks, bounds, strict=True):
            group = np.asarray(rows.group)
            sel = group >= 0
            r_list.append(group[sel] + offset)
            c_list.append(np.flatnonzero(sel))
            v_list.append(np.broadcast_to(np.asarray(rows.coef, dtype=float), (n,))[sel])
            block_names = rows.names()
            rule_ids.extend([rule.id] * len(block_names))
            names.extend(block_names)
            lo_list.append(lo[0])
            hi_list.append(hi[0])
            offset += rows.count
    coef = sp.csr_matrix(
        (np.concatenate(v_list), (np.concatenate(r_list), np.concatenate(c_list))),
        shape=(offset, n),
    )
    return RuleTable(
        rule=tuple(rule_ids),
        name=tuple(names),
        coef=coef,
        lo=np.concatenate(lo_list),
        hi=np.concatenate(hi_list),
        region_of=space.entry_region,
    )
