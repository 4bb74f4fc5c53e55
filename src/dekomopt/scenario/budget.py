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
