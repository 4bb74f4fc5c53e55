"""R9: a partner receives no more than its capacity, and money reaches partners only along
the partnership edges (the model has partner columns on edges only)."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, LpRows, Rule, Space, rows_of
from dekomopt.formats import format_nok


class PartnerCapacity(Rule):
    id = "R9"
    name = "partner capacity"

    def _names(self, s: Space):
        return lambda: [f"R9_capacity_{p}" for p in s.problem.partner_ids]

    def lp_rows(self, s: Space) -> list[LpRows]:
        n_p = s.problem.n_partners
        return [LpRows("R9", self._names(s), s.y_partner, s.y, 1.0, n_p)]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        cap = d.partner_capacity
        return [(rows_of(d.n, -np.inf, cap.shape[1]), cap / d.budget[:, None])]

    def _checked(self, s: Space, pattern: bool) -> bool:
        return pattern or bool(np.isfinite(np.asarray(s.problem.partner_capacity, float)).any())

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        if not self._checked(s, pattern):
            return []
        return [CheckRows(self._names(s), s.entry_partner, 1.0, s.problem.n_partners)]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        if not self._checked(s, pattern):
            return []
        cap = d.partner_capacity
        return [(rows_of(d.n, -np.inf, cap.shape[1]), cap)]

    def describe(self, problem: AllocationProblem) -> str:
        caps = np.asarray(problem.partner_capacity, float)
        listed = ", ".join(
            f"{problem.partner_names[p]} {format_nok(c)}"
            for p, c in enumerate(caps)
            if np.isfinite(c)
        )
        total = caps.sum() if np.isfinite(caps).all() else np.inf
        tail = f": partners can take at most {format_nok(total)}" if np.isfinite(total) else ""
        return f"the partner capacities ({listed}){tail}"
