"""The allocation LP as arrays: one statement of rules R1–R13 that every solver path reads.

Units: every variable is a share of the budget B (1.0 = the whole budget), so costs and
tolerances do not depend on the budget's size; amounts in kroner are ``value × B``.

Columns (all ≥ 0):

* owners' funds: with ``owner_split="fte"`` one column n[r, t, s] per region (the owners'
  part of region r for theme t and sector s; owner i receives fte_i/FTE_r · n[r, t, s] with
  the FTEs of sector s's key, which is R2's split by FTE for every sector and theme); with
  ``"free"`` one column x[i, t, s] per owner. Non-participating owners (R8) and regions
  without participating FTEs (of the sector's key) have upper bound 0.
* partners' funds y[e, t, s] on partnership edges (R9: money to partners only on edges).
* key deviations dev⁺_r, dev⁻_r (per sector with sector keys); uncovered need u[r, t]
  (R11); tie-breaking deviations.

Objective (minimised):

    Σ_r (dev⁺_r + dev⁻_r)                                 key deviation, |R_r − k_r·B| / B
  + distance_cost · Σ_e (km_e − km_min(r_e)) / km_max · y_e   travel beyond the region's
                                                          nearest partner (so it chooses the
                                                          partner, never the region)
  + need_cost · Σ_{r,t} u[r, t]                            reported need left uncovered / B
  + 1e-4 · Σ |tie-break deviations|

The tie-breaking terms (:mod:`~dekomopt.allocation.rules.tiebreak`) make the optimum unique
whenever the key can be met exactly. The rows come from the rule objects of
:mod:`~dekomopt.allocation.rules`, each of which states its rows and their bounds once and
names its rows by the rule (``R1_budget``, ``R3_uh_min``, ``R9_capacity_<partner>``, …;
``TB_…`` for tie-breaks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.keys import Draws, KeyFacts, draws_of
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules import RULES, TIE_BREAKS, Rule, Space, make_space
from dekomopt.allocation.rules.base import stack
from dekomopt.allocation.rules.tiebreak import TIE_WEIGHT, n_tie_columns


@dataclass
class LinearModel:
    """An LP in HiGHS form: min cost·v, col_lo ≤ v ≤ col_hi, row_lo ≤ A v ≤ row_hi."""

    space: Space
    """Where the columns and the amount entries sit."""
    facts: KeyFacts
    cost: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    row_names: tuple[str, ...]
    row_rules: tuple[str, ...]
    """The id of the rule each row belongs to ("R3"; "TB" for tie-breaks)."""

    @property
    def n_rows(self) -> int:
        return len(self.row_lo)

    def kroner(self, v: np.ndarray) -> np.ndarray:
        """Kroner over the amount vector from the LP values ``v`` under the problem's data."""
        budget = np.array([self.space.problem.budget_nok])
        return self.space.kroner(v[None, :], self.facts.owner_share[None], budget)[0]

    def matrix(self) -> sp.csr_matrix:
        """The constraint matrix A (rows × columns)."""
        return sp.csr_matrix(
            (self.vals, (self.rows, self.cols)), shape=(self.n_rows, len(self.cost))
        )


def travel_excess(problem: AllocationProblem) -> np.ndarray:
    """Per edge, km beyond its region's nearest partner over the longest edge's km: the
    travel the objective charges, which chooses the partner, never the region. An edge of
    unknown km (NaN: the partner's place is unknown) is charged nothing."""
    km = np.asarray(problem.edge_km, dtype=float)
    if not len(km) or np.isnan(km).all():
        return np.zeros_like(km)
    region = np.asarray(problem.edge_region, dtype=np.int64)
    nearest = np.full(problem.n_regions, np.inf)
    np.fmin.at(nearest, region, km)
    return np.nan_to_num((km - nearest[region]) / np.nanmax(km), nan=0.0)


def active_rules(problem: AllocationProblem) -> tuple[Rule, ...]:
    """The rules with rows in ``problem``, in row order."""
    return tuple(rule for rule in RULES if rule.on(problem))


def lp_bounds(
    rules: Sequence[Rule], s: Space, d: Draws
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The column upper bounds and the row bounds (lo, hi) that ``rules`` (with the
    tie-breaks, in row order) give under the data ``d``; arrays have the draws first."""
    col_hi = np.full((d.n, s.tb + n_tie_columns(s)), np.inf)
    lo, hi = [], []
    for rule in (*rules, TIE_BREAKS):
        for cols, bound in rule.lp_columns(s, d):
            col_hi[:, cols] = bound
        for b_lo, b_hi in rule.lp_bounds(s, d):
            lo.append(b_lo)
            hi.append(b_hi)
    return col_hi, np.concatenate(lo, axis=1), np.concatenate(hi, axis=1)


def build_model(problem: AllocationProblem, with_names: bool = True) -> LinearModel:
    """The allocation LP of ``problem``; the pattern depends only on its structure and rules."""
    rules = problem.rules
    s = make_space(problem)
    d = draws_of(problem)
    n_r, n_t = problem.n_regions, len(problem.themes)
    active = active_rules(problem)
    col_hi, row_lo, row_hi = lp_bounds(active, s, d)

    cost = np.zeros(col_hi.shape[1])
    cost[s.y] = rules.distance_cost * travel_excess(problem)[s.funds_unit[s.y]]
    cost[s.dev : s.dev + 2 * s.key_rows] = 1.0
    if s.unc >= 0:
        cost[s.unc : s.unc + n_r * n_t] = rules.need_cost
    cost[s.tb :] = TIE_WEIGHT

    blocks = [(rule.id, rows) for rule in (*active, TIE_BREAKS) for rows in rule.lp_rows(s)]
    facts, zero = d.facts.draw(0), np.zeros(len(cost))
    return LinearModel(
        s, facts, cost, zero, col_hi[0], row_lo[0], row_hi[0], *stack(blocks, with_names)
    )
