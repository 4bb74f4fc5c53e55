"""R7 (2026 regime): exactly ``kindergarten_share`` of the budget to the kindergarten sector.

In whole kroner the share holds to within less than one rounding unit.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, LpRows, Rule, Space, rows_of
from dekomopt.allocation.rules.r02_key import within_unit
from dekomopt.formats import format_nok


class Kindergarten(Rule):
    id = "R7"
    name = "kindergarten share"

    def on(self, problem: AllocationProblem) -> bool:
        return problem.rules.kindergarten_share is not None and "kindergarten" in problem.sectors

    def _share(self, s: Space) -> float:
        share = s.problem.rules.kindergarten_share
        assert share is not None  # on() holds
        return share

    def lp_rows(self, s: Space) -> list[LpRows]:
        sel = s.funds_sector == s.problem.sectors.index("kindergarten")
        cols = s.funds[sel]
        return [LpRows("R7", lambda: ["R7_kindergarten"], np.zeros(len(cols)), cols, 1.0, 1)]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        share = rows_of(d.n, self._share(s), 1)
        return [(share, share)]

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        sel = s.entry_sector == s.problem.sectors.index("kindergarten")
        return [CheckRows(lambda: ["R7_kindergarten"], np.where(sel, 0, -1), 1.0, 1)]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        target = self._share(s) * d.budget[:, None]
        return [within_unit(target, s.problem.rules.rounding_unit_nok)]

    def describe(self, problem: AllocationProblem) -> str:
        share = problem.rules.kindergarten_share or 0.0
        amount = format_nok(share * problem.budget_nok)
        return f"the kindergarten share of {share:.0%} ({amount})"
