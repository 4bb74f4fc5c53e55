"""The paper's numbers flow from the package: change Rogaland's budget, find the new figures.

One quick build (the command CI runs) with Rogaland 2025's budget changed; the PDF must show
that budget and the region amounts the package proposes for the changed scenario, which
differ from the bundled scenario's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dekomopt.formats import format_nok
from dekomopt.proposal import propose
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 27_345_678

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


def _words(text: str) -> str:
    """Text with its spacing made plain: no-break spaces as spaces, runs of white space as
    one, and words hyphenated at a line end joined again."""
    return " ".join(text.replace("\u00a0", " ").split()).replace("\u00ad ", "")


def _in(phrase: str, text: str) -> bool:
    """Whether ``phrase`` is in ``text`` whatever the line breaks (white space ignored)."""
    return "".join(phrase.split()) in "".join(text.split())


def _path(entry: dict) -> Path:
    path = Path(entry["file"])
    return path if path.is_absolute() else ROOT / path


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("paper") / "build"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "papers" / "build.py"),
            "--quick",
            "--out",
            str(out),
            "--set",
            f"rogaland-2025:budget.total_nok={BUDGET}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "paper.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return out, _words(text), results


def test_quick_build_writes_the_pdf_results_and_figures(build):
    out, text, results = build
    assert (out / "paper.pdf").stat().st_size > 10_000
    assert results["mode"]["name"] == "quick"
    assert set(results["scenarios"]) == {
        "rogaland-2025",
        "rogaland-2026",
        "vestland-2026",
        "nordland-2026",
    }
    assert any((out / "figures").glob("*.png"))
    assert "This is a quick build: the benchmark scripts were skipped" in text


def test_performance_states_the_time_of_each_analysis(build):
    """Section 8 says how long the build and each scenario's analyses took, with the numbers
    ``results.json`` recorded; each scenario's steps add up to its total (to rounding)."""
    out, text, results = build
    start = text.index("Performance Time.")
    performance = text[start : text.index("Limitations", start)]
    assert _words(f"it took {results['fmt']['seconds']} s") in performance
    assert f"--workers {results['workers']}" in performance
    assert len(results["timings"]) == len(results["scenarios"])
    for row in results["fmt"]["timings"]:
        name = results["scenarios"][row["scenario"]]["proposal"]["scenario_name"]
        steps = [row[k] for k in ("proposal", "monte_carlo", "sobol", "structures", "total")]
        assert _in(" ".join([name, *steps]), performance)
        seconds = results["timings"][row["scenario"]]
        parts = sum(seconds[k] for k in ("proposal", "monte_carlo", "sobol", "structures"))
        assert abs(parts - seconds["total"]) <= 0.25
    # Each scenario's total and the build's are rounded to 0,1 s on their own.
    total = sum(t["total"] for t in results["timings"].values())
    assert total <= results["seconds"] + 0.05 * (len(results["timings"]) + 1)


def test_changed_budget_reaches_the_pdf(build):
    out, text, results = build
    entry = results["scenarios"]["rogaland-2025"]
    assert entry["changes"]["budget"]["total_nok"] == BUDGET
    variant = load_scenario(_path(entry))
    assert variant.spec.budget.total_nok == BUDGET
    changed = propose(variant).regions
    bundled = propose(load_scenario(ROOT / "scenarios" / "rogaland-2025.toml")).regions
    assert int(changed["amount_nok"].sum()) == BUDGET
    assert _words(format_nok(BUDGET)) in text
    for new, old in zip(changed["amount_nok"], bundled["amount_nok"], strict=True):
        assert new != old
        assert _words(format_nok(new)) in text
        assert _words(format_nok(old)) not in text


def test_variant_hash_is_recorded_in_the_appendix(build):
    out, text, results = build
    entry = results["scenarios"]["rogaland-2025"]
    assert load_scenario(_path(entry)).sha256 == entry["sha256"]
    assert entry["sha256"] in text.replace(" ", "")


def test_bad_settings_are_reported_one_line_each_before_anything_runs(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "papers" / "build.py"),
            "--quick",
            "--out",
            str(tmp_path / "build"),
            "--set",
            "rogaland-2025:budget.total_nok=-5",
            "--set",
            "nordland-2026:rules.no_such_rule=1",
            "--set",
            "oslo-2026:budget.total_nok=1",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines), lines
    assert "rogaland-2025.toml: budget.total_nok" in done.stderr
    assert "nordland-2026.toml: rules.no_such_rule" in done.stderr
    assert "oslo-2026" in done.stderr
    assert not (tmp_path / "build" / "runs").exists()


def _structures(results: dict, name: str) -> dict:
    entry = results["scenarios"][name]
    assert "error" not in entry["structures"], entry["structures"]
    return entry


