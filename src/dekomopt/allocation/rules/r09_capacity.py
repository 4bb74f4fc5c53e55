"""R9: a partner receives no more than its capacity, and money reaches partners only along
the partnership edges (the model has partner columns on edges only)."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, Rule, Space, rows_of
from dekomopt.formats import format_nok


class PartnerCapacity(Rule):
    id = "R9"
    name = "partner capacity"
    in_kroner = True

    def blocks(self, s: Space) -> list[CheckRows]:
        names = lambda: [f"R9_capacity_{p}" for p in s.problem.partner_ids]  # noqa: E731
        return [CheckRows("R9", names, s.entry_partner, 1.0, s.problem.n_partners)]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        cap = d.partner_capacity
        return [(rows_of(d.n, -np.inf, cap.shape[1]), cap)]

    def _checked(self, s: Space, pattern: bool) -> bool:
        """Checked only where some partner has a capacity (every row for the pattern)."""
        return pattern or bool(np.isfinite(np.asarray(s.problem.partner_capacity, float)).any())

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        return self.blocks(s) if self._checked(s, pattern) else []

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        return self.bounds(s, d) if self._checked(s, pattern) else []

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
