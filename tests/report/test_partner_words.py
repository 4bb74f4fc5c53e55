"""The words for the money to partners follow the regime and the partners present: "UH" only
where every partner is a university or university college under the dekom regime; from 2026
(partners may be fagskoler and other competence environments, and R3 counts them all) the
words name them all, in the report, the workbook, rules.json and the CLI alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from dekomopt.cli import main
from dekomopt.proposal import propose
from dekomopt.proposal.files import rule_rows
from dekomopt.report.catalogue import LANGUAGES, partners_key, text
from dekomopt.report.rules_text import partners_of, rule_name
from dekomopt.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_uh_only_under_dekom_with_uh_partners():
    assert partners_key("dekom", ["uh", "uh"]) == "partners_uh"
    assert partners_key("dekom", ["uh", "fagskole"]) == "partners_all"
    assert partners_key("kollektiv-2026", ["uh"]) == "partners_all"
    for lang in LANGUAGES:
        assert "fagsk" in text("partners_all", lang)


@pytest.mark.parametrize(
    ("name", "key"), [("rogaland-2025", "partners_uh"), ("rogaland-2026", "partners_all")]
)
def test_every_output_names_the_partners_by_the_regime(tmp_path, capsys, name, key):
    proposal = propose(load_scenario(SCENARIOS / f"{name}.toml"))
    assert partners_of(proposal) == key
    r3 = next(r for r in proposal.rules if r.rule == "R3")
    for lang in LANGUAGES:
        assert text(key, lang) in rule_name(r3, lang, partners=key)
    explanation = next(row for row in rule_rows(proposal) if row["rule"] == "R3")["explanation"]
    assert text(key, "en") in str(explanation)
    assert ("UH minimum" in str(explanation)) is False
    out = tmp_path / "out"
    args = ["propose", str(SCENARIOS / f"{name}.toml"), "--out", str(out)]
    assert main(args) == 0
    header = next(
        line for line in capsys.readouterr().out.splitlines() if line.startswith("region")
    )
    assert header.rstrip().endswith("to " + text(f"{key}_short", "en")), header
