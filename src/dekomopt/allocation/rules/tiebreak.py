"""Tie-breaking rows: not a rule, but bounds that follow the key like one.

Each region's partner funds per theme and sector aim at k_r · uh_share_min · z[t, s], each
region's funds per theme and sector at k_r · z[t, s] (k_r of sector s's key; z from
:func:`~dekomopt.allocation.keys.target_mix`), and, with ``owner_split="free"``, each owner's
funds at its FTE part of that. The deviations cost :data:`TIE_WEIGHT` each, far below every
rule's own cost, so they only choose among otherwise equal optima.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.keys import target_mix
from dekomopt.allocation.rules.base import Bound, Draws, LpRows, Rule, Space, deviation_rows

TIE_WEIGHT = 1e-4
"""Cost of a tie-breaking deviation, per budget share."""


def n_tie_columns(s: Space) -> int:
    n_cells = s.problem.n_regions * len(s.problem.themes) * len(s.problem.sectors)
    return 4 * n_cells + (2 * s.n_own if s.by_owner else 0)


class TieBreaks(Rule):
    id = "TB"
    name = "tie-breaks"

    def _cell(self, s: Space, cols: np.ndarray) -> np.ndarray:
        """The region × theme × sector cell of each fund column ``cols``."""
        n_t, n_s = len(s.problem.themes), len(s.problem.sectors)
        return (s.funds_region[cols] * n_t + s.funds_theme[cols]) * n_s + s.funds_sector[cols]

    def lp_rows(self, s: Space) -> list[LpRows]:
        p = s.problem
        rids, tids, sids = p.region_ids, p.themes, p.sectors
        n_cells = p.n_regions * len(tids) * len(sids)

        def names(prefix: str):
            return lambda: [f"{prefix}_{r}_{t}_{x}" for r in rids for t in tids for x in sids]

        y_cell, cell = self._cell(s, s.y), self._cell(s, s.funds)
        rows = [
            deviation_rows("TB_partner", names("TB_partner"), y_cell, s.y, s.tb, n_cells),
            deviation_rows("TB_mix", names("TB_mix"), cell, s.funds, s.tb + 2 * n_cells, n_cells),
        ]
        if s.by_owner:
            rows.append(
                deviation_rows(
                    "TB_owner",
                    lambda: [
                        f"TB_owner_{o}_{t}_{x}" for o in p.owner_ids for t in tids for x in sids
                    ],
                    s.own,
                    s.own,
                    s.tb + 4 * n_cells,
                    s.n_own,
                )
            )
        return rows

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        p = s.problem
        u = p.rules.uh_share_min
        per = len(p.themes) * len(p.sectors)
        # k_{s,r} · z[t, s] per region × theme × sector cell (k_r for every sector without
        # sector keys).
        key = d.facts.sector_key.transpose(0, 2, 1)[:, :, None, :]
        targets = (key * target_mix(p)[None, None]).reshape(d.n, p.n_regions * per)
        bounds = [(u * targets, u * targets), (targets, targets)]
        if s.by_owner:
            cell = self._cell(s, s.own)
            share = d.facts.owner_share[:, s.funds_unit[s.own], s.funds_sector[s.own]]
            owner = share * (1 - u) * targets[:, cell]
            bounds.append((owner, owner))
        return bounds
