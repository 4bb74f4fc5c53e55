"""``simulate --lang`` and ``sensitivity --lang``: the printed words and the figures' words in
the reader's language (by default the scope's, as the report's); the files' contents the same
in every language."""

from __future__ import annotations

import json

from dekomopt.cli import main
from dekomopt.data import report_language, resolve_scope
from dekomopt.report.catalogue import text
from dekomopt.simulation.command import sensitivity_command

from .conftest import ROGALAND, variant_text
from .test_draws import CAPACITY_LIMITS


def _simulate(tmp_path, capsys, *lang: str) -> tuple[str, dict]:
    out = tmp_path / (lang[-1] if lang else "default")
    argv = ["simulate", str(ROGALAND), "--draws", "20", "--seed", "1", "--out", str(out)]
    assert main([*argv, *(("--lang", *lang) if lang else ())]) == 0
    printed = capsys.readouterr().out
    provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    return printed, provenance


def test_simulate_prints_and_draws_in_the_language_asked_and_writes_the_same_files(
    tmp_path, capsys
):
    printed = {}
    for lang in ("nb", "nn", "en"):
        printed[lang], provenance = _simulate(tmp_path, capsys, lang)
        assert provenance["figure_language"] == lang
        heads = printed[lang].splitlines()
        header = next(line for line in heads if line.startswith(text("cli_metric", lang)))
        for word in ("cli_unit", "cli_mean", "cli_interval", "cli_mc_se"):
            assert text(word, lang) in header
        written = text("cli_written", lang, out="", files="").split()[0]
        assert any(line.startswith(written + " ") for line in heads)
    assert "trekninger" in printed["nb"] and "trekningar" in printed["nn"]
    assert "uløselige" in printed["nb"] and "uløyselege" in printed["nn"]
    assert " draws" in printed["en"] and "trekning" not in printed["en"]
    # machine-readable files do not depend on the language
    for name in ("summary.csv", "draws.parquet", "owners.parquet"):
        contents = {(tmp_path / lang / name).read_bytes() for lang in ("nb", "nn", "en")}
        assert len(contents) == 1, name
    # the figures' words do
    figures = {(tmp_path / lang / "theil_split.png").read_bytes() for lang in ("nb", "en")}
    assert len(figures) == 2


def test_simulate_speaks_the_scope_language_unless_asked(tmp_path, capsys):
    default, provenance = _simulate(tmp_path, capsys)
    expected = report_language(resolve_scope("Rogaland"))
    assert provenance["figure_language"] == expected
    header = text("cli_metric", expected)
    assert any(line.startswith(header + " ") for line in default.splitlines())


def test_sensitivity_prints_in_the_language_asked(tmp_path, capsys):
    assert sensitivity_command(str(ROGALAND), 8, 3, str(tmp_path / "s"), lang="nn") == 0
    printed = capsys.readouterr().out
    assert "modellkøyringar" in printed and "model runs" not in printed
    assert printed.splitlines()[-1].startswith(text("cli_written", "nn", out="", files="")[:6])


def test_sensitivity_says_why_in_the_language_asked_and_writes_the_same_files(tmp_path, capsys):
    """Runs whose rules clash (a high UH minimum against the partners' capacities) and
    metrics without indices: their reasons printed in nn, the files' words English."""
    scenario = tmp_path / "clash.toml"
    scenario.write_text(
        variant_text("draws = 100", partners=CAPACITY_LIMITS)
        + '\n[sensitivity]\nvary = ["uh_share_min", "key_weight_distance"]\n'
        + "uh_share_min = [0.3, 0.9]\n",
        encoding="utf-8",
    )
    printed, files = {}, {}
    for lang in ("nn", "en"):
        out = tmp_path / lang
        assert sensitivity_command(str(scenario), 8, 1, str(out), lang=lang) == 0
        printed[lang] = capsys.readouterr().out
        facts = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
        del facts["provenance"]["created"]
        files[lang] = ((out / "sensitivity.csv").read_bytes(), facts)
    assert files["nn"] == files["en"]  # the files do not depend on the language
    csv, facts = files["en"]
    assert facts["failed_runs"] > 0 and all("[conflicts: R3, R9]" in f for f in facts["failures"])
    assert b"not solved in" in csv
    # every failure counted under its rules, in the reader's language
    nn = printed["nn"].splitlines()
    (clash,) = [line for line in nn if " × " in line]
    assert clash.split(" × ")[0].strip() == str(facts["failed_runs"])
    assert (
        "reglane R3, R9 kan ikkje gjelde samtidig: Minstedel til samarbeidspartnarar "
        "(UH, fagskular m.fl.) (R3)" in clash
    )
    assert "ikkje løyst i" in printed["nn"] and "upåliteleg" not in printed["en"]
    english = {"not", "solved", "runs", "rules", "cannot", "hold", "unreliable", "undefined"}
    assert not english & set(printed["nn"].replace(":", " ").replace(",", " ").split())
    assert "not solved in" in printed["en"] and "rules R3, R9 cannot all hold" in printed["en"]
