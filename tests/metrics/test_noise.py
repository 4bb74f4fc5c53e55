"""Noise rules: Theil's parts add up to its total in every row, and whole-krone rounding of an
equal split is 0 in every index while a real difference of a few kroner is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dekomopt.county import allocation_problem, build_county
from dekomopt.metrics import MetricsEngine
from dekomopt.metrics.inequality import gini_rows, theil_rows
from dekomopt.metrics.noise import rounding_noise
from dekomopt.scenario import load_scenario

ROGALAND = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2025.toml"


def _rounded_equal_split(rng, fte: np.ndarray, per_fte: np.ndarray) -> np.ndarray:
    """Draws × owners whole-krone amounts of an equal funding per FTE (rounded down or up)."""
    exact = per_fte[:, None] * fte
    return np.floor(exact) + (rng.random(exact.shape) < exact - np.floor(exact))


def test_theil_parts_add_up_exactly_in_every_row(county, rng):
    fte, region = county
    groups = np.eye(3)[np.unique(region, return_inverse=True)[1]]
    w = np.broadcast_to(fte, (500, len(fte)))
    # from whole-krone rounding (T of order 1e-14) to real inequality
    scale = 10.0 ** rng.uniform(-8, -1, (500, 1))
    x = 7000.0 * (1 + scale * rng.standard_normal(w.shape))
    theil = theil_rows(x, w, groups)
    assert (theil.total == theil.between + theil.within).all()
    assert ((theil.total == 0) <= ((theil.between == 0) & (theil.within == 0))).all()


def test_rounding_of_an_equal_split_stays_below_the_bounds(county, rng):
    fte, _ = county
    per_fte = rng.uniform(500.0, 9000.0, 2000)
    nok = _rounded_equal_split(rng, fte, per_fte)
    w = np.broadcast_to(fte, nok.shape)
    x = nok / w
    gini_noise, theil_noise, _ = rounding_noise(x, w, np.ones(len(fte)))
    gini = gini_rows(x, w)
    theil = theil_rows(x, w, np.ones((len(fte), 1))).total
    assert (gini > 0).mean() > 0.9  # the rounding is there ...
    assert (gini < gini_noise).all()  # ... and within its bound
    assert (theil < theil_noise).all()
    # the bounds are of the size rounding gives, not far above it
    assert np.median(gini_noise / np.maximum(gini, 1e-300)) < 100


@pytest.fixture(scope="module")
def rogaland_engine():
    scenario = load_scenario(ROGALAND)
    problem = allocation_problem(scenario, build_county(scenario))
    return problem, MetricsEngine.for_problem(problem, scenario.spec.metrics)


def test_engine_reports_rounding_as_zero_and_real_differences_as_they_are(rogaland_engine):
    problem, engine = rogaland_engine
    rng = np.random.default_rng(5)
    fte = np.broadcast_to(np.asarray(problem.owner_fte, float), (200, problem.n_owners))
    part = np.ones(fte.shape, dtype=bool)
    partner = np.zeros((200, problem.n_regions))
    own = _rounded_equal_split(rng, fte[0], rng.uniform(3000.0, 9000.0, 200))
    equal = engine.score(own, partner, fte, part).scalars
    for name in ("gini_gross", "theil_gross", "theil_gross_between", "theil_gross_within"):
        assert (equal[name] == 0).all(), name
    assert (equal["gap_small_large_gross"] == 0).all()
    assert (equal["gap_small_large_gross_ratio"] == 1).all()
    assert np.isnan(equal["theil_gross_between_share"]).all()
    # one owner 10 % above the others is inequality, not rounding
    own[:, 0] = np.round(own[:, 0] * 1.1)
    unequal = engine.score(own, partner, fte, part)
    s = unequal.scalars
    assert (s["gini_gross"] > unequal.noise["gini_gross"]).all()
    assert (s["theil_gross"] > 0).all()
    assert (s["theil_gross"] == s["theil_gross_between"] + s["theil_gross_within"]).all()
