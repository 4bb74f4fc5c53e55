"""R5: at least ``special_ed_share_min`` of the budget to special education and inclusion."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, LpRows, Rule, Space, rows_of
from dekomopt.formats import format_nok


class SpecialEducation(Rule):
    id = "R5"
    name = "special-education minimum"

    def on(self, problem: AllocationProblem) -> bool:
        return problem.rules.special_ed_share_min > 0 and "special_ed" in problem.themes

    def lp_rows(self, s: Space) -> list[LpRows]:
        sel = s.funds_theme == s.problem.themes.index("special_ed")
        cols = s.funds[sel]
        return [LpRows("R5", lambda: ["R5_special_ed_min"], np.zeros(len(cols)), cols, 1.0, 1)]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        lo = rows_of(d.n, s.problem.rules.special_ed_share_min, 1)
        return [(lo, rows_of(d.n, np.inf, 1))]

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        sel = s.entry_theme == s.problem.themes.index("special_ed")
        return [CheckRows(lambda: ["R5_special_ed_min"], np.where(sel, 0, -1), 1.0, 1)]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        lo = s.problem.rules.special_ed_share_min * d.budget[:, None]
        return [(lo, np.full_like(lo, np.inf))]

    def describe(self, problem: AllocationProblem) -> str:
        share = problem.rules.special_ed_share_min
        amount = format_nok(share * problem.budget_nok)
        return f"the special-education minimum of {share:.0%} ({amount})"
