"""Shared fixtures for the metrics tests."""

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240601)


@pytest.fixture
def county(rng):
    """A county-sized case: 23 owners in 3 regions, FTEs between 3 and 3000 (one decimal)."""
    fte = np.round(rng.uniform(3.0, 3000.0, size=23), 1)
    region = np.array(["MIDT"] * 9 + ["NORD"] * 7 + ["SOR"] * 7)
    return fte, region
