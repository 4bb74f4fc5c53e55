"""Shared fixtures for the allocation tests."""

from __future__ import annotations

import numpy as np
import pytest

from dekomopt.allocation import AllocationProblem
from dekomopt.testing import Rules, synthetic_problem, toy_problem


@pytest.fixture
def three_regions() -> AllocationProblem:
    return toy_problem([100, 200, 300])


@pytest.fixture
def tight_shares():
    """Makes synthetic problems whose county-wide UH, special-education and kindergarten
    shares the LP meets exactly, so that whole-krone rounding must work to keep them."""
    rules = Rules(
        uh_share_min=0.5,
        special_ed_share_min=0.2,
        kindergarten_share=0.3,
        key_tolerance=0.01,
        rounding_unit_nok=1,
    )

    def make(
        rng: np.random.Generator, owners: int, regions: int, partners: int, budget_nok: int
    ) -> AllocationProblem:
        return synthetic_problem(
            rng,
            owners,
            regions,
            partners,
            rules=rules,
            sectors=("kindergarten", "school"),
            budget_nok=budget_nok,
        )

    return make
