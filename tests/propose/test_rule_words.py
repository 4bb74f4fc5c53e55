"""One phrasing of each rule row: ``rules.json``'s explanation is the English report's words
for the row, and the nb and nn workbooks say them in their own language only."""

from __future__ import annotations

import json
import re
import string
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from dekomopt.allocation import rule_report, solve
from dekomopt.county import allocation_problem, build_county
from dekomopt.formats import format_nok
from dekomopt.proposal import propose, write_proposal
from dekomopt.report import LANGUAGES, MESSAGES, sheet_names, write_spreadsheet
from dekomopt.report.catalogue import text
from dekomopt.report.rules_text import partners_of, rule_sentences
from dekomopt.scenario import load_scenario

ROGALAND = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2025.toml"


@pytest.fixture(scope="module")
def proposal():
    """Rogaland 2025, its rule rows checked with the first owner's co-financing and the first
    partner's capacity capped so that R4 and R9 bind with a price (every kind of sentence)."""
    scenario = load_scenario(ROGALAND)
    problem = allocation_problem(scenario, build_county(scenario))
    a = solve(problem)
    cofin = np.full(problem.n_owners, np.nan)
    cofin[0] = problem.rules.cofinancing_share * a.owner_totals[0] / 3
    cap = np.array(problem.partner_capacity, dtype=float)
    cap[0] = a.partner_totals[0] - 200_000
    tight = problem.with_(owner_cofin_capacity=cofin, partner_capacity=cap)
    return replace(propose(scenario), rules=tuple(rule_report(tight, solve(tight))))


@pytest.fixture(scope="module")
def explanations(proposal, tmp_path_factory):
    """Per language, the workbook's explanation column; and rules.json's explanations."""
    out = tmp_path_factory.mktemp("words")
    write_proposal(proposal, out)
    rules = json.loads((out / "rules.json").read_text(encoding="utf-8"))
    sheets = {}
    for lang in LANGUAGES:
        wb = load_workbook(write_spreadsheet(proposal, out / f"forslag-{lang}.xlsx", lang))
        rows = list(wb[sheet_names(lang)["rules"]].iter_rows(values_only=True))
        column = rows[0].index(text("col_explanation", lang))
        sheets[lang] = [row[column] for row in rows[1:]]
    return [r["explanation"] for r in rules], sheets


def _english_fragments() -> set[str]:
    """Pieces of the English rule messages that neither Norwegian version of them contains."""
    out = set()
    for key, entry in MESSAGES.items():
        if not key.startswith(("rule_", "status_", "bound_", "step_", "key_sector_")):
            continue
        for literal, *_ in string.Formatter().parse(entry["en"]):
            for part in re.split(r"[.;:,()–]", literal):
                part = part.strip()
                if len(part) >= 6 and part not in entry["nb"] and part not in entry["nn"]:
                    out.add(part)
    return out


def test_rules_json_explanation_is_the_english_report_sentence(proposal, explanations):
    in_json, sheets = explanations
    english = [
        " ".join(rule_sentences(r, "en", partners=partners_of(proposal))) for r in proposal.rules
    ]
    assert in_json == english == sheets["en"]
    words = " ".join(in_json)
    assert "per teacher FTE" in words and "Required own contribution" in words
    assert "would not change the allocation" in words  # a row that does not bind


def test_norwegian_workbooks_hold_no_english_sentence(proposal, explanations):
    _, sheets = explanations
    fragments = _english_fragments()
    assert {f for f in fragments if f in " ".join(sheets["en"])}, "the check can fail"
    for lang in ("nb", "nn"):
        assert sheets[lang] == [
            " ".join(rule_sentences(r, lang, partners=partners_of(proposal)))
            for r in proposal.rules
        ]
        for cell in sheets[lang]:
            assert not [f for f in fragments if f in cell], (lang, cell)


def test_an_equality_held_to_within_a_rounding_unit_says_between():
    scenario = load_scenario(ROGALAND.with_name("rogaland-2026.toml"))
    p = propose(scenario.with_changes(rules={"rounding_unit_nok": 1000}))
    r7 = next(r for r in p.rules if r.rule == "R7")
    assert r7.sense == "==" and 0 < r7.within_nok < 1000 and r7.met
    lo, hi = r7.bound - r7.within_nok, r7.bound + r7.within_nok
    assert lo <= r7.value <= hi
    words = {lang: " ".join(rule_sentences(r7, lang)) for lang in ("nb", "nn", "en")}
    assert f"between {format_nok(lo)} and {format_nok(hi)}" in words["en"]
    assert f"mellom {format_nok(lo)} og {format_nok(hi)}" in words["nb"]
    assert "equal to" not in words["en"]


def test_strictly_pro_rata_is_largest_remainder_and_binds():
    scenario = load_scenario(ROGALAND).with_changes(
        rules={"key_tolerance": 0.0, "uh_scope": "region"}
    )
    p = propose(scenario)
    key = p.regions["key_share"].to_numpy(float) * p.budget_nok
    floor = np.floor(key)
    extra = int(p.budget_nok - floor.sum())
    expected = floor + np.isin(np.arange(len(key)), np.argsort(floor - key, kind="stable")[:extra])
    assert p.regions["amount_nok"].tolist() == expected.astype(int).tolist()
    r2 = [r for r in p.rules if r.rule == "R2"]
    assert r2 and all(r.met and r.binding for r in r2)
    assert "R2" in p.binding_rules


def test_a_row_rounding_moved_off_its_bound_says_so():
    scenario = load_scenario(ROGALAND.with_name("rogaland-2026.toml"))
    p = propose(scenario.with_changes(rules={"rounding_unit_nok": 1000}))
    moved = [r for r in p.rules if r.binding and r.sense != "==" and abs(r.slack) >= 1]
    assert moved, "rounding to 1 000 kr moves some binding row off its bound"
    for r in moved:
        words = " ".join(rule_sentences(r, "en"))
        assert "before rounding to whole units of 1\u00a0000\u00a0kr" in words
        assert f"rounded, it is {format_nok(abs(r.slack))} from it" in words
        assert "the allocation sits on its requirement." not in words


@pytest.mark.parametrize(("unit", "widened"), [(1000, False), (500_000, True)])
def test_a_key_tolerance_widened_by_the_rounding_unit_is_said(unit, widened):
    scenario = load_scenario(ROGALAND).with_changes(
        rules={"rounding_unit_nok": unit, "key_tolerance": 0.001}
    )
    r2 = [r for r in propose(scenario).rules if r.rule == "R2"]
    said = ["one unit less a krone" in " ".join(rule_sentences(r, "en")) for r in r2]
    assert said == [widened] * len(r2)
    if widened:  # the bound is one unit less a krone from the key amount, not 0.1 % of it
        assert all(r.params["key_widened_nok"] == unit - 1 for r in r2)
