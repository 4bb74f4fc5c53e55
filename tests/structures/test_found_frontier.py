"""The frontier over every structure evaluated, each point with its mark: proven optimal (the
integer programme), found by search, or the best of the enumerated or sampled set."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from dekomopt.cli import main
from dekomopt.county import build_county
from dekomopt.errors import DataError
from dekomopt.formats import format_number
from dekomopt.scenario import load_scenario
from dekomopt.structures.command import structures_command
from dekomopt.structures.constraints import part_rules
from dekomopt.structures.frontier import Best, dominates, marks

from .conftest import SCENARIOS


def test_a_point_tying_a_proven_best_is_marked_proven():
    proven = Best("travel_km", 10.0, 3, "proven", "9 sampled structures", bound=10.0, gap=0.0)
    searched = Best("gini", 0.2, 5, "search", "9 sampled structures", reference_best=0.3)
    held, kinds = marks(
        {"travel_km": np.array([10.0, 10.0 + 1e-12, 11.0]), "gini": np.array([0.2, 0.5, 0.2])},
        [proven, searched],
    )
    assert held == [[proven, searched], [proven], [searched]]
    assert kinds.tolist() == [0, 0, 2]
    assert "proven optimal" in proven.claim() and "gap 0" in proven.claim()
    assert "found by search, not proven" in searched.claim()
    assert "0,1 lower than the best of the 9 sampled" in searched.claim()
    assert math.isnan(proven.improvement)


def test_a_search_with_no_improvement_says_so():
    best = Best("gini", 0.3, 2, "search", "9 sampled structures", reference_best=0.3, evaluated=50)
    assert best.improvement == 0
    assert "best of the 9 sampled structures" in best.claim()
    assert "none better in 50" in best.claim()
    assert best.kind == "best"


@pytest.fixture(scope="module")
def enumerated(tmp_path_factory):
    """Rogaland 2025 enumerated, with the integer programmes."""
    out = tmp_path_factory.mktemp("enumerated")
    path = SCENARIOS / "rogaland-2025.toml"
    assert structures_command(str(path), True, None, None, 1, 1, str(out), prove_best=120.0) == 0
    return out


def test_the_proven_travel_optimum_is_the_best_enumerated_and_never_dominated(enumerated):
    metrics = pd.read_parquet(enumerated / "metrics.parquet")
    best = pd.read_csv(enumerated / "best.csv").set_index("objective")
    ok = metrics["status"].eq("optimal")
    assert best.at["travel_km", "how"] == "proven"
    assert best.at["travel_km", "value"] == pytest.approx(
        metrics.loc[ok, "travel_km"].min(), rel=1e-9
    )
    frontier = pd.read_csv(enumerated / "frontier.csv")
    points = frontier.iloc[1:]
    assert points["mark"].notna().all() and (points["mark"].str.len() > 0).all()
    assert points["found_by"].notna().all()
    proven = points[points["mark"].str.contains("travel km proven optimal")]
    assert len(proven) >= 1
    objectives = ["theil_between_share", "travel_km", "n_regions"]
    every = metrics.loc[ok, objectives].to_numpy(float)
    for row in proven[objectives].to_numpy(float):
        assert row[1] == pytest.approx(best.at["travel_km", "value"], rel=1e-9)
        assert not dominates(every, row).any()
    # enumerated: the other scores' bests are exact, and say so
    assert best.at["theil_between_share", "how"] == "enumerated"
    share = metrics.loc[ok, "theil_between_share"].min()
    assert best.at["theil_between_share", "value"] == pytest.approx(share)
    provenance = json.loads((enumerated / "provenance.json").read_text())
    n = format_number(provenance["structures"])
    assert provenance["frontier"]["over"].startswith(f"all {n} plausible structures")
    assert provenance["frontier"]["every_plausible_structure"] is True
    assert len(provenance["found"]["integer_programmes"]) == 2


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    """Rogaland 2025 sampled (60 draws), searched (300 structures), with the programmes."""
    out = tmp_path_factory.mktemp("searched")
    path = SCENARIOS / "rogaland-2025.toml"
    args = ["structures", str(path), "--sample", "60", "--search", "300", "--best", "120"]
    assert main([*args, "--seed", "4", "--out", str(out)]) == 0
    return out


def test_the_frontier_holds_the_found_structures_with_their_marks(searched, capsys):
    provenance = json.loads((searched / "provenance.json").read_text())
    n = provenance["structures"]
    structures = pd.read_csv(searched / "structures.csv")
    found = pd.read_csv(searched / "found.csv")
    evaluated = provenance["found"]["search"]["evaluated"]
    assert 0 < evaluated <= 300
    assert structures["structure_id"].max() + 1 == n + len(found)
    assert set(found["found_by"]) <= {"search", "integer programme", "today"}
    # every structure found is plausible by the scenario's rules
    scenario = load_scenario(SCENARIOS / "rogaland-2025.toml")
    county = build_county(scenario)
    rules = part_rules(scenario.spec.structures, county, 3)
    position = {code: i for i, code in enumerate(rules.nodes)}
    for _, rows in structures[structures["structure_id"] >= n].groupby("structure_id"):
        labels = np.zeros(len(rules.nodes), dtype=np.int64)
        labels[[position[f"{c:04d}"] for c in rows["kommunenummer"]]] = rows["region"] - 1
        assert rules.breaks(labels) is None
    best = pd.read_csv(searched / "best.csv").set_index("objective")
    assert best.at["travel_km", "how"] in ("proven", "programme")
    for objective in ("theil_between_share", "gini", "max_power"):
        row = best.loc[objective]
        assert row["how"] == "search"
        assert row["value"] <= row["best_of_reference"] + 1e-12
        assert row["improvement"] == pytest.approx(row["best_of_reference"] - row["value"])
    frontier = pd.read_csv(searched / "frontier.csv").iloc[1:]
    assert (frontier["mark"].str.len() > 0).all()
    from_search = frontier[frontier["structure_id"] >= n]
    assert from_search["found_by"].str.contains("search|integer programme").all()
    assert "scored by the search" in provenance["frontier"]["over"]
    assert (frontier["frontier_over"] == provenance["frontier"]["over"]).all()


def test_today_is_one_of_the_structures_evaluated_and_the_counts_agree(searched):
    """Today's (plausible) structure is in the frontier's set: no frontier structure is one
    today dominates, and every count of the frontier and of the structures dominating today
    is the same in frontier.csv and provenance.json."""
    provenance = json.loads((searched / "provenance.json").read_text())
    assert provenance["today_plausible"] and provenance["today_pool_id"] is not None
    metrics_cols = ["theil_between_share", "travel_km", "n_regions"]
    frontier = pd.read_csv(searched / "frontier.csv")
    assert frontier["structure_id"].iloc[0] == provenance["today_pool_id"]
    today = frontier[metrics_cols].iloc[0].to_numpy(float)
    points = frontier[metrics_cols].iloc[1:].to_numpy(float)
    assert not dominates(today[None, :], points[0]).any()
    for row in points:
        assert not dominates(today[None, :], row).any()
    said = provenance["frontier"]
    assert said["structures"] == int(frontier["on_frontier"].sum())
    assert said["today_on_it"] == bool(frontier["on_frontier"].iloc[0])
    assert said["said"].startswith(format_number(said["structures"]))
    assert ("today's on it" in said["said"]) == said["today_on_it"]
    assert said["today_on_it"] == (len(said["dominating_today"]) == 0)
    # sampled: every claim names the set it is over, and that it is not every structure
    assert said["every_plausible_structure"] is False
    assert said["reference"].startswith("sample of 60 draws")
    assert said["over"] in said["reference"]
    best = pd.read_csv(searched / "best.csv")
    minimised = best[best["objective"] != "need_match"]
    assert (minimised["value"] <= minimised["today"] * (1 + 1e-9)).all()


def test_a_search_over_an_enumeration_is_not_run(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures(
        "regions = 3", "balance = 0.5", 'extra_links = [["1103", "1130"]]'
    )
    assert structures_command(str(path), True, None, None, 1, 1, str(tmp_path), search=50) == 0
    out = capsys.readouterr().out
    assert "search not run: every plausible structure was enumerated" in out
    assert not (tmp_path / "found.csv").exists()


def test_a_pure_fte_key_has_nothing_to_search(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures("regions = 3")
    text = path.read_text(encoding="utf-8")
    text = text.replace("travel_cost_nok_per_km_fte = 10.0", "travel_cost_nok_per_km_fte = 0.0")
    text = text.replace("coordination_cost_nok = 150_000.0", "coordination_cost_nok = 0.0")
    path.write_text(text, encoding="utf-8")
    assert structures_command(str(path), False, 40, 2, 1, 2, str(tmp_path), search=50) == 0
    out = capsys.readouterr().out
    assert "not searched for: Gini (the same in every structure drawn, so no better one" in out
    assert "nothing to search for" not in out.split("not searched for: Gini")[1].split("\n")[0]
    provenance = json.loads((tmp_path / "provenance.json").read_text())
    skipped = provenance["found"]["search"]["not_searched"]
    assert skipped == {
        "theil_between_share": "missing",
        "gini": "constant",
        "need_match": "missing",
    }


def test_a_search_budget_below_one_is_one_line(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures("regions = 2")
    with pytest.raises(DataError, match="--search"):
        structures_command(str(path), False, 10, 4, 1, 1, str(tmp_path / "o"), search=0)
    assert main(["structures", str(path), "--search", "0", "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) <= 2 and "--search" in err[-1]
