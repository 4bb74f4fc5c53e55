"""`init` refuses a region count its scope cannot hold; a scenario that breaks the schema still
has the files it names checked, so every problem comes out in one run."""

from __future__ import annotations

import shutil
from pathlib import Path

from dekomopt.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
VT = "vestfold-og-telemark-2026"


def _errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]


def test_init_refuses_more_regions_than_municipalities(tmp_path, capsys):
    out = tmp_path / "tf.toml"
    assert main(["init", "Troms og Finnmark", "--out", str(out), "--regions", "50"]) == 2
    (line,) = _errors(capsys)
    assert "39 municipalities, so from 1 to 39 regions; got 50" in line
    assert not out.exists()


def test_init_one_region_reads_as_one(tmp_path, capsys):
    out = tmp_path / "oslo.toml"
    assert main(["init", "Oslo", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "one region suggested" in text and "én region" in text
    assert "1 balanced" not in text
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0
    printed = capsys.readouterr().out
    assert " 1 owner " in printed and "ILLUSTRATIVE: illustrative" not in printed


def test_unknown_scope_is_one_line_without_doubled_field(capsys):
    assert main(["init", "Nowhere", "--out", "x.toml"]) == 2
    (line,) = _errors(capsys)
    assert line.startswith("error: scope: 'Nowhere' is neither a county")


def _bad_scenario(tmp_path: Path, toml_edit: tuple[str, str]) -> Path:
    shutil.copy(SCENARIOS / f"{VT}.toml", tmp_path / "s.toml")
    regions = (SCENARIOS / f"{VT}-regions.csv").read_text(encoding="utf-8")
    first = regions.splitlines()[1].split(",")[0]
    (tmp_path / f"{VT}-regions.csv").write_text(
        regions.replace(f"\n{first},", "\n3999,", 1), encoding="utf-8"
    )
    path = tmp_path / "s.toml"
    text = path.read_text(encoding="utf-8")
    old, new = toml_edit
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_schema_error_and_file_errors_in_one_run(tmp_path, capsys):
    path = _bad_scenario(tmp_path, ("uh_share_min = 0.5", "uh_share_min = -0.5"))
    assert main(["validate", str(path)]) == 2
    lines = _errors(capsys)
    assert len(lines) == 3, lines
    assert "rules.uh_share_min" in lines[0]
    assert "3999 is no 2024 municipality" in lines[1]
    assert "is missing (no region)" in lines[2]


def test_file_errors_alone_when_the_schema_holds(tmp_path, capsys):
    path = _bad_scenario(tmp_path, ("uh_share_min = 0.5", "uh_share_min = 0.5"))
    assert main(["validate", str(path)]) == 2
    assert len(_errors(capsys)) == 2


def test_init_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "vt.toml"
    assert main(["init", "Agder", "--out", str(out)]) == 0
    regions = tmp_path / "vt-regions.csv"
    out.write_text("# my edits\n", encoding="utf-8")
    regions.write_text("kommunenummer,region\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["init", "Agder", "--out", str(out)]) == 2
    lines = _errors(capsys)
    assert len(lines) == 2
    assert f"--out {out}: the scenario file exists" in lines[0] and "--force" in lines[0]
    assert f"its regions table {regions} exists" in lines[1]
    assert out.read_text(encoding="utf-8") == "# my edits\n"
    assert regions.read_text(encoding="utf-8") == "kommunenummer,region\n"
    out.unlink()
    assert main(["init", "Agder", "--out", str(out)]) == 2
    (line,) = _errors(capsys)
    assert "its regions table" in line and not out.exists()
    assert main(["init", "Agder", "--out", str(out), "--force"]) == 0
    assert "[scenario]" in out.read_text(encoding="utf-8")
    assert "Region" in regions.read_text(encoding="utf-8")


def test_out_naming_a_file_where_a_folder_is_wanted(tmp_path, capsys):
    scenario = tmp_path / "vt.toml"
    shutil.copy(SCENARIOS / f"{VT}.toml", scenario)
    for given in (scenario, scenario / "sub"):
        assert main(["propose", str(scenario), "--out", str(given)]) == 2
        (line,) = _errors(capsys)
        assert line.startswith(f"error: {given}: --out: ")
        assert "names the folder the output files go into" in line
        assert "Errno" not in line


def test_propose_default_folder_is_the_file_stem_as_help_says(tmp_path, capsys, monkeypatch):
    assert main(["propose", "--help"]) == 0
    assert "default out/<scenario file name without" in " ".join(capsys.readouterr().out.split())
    shutil.copy(SCENARIOS / f"{VT}.toml", tmp_path / "my-plan.toml")
    shutil.copy(SCENARIOS / f"{VT}-regions.csv", tmp_path / f"{VT}-regions.csv")
    monkeypatch.chdir(tmp_path)
    assert main(["propose", "my-plan.toml"]) == 0
    assert (tmp_path / "out" / "my-plan" / "regions.csv").is_file()


def test_init_writes_its_own_text_in_every_language(tmp_path, capsys):
    from dekomopt.scenario import load_scenario

    out = tmp_path / "agder.toml"
    assert main(["init", "Agder", "--out", str(out)]) == 0
    meta = load_scenario(out).spec.scenario
    names = meta.name.translations
    assert set(names) == {"nb", "nn", "en"}
    assert "starter" in names["en"] and "starter" not in names["nb"] + names["nn"]
    for text in (meta.description, *meta.assumptions):
        assert set(text.translations) == {"nb", "nn", "en"}


def _vt_edit(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The bundled Vestfold og Telemark scenario with ``edits`` (old → new), beside its
    regions table, written as s.toml in ``tmp_path``."""
    shutil.copy(SCENARIOS / f"{VT}-regions.csv", tmp_path / f"{VT}-regions.csv")
    text = (SCENARIOS / f"{VT}.toml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    return tmp_path / "s.toml"


def test_every_problem_of_an_inline_structure_in_one_run(tmp_path, capsys, monkeypatch):
    regions = (
        'regions = { A = ["3901", "3903", "3905", "3907", "3909", "3911", "0301"], '
        'B = ["4001", "4003", "4005", "4010", "4012", "4014", "4016", "4018", "4020", "4022", '
        '"4024", "4026", "4028", "4030", "4032", "9999"], C = ["4001"] }'
    )
    _vt_edit(tmp_path, (f'csv = "{VT}-regions.csv"', regions))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "s.toml"]) == 2
    lines = _errors(capsys)
    text = "\n".join(lines)
    assert all(line.startswith("error: s.toml: ") for line in lines)  # as given: relative
    assert "0301 is no municipality of Statsforvalteren i Vestfold og Telemark" in text
    assert "9999 is no municipality" in text
    assert "4001 Porsgrunn is in both B and C" in text
    assert "municipalities in no region: 4034 Tokke, 4036 Vinje" in text


def test_reference_problems_all_at_once(tmp_path, capsys, monkeypatch):
    _vt_edit(
        tmp_path,
        ("exclude_private = true", 'exclude_private = true\nnon_participating = ["9999"]'),
        (
            'eligible = ["UH-partner"]',
            'eligible = ["UH-partner", "NTNU"]\nedges = { "Region X" = ["UH-partner"] }',
        ),  # fmt: skip
    )
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "propose"):
        assert main([command, "s.toml"]) == 2
        text = "\n".join(_errors(capsys))
        assert "s.toml: owners.non_participating[0]: '9999' is no owner" in text
        assert "s.toml: partners.eligible[1]: unknown partner 'NTNU'" in text
        assert "s.toml: partners.edges.Region X: unknown region" in text


def test_set_aside_total_with_the_items_problems(tmp_path, capsys):
    path = _vt_edit(
        tmp_path,
        (
            "[budget]\n",
            '[budget]\nset_asides = [{ name = "A", share = 0.7 }, { name = "B", share = 0.5 }, '
            '{ name = "C", amount_nok = -5 }]\n',
        ),
    )
    assert main(["validate", str(path)]) == 2
    text = "\n".join(_errors(capsys))
    assert "budget.set_asides.2.amount_nok" in text
    assert "set-aside shares add to 1.2, more than 1" in text


def test_a_missing_table_does_not_hide_the_files_problems(tmp_path, capsys):
    path = _bad_scenario(tmp_path, ("[budget]", "[budgett]"))
    assert main(["validate", str(path)]) == 2
    text = "\n".join(_errors(capsys))
    assert "budget: required key is missing" in text
    assert "row 2, column kommunenummer: 3999" in text


def test_participation_by_owner_problems_all_at_once_before_simulating(
    tmp_path, capsys, monkeypatch
):
    """Probabilities out of range and owners the scenario does not have: every one a line of
    its own, at validate time as at simulate time."""
    shares = '{ "9999" = 0.5, "3901" = 1.5, "8888" = 0.7, "3903" = -0.1, "3905" = 0.9 }'
    _vt_edit(
        tmp_path,
        ("[sensitivity]\n", f"[uncertainty]\nparticipation_by_owner = {shares}\n\n[sensitivity]\n"),
    )
    monkeypatch.chdir(tmp_path)
    for command in (["validate", "s.toml"], ["simulate", "s.toml", "--draws", "2", "--seed", "1"]):
        assert main(command) == 2
        lines = _errors(capsys)
        key = "error: s.toml: uncertainty.participation_by_owner"
        assert sorted(lines) == sorted(
            [
                f"{key}.3901: Input should be less than or equal to 1 (got 1.5)",
                f"{key}.3903: Input should be greater than or equal to 0 (got -0.1)",
                f"{key}.9999: '9999' is no owner of this scenario",
                f"{key}.8888: '8888' is no owner of this scenario",
            ]
        ), lines
