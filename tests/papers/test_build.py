"""The paper's numbers flow from the package: change Rogaland's budget, find the new figures.

One quick build (the command CI runs) with Rogaland 2025's budget changed; the PDF must show
that budget and the region amounts the package proposes for the changed scenario, which
differ from the bundled scenario's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

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
