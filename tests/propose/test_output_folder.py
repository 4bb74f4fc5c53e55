"""What ``propose`` writes into its output folder: one run's files, never over its inputs, each
table flagged and named alike."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from dekomopt.cli import main
from dekomopt.proposal.folder import TABLE_FILES
from dekomopt.scenario import load_scenario
from dekomopt.scenario.files import split_file

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def agder(tmp_path_factory) -> Path:
    """The ``init Agder`` starter: illustrative budget and structure, a partner named per
    language."""
    folder = tmp_path_factory.mktemp("agder")
    assert main(["init", "Agder", "--out", str(folder / "agder.toml")]) == 0
    return folder / "agder.toml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_previous_in_the_output_folder_is_refused_and_kept(agder, tmp_path, capsys):
    out = tmp_path / "year"
    assert main(["propose", str(agder), "--out", str(out)]) == 0
    before = _sha(out / "allocation.csv")
    capsys.readouterr()
    code = main(
        ["propose", str(agder), "--previous", str(out / "allocation.csv"), "--out", str(out)]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert _sha(out / "allocation.csv") == before
    assert len(err) == 1
    assert str(out / "allocation.csv") in err[0] and "--previous" in err[0]


def test_a_structure_table_in_the_output_folder_is_refused_and_kept(agder, tmp_path, capsys):
    folder = tmp_path / "here"
    folder.mkdir()
    text = agder.read_text(encoding="utf-8").replace('"agder-regions.csv"', '"regions.csv"')
    (folder / "s.toml").write_text(text, encoding="utf-8")
    shutil.copy(agder.parent / "agder-regions.csv", folder / "regions.csv")
    before = _sha(folder / "regions.csv")
    assert main(["propose", str(folder / "s.toml"), "--out", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert _sha(folder / "regions.csv") == before
    assert len(err) == 1 and "regions.csv" in err[0] and "structure.csv" in err[0]
    assert sorted(p.name for p in folder.iterdir()) == ["regions.csv", "s.toml"]


def test_an_output_folder_holds_one_runs_files(agder, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    args = ["propose", str(agder), "--out", str(out), "--report", "--no-explorer"]
    assert main([*args, "--alternatives", "1", "--lang", "nb"]) == 0
    first = {p.name for p in out.iterdir()}
    assert {"alternative-1-regions.csv", "rapport.html", "forslag.xlsx"} <= first
    assert main(["propose", str(agder), "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {
        "notes.txt",
        *TABLE_FILES,
        "rules.json",
        "provenance.json",
    }
    assert main([*args, "--lang", "en"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"report.html", "proposal.xlsx"} <= names
    assert not names & {"rapport.html", "forslag.xlsx"}
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_every_table_says_what_is_illustrative(tmp_path):
    scenario = load_scenario(SCENARIOS / "rogaland-2026.toml")
    out = tmp_path / "r"
    assert main(["propose", str(scenario.path), "--alternatives", "1", "--out", str(out)]) == 0
    budget = scenario.spec.budget.illustrative
    assert budget  # the scenario's budget is illustrative, its structure is not
    tables = [out / name for name in TABLE_FILES]
    tables += [out / "alternative-1-regions.csv", out / "alternative-1-recipients.csv"]
    for path in tables:
        frame = pd.read_csv(path)
        assert "illustrative" not in frame, path.name
        assert (frame["budget_illustrative"] == budget).all(), path.name
        assert (~frame["structure_illustrative"]).all(), path.name
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert record["budget_illustrative"] is budget
    assert record["structure_illustrative"] is False


def test_partner_names_are_the_runs_language_in_every_output(agder, tmp_path):
    scenario = load_scenario(agder)
    partner = scenario.spec.partners.extra[0]
    local, english = partner.name.in_language("nb"), partner.name.in_language("en")
    assert local != english
    for report in ([], ["--report", "--no-explorer", "--lang", "nb"]):
        out = tmp_path / f"nb{len(report)}"
        assert main(["propose", str(agder), "--out", str(out), *report]) == 0
        partners = pd.read_csv(out / "partners.csv")
        assert partners["partner_name"].tolist() == [local]
        allocation = pd.read_csv(out / "allocation.csv")
        named = allocation.loc[allocation["recipient_type"] == "partner", "recipient_name"]
        assert set(named) == {local}
    book = load_workbook(out / "forslag.xlsx")
    cells = {c.value for ws in book for row in ws.iter_rows() for c in row}
    assert local in cells and english not in cells


def test_excel_dialect_keeps_ids_and_formula_like_names_as_text(tmp_path):
    from dekomopt.report.csvfiles import excel_text, write_table

    names = ["=1+1", "+47", "-x", "@a", "Region Arendal"]
    frame = pd.DataFrame(
        {"recipient_id": ["0301", "4203", "UH-partner", "a", "b"], "name": names, "n": range(5)}
    )
    path = write_table(frame, tmp_path / "t.csv", "excel-nb")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith('"=""0301""";\'=1+1;')
    assert "'+47" in lines[2] and "'-x" in lines[3] and "'@a" in lines[4]
    assert excel_text(-3) == -3 and excel_text("Oslo") == "Oslo"
    table, _ = split_file(path, "t.csv", "t")
    assert [cells[:2] for _, cells in table.rows] == [
        [i, n] for i, n in zip(frame["recipient_id"], names, strict=True)
    ]


def test_an_owners_table_as_previous_is_refused_in_one_line(agder, tmp_path, capsys):
    last = tmp_path / "last"
    assert main(["propose", str(agder), "--out", str(last)]) == 0
    capsys.readouterr()
    for table in ("owners.csv", "partners.csv"):
        given = str(last / table)
        assert main(["propose", str(agder), "--previous", given, "--out", str(tmp_path / "x")]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert given in err[0] and "regions.csv or allocation.csv" in err[0]
        assert "keep one" not in err[0]
    assert not (tmp_path / "x").exists()


def test_a_region_written_in_another_case_is_an_error(agder, tmp_path, capsys):
    folder = tmp_path / "case"
    shutil.copytree(agder.parent, folder)
    regions = folder / "agder-regions.csv"
    lines = regions.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",").index("region")
    first = lines[1].split(",")[header]
    others = [line for line in lines[1:] if line.split(",")[header] == first]
    assert len(others) > 1  # the first row's region has a second row to change
    row = lines.index(others[1])
    cells = lines[row].split(",")
    cells[header] = first.lower()
    lines[row] = ",".join(cells)
    # trailing spaces are one region with the name as written
    spaced = lines[lines.index(others[0])].split(",")
    spaced[header] = first + "  "
    lines[lines.index(others[0])] = ",".join(spaced)
    regions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", str(folder / "agder.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"row {row + 1}" in err[0] and first.lower() in err[0] and "only in case" in err[0]
    cells[header] = first
    lines[row] = ",".join(cells)
    regions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", str(folder / "agder.toml")]) == 0
