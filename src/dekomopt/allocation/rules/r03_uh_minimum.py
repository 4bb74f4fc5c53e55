"""R3: at least ``uh_share_min`` of the budget to partners (UH; from 2026 also fagskoler and
other competence environments), county-wide or per region (per region: the partners' part
minus ``uh_share_min`` × the region's total is at least 0)."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, Params, Rule, Space, rows_of
from dekomopt.formats import format_nok


class UhMinimum(Rule):
    id = "R3"
    name = "minimum share to partners"

    def on(self, problem: AllocationProblem) -> bool:
        return problem.rules.uh_share_min > 0

    def _county(self, s: Space) -> bool:
        return s.problem.rules.uh_scope == "county"

    def blocks(self, s: Space) -> list[CheckRows]:
        partner = s.entry_partner >= 0
        if self._county(s):
            return [CheckRows("R3", lambda: ["R3_uh_min"], np.where(partner, 0, -1), 1.0, 1)]
        u = s.problem.rules.uh_share_min
        names, n_r = s.region_names("R3_uh_min"), s.problem.n_regions
        return [CheckRows("R3", names, s.entry_region, np.where(partner, 1 - u, -u), n_r)]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        count = 1 if self._county(s) else s.problem.n_regions
        lo = s.problem.rules.uh_share_min if self._county(s) else 0.0
        return [(rows_of(d.n, lo, count), rows_of(d.n, np.inf, count))]

    def shown(
        self, name: str, value: float, bound: float, allocation: Allocation
    ) -> tuple[float, float]:
        """A region's row (partners − u × total ≥ 0) as the partners' kroner against u × the
        region's total."""
        if name == "R3_uh_min":
            return value, bound
        p = allocation.problem
        r = p.region_ids.index(name.removeprefix("R3_uh_min_"))
        partners = allocation.edge_amounts.sum(axis=(1, 2))[np.asarray(p.edge_region) == r]
        return float(partners.sum()), p.rules.uh_share_min * float(allocation.region_totals[r])

    def params(self, name: str, s: Space, d: Draws, allocation: Allocation) -> Params:
        return {"uh_share_min": s.problem.rules.uh_share_min} if name == "R3_uh_min" else {}

    def describe(self, problem: AllocationProblem) -> str:
        r = problem.rules
        share = f"the minimum share to partners of {r.uh_share_min:.0%}"
        if r.uh_scope == "region":
            return f"{share} of every region's total"
        return f"{share} of the county total ({format_nok(r.uh_share_min * problem.budget_nok)})"
