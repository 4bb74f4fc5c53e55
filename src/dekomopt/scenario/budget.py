"""The budget a scenario leaves to share once its set-asides are taken."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from dekomopt.scenario.load import Scenario


def set_aside_amounts(
    scenario: Scenario, total_nok: int | None = None
) -> tuple[tuple[str, int], ...]:
    """(name, whole kroner) of each set-aside (R6); shares are rounded half up to the krone."""
    budget = scenario.spec.budget
    total = budget.total_nok if total_nok is None else total_nok
    out = []
    for s in budget.set_asides:
        if s.amount_nok is not None:
            amount = s.amount_nok
        else:
            assert s.share is not None  # the schema asks for exactly one of the two
            amount = int(np.floor(s.share * total + 0.5))
        out.append((s.name, int(amount)))
    return tuple(out)


def distributed_nok(scenario: Scenario, total_nok: int | None = None) -> int:
    """The kroner left to distribute: the grant (``total_nok``, else the scenario's) less its
    set-asides."""
    total = scenario.spec.budget.total_nok if total_nok is None else total_nok
    return total - sum(amount for _, amount in set_aside_amounts(scenario, total))


def budget_years(scenario: Scenario) -> list[tuple[int, int]]:
    """(year, grant) of every year a scenario proposes for: its own year with
    ``budget.total_nok``, then each of ``budget.years`` in year order."""
    spec = scenario.spec
    plan = [(spec.scenario.year, spec.budget.total_nok)]
    return plan + [(y.year, y.total_nok) for y in sorted(spec.budget.years, key=lambda y: y.year)]
