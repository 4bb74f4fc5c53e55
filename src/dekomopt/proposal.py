"""A distribution proposal: the tables the forum receives, with everything needed to trace them.

Column contracts (every table is a pandas DataFrame; amounts are whole kroner, ``int64``):

``allocation`` — one row per recipient × theme × sector:
    region, recipient_type ("owner" | "partner"), recipient_id (kommunenummer or partner id),
    recipient_name, theme ("general" | "special_ed"), sector ("school" | "kindergarten"),
    amount_nok.
``regions`` — one row per region:
    region, teacher_fte, key_share, amount_nok, owners_nok, partners_nok, nok_per_fte,
    previous_nok (NaN when unknown), change_nok (NaN when unknown), illustrative (bool).
``owners`` — one row per owner:
    owner_id, owner_name, owner_kind ("municipality" | "private" | "county"), region,
    teacher_fte, fte_imputed (bool), fte_method (str), participates (bool), amount_nok,
    nok_per_fte, cofinancing_nok (required own contribution, R4), previous_nok, change_nok.
``partners`` — one row per partner:
    partner_id, partner_name, partner_kind ("uh" | "fagskole" | "other"), amount_nok,
    capacity_nok (NaN = none), regions (comma-separated region ids it serves).
``rules`` — one dict per rule (see :mod:`dekomopt.allocation.report`): rule ("R1" …),
    name, value, bound, sense, met, binding, slack, shadow_price, explanation, params.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Proposal:
    """One year's distribution proposal for one scenario."""

    scenario_name: str
    county: str
    regime: str
    year: int
    budget_total_nok: int
    """The state grant before set-asides."""
    set_asides: tuple[tuple[str, int], ...]
    """(name, amount) taken off before distribution (R6)."""
    budget_nok: int
    """What is distributed: total minus set-asides. ``allocation.amount_nok.sum()`` equals it."""
    allocation: pd.DataFrame
    regions: pd.DataFrame
    owners: pd.DataFrame
    partners: pd.DataFrame
    rules: tuple[dict, ...]
    provenance: dict
    """Scenario file and sha256, data versions, seed, solver and version, package version, time."""
    caveats: tuple[str, ...] = ()
    """Plain-language warnings: imputed values, illustrative structure or budget, data findings."""
    structure_illustrative: bool = False
    budget_illustrative: bool = False
    alternatives: tuple[pd.DataFrame, ...] = field(default=())
    """Near-optimal alternative ``regions`` tables (same columns), if computed."""
