"""R8: an owner that does not take part gets nothing, and its FTEs leave the key.

The key's side lives in :mod:`~dekomopt.allocation.keys`; here the owners' and partners'
columns of regions without participating owners are closed, and (checks) the amounts of
non-participating owners must be 0. The fast path checks R8 on the entries directly.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.keys import key_sectors
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import Bound, CheckRows, Draws, Rule, Space, rows_of


class Participation(Rule):
    id = "R8"
    name = "non-participating owners get nothing"

    def lp_columns(self, s: Space, d: Draws) -> list[tuple[np.ndarray, np.ndarray]]:
        unit, region, sector = s.funds_unit, s.funds_region[s.y], s.funds_sector
        if s.by_owner:
            own_open = d.participates[:, unit[s.own]]
        else:
            own_open = d.facts.region_fte[:, sector[s.own], unit[s.own]] > 0
        y_open = d.facts.region_active[:, region]
        if key_sectors(s.problem):
            # A sector's partner funds need the sector's own FTEs in the region.
            y_open = y_open & (d.facts.region_fte[:, sector[s.y], region] > 0)
        return [(s.funds, np.where(np.c_[own_open, y_open], np.inf, 0.0))]

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        absent = ~np.asarray(s.problem.owner_participates, dtype=bool)
        if pattern or not absent.any():
            return []
        owner = s.entry_owner
        out = (owner >= 0) & absent[np.maximum(owner, 0)]
        return [CheckRows("R8", lambda: ["R8_non_participants"], np.where(out, 0, -1), 1.0, 1)]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        if pattern or d.participates.all():
            return []
        zero = rows_of(d.n, 0.0, 1)
        return [(zero, zero)]

    def describe(self, problem: AllocationProblem) -> str:
        return "non-participating owners get nothing"
