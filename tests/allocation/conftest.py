"""Shared fixtures for the allocation tests."""

from __future__ import annotations

import pytest

from dekomopt.allocation import AllocationProblem
from dekomopt.allocation.synthetic import toy_problem


@pytest.fixture
def three_regions() -> AllocationProblem:
    return toy_problem([100, 200, 300])
