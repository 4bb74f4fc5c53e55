"""The national pot shared between the 10 offices by teacher FTE, exact to the krone."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from dekomopt.cli import main
from dekomopt.county.national import largest_remainder, split_national
from dekomopt.data import counties


@pytest.mark.parametrize("total", [1, 7, 191_000_000, 39_700_001])
def test_bundled_split_adds_up_to_the_krone(total):
    result = split_national(total)
    amounts = result.table["amount_nok"]
    assert int(amounts.sum()) == total
    assert len(result.table) == 10
    exact = result.table["share"] * total
    assert ((amounts - exact).abs() < 1).all()


def test_shares_are_the_office_fte_shares_of_2019_20():
    table = split_national(1_000_000).table.set_index("office")
    # teacher_fte_statsforvalter_pre2020_derived.csv: Oslo og Viken 0.32275, Vestland 0.12448
    assert table.at["Statsforvalteren i Østfold, Buskerud, Oslo og Akershus", "share"] == (
        pytest.approx(0.32275, abs=5e-6)
    )
    assert table.at["Statsforvaltaren i Vestland", "share"] == pytest.approx(0.12448, abs=5e-6)


def test_largest_remainder_by_hand():
    # 10 kr by 1:1:1 → 3.33 each; one krone left goes to the first (ties: order)
    assert largest_remainder(10, [Fraction(1)] * 3) == [4, 3, 3]
    assert largest_remainder(100, [Fraction(1), Fraction(2), Fraction(7)]) == [10, 20, 70]
    assert largest_remainder(5, [Fraction(2, 3), Fraction(1, 3)]) == [3, 2]


def _export(tmp_path, rows: dict[str, float]) -> str:
    head = ["EnhetNivaa", "Nasjonaltkode", "Fylkekode", "Kommunekode", "Organisasjonsnummer",
            "Nasjonalt", "Fylke", "Kommune", "EnhetNavn",
            "2024-25.Alle kjønn.Alle eierformer.Antall lærerårsverk"]  # fmt: skip
    lines = ["sep=\t", "\t".join(head)]
    for number, value in rows.items():
        text = f"{value:.1f}".replace(".", ",")
        lines.append("\t".join(["2", "I", number, "0000", number, "Hele landet", "F",
                                "Alle kommuner", "Alle skoler", text]))  # fmt: skip
    path = tmp_path / "export.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-16"))
    return str(path)


def test_user_export_sums_counties_per_office(tmp_path, capsys):
    rows = {f"{n:02d}": 100.0 + n for n in counties().values()}
    path = _export(tmp_path, rows)
    assert (
        main(["national", "--total-nok", "1000000", "--fte", path, "--out", str(tmp_path / "o")])
        == 0
    )
    provenance = json.loads((tmp_path / "o" / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["input_files"][0]["path"] == path
    assert provenance["school_year"] == "2024-25"
    result = split_national(1_000_000, fte_file=tmp_path / "export.csv")
    table = result.table.set_index("office")
    vt = table.at["Statsforvalteren i Vestfold og Telemark", "teacher_fte"]
    assert vt == pytest.approx(100 + 39 + 100 + 40)
    assert int(table["amount_nok"].sum()) == 1_000_000
    capsys.readouterr()


def test_export_missing_offices_is_one_line_each_and_exit_2(tmp_path, capsys):
    path = _export(tmp_path, {"46": 7625.4, "99": 1.0})
    assert main(["national", "--total-nok", "1000", "--fte", path]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 + len(counties()) - 1  # county 99, and 14 counties without a row
    assert any("Fylkekode: unknown county '99'" in line for line in err)


def test_printed_numbers_are_the_package_format_and_the_files(tmp_path, capsys):
    """Each office line shows its FTE, share and amount as the package formats numbers
    (``19 817,6``, ``32,275 %``, ``32 275 433 kr``), the values offices.csv holds."""
    import re

    import pandas as pd

    from dekomopt.formats import format_fte, format_nok, format_percent

    assert main(["national", "--total-nok", "100000000", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    offices = pd.read_csv(tmp_path / "offices.csv")
    rows = [line for line in printed if line.startswith("Statsforval")]
    assert len(rows) == len(offices) == 10
    for line, office in zip(rows, offices.itertuples(index=False), strict=True):
        assert line.startswith(office.office)
        shown = [cell for cell in line[len(office.office) :].split(" ") if cell]
        expected = [format_fte(office.teacher_fte), format_percent(office.share, 3),
                    format_nok(office.amount_nok)]  # fmt: skip
        assert " ".join(shown) == " ".join(expected), line
    total = next(line for line in printed if line.startswith("total"))
    assert format_fte(offices["teacher_fte"].sum()) in total
    assert format_nok(100_000_000) in total
    assert not any(re.search(r"\d\.\d", line) for line in [*rows, total])
