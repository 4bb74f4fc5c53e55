"""R3: at least ``uh_share_min`` of the budget to partners (UH), county-wide or per region."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, LpRows, Rule, Space, rows_of
from dekomopt.formats import format_nok


class UhMinimum(Rule):
    id = "R3"
    name = "minimum share to UH partners"

    def on(self, problem: AllocationProblem) -> bool:
        return problem.rules.uh_share_min > 0

    def _county(self, s: Space) -> bool:
        return s.problem.rules.uh_scope == "county"

    def lp_rows(self, s: Space) -> list[LpRows]:
        u = s.problem.rules.uh_share_min
        if self._county(s):
            return [LpRows("R3", lambda: ["R3_uh_min"], np.zeros(len(s.y)), s.y, 1.0, 1)]
        # Per region: partners' part − u × region total ≥ 0.
        coef = np.r_[np.full(s.n_own, -u), np.full(len(s.y), 1.0 - u)]
        n_r = s.problem.n_regions
        return [LpRows("R3", s.region_names("R3_uh_min"), s.funds_region, s.funds, coef, n_r)]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        count = 1 if self._county(s) else s.problem.n_regions
        lo = s.problem.rules.uh_share_min if self._county(s) else 0.0
        return [(rows_of(d.n, lo, count), rows_of(d.n, np.inf, count))]

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        partner = s.entry_partner >= 0
        if self._county(s):
            return [CheckRows(lambda: ["R3_uh_min"], np.where(partner, 0, -1), 1.0, 1)]
        u = s.problem.rules.uh_share_min
        coef = np.where(partner, 1 - u, -u)
        n_r = s.problem.n_regions
        return [CheckRows(s.region_names("R3_uh_min"), s.entry_region, coef, n_r)]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        if self._county(s):
            lo = s.problem.rules.uh_share_min * d.budget[:, None]
            return [(lo, np.full_like(lo, np.inf))]
        n_r = s.problem.n_regions
        return [(rows_of(d.n, 0.0, n_r), rows_of(d.n, np.inf, n_r))]

    def describe(self, problem: AllocationProblem) -> str:
        r = problem.rules
        where = "of the county total" if r.uh_scope == "county" else "of every region's total"
        amount = format_nok(r.uh_share_min * problem.budget_nok)
        return f"the UH minimum of {r.uh_share_min:.0%} {where} ({amount})"
