"""Writers of the files planners have: CSV in both dialects, xlsx, a Udir export (real format).

One set of teacher FTEs for Rogaland's 23 municipalities, written every way; every reader must
give back the same figures.
"""

# ruff: noqa: E501  (the table of bad-file cases reads best one case a line)
from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path

import pytest

from dekomopt.cli import main
from dekomopt.county import build_county
from dekomopt.data import load_municipalities
from dekomopt.proposal import propose, write_proposal
from dekomopt.scenario import load_scenario
from dekomopt.scenario.files import read_udir_export

ROGALAND = {
    code: round(37.5 + 17.3 * i + (1000.0 if i == 2 else 0.0), 1)
    for i, code in enumerate(load_municipalities("Rogaland")["kommunenummer"])
}
"""kommunenummer → teacher FTE (one decimal; one value above 1 000 to test thousands)."""

NBSP = "\u00a0"


def fmt_nb(value: float, sep: str = " ") -> str:
    """``1 037,5``: space (or ``sep``) between thousands, decimal comma."""
    whole, frac = f"{value:.1f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sep.join(groups) + "," + frac


def comma_csv(
    values: dict[str, float] = ROGALAND, header: str = "kommunenummer,teacher_fte"
) -> str:
    return header + "\n" + "".join(f"{c},{v}\n" for c, v in values.items())


def semicolon_csv(
    values: dict[str, float] = ROGALAND, sep: str = NBSP, header: str = "kommunenummer;teacher_fte"
) -> str:
    return header + "\r\n" + "".join(f"{c};{fmt_nb(v, sep)}\r\n" for c, v in values.items())


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Lærerårsverk") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Om tabellen"
    first.append(["Tabellen står på neste ark"])
    ws = book.create_sheet(sheet)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def fte_xlsx(path: Path, values: dict[str, float] = ROGALAND) -> Path:
    # Excel keeps codes as numbers (0301 would become 301) and FTEs as numbers
    rows: list[list[object]] = [["kommunenummer", "teacher_fte"]]
    rows += [[int(c), v] for c, v in values.items()]
    return write_xlsx(path, rows)


UDIR_HEAD = [
    "EnhetNivaa", "Nasjonaltkode", "Fylkekode", "Kommunekode", "Organisasjonsnummer",
    "Nasjonalt", "Fylke", "Kommune", "EnhetNavn",
]  # fmt: skip
UDIR_YEARS = ("2023-24", "2024-25")
UDIR_INDICATORS = ("Antall lærere", "Antall lærerårsverk")


def udir_export(values: dict[str, float] = ROGALAND, blank: str | None = None) -> bytes:
    """A statistikkportalen export as downloaded: UTF-16LE, tab, ``sep=`` line, EnhetNivaa
    1–4 rows, ``Alle kjønn.Alle eierformer`` columns, ``1 037,5`` numbers. The 2024-25
    lærerårsverk are ``values``; other columns are other numbers."""
    names = dict(load_municipalities("Rogaland")[["kommunenummer", "name"]].values)
    columns = [f"{y}.Alle kjønn.Alle eierformer.{i}" for y in UDIR_YEARS for i in UDIR_INDICATORS]
    lines = ["sep=\t", "\t".join(UDIR_HEAD + columns)]

    def cells(value: float) -> list[str]:
        return [fmt_nb(value * 1.1), fmt_nb(value * 0.9), fmt_nb(value * 1.2), fmt_nb(value)]

    total = sum(values.values())
    lines.append("\t".join(["1", "I", "00", "0000", "I", "Hele landet", "Alle fylker",
                            "Alle kommuner", "Alle skoler", *cells(total * 10)]))  # fmt: skip
    lines.append("\t".join(["2", "I", "11", "0000", "11", "Hele landet", "Rogaland",
                            "Alle kommuner", "Alle skoler", *cells(total)]))  # fmt: skip
    for code, value in values.items():
        row = cells(value)
        if code == blank:
            row[3] = ""
        lines.append("\t".join(["3", "I", "11", code, code, "Hele landet", "Rogaland",
                                names.get(code, "Ukjent"), "Alle skoler", *row]))  # fmt: skip
        lines.append("\t".join(["4", "I", "11", code, "999999999", "Hele landet", "Rogaland",
                                names.get(code, "Ukjent"), "Ein skule", *cells(value / 3)]))  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-16-le")


