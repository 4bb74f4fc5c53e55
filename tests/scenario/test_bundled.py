"""Every bundled scenario loads, builds its county and states its illustrative parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from dekomopt.county import allocation_problem, build_county
from dekomopt.scenario import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml"))


def test_the_four_bundled_scenarios_exist():
    names = {p.stem for p in SCENARIOS}
    assert {"rogaland-2025", "rogaland-2026", "vestland-2026", "nordland-2026"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_bundled_scenario_loads(path):
    scenario = load_scenario(path)
    county = build_county(scenario)
    problem = allocation_problem(scenario, county)
    assert problem.budget_nok > 0
    assert scenario.spec.budget.illustrative  # no published budget was found for any county
    assert scenario.spec.scenario.assumptions
    placed = county.edges["partner_id"].isin(county.partners.dropna(subset=["lat"])["partner_id"])
    assert (county.edges.loc[placed, "km"] > 0).all()
    assert county.edges.loc[~placed, "km"].isna().all()  # no place: no distance
    if scenario.spec.scenario.regime == "kollektiv-2026":
        assert "county" not in set(county.owners["owner_kind"])
        assert problem.sectors == ("kindergarten", "school")
    if county.name in ("Vestland", "Nordland"):
        assert county.structure_illustrative


def test_rogaland_2026_takes_the_set_aside_first():
    scenario = load_scenario(next(p for p in SCENARIOS if p.stem == "rogaland-2026"))
    problem = allocation_problem(scenario, build_county(scenario))
    assert problem.budget_nok == 40_000_000 - 8_021_700


def test_a_set_aside_is_named_in_each_language():
    scenario = load_scenario(next(p for p in SCENARIOS if p.stem == "rogaland-2026"))
    (aside,) = scenario.spec.budget.set_asides
    assert aside.name.in_language("nb").startswith("tilretteleggingsmidler ")
    assert aside.name.in_language("nn").startswith("tilretteleggingsmidlar ")
    assert str(aside.name) == aside.name.in_language("en")


def test_with_changes_makes_a_validated_copy():
    scenario = load_scenario(next(p for p in SCENARIOS if p.stem == "rogaland-2025"))
    variant = scenario.with_changes(rules={"uh_share_min": 0.6})
    assert variant.spec.rules.uh_share_min == 0.6
    assert scenario.spec.rules.uh_share_min == 0.5
