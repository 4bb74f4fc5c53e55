"""What ``dekomopt init`` writes into a starter scenario's assumptions: its own choices,
flagged as illustrative, and no computed count that a later run could contradict."""

from __future__ import annotations

import re

from dekomopt.cli import main
from dekomopt.proposal import propose
from dekomopt.scenario import load_scenario


def _init(tmp_path, scope: str):
    out = tmp_path / "starter.toml"
    assert main(["init", scope, "--out", str(out)]) == 0
    return out


def test_init_flags_the_partners_it_chose_as_illustrative(tmp_path, capsys):
    meta = load_scenario(_init(tmp_path, "Trøndelag")).spec.scenario
    capsys.readouterr()
    partner = [
        text.translations for text in meta.assumptions if "Nord-Levanger" in text.translations["en"]
    ]
    assert len(partner) == 1, [t.translations["en"] for t in meta.assumptions]
    assert "ILLUSTRATIVE" in partner[0]["en"]
    assert "ILLUSTRERENDE" in partner[0]["nb"] and "ILLUSTRERANDE" in partner[0]["nn"]


def test_init_writes_no_count_into_the_assumptions(tmp_path, capsys):
    """Agder's bundled FTEs are all imputed; the starter leaves that count to each run's own
    caveats, so that with a partial file of the user's own figures every count agrees."""
    path = _init(tmp_path, "Agder")
    capsys.readouterr()
    meta = load_scenario(path).spec.scenario
    for text in meta.assumptions:
        assert not re.search(r"\d+ (of|av) \d+", text.translations["en"]), text
    (tmp_path / "fte.csv").write_text("kommunenummer,teacher_fte\n4203,510.5\n4204,1300\n")
    text = path.read_text(encoding="utf-8").replace(
        "exclude_private = true",
        'fte_source = "fte.csv"\nfte_missing = "bundled"\nexclude_private = true',
    )
    path.write_text(text, encoding="utf-8")
    caveats = [str(c) for c in propose(load_scenario(path)).caveats]
    counts = {
        m.group(0) for c in caveats if (m := re.search(r"\b\d+ of \d+\b(?=.*imputed)", c, re.I))
    }
    assert counts == {"23 of 25"}, caveats
