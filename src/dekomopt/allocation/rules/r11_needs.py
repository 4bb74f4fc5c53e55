"""R11: a region receives no more for a theme than its participating owners reported needing.

A region × theme where a participating owner reported nothing is not capped. The LP row
``R11_need_<region>_<theme>`` reads: funds + uncovered = need, so the objective can price
the need left uncovered.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.keys import draws_of
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, LpRows, Rule, Space
from dekomopt.formats import format_nok


class Needs(Rule):
    id = "R11"
    name = "reported need cap"
    in_kroner = True

    def on(self, problem: AllocationProblem) -> bool:
        return problem.owner_needs is not None

    def _names(self, s: Space):
        p = s.problem
        return lambda: [f"R11_need_{r}_{t}" for r in p.region_ids for t in p.themes]

    def _cells(self, s: Space) -> int:
        return s.problem.n_regions * len(s.problem.themes)

    def lp_rows(self, s: Space) -> list[LpRows]:
        n_t, n = len(s.problem.themes), self._cells(s)
        cell = s.funds_region * n_t + s.funds_theme
        unc = s.unc + np.arange(n)
        rows, cols = np.r_[cell, np.arange(n)], np.r_[s.funds, unc]
        return [LpRows("R11", self._names(s), rows, cols, 1.0, n, (("uncovered", s.unc),))]

    def _need(self, d: Draws) -> np.ndarray:
        assert d.needs is not None  # on() holds
        return d.needs.reshape(d.n, -1)

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        need = self._need(d) / d.budget[:, None]
        finite = np.isfinite(need)
        return [(np.where(finite, need, -np.inf), np.where(finite, need, np.inf))]

    def lp_columns(self, s: Space, d: Draws) -> list[tuple[np.ndarray, np.ndarray]]:
        unc = s.unc + np.arange(self._cells(s))
        return [(unc, np.where(np.isfinite(self._need(d)), np.inf, 0.0))]

    def blocks(self, s: Space) -> list[CheckRows]:
        cell = s.entry_region * len(s.problem.themes) + s.entry_theme
        return [CheckRows("R11", self._names(s), cell, 1.0, self._cells(s))]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        need = self._need(d)
        return [(np.full(need.shape, -np.inf), need)]

    def describe(self, problem: AllocationProblem) -> str:
        needs = draws_of(problem).needs
        assert needs is not None  # on() holds
        total = format_nok(needs.sum()) if np.isfinite(needs).all() else "no limit for some themes"
        return f"the reported needs (all regions and themes: {total})"
