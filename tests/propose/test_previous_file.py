"""Last year's amounts: ``propose --previous`` and ``budget.previous`` read by one reader, and
the provenance names the file the amounts came from (or the earlier year of a plan)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dekomopt.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
ROGALAND = SCENARIOS / "rogaland-2025.toml"
REGIONS = ("NORD", "MIDT", "SØR", "Friskolane")


@pytest.fixture(scope="module")
def excel_output(tmp_path_factory) -> Path:
    """The package's own proposal, written in the excel-nb dialect."""
    out = tmp_path_factory.mktemp("excel") / "r25"
    assert main(["propose", str(ROGALAND), "--csv-dialect", "excel-nb", "--out", str(out)]) == 0
    return out


def _propose(tmp_path: Path, *extra: str, scenario: Path = ROGALAND) -> tuple[int, Path]:
    out = tmp_path / "out"
    return main(["propose", str(scenario), "--out", str(out), *extra]), out


def _provenance(out: Path) -> dict:
    return json.loads((out / "provenance.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("table", ["allocation.csv", "regions.csv"])
def test_previous_reads_the_packages_own_excel_output(excel_output, tmp_path, table, capsys):
    given = excel_output / table
    code, out = _propose(tmp_path, "--previous", str(given))
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert f"last year: {given} (--previous; semicolon-separated" in printed.out
    regions = pd.read_csv(out / "regions.csv")
    written = pd.read_csv(excel_output / "regions.csv", sep=";", encoding="utf-8-sig")
    assert regions["previous_nok"].tolist() == written["amount_nok"].tolist()
    records = [f for f in _provenance(out)["input_files"] if f["key"] == "--previous"]
    assert [r["path"] for r in records] == [str(given)]
    assert records[0]["sha256"] == hashlib.sha256(given.read_bytes()).hexdigest()
    if table == "allocation.csv":
        owners = pd.read_csv(out / "owners.csv", dtype={"owner_id": str})
        before = pd.read_csv(
            excel_output / "owners.csv", sep=";", encoding="utf-8-sig", dtype={"owner_id": str}
        )
        assert owners["previous_amount_nok"].tolist() == before["amount_nok"].tolist()


def test_a_bad_previous_file_gives_every_problem_in_words(tmp_path, capsys):
    bad = tmp_path / "prev.csv"
    bad.write_text(
        "region,amount_nok\nNORD,5000000\nNORD,10\nNowhere,1000000\nX,1 000 000,5\n"
        "SØR,-2000000\nFriskolane,abc\n",
        encoding="utf-8",
    )
    code, _ = _propose(tmp_path, "--previous", str(bad))
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert all(line.startswith(f"error: {bad}: ") for line in err)
    text = "\n".join(err)
    for part in (
        "row 3: region NORD is also on row 2, which gives a different amount_nok '10' here, "
        "'5000000' there; keep one of the two rows",
        "row 4, column region: unknown region 'Nowhere'",
        "row 5: has 3 fields where the header has 2 columns",
        "row 6, column amount_nok: -2000000 is negative",
        "row 7, column amount_nok: 'abc' is not a number",
        "column region: no amount for region MIDT",
    ):
        assert part in text
    assert "[" not in text and "tokenizing" not in text


def test_thousands_spaces_are_read_and_a_fraction_is_refused(tmp_path, capsys):
    spaced = tmp_path / "spaced.csv"
    spaced.write_text(
        "region,amount_nok\nNORD,6 000 000\nMIDT,11000000\nSØR,10 000 000\nFriskolane,2000000\n",
        encoding="utf-8",
    )
    code, out = _propose(tmp_path, "--previous", str(spaced))
    assert code == 0
    assert pd.read_csv(out / "regions.csv")["previous_nok"].tolist() == [
        6_000_000,
        11_000_000,
        10_000_000,
        2_000_000,
    ]
    capsys.readouterr()
    fraction = tmp_path / "fraction.csv"
    fraction.write_text(spaced.read_text().replace("6 000 000", "6000000.7"), encoding="utf-8")
    code, _ = _propose(tmp_path, "--previous", str(fraction))
    err = capsys.readouterr().err
    assert code == 2
    assert f"{fraction}: row 2, column amount_nok: 6000000.7 is not whole kroner" in err


def _scenario_with_previous(tmp_path: Path, amounts: dict[str, int], years: str = "") -> Path:
    (tmp_path / "prev-file.csv").write_text(
        "region,amount_nok\n" + "".join(f"{r},{amounts[r]}\n" for r in REGIONS), encoding="utf-8"
    )
    for name in ("rogaland-2025.toml",):
        shutil.copy(SCENARIOS / name, tmp_path / name)
    text = (tmp_path / "rogaland-2025.toml").read_text(encoding="utf-8")
    text = text.replace("[budget]\n", f'[budget]\nprevious = "prev-file.csv"\n{years}', 1)
    scenario = tmp_path / "with-previous.toml"
    scenario.write_text(text, encoding="utf-8")
    return scenario


def test_previous_option_wins_over_budget_previous_and_says_so(tmp_path, capsys):
    scenario = _scenario_with_previous(tmp_path, dict.fromkeys(REGIONS, 1_000_000))
    option = tmp_path / "option.csv"
    option.write_text(
        "region,amount_nok\n" + "".join(f"{r},2000000\n" for r in REGIONS), encoding="utf-8"
    )
    code, out = _propose(tmp_path, "--previous", str(option), scenario=scenario)
    printed = capsys.readouterr().out
    assert code == 0
    assert "replaces budget.previous (prev-file.csv) of the scenario" in printed
    assert set(pd.read_csv(out / "regions.csv")["previous_nok"]) == {2_000_000}
    provenance = _provenance(out)
    keys = {f["key"]: f["path"] for f in provenance["input_files"]}
    assert keys.get("--previous") == str(option)
    assert "budget.previous" not in keys
    assert any("budget.previous (prev-file.csv) is not used" in c for c in provenance["caveats"])


def test_a_later_year_says_its_previous_is_the_earlier_proposal(tmp_path, capsys):
    years = "years = [{ year = 2026, total_nok = 31_000_000 }]\n"
    scenario = _scenario_with_previous(tmp_path, dict.fromkeys(REGIONS, 7_000_000), years)
    code, out = _propose(tmp_path, scenario=scenario)
    assert code == 0, capsys.readouterr().err
    first, later = _provenance(out / "2025"), _provenance(out / "2026")
    assert [f["path"] for f in first["input_files"] if f["key"] == "budget.previous"] == [
        "prev-file.csv"
    ]
    assert not [f for f in later["input_files"] if f["key"] == "budget.previous"]
    assert any("are the 2025 proposal of this plan" in c for c in later["caveats"])
    earlier = pd.read_csv(out / "2025" / "regions.csv")["amount_nok"].tolist()
    assert pd.read_csv(out / "2026" / "regions.csv")["previous_nok"].tolist() == earlier


def test_a_header_only_previous_names_the_option_used(tmp_path, capsys):
    empty = tmp_path / "prev.csv"
    empty.write_text("region,amount_nok\n", encoding="utf-8")
    code, _ = _propose(tmp_path, "--previous", str(empty))
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 2
    assert line == f"error: {empty}: --previous: has a header but no data rows"


@pytest.fixture(scope="module")
def report_workbook(tmp_path_factory) -> Path:
    """The package's own workbook of the Rogaland 2025 proposal, in bokmål."""
    from dekomopt.proposal import propose
    from dekomopt.report import write_spreadsheet
    from dekomopt.scenario import load_scenario

    path = tmp_path_factory.mktemp("book") / "forslag.xlsx"
    return write_spreadsheet(propose(load_scenario(ROGALAND)), path, lang="nb")


@pytest.mark.parametrize("sheet", ["", "#Regioner", "#Tildeling"])
def test_the_report_workbook_is_refused_in_one_line(report_workbook, tmp_path, capsys, sheet):
    given = f"{report_workbook}{sheet}"
    code, _ = _propose(tmp_path, "--previous", given)
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 2
    assert line.startswith(f"error: {given}: header: sheet ")
    assert "regions.csv or allocation.csv" in line and "not from the report's workbook" in line


def test_a_workbook_sheet_with_the_columns_is_pointed_at(tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notater"
    book.active.append(["Fjorårets tildeling"])
    data = book.create_sheet("Data")
    data.append(["region", "amount_nok"])
    for region in REGIONS:
        data.append([region, 7_500_000])
    path = tmp_path / "fjor.xlsx"
    book.save(path)
    code, _ = _propose(tmp_path, "--previous", str(path))
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 2
    assert "the workbook's sheets are 'Notater', 'Data'" in line
    assert f"sheet 'Data' has them: name it as {path}#Data" in line
    code, _ = _propose(tmp_path, "--previous", f"{path}#Data")
    assert code == 0
