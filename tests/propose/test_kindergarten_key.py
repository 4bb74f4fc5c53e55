"""Which key shares the kindergarten part of the 2026 regime, and every output saying so.

The kindergarten staff file here is test data made up from the bundled teacher FTEs (no
real figures are bundled): each municipality's staff are its teachers times a factor that
differs between regions, so the two keys differ.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from dekomopt.allocation.outcome import RuleCheck
from dekomopt.cli import main
from dekomopt.county.build import KINDERGARTEN_BY_SCHOOL_KEY, build_county, kindergarten_by_staff
from dekomopt.errors import ScenarioError
from dekomopt.proposal import propose
from dekomopt.report.rules_text import row_label
from dekomopt.scenario import load_scenario
from dekomopt.simulation.provenance import Provenance

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE.parents[1] / "scenarios"
BUNDLED_2026 = ("rogaland-2026", "vestland-2026", "nordland-2026", "vestfold-og-telemark-2026")
FACTOR = {"NORD": 0.4, "MIDT": 1.0, "SØR": 2.0}
"""Test data: kindergarten staff per teacher FTE by region."""


@pytest.mark.parametrize("name", BUNDLED_2026)
def test_without_a_staff_file_the_bundled_results_are_unchanged(name):
    proposal = propose(load_scenario(SCENARIOS / f"{name}.toml"))
    golden = pd.read_csv(HERE / "golden" / f"{name}-allocation.csv", dtype={"recipient_id": str})
    pd.testing.assert_frame_equal(proposal.allocation, golden, check_dtype=False)
    assert proposal.key_note == KINDERGARTEN_BY_SCHOOL_KEY
    assert KINDERGARTEN_BY_SCHOOL_KEY in proposal.caveats
    assert not any(r.params.get("sector") for r in proposal.rules)


@pytest.fixture(scope="module")
def with_staff(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kg")
    text = (SCENARIOS / "rogaland-2026.toml").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "kindergarten staff figures" not in line)
    text = text.replace(
        "[owners]\nprivate_network = true",
        '[owners]\nprivate_network = true\nkindergarten_fte = "barnehage.csv"',
    )
    path = folder / "rogaland-2026-kg.toml"
    path.write_text(text, encoding="utf-8")
    owners = build_county(load_scenario(SCENARIOS / "rogaland-2026.toml")).owners
    municipal = owners[owners["owner_kind"] == "municipality"]
    staff = municipal["teacher_fte"] * municipal["region"].map(FACTOR)
    rows = "".join(f"{c},{v:.1f}\n" for c, v in zip(municipal["owner_id"], staff, strict=True))
    (folder / "barnehage.csv").write_text("kommunenummer,kindergarten_fte\n" + rows)
    return path


def test_kindergarten_amounts_follow_the_staff_file(with_staff):
    proposal = propose(load_scenario(with_staff))
    a = proposal.allocation
    assert a["amount_nok"].sum() == proposal.budget_nok
    owners = build_county(load_scenario(with_staff)).owners
    got = a[a["sector"] == "kindergarten"].groupby("region")["amount_nok"].sum()
    staff = owners.groupby("region")["kindergarten_fte"].sum()
    part = round(0.3 * proposal.budget_nok)
    assert got.sum() == part
    for r, s in staff.items():
        assert abs(got.get(r, 0) - s / staff.sum() * part) <= 0.01 * part
    assert got.get("Friskolane", 0) == 0  # the private network has no kindergarten staff
    assert "barnehage.csv" in str(proposal.key_note)
    assert proposal.key_note in proposal.caveats
    sectors = {r.params.get("sector") for r in proposal.rules if r.rule == "R2"}
    assert sectors == {"kindergarten", "school"}


def test_every_output_names_the_key(with_staff, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["propose", str(with_staff), "--out", str(out), "--lang", "nn", "--report"]) == 0
    printed = capsys.readouterr().out
    assert "key: Kindergarten staff from barnehage.csv are the key" in printed
    rules = json.loads((out / "rules.json").read_text(encoding="utf-8"))
    assert any(r["name"] == "R2_key_hi_kindergarten_NORD" for r in rules)
    provenance = (out / "provenance.json").read_text(encoding="utf-8")
    assert "barnehage.csv are the key of the kindergarten part" in provenance
    assert "shared by the school key" not in provenance
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert "Årsverk i barnehagane frå barnehage.csv er nøkkelen for barnehagedelen" in html
    assert "NORD (barnehage, etter årsverk i barnehagane)" in html
    assert "Fordelingsnøkkel per sektor" in html
    assert "skulenøkkelen" not in html


@pytest.mark.parametrize(
    ("lang", "label", "note"),
    [
        ("nb", "MIDT (skole, etter lærerårsverk)", "Årsverk i barnehagene fra b.csv er nøkkelen"),
        ("nn", "MIDT (skule, etter lærarårsverk)", "Årsverk i barnehagane frå b.csv er nøkkelen"),
        ("en", "MIDT (school, by teacher FTEs)", "Kindergarten staff from b.csv are the key"),
    ],
)
def test_sector_rows_and_notes_read_in_each_language(lang, label, note):
    row = RuleCheck(
        "R2", "R2_key_hi_school_MIDT", "MIDT", 0, 1, "<=", 0, True, False, 1, 0, *[None] * 3
    )
    assert row_label(replace(row, params={"sector": "school"}), lang).endswith(f" – {label}")
    assert "(" not in row_label(row, lang).split(" – ")[1]
    assert kindergarten_by_staff("b.csv").in_language(lang).startswith(note)


def test_cofinancing_with_the_fte_split_is_refused_in_one_line(with_staff, tmp_path):
    text = with_staff.read_text(encoding="utf-8")
    text = text.replace("cofinancing_share = 0.0", "cofinancing_share = 0.1")
    text = text.replace("[owners]\n", '[owners]\ncofinancing_capacity = "cofin.csv"\n')
    path = with_staff.parent / "refused.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match='needs rules.owner_split = "free"'):
        load_scenario(path)


def test_monte_carlo_records_what_shares_the_kindergarten_part(with_staff):
    def record(path):
        return Provenance.of(
            load_scenario(path),
            seed=1,
            draws=1,
            chunk_size=1,
            target_se=None,
            workers=1,
            scheduler=None,
            resumed=False,
        ).kindergarten_key

    assert "barnehage.csv, the same in every draw" in str(record(with_staff))
    assert record(SCENARIOS / "rogaland-2026.toml").startswith("teacher FTEs as drawn")
    assert record(SCENARIOS / "rogaland-2025.toml") is None
