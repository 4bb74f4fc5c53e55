"""R1: the whole budget (after set-asides, R6) is distributed, to the krone."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, LpRows, Rule, Space, rows_of


class Budget(Rule):
    id = "R1"
    name = "budget conservation"

    def lp_rows(self, s: Space) -> list[LpRows]:
        f = s.funds
        return [LpRows("R1", lambda: ["R1_budget"], np.zeros(len(f)), f, 1.0, 1)]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        one = rows_of(d.n, 1.0, 1)
        return [(one, one)]

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        return [CheckRows(lambda: ["R1_budget"], np.zeros(len(s.entry_region), np.int64), 1.0, 1)]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        budget = d.budget[:, None].astype(float)
        return [(budget, budget)]
