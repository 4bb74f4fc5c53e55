"""R1: the whole budget (after set-asides, R6) is distributed, to the krone."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, Rule, Space, rows_of


class Budget(Rule):
    id = "R1"
    name = "budget conservation"

    def blocks(self, s: Space) -> list[CheckRows]:
        every = np.zeros(len(s.entry_region), np.int64)
        return [CheckRows("R1", lambda: ["R1_budget"], every, 1.0, 1)]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        one = rows_of(d.n, 1.0, 1)
        return [(one, one)]
