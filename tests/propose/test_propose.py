"""The proposal pipeline on the bundled Rogaland scenario: golden numbers, years, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dekomopt.cli import main
from dekomopt.errors import InfeasibleError
from dekomopt.proposal import propose, propose_years, write_proposal
from dekomopt.report.summary import shortfall_words
from dekomopt.scenario import load_scenario

HERE = Path(__file__).resolve().parent
ROGALAND = HERE.parents[1] / "scenarios" / "rogaland-2025.toml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROGALAND)


@pytest.fixture(scope="module")
def proposal(scenario):
    return propose(scenario)


def test_golden_allocation(proposal):
    golden = pd.read_csv(
        HERE / "golden" / "rogaland-2025-allocation.csv", dtype={"recipient_id": str}
    )
    pd.testing.assert_frame_equal(proposal.allocation, golden, check_dtype=False)


def test_every_krone_accounted_for(proposal):
    a = proposal.allocation
    assert a["amount_nok"].sum() == proposal.budget_nok == 30_000_000
    assert proposal.regions["amount_nok"].sum() == proposal.budget_nok
    owners = a[a.recipient_type == "owner"].groupby("recipient_id")["amount_nok"].sum()
    table = proposal.owners.set_index("owner_id")["amount_nok"]
    assert (owners.reindex(table.index) == table).all()
    partners = a[a.recipient_type == "partner"].groupby("recipient_id")["amount_nok"].sum()
    assert partners.sum() == proposal.partners["amount_nok"].sum()


def test_regions_get_their_pro_rata_share_to_the_krone(proposal):
    r = proposal.regions
    exact = r["teacher_fte"] / r["teacher_fte"].sum() * proposal.budget_nok
    assert (np.abs(r["amount_nok"] - exact) <= 1).all()


def test_uh_minimum_met_and_binding(proposal):
    partners = proposal.partners["amount_nok"].sum()
    assert partners >= 0.5 * proposal.budget_nok
    r3 = [r for r in proposal.rules if r.rule == "R3"]
    assert r3 and all(r.met for r in r3) and r3[0].binding
    assert all(r.met for r in proposal.rules)


def test_cofinancing_adds_up_to_thirty_percent_of_the_owners_total(proposal):
    # Largest remainder: each owner pays its exact 30 % rounded down or up, and the total is
    # exactly 30 % of the owners' 15 000 000 kr.
    o = proposal.owners
    exact = 0.3 * o["amount_nok"]
    assert o["cofinancing_nok"].sum() == 4_500_000 == 0.3 * o["amount_nok"].sum()
    assert (
        (o["cofinancing_nok"] == np.floor(exact)) | (o["cofinancing_nok"] == np.ceil(exact))
    ).all()


def test_private_network_on_same_terms(proposal):
    o = proposal.owners.set_index("owner_id")
    per_fte = o["amount_nok"] / o["teacher_fte"]
    assert abs(per_fte["private-network"] - per_fte["1103"]) < 0.01


def test_write_proposal_files_and_provenance(proposal, tmp_path):
    written = write_proposal(proposal, tmp_path)
    names = {p.name for p in written}
    assert {"allocation.csv", "regions.csv", "rules.json", "provenance.json"} <= names
    prov = json.loads((tmp_path / "provenance.json").read_text(encoding="utf-8"))
    for key in ("scenario_sha256", "data_versions", "seed", "solver", "package_version"):
        assert prov[key] not in (None, "", {})
    assert "HiGHS" in prov["solver"]
    assert any("Gjesdal" in c for c in prov["caveats"])


def test_multi_year_budget_change_moves_every_region_proportionally(scenario):
    varied = scenario.with_changes(
        budget={"years": [{"year": 2026, "total_nok": 33_000_000}]},
        rules={"stability_max_change": 0.02},
    )
    first, second = propose_years(varied)
    assert second.budget_nok == 33_000_000
    ratio = second.regions["amount_nok"] / first.regions["amount_nok"]
    assert np.allclose(ratio, 1.1, atol=1e-6)
    r10 = [r for r in second.rules if r.rule == "R10"]
    assert r10 and all(r.met for r in r10)


def test_stability_rule_holds_against_a_skewed_last_year(scenario):
    varied = scenario.with_changes(rules={"stability_max_change": 0.05, "key_tolerance": None})
    previous = np.array([8_000_000.0, 10_000_000.0, 10_000_000.0, 2_000_000.0])
    p = propose(varied, previous=previous, previous_total_nok=30_000_000)
    change = p.regions["amount_nok"] / previous - 1
    assert (np.abs(change) <= 0.05 + 1e-6).all()
    # NORD would get 6.35 MNOK by key alone; stability keeps it within 5 % of 8 MNOK
    assert p.regions.loc[0, "amount_nok"] == pytest.approx(7_600_000, abs=1)


def test_conflicting_rules_are_named(scenario):
    varied = scenario.with_changes(
        partners={"capacity_nok": {"UiS-Ullandhaug": 1_000_000.0, "HVL-Haugesund": 500_000.0}}
    )
    with pytest.raises(InfeasibleError) as info:
        propose(varied)
    assert set(info.value.conflicts) == {"R3", "R9"}
    assert "1\u00a0500\u00a0000\u00a0kr" in str(info.value)


def test_cli_propose_writes_and_prints(tmp_path, capsys):
    assert main(["propose", str(ROGALAND), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "30\u00a0000\u00a0000\u00a0kr" in out
    assert "binding: R1, R3" in out
    rules = json.loads((tmp_path / "rules.json").read_text(encoding="utf-8"))
    assert sorted({r["rule"] for r in rules if r["binding"]}) == ["R1", "R3"]
    assert "-0.0" not in (tmp_path / "rules.json").read_text(encoding="utf-8")
    written = pd.read_csv(tmp_path / "allocation.csv", dtype={"recipient_id": str})
    assert written["amount_nok"].sum() == 30_000_000


def test_cli_previous_allocation_feeds_stability(tmp_path, capsys):
    assert main(["propose", str(ROGALAND), "--out", str(tmp_path / "y1")]) == 0
    assert (
        main(
            [
                "propose",
                str(ROGALAND),
                "--out",
                str(tmp_path / "y2"),
                "--previous",
                str(tmp_path / "y1" / "allocation.csv"),
            ]
        )
        == 0
    )
    regions = pd.read_csv(tmp_path / "y2" / "regions.csv")
    assert (regions["change_from_previous_nok"] == 0).all()


def test_cli_conflict_exits_two(tmp_path, capsys):
    text = ROGALAND.read_text(encoding="utf-8").replace(
        "[partners]\n",
        '[partners]\ncapacity_nok = { "UiS-Ullandhaug" = 100.0, "HVL-Haugesund" = 100.0 }\n',
    )
    bad = tmp_path / "conflict.toml"
    bad.write_text(text, encoding="utf-8")
    assert main(["propose", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "R3" in err or "UH minimum" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("lang", "html", "xlsx"),
    [("nn", "rapport.html", "forslag.xlsx"), ("en", "report.html", "proposal.xlsx")],
)
def test_cli_report_writes_html_with_map_and_workbook(tmp_path, capsys, lang, html, xlsx):
    assert main(["report", str(ROGALAND), "--lang", lang, "--out", str(tmp_path)]) == 0
    page = (tmp_path / html).read_text(encoding="utf-8")
    assert 'id="map"' in page and "<svg" in page
    assert "Haugesund" in page and "Friskolane" in page
    assert (tmp_path / xlsx).stat().st_size > 0
    assert (tmp_path / "allocation.csv").exists()


def test_alternatives_are_honest(scenario):
    p = propose(scenario, n_alternatives=2)
    assert len(p.alternatives) == 2
    owners = p.allocation[p.allocation.recipient_type == "owner"]
    best = owners.groupby("recipient_id")["amount_nok"].sum()
    for alt in p.alternatives:
        table = alt.regions
        assert table["amount_nok"].sum() == p.budget_nok
        change = table["amount_nok"] - p.regions["amount_nok"]
        assert (table["change_from_proposal_nok"] == change).all()
        assert alt.moved_nok >= alt.nearest_nok >= 0.005 * p.budget_nok
    assert best.sum() + p.partners["amount_nok"].sum() == p.budget_nok


def test_fewer_alternatives_than_asked_are_explained(scenario):
    p = propose(scenario, n_alternatives=40)
    assert len(p.alternatives) < 40
    search = p.alternatives_search
    assert search is not None and (search.asked, search.found) == (40, len(p.alternatives))
    n = len(p.alternatives)
    assert str(shortfall_words(search, "en")).startswith(f"Only {n} of 40 alternatives: ")
    assert str(shortfall_words(search, "nb")).startswith(f"Bare {n} av 40 alternativer: ")
    assert str(shortfall_words(search, "nn")).startswith(f"Berre {n} av 40 alternativ: ")
    assert shortfall_words(propose(scenario, n_alternatives=1).alternatives_search, "en") is None


def test_cli_alternatives_print_region_totals_and_moves(tmp_path, capsys):
    assert main(["propose", str(ROGALAND), "--out", str(tmp_path), "--alternatives", "1"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("alternative 1"))
    assert "between recipients" in line
    assert (tmp_path / "alternative-1-regions.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--alternatives", "-1"], "--alternatives: must be 0 or more, got -1"),
        (["--write-lp", "/no/such/folder/model.lp"], "folder /no/such/folder does not exist"),
        (["--write-lp", "model.txt"], "must end in .lp or .mps"),
    ],
)
def test_cli_bad_options_exit_two_with_one_line(tmp_path, capsys, args, message):
    assert main(["propose", str(ROGALAND), "--out", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


@pytest.mark.parametrize("suffix", [".lp", ".mps"])
def test_cli_writes_the_model(tmp_path, capsys, suffix):
    target = tmp_path / f"model{suffix}"
    assert main(["propose", str(ROGALAND), "--out", str(tmp_path), "--write-lp", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "R3_uh_min" in text and "R1_budget" in text
