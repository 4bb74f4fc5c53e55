"""R5: at least ``special_ed_share_min`` of the budget to special education and inclusion."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, Rule, Space, rows_of
from dekomopt.formats import format_nok


class SpecialEducation(Rule):
    id = "R5"
    name = "special-education minimum"

    def on(self, problem: AllocationProblem) -> bool:
        return problem.rules.special_ed_share_min > 0 and "special_ed" in problem.themes

    def blocks(self, s: Space) -> list[CheckRows]:
        sel = s.entry_theme == s.problem.themes.index("special_ed")
        return [CheckRows("R5", lambda: ["R5_special_ed_min"], np.where(sel, 0, -1), 1.0, 1)]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        lo = rows_of(d.n, s.problem.rules.special_ed_share_min, 1)
        return [(lo, rows_of(d.n, np.inf, 1))]

    def describe(self, problem: AllocationProblem) -> str:
        share = problem.rules.special_ed_share_min
        amount = format_nok(share * problem.budget_nok)
        return f"the special-education minimum of {share:.0%} ({amount})"
