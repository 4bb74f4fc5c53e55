"""R7 (2026 regime): exactly ``kindergarten_share`` of the budget to the kindergarten sector.

In whole kroner the share holds to within less than one rounding unit.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, Rule, Space, kroner, rows_of
from dekomopt.allocation.rules.r02_key import within_unit
from dekomopt.formats import format_nok


class Kindergarten(Rule):
    id = "R7"
    name = "kindergarten share"

    def on(self, problem: AllocationProblem) -> bool:
        return problem.rules.kindergarten_share is not None and "kindergarten" in problem.sectors

    def blocks(self, s: Space) -> list[CheckRows]:
        sel = s.entry_sector == s.problem.sectors.index("kindergarten")
        return [CheckRows("R7", lambda: ["R7_kindergarten"], np.where(sel, 0, -1), 1.0, 1)]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        share = rows_of(d.n, s.problem.rules.kindergarten_share or 0.0, 1)
        return [(share, share)]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        ((share, _),) = self.bounds(s, d)
        return [within_unit(kroner(share, d), s.problem.rules.rounding_unit_nok)]

    def describe(self, problem: AllocationProblem) -> str:
        share = problem.rules.kindergarten_share or 0.0
        amount = format_nok(share * problem.budget_nok)
        return f"the kindergarten share of {share:.0%} ({amount})"
