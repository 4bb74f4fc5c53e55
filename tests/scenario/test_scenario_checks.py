"""Checks of a scenario's own keys: independent problems come out in one run; an extra owner's
region that differs from the structure's only in case is refused, one alone in a new region is
a warning; a regime run outside its years is a warning; an Agder FTE file that covers some
municipalities leaves a caveat that counts only the values still imputed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dekomopt.cli import main
from dekomopt.county import build_county
from dekomopt.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
EXTRA = (
    '{{ id = "{id}", name = "Steinerskolen", kind = "private", region = "{region}", '
    'teacher_fte = 12.0, source = "own count" }}'
)


def _edited(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = (SCENARIOS / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _owners(*lines: str) -> tuple[str, str]:
    return ("[owners]\n", "[owners]\n" + "".join(f"{line}\n" for line in lines))


def _extra(*owners: tuple[str, str]) -> str:
    return "extra = [" + ", ".join(EXTRA.format(id=i, region=r) for i, r in owners) + "]"


def _edge(region: str) -> tuple[str, str]:
    return ("[partners.edges]\n", f'[partners.edges]\n{region} = ["HVL-Haugesund"]\n')


def _run(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_duplicate_extra_ids_come_with_the_other_problems(tmp_path, capsys):
    owners = _extra(("P1", "NORD"), ("P1", "MIDT"), ("1106", "NORD"))
    path = _edited(tmp_path, "rogaland-2025.toml", _owners(owners, 'non_participating = ["9999"]'))
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    assert any("owners.extra: owner id used twice: 1106, P1" in line for line in err), err
    assert any("owners.non_participating[0]: '9999' is no owner" in line for line in err), err


def test_repeated_non_participating_owner_is_reported_despite_schema_errors(tmp_path, capsys):
    path = _edited(
        tmp_path,
        "rogaland-2026.toml",
        ('regime = "kollektiv-2026"', 'regime = "kollektiv2026"'),
        ("year = 2026", 'year = "2026"'),
        _owners('non_participating = ["1103", "1106", "1103", "Stavanger"]'),
    )
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    text = "\n".join(err)
    assert "scenario.regime" in text and "scenario.year" in text
    assert "owners.non_participating[2]: '1103' is listed twice (also [0])" in text
    assert "owners.non_participating[3]: 'Stavanger' is no owner" in text


def test_a_region_differing_only_in_case_is_refused(tmp_path, capsys):
    path = _edited(tmp_path, "rogaland-2025.toml", _owners(_extra(("steiner", "nord"))))
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    (line,) = err
    assert "owners.extra[0].region: 'nord' differs from the structure's region 'NORD'" in line


def test_an_extra_owner_alone_in_a_new_region_is_a_warning(tmp_path, capsys):
    path = _edited(
        tmp_path, "rogaland-2025.toml", _owners(_extra(("steiner", "NORDD"))), _edge("NORDD")
    )
    code, out, _ = _run(capsys, "validate", str(path))
    assert code == 0
    (line,) = [line for line in out if "alone in region NORDD" in line]
    assert line.startswith("warning") and "(NORD" in line
    code, out, _ = _run(capsys, "propose", str(path), "--out", str(tmp_path / "out"))
    assert code == 0
    assert any(line.startswith("warning: ") and "alone in region NORDD" in line for line in out)


def test_two_extra_owners_sharing_a_new_region_are_not_alone(tmp_path, capsys):
    owners = _extra(("steiner", "Steiner"), ("montessori", "Steiner"))
    path = _edited(tmp_path, "rogaland-2025.toml", _owners(owners), _edge("Steiner"))
    code, out, _ = _run(capsys, "validate", str(path))
    assert code == 0
    assert not any("alone in region" in line for line in out)


@pytest.mark.parametrize(
    ("name", "edits", "years"),
    [
        ("rogaland-2025.toml", [("year = 2025", "year = 2027")], "for 2027"),
        ("rogaland-2026.toml", [("year = 2026", "year = 2025")], "for 2025"),
        (
            "rogaland-2025.toml",
            [("total_nok = 30_000_000", "total_nok = 30_000_000\nyears = [{ year = 2026, "
              "total_nok = 20_000_000 }, { year = 2027, total_nok = 20_000_000 }]")],
            "for 2026, 2027",
        ),
    ],
    ids=["dekom-2027", "kollektiv-2025", "dekom-budget-years"],
)  # fmt: skip
def test_a_regime_outside_its_years_is_a_warning(tmp_path, capsys, name, edits, years):
    path = _edited(tmp_path, name, *edits)
    code, out, _ = _run(capsys, "validate", str(path))
    assert code == 0
    (line,) = [line for line in out if "regime" in line and years in line]
    assert line.startswith("warning")
    out_dir = tmp_path / "out"
    code, out, _ = _run(capsys, "propose", str(path), "--out", str(out_dir))
    assert code == 0
    assert any(line.startswith("warning: ") and years in line for line in out)
    first = out_dir if (out_dir / "provenance.json").exists() else out_dir / "2025"
    caveats = json.loads((first / "provenance.json").read_text(encoding="utf-8"))["caveats"]
    assert any(years in c for c in caveats)


@pytest.mark.parametrize("name", ["rogaland-2025.toml", "rogaland-2026.toml"])
def test_a_regime_within_its_years_says_nothing(capsys, name):
    code, out, _ = _run(capsys, "validate", str(SCENARIOS / name))
    assert code == 0
    assert not any("regime is" in line or "regime applies" in line for line in out)


def test_imputed_caveat_counts_what_the_file_leaves_imputed(tmp_path, capsys):
    scenario = tmp_path / "ag.toml"
    assert main(["init", "Agder", "--out", str(scenario)]) == 0
    (tmp_path / "fte2.csv").write_text(
        "kommunenummer;teacher_fte\n4203;450,5\n4204;1 234,5\n4213;120\n", encoding="utf-8"
    )
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(
        text.replace(
            "[owners]\n", '[owners]\nfte_source = "fte2.csv"\nfte_missing = "bundled"\n', 1
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    code, out, _ = _run(capsys, "validate", str(scenario))
    assert code == 0
    assert "imputed    22 of 25 teacher-FTE values" in out
    warnings = [line for line in out if line.startswith("warning") and "IMPUTED" in line]
    assert warnings and all("all 25" not in line for line in warnings)
    assert any("the 22 of 25 values not in fte2.csv are IMPUTED" in line for line in warnings)
    county = build_county(load_scenario(scenario))
    assert int(county.owners["fte_imputed"].sum()) == 22
    nb = [w.in_language("nb") for w in county.warnings]
    assert any("de 22 av 25 tallene som ikke er i fte2.csv, er ANSLÅTT" in w for w in nb)
    assert not any("alle 25 tallene" in w for w in nb)