# ---------------------------------------------------------------- the same figures, every way

BASE_FTE = """\
[scenario]
name = "files"
county = "Rogaland"
regime = "dekom"
year = 2025

[budget]
total_nok = 1_000_000

[structure]
csv = "regions.csv"

[owners]
exclude_private = false
{owners}

[partners]
eligible = ["UiS-Ullandhaug", "HVL-Haugesund"]
{partners}

[rules]
uh_share_min = 0.5
cofinancing_share = 0.3
"""


def regions_csv() -> str:
    codes = list(ROGALAND)
    return "kommunenummer,region\n" + "".join(
        f"{c},{'NORD' if i % 2 else 'SOR'}\n" for i, c in enumerate(codes)
    )


def scenario(
    tmp_path: Path, owners: str = "", files: dict | None = None, partners: str = ""
) -> Path:
    files = {"regions.csv": regions_csv(), **(files or {})}
    for name, content in files.items():
        target = tmp_path / name
        if callable(content):
            content(target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="")
    path = tmp_path / "scenario.toml"
    path.write_text(BASE_FTE.format(owners=owners, partners=partners), encoding="utf-8")
    return path


WAYS = {
    "comma": ("fte.csv", comma_csv().encode("utf-8")),
    "comma-bom-crlf": ("fte.csv", ("\ufeff" + comma_csv().replace("\n", "\r\n")).encode("utf-8")),
    "semicolon-nbsp": ("fte.csv", semicolon_csv().encode("utf-8")),
    "semicolon-bom-space": ("fte.csv", ("\ufeff" + semicolon_csv(sep=" ")).encode("utf-8")),
    "excel-sep-line": ("fte.csv", ("sep=;\r\n" + semicolon_csv()).encode("utf-8")),
    "xlsx": ("fte.xlsx#Lærerårsverk", None),
    "udir-export": ("udir.csv", udir_export()),
}


@pytest.mark.parametrize("way", list(WAYS))
def test_every_format_gives_the_same_owner_ftes(tmp_path, way):
    name, content = WAYS[way]
    files = {name.split("#")[0]: content if content is not None else fte_xlsx}
    path = scenario(tmp_path, f'fte_source = "{name}"', files)
    county = build_county(load_scenario(path))
    got = dict(zip(county.owners["owner_id"], county.owners["teacher_fte"], strict=True))
    assert got == pytest.approx(ROGALAND, abs=1e-9)
    assert not county.owners["fte_imputed"].any()
    record = next(f for f in county.input_files if f.key == "owners.fte_source")
    assert record.path == name and record.rows_read == 23
    if way.startswith("semicolon"):
        assert "semicolon" in record.dialect and "decimal comma" in record.dialect
    if "bom" in way:
        assert "BOM" in record.dialect
    if "crlf" in way:
        assert "CRLF" in record.dialect
    if way == "udir-export":
        assert record.format == "udir-export" and "2024-25" in record.dialect


def test_udir_export_picks_the_school_year_asked_for(tmp_path):
    path = scenario(
        tmp_path,
        'fte_source = "udir.csv"\nfte_school_year = "2023-24"',
        {"udir.csv": udir_export()},
    )
    county = build_county(load_scenario(path))
    got = dict(zip(county.owners["owner_id"], county.owners["teacher_fte"], strict=True))
    # the 2023-24 lærerårsverk column holds 0.9 × the figures (as written above)
    expected = {
        c: float(fmt_nb(v * 0.9).replace(" ", "").replace(",", ".")) for c, v in ROGALAND.items()
    }
    assert got == pytest.approx(expected, abs=1e-9)


