"""The grant is accounted for in every output: the set-asides (R6) beside the amount
distributed, and the kroner a rounding unit leaves over named with the amount that holds them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dekomopt.cli import main
from dekomopt.formats import format_nok
from dekomopt.notes import ENTRY_WORDS
from dekomopt.report.summary import caveat_lines

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _edited(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = (SCENARIOS / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _provenance(out: Path) -> dict:
    return json.loads((out / "provenance.json").read_text(encoding="utf-8"))


def test_set_asides_are_in_the_first_line_and_provenance(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["propose", str(SCENARIOS / "rogaland-2026.toml"), "--out", str(out)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    budget = _provenance(out)["budget"]
    (aside,) = budget["set_asides"]
    assert budget["grant_nok"] - aside["amount_nok"] == budget["distributed_nok"]
    assert aside["amount_nok"] > 0 and aside["name"]
    allocation = pd.read_csv(out / "allocation.csv")
    assert int(allocation["amount_nok"].sum()) == budget["distributed_nok"]
    for words in (
        f"{format_nok(budget['grant_nok'])} grant",
        f"− {format_nok(aside['amount_nok'])} set aside ({aside['name']})",
        f"= {format_nok(budget['distributed_nok'])} distributed",
    ):
        assert words in first


def test_without_set_asides_the_grant_is_what_is_distributed(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["propose", str(SCENARIOS / "rogaland-2025.toml"), "--out", str(out)]) == 0
    budget = _provenance(out)["budget"]
    assert budget["set_asides"] == [] and budget["grant_nok"] == budget["distributed_nok"]
    assert (
        capsys.readouterr()
        .out.splitlines()[0]
        .endswith(f"{format_nok(budget['distributed_nok'])} distributed")
    )


@pytest.fixture(scope="module")
def odd_budget(tmp_path_factory):
    """Rogaland 2025 with a budget that is no multiple of a 7-krone rounding unit."""
    tmp = tmp_path_factory.mktemp("odd")
    path = _edited(
        tmp,
        "rogaland-2025.toml",
        ("total_nok = 30_000_000", "total_nok = 30_000_001"),
        ("rounding_unit_nok = 1", "rounding_unit_nok = 7"),
    )
    out = tmp / "out"
    return path, out


def test_validate_says_the_budget_leaves_kroner_over(odd_budget, capsys):
    path, _ = odd_budget
    assert main(["validate", str(path)]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  rounding: ")]
    assert f"the {format_nok(30_000_001 % 7)} left over go to one amount" in line


def test_the_rounding_remainder_is_named_where_it_lies(odd_budget, capsys):
    path, out = odd_budget
    assert main(["propose", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    allocation = pd.read_csv(out / "allocation.csv", dtype={"recipient_id": str})
    odd = allocation[allocation["amount_nok"] % 7 != 0]
    assert len(odd) == 1, "exactly one amount holds the kroner left over"
    row = odd.iloc[0]
    assert row["amount_nok"] % 7 == 30_000_001 % 7
    (line,) = [line for line in printed.splitlines() if line.startswith("rounding: ")]
    for words in (
        f"The amount to distribute, {format_nok(30_000_001)}, is not a multiple",
        f"the {format_nok(30_000_001 % 7)} left over",
        f"{row['recipient_name']}",
        f"in {row['region']} ({ENTRY_WORDS[row['theme']]}, {row['sector']})",
        f"therefore {format_nok(row['amount_nok'])}",  # the package's format: 3 175 973 kr
    ):
        assert words in line
    assert not re.search(r"\d{4}", line)  # no number as Python writes it (3175973)
    caveats = [str(c) for c in _provenance(out)["caveats"]]
    assert line.removeprefix("rounding: ") in caveats


def test_the_rounding_remainder_is_a_report_caveat(odd_budget):
    from dekomopt.proposal import propose
    from dekomopt.scenario import load_scenario

    path, _ = odd_budget
    proposal = propose(load_scenario(path))
    assert proposal.remainder_note is not None
    amount = proposal.remainder_note.fields["amount"]
    for lang, words in (("nb", "til overs"), ("nn", "til overs"), ("en", "left over")):
        (line,) = [c for c in caveat_lines(proposal, lang) if words in c]
        assert format_nok(int(amount)).removesuffix("\xa0kr") in line


def test_no_remainder_no_note(tmp_path, capsys):
    path = _edited(
        tmp_path, "rogaland-2025.toml", ("rounding_unit_nok = 1", "rounding_unit_nok = 1000")
    )
    out = tmp_path / "out"
    assert main(["propose", str(path), "--out", str(out)]) == 0
    assert "rounding: " not in capsys.readouterr().out
    allocation = pd.read_csv(out / "allocation.csv")
    assert (allocation["amount_nok"] % 1000 == 0).all()
