"""``dekomopt national``: every bad option in one run, one line each, exit 2."""

from __future__ import annotations

import pytest

from dekomopt.cli import main
from dekomopt.county.national import bundled_school_years, school_year
from dekomopt.formats import format_nok


def _errors(capsys) -> list[str]:
    err = capsys.readouterr().err.splitlines()
    assert all(line.startswith("error: dekomopt national: ") for line in err), err
    return [line.removeprefix("error: dekomopt national: ") for line in err]


def test_every_bad_option_at_once(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    args = ["national", "--total-nok", "abc", "--year", "19x9"]
    args += ["--fte", str(tmp_path / "none.csv"), "--out", str(afile), "--bogus"]
    assert main(args) == 2
    err = _errors(capsys)
    assert len(err) == 5, err
    assert err[0].startswith("argument --total-nok: expected a whole number")
    assert err[1].startswith("argument --year: expected a school year") and "'19x9'" in err[1]
    assert err[2] == f"argument --fte: {tmp_path / 'none.csv'}: file not found"
    assert err[3].startswith(f"argument --out: {afile}: is an existing file")
    assert err[4] == "unrecognized argument '--bogus'"


def test_a_year_without_bundled_figures_comes_with_the_other_problems(tmp_path, capsys):
    """The bundled years are checked against --year when no --fte is given, in the same run
    as the options' own checks and a missing required option."""
    assert main(["national", "--year", "1999", "--out", str(tmp_path / "f" / "x")]) == 2
    err = _errors(capsys)
    assert len(err) == 2, err
    years = ", ".join(bundled_school_years())
    assert err[0] == (
        f"argument --year: no bundled teacher FTEs for 1999-00 (bundled: {years}); "
        "give your own figures with --fte"
    )
    assert err[1] == "the following arguments are required: --total-nok"
    assert main(["national", "--total-nok", "0", "--year", "2030"]) == 2
    err = _errors(capsys)
    assert len(err) == 2 and "--total-nok" in err[0] and "2030-31" in err[1], err


def test_a_folder_is_no_fte_file(tmp_path, capsys):
    assert main(["national", "--total-nok", "100", "--fte", str(tmp_path)]) == 2
    assert _errors(capsys) == [f"argument --fte: {tmp_path}: a folder, not a file"]


@pytest.mark.parametrize(
    ("text", "year"), [("2019", "2019-20"), ("2019-20", "2019-20"), ("1999", "1999-00")]
)
def test_school_year_forms(text, year):
    assert school_year(text) == year


@pytest.mark.parametrize("text", ["2019-2020", "2019-21", "19", "x", ""])
def test_not_a_school_year(text):
    with pytest.raises(ValueError, match="school year"):
        school_year(text)


def test_a_good_run_still_splits_the_pot(tmp_path, capsys):
    assert main(["national", "--total-nok", "1000", "--year", "2018", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{format_nok(1000)} by teacher FTE, 2018-19")
    assert (tmp_path / "offices.csv").is_file()
