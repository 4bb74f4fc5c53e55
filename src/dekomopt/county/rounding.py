"""The rounding unit (``rules.rounding_unit_nok``) against the regions' key amounts.

Every amount of a proposal is a whole number of rounding units (but the one that takes the
kroner left over), so a region's kroner can lie up to one unit from its key amount (its key
share of the budget distributed). Against the smallest region's key amount, in the year with
the smallest budget:

* a unit above that amount is an error: the region's kroner could only be 0 or at least one
  unit, more than its key amount, so the key (R2's lower bound falls to 0) no longer shares
  the budget there;
* a unit above :data:`COARSE_SHARE` of it is a warning (a note among the county's caveats).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dekomopt.allocation.keys import draws_of
from dekomopt.county.model import County
from dekomopt.county.problem import allocation_problem
from dekomopt.errors import ScenarioError
from dekomopt.formats import format_nok, format_percent
from dekomopt.notes import Note, note
from dekomopt.scenario.budget import budget_years, distributed_nok
from dekomopt.scenario.load import Scenario

COARSE_SHARE = 0.1
"""A rounding unit above this share of the smallest region's key amount gets a warning."""

KEY = "rules.rounding_unit_nok"


@dataclass(frozen=True)
class SmallestKeyAmount:
    """The smallest region's key amount: its key share of the smallest budget distributed
    (the year of that budget), in kroner."""

    region: str
    share: float
    budget_nok: int
    year: int

    @property
    def amount_nok(self) -> float:
        return self.share * self.budget_nok


def smallest_key_amount(scenario: Scenario, county: County) -> SmallestKeyAmount | None:
    """The region with the smallest positive key share, against the smallest budget the
    scenario distributes (its own year's or one of ``budget.years``); None when no region has
    a key share."""
    problem = allocation_problem(scenario, county)
    key = draws_of(problem).facts.key[0]
    shared = np.flatnonzero(key > 0)
    if not len(shared):
        return None
    i = int(shared[np.argmin(key[shared])])
    year, budget = min(
        ((year, distributed_nok(scenario, total)) for year, total in budget_years(scenario)),
        key=lambda pair: pair[1],
    )
    return SmallestKeyAmount(problem.region_ids[i], float(key[i]), budget, year)


def rounding_unit_notes(scenario: Scenario, county: County) -> list[Note]:
    """The warning when the rounding unit is above :data:`COARSE_SHARE` of the smallest
    region's key amount, else nothing. Raises :class:`ScenarioError` (key
    ``rules.rounding_unit_nok``, one line with the unit, the region and its key amount) when
    the unit is above that amount."""
    unit = scenario.spec.rules.rounding_unit_nok
    if unit == 1:
        return []
    smallest = smallest_key_amount(scenario, county)
    if smallest is None:
        return []
    amount = smallest.amount_nok
    if unit > amount:
        raise ScenarioError(
            scenario.source,
            KEY,
            f"{format_nok(unit)} is more than the key amount of the smallest region, "
            f"{smallest.region} ({format_percent(smallest.share, 2)} of the "
            f"{format_nok(smallest.budget_nok)} distributed in {smallest.year}, "
            f"{format_nok(amount)}): its kroner could only be 0 or at least one unit, so the "
            "key cannot share the budget there; a unit of at most "
            f"{format_nok(int(COARSE_SHARE * amount))} moves no region by more than "
            f"{format_percent(COARSE_SHARE, 0)} of its key amount",
        )
    if unit <= COARSE_SHARE * amount:
        return []
    return [
        note(
            "note_rounding_unit_coarse",
            unit=unit,
            percent=100 * unit / amount,
            region=smallest.region,
            share=100 * smallest.share,
            budget=smallest.budget_nok,
            year=str(smallest.year),
            amount=round(amount),
        )
    ]