def test_each_map_is_the_frontier_map_its_caption_names(build):
    out, text, results = build
    for name in results["scenarios"]:
        entry = _structures(results, name)
        run = Path(entry["structures"]["out"]) / "figures" / "map_today_and_frontier.png"
        shown = out / "figures" / f"{name}-map.png"
        assert shown.read_bytes() == run.read_bytes(), name
        ids = entry["structures"]["provenance"]["maps"]["map_today_and_frontier.png"]
        assert entry["fmt"]["structures"]["map_ids"] == [str(i) for i in ids]
        listed = ", ".join(f"#{i}" for i in ids[:-1]) + f" and #{ids[-1]}"
        assert listed in text, (name, listed)


def test_printed_structures_commands_are_the_ones_that_ran(build, tmp_path):
    """Each command under a structures table parses with the CLI's own parser as the run's
    arguments, and run from the command line it prints the paper's numbers."""
    from dekomopt.cli import build_parser

    out, text, results = build
    for name in results["scenarios"]:
        entry = _structures(results, name)
        command = entry["structures"]["command"]
        assert _in(command, text), command
        words = command.split()
        assert words[:3] == ["dekomopt", "structures", entry["file"]]
        args = build_parser().parse_args(words[1:])
        prov = entry["structures"]["provenance"]
        assert args.seed == prov["seed"] == entry["seed"]
        assert args.lang == "en"
        if prov["draws"] is None:
            assert args.enumerate and args.sample is None
        else:
            assert not args.enumerate and args.sample == prov["samples"] == prov["draws"]
    # the sampled command that once failed, run as a reader runs it
    entry = results["scenarios"]["vestland-2026"]
    words = entry["structures"]["command"].split()
    dekomopt = Path(sys.executable).with_name("dekomopt")
    done = subprocess.run(
        [str(dekomopt), *words[1:], "--out", str(tmp_path / "st")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    ran = (tmp_path / "st" / "outlier.csv").read_text(encoding="utf-8")
    built = (Path(entry["structures"]["out"]) / "outlier.csv").read_text(encoding="utf-8")
    assert ran == built
    between = next(r for r in entry["fmt"]["structures"]["outlier"] if r["law"] == "uniform")
    assert between["percentile"].replace(".", ",") in done.stdout


def test_reference_set_of_each_percentile_is_counted_as_outlier_csv_has_it(build):
    out, text, results = build
    for name in results["scenarios"]:
        entry = _structures(results, name)
        prov = entry["structures"]["provenance"]
        unit = "structures" if prov["draws"] is None else "draws"
        csv = pd.read_csv(Path(entry["structures"]["out"]) / "outlier.csv")
        rows = entry["fmt"]["structures"]["outlier"]
        assert len(rows) == len(csv)
        for row, (_, r) in zip(rows, csv.iterrows(), strict=True):
            total = int(r["used"]) + int(r["left_out"])
            assert row["over"] == f"{int(r['used']):,} of {total:,} {unit}".replace(",", "\u00a0")
            assert _in(row["over"], text)
        if (csv["left_out"] > 0).any():
            for note in entry["fmt"]["structures"]["why_left_out"]:
                assert _in(note, text), note
            assert entry["fmt"]["structures"]["why_left_out"], name
    between = next(
        r
        for r in results["scenarios"]["rogaland-2025"]["fmt"]["structures"]["outlier"]
        if r["metric"] == "theil_between_share"
    )
    abstract = text[: text.index("The question")]
    assert _in(f"defined in {between['over']}", abstract)
    assert f"percentile {between['percentile']}" in abstract


def test_percentile_rows_name_their_law_and_constant_scores_say_so(build):
    out, text, results = build
    for name in results["scenarios"]:
        entry = _structures(results, name)
        for row, r in zip(
            entry["fmt"]["structures"]["outlier"], entry["structures"]["outlier"], strict=True
        ):
            assert row["law"] == r["law"]
            sampled = entry["structures"]["provenance"]["draws"] is not None
            if r["same_for_every_structure"]:
                # sampled, the claim is about the structures drawn, not every plausible one
                assert row["interval"] == (
                    "the same in every structure drawn"
                    if sampled
                    else "the same for every structure"
                )
                assert row["percentile"] == "–"
        laws = {r["law"] for r in entry["structures"]["outlier"]}
        assert len(laws) == (1 if entry["structures"]["provenance"]["draws"] is None else 2)


def test_frontier_and_domination_counts_agree_with_the_command(build):
    out, text, results = build
    for name in results["scenarios"]:
        entry = _structures(results, name)
        printed = entry["structures"]["printed"].replace("\u00a0", " ")
        st = entry["fmt"]["structures"]
        size = re.search(r"^frontier \(.*: (\d[\d ]*) structures?(?:[,;].*)?$", printed, re.M)
        assert size is not None, printed
        assert _words(st["frontier_size"]) == size.group(1), name
        dominate = re.search(r"^(\d[\d ]*) structures? among .* dominates? today", printed, re.M)
        said = dominate.group(1) if dominate else "0"
        none = re.search(r"^no structure among .* dominates today", printed, re.M)
        assert none is not None or dominate is not None
        assert _words(st["dominating"]) == said, name
        today = entry["structures"]["provenance"]["today_structure_id"]
        rows = entry["structures"]["frontier"]
        on = any(r["is_today"] and r.get("on_frontier") for r in rows)
        if st["frontier"]:
            assert st["frontier"][0]["id"] == (
                f"today (on the frontier as #{today})" if on else "today (not on the frontier)"
            )
            assert _in(st["frontier"][0]["id"], text)


def test_today_outside_the_plausible_set_is_said_with_its_reason(build):
    out, text, results = build
    outside = 0
    for name in results["scenarios"]:
        prov = _structures(results, name)["structures"]["provenance"]
        if not prov["today_plausible"]:
            outside += 1
            assert _in(f"not plausible ({prov['today_breaks']})", text)
        else:
            assert f"structure #{prov['today_structure_id']} of the set" in text
    assert outside > 0
    assert "not found among them by canonical form" not in text


def test_no_nonzero_monte_carlo_standard_error_prints_as_zero(build):
    out, text, results = build
    for name, entry in results["scenarios"].items():
        mc = entry["monte_carlo"]
        for raw, shown in zip(mc["metrics"], entry["fmt"]["monte_carlo"]["metrics"], strict=True):
            if raw["mc_se"]:
                assert re.search(r"[1-9]", shown["se"]), (name, raw, shown)


def test_figures_are_drawn_in_english(build):
    out, text, results = build
    for entry in results["scenarios"].values():
        mc = entry["monte_carlo"]
        figure = entry["figures"]["mc"]
        assert figure is not None
        assert mc["figure_language"] == "en"
        source = next(p for p in mc["figures"] if Path(p).name == "theil_split.png")
        provenance = json.loads((Path(source).parent / "provenance.json").read_text("utf-8"))
        assert provenance["figure_language"] == "en"
        assert Path(figure).read_bytes() == Path(source).read_bytes()
        assert "--lang en" in entry["structures"]["command"]


def test_bibliography_renders_names_and_titles(build):
    out, text, results = build
    references = text[text.rindex("References") :]
    for garbled in ("\\widehat", "I. Banzhaf", "S.-ichi", "John F. Banzhaf I"):
        assert garbled not in references
    for name in ("Banzhaf", "Minato", "Assessing Convergence"):
        assert name in references


def test_the_paper_states_r11_as_the_package_does(build):
    out, text, results = build
    assert "R11 is a cap" in text
    from dekomopt.allocation.rules.r11_needs import Needs

    assert Needs.name == "reported need cap"


def test_the_scenarios_seed_numbers_are_explained_as_sources(build):
    """The scenario files cite their sources as "source 001" (bokmål "kilde 001", nynorsk
    "kjelde 001"), never as "seed 001", which reads as a random seed; the appendix that
    prints their texts says which documents the numbers are."""
    out, text, results = build
    caveats = [c for entry in results["scenarios"].values() for c in entry["proposal"]["caveats"]]
    scenario_files = [p.read_text(encoding="utf-8") for p in (ROOT / "scenarios").glob("*.toml")]
    seeds = [c for c in [*caveats, *scenario_files, text] if re.search(r"\bseed 00\d", c)]
    assert seeds == []
    assert any(re.search(r"\bsource 00\d", c) for c in caveats)
    appendix = _words(text[text.index("Appendix B") :])
    assert "they mean the documents listed in the references" in appendix
    assert re.search(r"\bsource 00\d", appendix)


def test_percentiles_are_defined_and_the_lowest_possible_is_said(build):
    out, text, results = build
    abstract = text[: text.index("The question")]
    assert "ties counted half" in abstract
    st = results["scenarios"]["rogaland-2025"]["fmt"]["structures"]
    if st["today_plausible"]:
        # the plausible set counts today's structure, and the abstract says so
        assert _in(f"all {st['plausible']} plausible structures", abstract)
        assert re.search(r"\(today.s among them\)", abstract)
    assert "alternative structures with" not in abstract
    first_table = re.search(r"Where today.s structure sits", text).start()
    assert "ties counted half" in text[:first_table]
    checked = 0
    for name in results["scenarios"]:
        entry = _structures(results, name)
        if entry["structures"]["provenance"]["draws"] is not None:
            continue
        for row, r in zip(
            entry["fmt"]["structures"]["outlier"], entry["structures"]["outlier"], strict=True
        ):
            if r["same_for_every_structure"] or not r["used"]:
                continue
            lowest = r["below"] == 0
            assert row["percentile"].endswith("(lowest possible)") == lowest, row
            checked += 1
    assert checked