def test_raw_udir_export_reads_to_bergen_2811_in_2025_26():
    raw = files("dekomopt.data").joinpath(
        "files", "udir_gsi_export_laerere_og_aarsverk_vestland_bergen.csv"
    )
    frame, record = read_udir_export(
        Path(str(raw)), "export.csv", "owners.fte_source", school_year="2025-26"
    )
    assert frame[["code", "name", "value"]].values.tolist() == [["4601", "Bergen", 2811.0]]
    assert "UTF-16" in record.dialect and "tab-separated" in record.dialect
    latest, _ = read_udir_export(Path(str(raw)), "export.csv", "owners.fte_source")
    assert latest["school_year"].tolist() == ["2025-26"]
    county, _ = read_udir_export(Path(str(raw)), "export.csv", "k", level=2, school_year="2021-22")
    assert county[["code", "value"]].values.tolist() == [["46", 7706.2]]


def test_own_fte_file_is_named_in_provenance_without_bundled_caveat(tmp_path):
    path = scenario(tmp_path, 'fte_source = "fte.csv"', {"fte.csv": semicolon_csv()})
    loaded = load_scenario(path)
    proposal = propose(loaded)
    write_proposal(proposal, tmp_path / "out")
    provenance = json.loads((tmp_path / "out" / "provenance.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((tmp_path / "fte.csv").read_bytes()).hexdigest()
    records = {f["key"]: f for f in provenance["input_files"]}
    assert records["owners.fte_source"]["path"] == "fte.csv"
    assert records["owners.fte_source"]["sha256"] == digest
    assert any("fte.csv" in c and digest[:16] in c for c in provenance["caveats"])
    assert not any("Skoleporten" in c or "crosswalk" in c for c in provenance["caveats"])
    assert int(proposal.allocation["amount_nok"].sum()) == proposal.budget_nok


def test_own_fte_file_is_named_in_the_report_without_bundled_caveat(tmp_path, capsys):
    path = scenario(tmp_path, 'fte_source = "fte.csv"', {"fte.csv": semicolon_csv()})
    assert main(["report", str(path), "--out", str(tmp_path / "out")]) == 0
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    digest = hashlib.sha256((tmp_path / "fte.csv").read_bytes()).hexdigest()
    assert "fte.csv" in html and digest[:16] in html
    assert "Skoleporten" not in html and "through the 2020 crosswalk" not in html
    capsys.readouterr()


def test_bundled_figures_keep_their_caveat(tmp_path):
    county = build_county(load_scenario(scenario(tmp_path)))
    assert any("Skoleporten" in str(w) for w in county.warnings)
    assert [f.key for f in county.input_files] == ["structure.csv"]


def test_fallback_values_are_flagged(tmp_path):
    values = {c: v for c, v in ROGALAND.items() if c not in ("1103", "1106")}
    path = scenario(
        tmp_path, 'fte_source = "fte.csv"\nfte_missing = "bundled"', {"fte.csv": comma_csv(values)}
    )
    county = build_county(load_scenario(path))
    flagged = county.owners[county.owners["fte_fallback"]]
    assert set(flagged["owner_id"]) == {"1103", "1106"}
    assert flagged["fte_method"].map(str).str.startswith("FALLBACK").all()
    assert any("2 municipalities are not in fte.csv" in str(w) for w in county.warnings)


def test_kindergarten_file_read_and_its_caveat(tmp_path):
    text = BASE_FTE.replace('regime = "dekom"', 'regime = "kollektiv-2026"').replace(
        "cofinancing_share = 0.3", "cofinancing_share = 0.0\nkindergarten_share = 0.3"
    )
    path = scenario(tmp_path)
    path.write_text(text.format(owners="", partners=""), encoding="utf-8")
    county = build_county(load_scenario(path))
    assert any("shared by the school key" in str(w) for w in county.warnings)
    kg = "kommunenummer;kindergarten_fte\n" + "".join(
        f"{c};{fmt_nb(v / 2)}\n" for c, v in ROGALAND.items()
    )
    (tmp_path / "kg.csv").write_text(kg, encoding="utf-8")
    path.write_text(
        text.format(owners='kindergarten_fte = "kg.csv"', partners=""), encoding="utf-8"
    )
    county = build_county(load_scenario(path))
    got = dict(zip(county.owners["owner_id"], county.owners["kindergarten_fte"], strict=True))
    assert got == pytest.approx({c: round(v / 2, 1) for c, v in ROGALAND.items()}, abs=0.051)
    assert any("kg.csv" in str(w) for w in county.warnings)


# ---------------------------------------------------------------- bad files: every problem, exit 2


def _with(values: dict[str, str]) -> str:
    return "kommunenummer,teacher_fte\n" + "".join(f"{c},{v}\n" for c, v in values.items())


GOOD = {c: str(v) for c, v in ROGALAND.items()}


def _latin1() -> bytes:
    return (
        "kommunenummer,teacher_fte,school_year,source\n"
        + "".join(f"{c},{v},2023-24,Skoleår ø\n" for c, v in ROGALAND.items())
    ).encode("latin-1")


def _not_xlsx(path: Path) -> None:
    path.write_text("this is no workbook", encoding="utf-8")


def _xlsx_text(path: Path) -> None:
    rows: list[list[object]] = [["kommunenummer", "teacher_fte"]]
    rows += [[int(c), "mange" if c == "1103" else v] for c, v in ROGALAND.items()]
    write_xlsx(path, rows)


def _zip_as_csv(path: Path) -> None:
    fte_xlsx(path.with_suffix(".tmp"))
    path.write_bytes(path.with_suffix(".tmp").read_bytes())


FTE = 'fte_source = "fte.csv"'
BAD = [
    # (id, owners lines, files, number of problem lines, words in the output)
    ("foreign code", FTE, {"fte.csv": _with({**GOOD, "4601": "10"})}, 1, "4601 is a municipality of Vestland (46)"),
    ("unknown code", FTE, {"fte.csv": _with({**GOOD, "9999": "10"})}, 1, "9999 is no 2024 municipality"),
    ("missing municipality", FTE, {"fte.csv": _with({c: v for c, v in GOOD.items() if c != "1103"})}, 1, "1103 Stavanger"),
    ("two bad rows and one missing", FTE, {"fte.csv": _with({**{c: v for c, v in GOOD.items() if c != "1160"}, "1101": "-1", "1103": "x"})}, 3, "1160 Vindafjord of Rogaland (11) is missing (no figure)"),
    ("regions bad row and missing", "", {"regions.csv": regions_csv().replace("1103,", "11x3,").replace("1160,SOR\n", "").replace("1160,NORD\n", "")}, 3, "1160 Vindafjord of Rogaland (11) is missing (no region)"),
    ("two missing", FTE, {"fte.csv": _with({c: v for c, v in GOOD.items() if c not in ("1103", "1101")})}, 2, "is missing"),
    ("duplicate row", FTE, {"fte.csv": _with(GOOD) + "1103,5\n"}, 1, "1103 is also on row 3, which gives a different teacher_fte '5' here"),
    ("empty file", FTE, {"fte.csv": ""}, 1, "file is empty"),
    ("header only", FTE, {"fte.csv": "kommunenummer,teacher_fte\n"}, 1, "no data rows"),
    ("wrong encoding", FTE, {"fte.csv": _latin1()}, 1, "not UTF-8"),
    ("mixed dialect decimal point", FTE, {"fte.csv": semicolon_csv().replace("37,5", "37.5")}, 1, "mixed dialect"),
    ("mixed dialect decimal comma", FTE, {"fte.csv": _with({**GOOD, "1101": '"37,5"'})}, 1, "mixed dialect"),
    ("comma decimal unquoted", FTE, {"fte.csv": _with({**GOOD, "1101": "37,5"})}, 1, "3 fields"),
    ("text in number column", FTE, {"fte.csv": _with({**GOOD, "1103": "mange"})}, 1, "'mange' is not a number"),
    ("negative fte", FTE, {"fte.csv": _with({**GOOD, "1103": "-3"})}, 1, "negative"),
    ("three bad rows", FTE, {"fte.csv": _with({**GOOD, "1101": "-1", "1103": "x", "1106": ""})}, 3, "row 2"),
    ("bad school year", FTE, {"fte.csv": "kommunenummer,teacher_fte,school_year\n" + "".join(f"{c},{v},{'2023' if c == '1103' else '2023-24'}\n" for c, v in GOOD.items())}, 1, "'2023' is not a school year such as 2023-24"),
    ("bad code", FTE, {"fte.csv": _with(GOOD) + "11O3,4\n"}, 1, "not a 4-digit municipality code"),
    ("missing column", FTE, {"fte.csv": "kommunenummer,fte\n1103,3\n"}, 2, "missing column 'teacher_fte'"),
    ("duplicate column", FTE, {"fte.csv": "kommunenummer,teacher_fte,teacher_fte\n1103,3,3\n"}, 1, "appears twice"),
    ("empty number", FTE, {"fte.csv": _with({**GOOD, "1103": ""})}, 1, "is empty"),
    ("infinite", FTE, {"fte.csv": _with({**GOOD, "1103": "inf"})}, 1, "not a number"),
    ("bad thousands", FTE, {"fte.csv": _with({**GOOD, "1103": '"1 23,5"'})}, 1, "not a number"),
    ("sheet does not exist", 'fte_source = "fte.xlsx#Ark9"', {"fte.xlsx": fte_xlsx}, 1, "sheet 'Ark9' does not exist"),
    ("not a workbook", 'fte_source = "fte.xlsx"', {"fte.xlsx": _not_xlsx}, 1, "not a readable .xlsx"),
    ("xlsx text in number", 'fte_source = "fte.xlsx#Lærerårsverk"', {"fte.xlsx": _xlsx_text}, 1, "'mange' is not a number"),
    ("first sheet is not the table", 'fte_source = "fte.xlsx"', {"fte.xlsx": fte_xlsx}, 1, "has them: name it as fte.xlsx#Lærerårsverk"),
    ("workbook without suffix", FTE, {"fte.csv": _zip_as_csv}, 1, "rename it"),
    ("file not found", 'fte_source = "nowhere.csv"', {}, 1, "file not found"),
    ("udir indicator", 'fte_source = "udir.csv"\nfte_indicator = "Antall elever"', {"udir.csv": udir_export()}, 1, "no column for indicator 'Antall elever'"),
    ("udir school year", 'fte_source = "udir.csv"\nfte_school_year = "2019-20"', {"udir.csv": udir_export()}, 1, "no school year 2019-20"),
    ("udir indicator and school year", 'fte_source = "udir.csv"\nfte_indicator = "Antall elever"\nfte_school_year = "2019-20"', {"udir.csv": udir_export()}, 2, "no school year 2019-20 for any indicator"),
    ("row one field short", FTE, {"fte.csv": _with(GOOD) + "1103\n"}, 1, "row 25: has 1 field where the header has 2 columns"),
    ("regions twice in two regions", "", {"regions.csv": regions_csv() + "1101,NORD\n"}, 1, "kommunenummer 1101 is also on row 2, which gives a different region 'NORD' here, 'SOR' there"),
    ("udir empty cell", 'fte_source = "udir.csv"', {"udir.csv": udir_export(blank="1103")}, 1, "is empty (no figure for 1103 in 2024-25)"),
    ("udir unknown code", 'fte_source = "udir.csv"', {"udir.csv": udir_export({**ROGALAND, "1199": 3.0})}, 1, "1199 is no 2024 municipality"),
    ("udir owner form", 'fte_source = "udir.csv"\nfte_owner_form = "Private"', {"udir.csv": udir_export()}, 1, "owner form 'Private'"),
    ("regions foreign code", "", {"regions.csv": regions_csv() + "4601,NORD\n"}, 1, "Vestland (46)"),
    ("regions duplicate", "", {"regions.csv": regions_csv() + "1103,NORD\n"}, 1, "duplicate of row"),
    ("regions unknown column", "", {"regions.csv": regions_csv().replace("region\n", "region;x\n", 1).replace(",", ";")}, 1, "unknown column 'x'"),
    ("kindergarten negative and missing", 'kindergarten_fte = "kg.csv"', {"kg.csv": "kommunenummer,kindergarten_fte\n1103,-2\n4601,1\n"}, 24, "negative"),
    ("kindergarten missing", 'kindergarten_fte = "kg.csv"', {"kg.csv": "kommunenummer,kindergarten_fte\n1103,2\n"}, 22, "1101 Eigersund of Rogaland (11) is missing"),
    ("two files at once", FTE, {"fte.csv": _with({**GOOD, "1103": "x"}), "regions.csv": regions_csv() + "9999,NORD\n"}, 2, "regions.csv"),
    ("cap on problems", FTE, {"fte.csv": _with({c: "x" for c in GOOD}) + "".join(f"{c},y\n" for c in range(2000, 2040))}, 51, "more problems"),
    ("sheet on a csv", 'fte_source = "fte.csv#Ark1"', {"fte.csv": comma_csv()}, 1, "file not found"),
    ("needs semicolon text", 'needs = "needs.csv"', {"needs.csv": "owner;theme;need_nok\n1103;general;mye\n1106;general;-1\n"}, 2, "'mye' is not a number"),
    ("partner capacity unknown", "", {"cap.csv": "partner,capacity_nok\nUiB-X,5\nUiS-Ullandhaug,-4\n"}, 2, "not an eligible partner"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("owners", "files", "lines", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_bad_file_every_problem_one_line_exit_2(tmp_path, capsys, owners, files, lines, words):
    partners = 'capacity_csv = "cap.csv"' if "cap.csv" in files else ""
    path = scenario(tmp_path, owners, files, partners)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == lines, err
    assert all(line.startswith("error: ") for line in err)
    assert words in "\n".join(err)
    assert "Traceback" not in "\n".join(err)


def test_one_municipality_of_another_county_is_one(tmp_path, capsys):
    path = scenario(
        tmp_path, 'fte_source = "udir.csv"', {"udir.csv": udir_export({**ROGALAND, "4601": 9.0})}
    )
    assert main(["validate", str(path)]) == 0
    assert "note: 1 municipality of another county not used" in capsys.readouterr().out


def test_at_least_thirty_bad_file_cases():
    assert len(BAD) >= 30


def test_three_bad_rows_name_their_rows_and_columns(tmp_path, capsys):
    path = scenario(
        tmp_path, FTE, {"fte.csv": _with({**GOOD, "1101": "-1", "1103": "x", "1106": ""})}
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert [line.split(": ")[2] for line in err] == [
        "row 2, column teacher_fte",
        "row 3, column teacher_fte",
        "row 4, column teacher_fte",
    ]
    assert all(line.split(": ")[1] == "fte.csv" for line in err)


def test_validate_reports_the_dialect(tmp_path, capsys):
    path = scenario(tmp_path, FTE, {"fte.csv": ("\ufeff" + semicolon_csv()).encode("utf-8")})
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "owners.fte_source: fte.csv (csv, semicolon-separated, decimal comma, UTF-8 with BOM, CRLF line ends; 23 rows"
        in out
    )
