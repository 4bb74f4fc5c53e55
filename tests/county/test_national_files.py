"""`dekomopt national --fte FILE` reads the tables planners have: county or office rows, in
every format the scenario tables take, and reports every problem of a bad file at once."""

# ruff: noqa: E501  (the table of bad-file cases reads best one case a line)
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dekomopt.cli import main
from dekomopt.county.national import split_national
from dekomopt.data import counties, offices

COUNTY_FTE = {number: 1000.0 + 10.5 * i for i, number in enumerate(counties().values())}
"""County number → teacher FTEs (made up; distinct, one decimal)."""


def _nb(value: float) -> str:
    whole, frac = f"{value:.1f}".split(".")
    return (f"{int(whole):,}".replace(",", "\u00a0")) + "," + frac


def _office_fte() -> dict[str, float]:
    return {office: sum(COUNTY_FTE[n] for _, n in members) for office, members in offices().items()}


def _comma(path: Path) -> Path:
    text = "county,teacher_fte\n" + "".join(f"{n:02d},{v}\n" for n, v in COUNTY_FTE.items())
    path.write_text(text, encoding="utf-8")
    return path


def _semicolon_bom(path: Path) -> Path:
    names = {n: name for name, n in counties().items()}
    rows = "".join(f"{names[n]};{_nb(v)}\r\n" for n, v in COUNTY_FTE.items())
    path.write_bytes(("county;teacher_fte\r\n" + rows).encode("utf-8-sig"))
    return path


def _xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Om"
    sheet = book.create_sheet("Fylker")
    sheet.append(["county", "teacher_fte", "school_year"])
    for n, v in COUNTY_FTE.items():
        sheet.append([n, v, "2024-25"])
    book.save(path)
    return path


def _offices(path: Path) -> Path:
    text = "office;teacher_fte\n" + "".join(
        f"Statsforvalteren i {o};{_nb(v)}\n" if "," not in o else f'"{o}";{_nb(v)}\n'
        for o, v in _office_fte().items()
    )
    path.write_text(text, encoding="utf-8")
    return path


def _export(path: Path) -> Path:
    head = ["EnhetNivaa", "Nasjonaltkode", "Fylkekode", "Kommunekode", "Organisasjonsnummer",
            "Nasjonalt", "Fylke", "Kommune", "EnhetNavn",
            "2024-25.Alle kjønn.Alle eierformer.Antall lærerårsverk"]  # fmt: skip
    lines = ["sep=\t", "\t".join(head)]
    for n, v in COUNTY_FTE.items():
        lines.append("\t".join(["2", "I", f"{n:02d}", "0000", "", "Hele landet", "F",
                                "Alle kommuner", "Alle skoler", _nb(v)]))  # fmt: skip
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))
    return path


