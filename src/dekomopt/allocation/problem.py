"""The allocation problem as plain arrays: what the LP reads, independent of files and scenarios.

A scenario and a county model are turned into an :class:`AllocationProblem` once; the LP, its
fast re-solve path, the Monte Carlo and the structure analyses all read this object. Indices
are positions in the tuples (owner ``i``, region ``r``, partner ``p``, edge ``e``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from dekomopt.scenario.schema import RulesTable

THEMES: tuple[str, ...] = ("general", "special_ed")
"""Themes funded: general competence development; special education and inclusive practice."""


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
    """float, km from the owner to its region's nearest partner (travel metrics, R12 key);
    NaN where a partner's place is unknown (travel unavailable)."""
    region_ids: tuple[str, ...]
    partner_ids: tuple[str, ...]
    partner_names: tuple[str, ...]
    partner_capacity: np.ndarray
    """float NOK, R9: the most a partner can take; NaN = no cap."""
    edge_region: np.ndarray
    """int, R9: the region of each eligible partnership edge."""
    edge_partner: np.ndarray
    """int, the partner of each edge."""
    edge_km: np.ndarray
    """float > 0, travel distance along the edge; NaN where the partner's place is unknown."""
    rules: RulesTable
    """The scenario's validated ``[rules]`` (R2–R12 parameters), as they are."""
    themes: tuple[str, ...] = THEMES
    owner_needs: np.ndarray | None = None
    """float NOK, owners × themes, R11: reported need; NaN = not reported. None = no reports."""
    region_special: np.ndarray | None = None
    """float ≥ 0 per region, R12 special-challenge index; None = zeros."""
    region_previous: np.ndarray | None = None
    """float NOK per region, R10: last year's allocation; None = no stability rule."""
    previous_total_nok: int | None = None
    """R10: last year's total, to scale ``region_previous`` by the budget change."""
    owner_kindergarten_fte: np.ndarray | None = None
    """float ≥ 0, kindergarten staff (årsverk): the kindergarten sector's key (R2/R7, see
    :mod:`~dekomopt.allocation.keys`); None = the teacher-FTE key for every sector."""

    @property
    def n_owners(self) -> int:
        return len(self.owner_ids)

    @property
    def n_regions(self) -> int:
        return len(self.region_ids)

    @property
    def n_partners(self) -> int:
        return len(self.partner_ids)

    def with_(self, **changes: Any) -> AllocationProblem:
        """A copy with some fields changed (the problem itself is never mutated)."""
        return replace(self, **changes)
