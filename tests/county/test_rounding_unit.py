"""A rounding unit against the smallest region's key amount: an error above it, a warning
above a tenth of it, nothing below."""

from __future__ import annotations

from pathlib import Path

import pytest

from dekomopt.cli import main
from dekomopt.county import build_county
from dekomopt.county.rounding import COARSE_SHARE
from dekomopt.errors import ScenarioError
from dekomopt.formats import format_nok
from dekomopt.notes import Note
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2] / "scenarios"
BUDGET = 30_000_000  # rogaland-2025's budget.total_nok, no set-asides


@pytest.fixture(scope="module")
def smallest() -> tuple[str, float]:
    """Rogaland 2025's smallest region and its key amount (the key is teacher FTEs alone)."""
    fte = build_county(load_scenario(ROOT / "rogaland-2025.toml")).region_fte()
    region = str(fte.idxmin())
    return region, BUDGET * float(fte.min() / fte.sum())


def _scenario(tmp_path: Path, unit: int, years: str = "") -> Path:
    text = (ROOT / "rogaland-2025.toml").read_text(encoding="utf-8")
    assert "rounding_unit_nok = 1\n" in text and "total_nok = 30_000_000\n" in text
    text = text.replace("rounding_unit_nok = 1\n", f"rounding_unit_nok = {unit}\n")
    text = text.replace("total_nok = 30_000_000\n", f"total_nok = 30_000_000\n{years}")
    path = tmp_path / f"r{unit}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _coarse(county) -> list[Note]:
    return [
        w
        for w in county.warnings
        if isinstance(w, Note) and w.message_id == "note_rounding_unit_coarse"
    ]


def test_a_unit_above_the_smallest_key_amount_is_one_error_line(tmp_path, capsys, smallest):
    region, amount = smallest
    path = _scenario(tmp_path, int(amount) + 1)
    with pytest.raises(ScenarioError) as caught:
        build_county(load_scenario(path))
    assert caught.value.field == "rules.rounding_unit_nok"
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    line = err[0]
    assert line.startswith(f"error: {path}: rules.rounding_unit_nok: ")
    assert (
        f"{format_nok(int(amount) + 1)} is more than the key amount of the smallest region" in line
    )
    assert f"{region} (" in line and format_nok(round(amount)) in line
    assert format_nok(int(COARSE_SHARE * amount)) in line
    assert main(["propose", str(path), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_a_unit_above_a_tenth_of_it_is_a_warning_everywhere(tmp_path, capsys, smallest):
    region, amount = smallest
    unit = int(COARSE_SHARE * amount) + 1
    path = _scenario(tmp_path, unit)
    (found,) = _coarse(build_county(load_scenario(path)))
    assert found.fields["region"] == region and found.fields["unit"] == unit
    assert found.fields["amount"] == round(amount) and found.fields["year"] == "2025"
    assert found.fields["percent"] == pytest.approx(100 * unit / amount)
    assert main(["validate", str(path)]) == 0
    assert f"warning    {found}" in capsys.readouterr().out
    out = tmp_path / "out"
    assert main(["propose", str(path), "--out", str(out), "--report", "--lang", "nn"]) == 0
    assert f"warning: {found}" in capsys.readouterr().out
    assert str(found) in (out / "provenance.json").read_text(encoding="utf-8")
    assert found.in_language("nn") in (out / "rapport.html").read_text(encoding="utf-8")


def test_a_unit_within_a_tenth_says_nothing(tmp_path, smallest):
    _, amount = smallest
    path = _scenario(tmp_path, int(COARSE_SHARE * amount))
    assert _coarse(build_county(load_scenario(path))) == []


def test_the_smallest_budget_of_the_years_counts(tmp_path, smallest):
    """A later year with a smaller grant makes the same unit coarse there, named by year."""
    region, amount = smallest
    unit = int(COARSE_SHARE * amount)  # fine against 2025's budget
    years = "years = [{ year = 2026, total_nok = 15_000_000 }]\n"
    (found,) = _coarse(build_county(load_scenario(_scenario(tmp_path, unit, years))))
    assert found.fields["year"] == "2026" and found.fields["budget"] == 15_000_000
    assert found.fields["amount"] == round(amount / 2)