@pytest.mark.parametrize(
    ("write", "name", "fmt", "dialect"),
    [
        (_comma, "fte.csv", "csv", "comma-separated, decimal point, UTF-8"),
        (_semicolon_bom, "fte.csv", "csv", "semicolon-separated, decimal comma, UTF-8 with BOM"),
        (_xlsx, "fte.xlsx#Fylker", "xlsx", "sheet 'Fylker'"),
        (_offices, "fte.csv", "csv", "semicolon-separated"),
        (_export, "fte.csv", "udir-export", "tab-separated, decimal comma, UTF-16"),
    ],
)
def test_every_format_gives_the_same_office_ftes(tmp_path, capsys, write, name, fmt, dialect):
    path = write(tmp_path / name.split("#")[0])
    given = str(path) + ("#Fylker" if "#" in name else "")
    out = tmp_path / "out"
    assert main(["national", "--total-nok", "100000000", "--fte", given, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    result = split_national(100_000_000, fte_file=Path(given))
    table = result.table
    assert int(table["amount_nok"].sum()) == 100_000_000
    expected = _office_fte()
    for office, short in zip(table["office"], offices(), strict=True):
        assert office.endswith(short)
        got = float(table.loc[table["office"] == office, "teacher_fte"].iloc[0])
        assert got == pytest.approx(expected[short], abs=1e-9)
    provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    (record,) = provenance["input_files"]
    assert record["path"] == given
    assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["format"] == fmt
    assert record["dialect"].startswith(dialect)
    rows = len(offices()) if write is _offices else len(COUNTY_FTE)
    assert record["rows_read"] == rows
    assert given in printed and f"{rows} rows" in printed


def test_a_2020_county_row_stands_for_its_2024_counties(tmp_path):
    merged = {30: "Viken"}
    viken = COUNTY_FTE[31] + COUNTY_FTE[32] + COUNTY_FTE[33]
    rows = {n: v for n, v in COUNTY_FTE.items() if n not in (31, 32, 33)} | {30: viken}
    path = tmp_path / "fte.csv"
    path.write_text(
        "county,teacher_fte,school_year\n"
        + "".join(f"{merged.get(n, n)},{v},2022-23\n" for n, v in rows.items()),
        encoding="utf-8",
    )
    result = split_national(1_000_000, fte_file=path)
    assert result.school_year == "2022-23"
    office = result.table.set_index("office")["teacher_fte"]
    assert office["Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"] == pytest.approx(
        viken + COUNTY_FTE[3]
    )


BAD = [
    (
        "unknown county",
        "county,teacher_fte\nNarnia,3\n",
        ["row 2, column county: unknown county 'Narnia'"],
    ),
    (
        "unknown office",
        "office,teacher_fte\nStatsforvalteren i Narnia,3\n",
        ["row 2, column office: unknown office"],
    ),
    (
        "duplicate county",
        "county,teacher_fte\nAgder,3\n42,4\n",
        ["row 3: Agder (42) is already counted in row 2"],
    ),
    (
        "old and new county",
        "county,teacher_fte\n30,3\nØstfold,4\n",
        ["row 3: Østfold (31) is already counted in row 2 (as part of Viken"],
    ),
    ("negative", "county,teacher_fte\nAgder,-3\n", ["row 2, column teacher_fte: -3 is negative"]),
    (
        "text in number",
        "county,teacher_fte\nAgder,mange\n",
        ["row 2, column teacher_fte: 'mange' is not a number"],
    ),
    ("empty figure", "county,teacher_fte\nAgder,\n", ["row 2, column teacher_fte: is empty"]),
    (
        "mixed dialect",
        'county,teacher_fte\nAgder,"1 234,5"\n',
        ["decimal comma, but this file uses decimal points"],
    ),
    (
        "both columns",
        "county,office,teacher_fte\nAgder,Agder,3\n",
        ["header: give one column 'county'"],
    ),
    (
        "no unit column",
        "fylke,teacher_fte\nAgder,3\n",
        ["unknown column 'fylke'", "give one column 'county'"],
    ),
    ("empty file", "", ["file is empty"]),
    (
        "two school years",
        "county,teacher_fte,school_year\nAgder,3,2023-24\nRogaland,3,2024-25\n",
        ["rows of several school years"],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD, ids=[c[0] for c in BAD])
def test_bad_table_every_problem_one_line_exit_2(tmp_path, capsys, case, text, expected):
    path = tmp_path / "fte.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["national", "--total-nok", "1000", "--fte", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith(f"error: {path}") for line in err)
    for part in expected:
        assert sum(part in line for line in err) == 1, (part, err)
    assert "Traceback" not in "\n".join(err)


def test_row_problems_and_missing_counties_come_together(tmp_path, capsys):
    rows = {n: v for n, v in COUNTY_FTE.items() if n != 56}  # Finnmark missing
    text = "county,teacher_fte\n" + "".join(f"{n},{v}\n" for n, v in rows.items())
    text = text.replace("\n42,", "\n42,-").replace("\n46,", "\n46,x")
    path = tmp_path / "fte.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["national", "--total-nok", "1000", "--fte", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3, err
    assert "negative" in err[0] and "not a number" in err[1]
    assert "no row for county Finnmark (56)" in err[2]


def test_missing_sheet_and_missing_file(tmp_path, capsys):
    book = _xlsx(tmp_path / "fte.xlsx")
    assert main(["national", "--total-nok", "1000", "--fte", f"{book}#Ark9"]) == 2
    assert "sheet 'Ark9' does not exist" in capsys.readouterr().err
    assert main(["national", "--total-nok", "1000", "--fte", str(tmp_path / "nei.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_year_that_contradicts_the_file_is_refused(tmp_path, capsys):
    _xlsx(tmp_path / "fte.xlsx")
    given = f"{tmp_path / 'fte.xlsx'}#Fylker"
    assert main(["national", "--total-nok", "1000", "--fte", given, "--year", "2019"]) == 2
    assert "the file is for 2024-25, --year asks for 2019-20" in capsys.readouterr().err
