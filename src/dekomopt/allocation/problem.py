"""The allocation problem as plain arrays: what the LP reads, independent of files and scenarios.

A scenario and a county model are turned into an :class:`AllocationProblem` once; the LP, its
fast re-solve path, the Monte Carlo and the structure analyses all read this object. Indices
are positions in the tuples (owner ``i``, region ``r``, partner ``p``, edge ``e``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

THEMES: tuple[str, ...] = ("general", "special_ed")
"""Themes funded: general competence development; special education and inclusive practice."""


@dataclass(frozen=True)
class Rules:
    """The scheme's rules R1–R13 as numbers (see the scenario documentation for each key)."""

    uh_share_min: float = 0.0
    """R3: minimum share of the budget to partners (0–1)."""
    uh_scope: Literal["county", "region"] = "county"
    """R3: the minimum holds for the county total, or for every region's total."""
    cofinancing_share: float = 0.0
    """R4: owner's own contribution as a share of the state funds it receives."""
    special_ed_share_min: float = 0.0
    """R5: minimum share of the budget to the special-education theme."""
    kindergarten_share: float | None = None
    """R7: share of the budget to the kindergarten sector (2026 regime); None when school only."""
    key_weight_fte: float = 1.0
    """R2/R12: weight of the teacher-FTE share in the regional key."""
    key_weight_distance: float = 0.0
    """R12: weight of the region's share of teacher-km to its nearest partner."""
    key_weight_special: float = 0.0
    """R12: weight of the region's share of the special-challenge index."""
    key_tolerance: float | None = None
    """R2: each region's total within ±tolerance (relative) of key share × budget.

    None = the key is only a soft target."""
    owner_split: Literal["fte", "free"] = "fte"
    """Inside a region owners share the owners' part by FTE ("fte"), or as the LP finds best."""
    stability_max_change: float | None = None
    """R10: max relative change of a region's total from last year's.

    Last year's amounts are scaled by the budget change first."""
    rounding_unit_nok: int = 1
    """Amounts are multiples of this many kroner."""
    distance_cost: float = 0.01
    """Objective weight on partner distance (per krone-km, relative to the key-deviation term)."""
    need_cost: float = 1.0
    """Objective weight on reported need left uncovered (per krone)."""


@dataclass(frozen=True)
class AllocationProblem:
    """Everything the allocation LP needs, as arrays. Immutable; make variants with ``with_``."""

    budget_nok: int
    """R1/R6: the amount to distribute (after set-asides), whole kroner."""
    sectors: tuple[str, ...]
    """("school",) in the dekom regime; ("kindergarten", "school") in the 2026 regime."""
    owner_ids: tuple[str, ...]
    owner_names: tuple[str, ...]
    owner_kind: tuple[str, ...]
    """"municipality", "private" or "county"."""
    owner_region: np.ndarray
    """int, region index of each owner."""
    owner_fte: np.ndarray
    """float ≥ 0, teacher FTEs (the key's unit)."""
    owner_participates: np.ndarray
    """bool, R8: False = gets nothing, and its FTEs leave the key."""
    owner_cofin_capacity: np.ndarray
    """float NOK, R4: own contribution the owner can make; NaN = no cap."""
    owner_km: np.ndarray
    """float, km from the owner to its region's nearest partner (travel metrics, R12 key)."""
    region_ids: tuple[str, ...]
    partner_ids: tuple[str, ...]
    partner_names: tuple[str, ...]
    partner_kind: tuple[str, ...]
    """"uh", "fagskole" or "other"."""
    partner_capacity: np.ndarray
    """float NOK, R9: the most a partner can take; NaN = no cap."""
    edge_region: np.ndarray
    """int, R9: the region of each eligible partnership edge."""
    edge_partner: np.ndarray
    """int, the partner of each edge."""
    edge_km: np.ndarray
    """float > 0, travel distance along the edge."""
    rules: Rules = field(default_factory=Rules)
    themes: tuple[str, ...] = THEMES
    owner_needs: np.ndarray | None = None
    """float NOK, owners × themes, R11: reported need; NaN = not reported. None = no reports."""
    region_special: np.ndarray | None = None
    """float ≥ 0 per region, R12 special-challenge index; None = zeros."""
    region_previous: np.ndarray | None = None
    """float NOK per region, R10: last year's allocation; None = no stability rule."""
    previous_total_nok: int | None = None
    """R10: last year's total, to scale ``region_previous`` by the budget change."""

    @property
    def n_owners(self) -> int:
        return len(self.owner_ids)

    @property
    def n_regions(self) -> int:
        return len(self.region_ids)

    @property
    def n_partners(self) -> int:
        return len(self.partner_ids)

    def with_(self, **changes: object) -> AllocationProblem:
        """A copy with some fields changed (the problem itself is never mutated)."""
        return replace(self, **changes)
