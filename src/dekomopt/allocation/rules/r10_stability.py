"""R10: each region's total within ±``stability_max_change`` of last year's share of the
budget (last year's amounts scaled by the budget change)."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.keys import draws_of
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, Rule, Space


class Stability(Rule):
    id = "R10"
    name = "stability from last year"

    def on(self, problem: AllocationProblem) -> bool:
        rules = problem.rules
        return problem.region_previous is not None and rules.stability_max_change is not None

    def blocks(self, s: Space) -> list[CheckRows]:
        n_r, region = s.problem.n_regions, s.entry_region
        return [
            CheckRows("R10_hi", s.region_names("R10_stability_hi"), region, 1.0, n_r),
            CheckRows("R10_lo", s.region_names("R10_stability_lo"), region, 1.0, n_r),
        ]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        m, prev = s.problem.rules.stability_max_change, d.previous
        assert m is not None and prev is not None  # on() holds
        free = np.full(prev.shape, np.inf)
        return [(-free, (1 + m) * prev), ((1 - m) * prev, free)]

    def describe(self, problem: AllocationProblem) -> str:
        prev = draws_of(problem).previous
        largest = float(prev.max()) if prev is not None else 0.0
        return (
            f"the stability rule (each region within ±{problem.rules.stability_max_change:.0%}"
            f" of last year's share; largest share {largest:.1%})"
        )
