"""R10: each region's total within ±``stability_max_change`` of last year's share of the
budget (last year's amounts scaled by the budget change)."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.keys import draws_of
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, LpRows, Rule, Space


class Stability(Rule):
    id = "R10"
    name = "stability from last year"

    def on(self, problem: AllocationProblem) -> bool:
        rules = problem.rules
        return problem.region_previous is not None and rules.stability_max_change is not None

    def _m(self, s: Space) -> float:
        m = s.problem.rules.stability_max_change
        assert m is not None  # on() holds
        return m

    def lp_rows(self, s: Space) -> list[LpRows]:
        n_r, f, region = s.problem.n_regions, s.funds, s.funds_region
        return [
            LpRows("R10_hi", s.region_names("R10_stability_hi"), region, f, 1.0, n_r),
            LpRows("R10_lo", s.region_names("R10_stability_lo"), region, f, 1.0, n_r),
        ]

    def _bounds(self, s: Space, d: Draws, scale: np.ndarray | float) -> list[Bound]:
        assert d.previous is not None  # on() holds
        m = self._m(s)
        prev = d.previous
        free = np.full(prev.shape, np.inf)
        return [(-free, (1 + m) * prev * scale), ((1 - m) * prev * scale, free)]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        return self._bounds(s, d, 1.0)

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        n_r = s.problem.n_regions
        return [
            CheckRows(s.region_names("R10_stability_hi"), s.entry_region, 1.0, n_r),
            CheckRows(s.region_names("R10_stability_lo"), s.entry_region, 1.0, n_r),
        ]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        return self._bounds(s, d, d.budget[:, None])

    def describe(self, problem: AllocationProblem) -> str:
        prev = draws_of(problem).previous
        largest = float(prev.max()) if prev is not None else 0.0
        return (
            f"the stability rule (each region within ±{problem.rules.stability_max_change:.0%}"
            f" of last year's share; largest share {largest:.1%})"
        )
