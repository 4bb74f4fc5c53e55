"""An output folder holds one run: a stopped run never leaves its files beside an earlier
run's (simulate keeps its chunks for --resume, marked incomplete; sensitivity and structures
leave the folder as it was)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dekomopt.report.catalogue import LANGUAGES
from dekomopt.runfolder import STAGING_PREFIX, interrupted_line, staged
from dekomopt.simulation import runner, simulate, sobol
from dekomopt.simulation.command import sensitivity_command, simulate_command

from .conftest import ROGALAND

SIZE = {"draws": 120, "chunk_size": 20, "seed": 9}


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _stop_after(monkeypatch: pytest.MonkeyPatch, chunks: int) -> None:
    """Make a run stop as Ctrl-C stops it once ``chunks`` chunks are joined."""
    advance = runner._Joined.advance

    def stopping(self, chunk=None):
        if chunk is not None and len(self.tables[0]) >= chunks:
            raise KeyboardInterrupt
        return advance(self, chunk)

    monkeypatch.setattr(runner._Joined, "advance", stopping)


def test_a_stopped_simulation_leaves_no_results_of_an_earlier_run(rogaland, tmp_path, monkeypatch):
    earlier = simulate(rogaland, tmp_path, draws=40, chunk_size=20, seed=7, progress=False)
    assert earlier.figures
    assert json.loads((tmp_path / "provenance.json").read_text())["status"] == "complete"
    with monkeypatch.context() as patch:
        _stop_after(patch, 2)
        with pytest.raises(KeyboardInterrupt):
            simulate(rogaland, tmp_path, **SIZE, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chunks", "provenance.json"]
    record = json.loads((tmp_path / "provenance.json").read_text())
    assert (record["seed"], record["draws"], record["status"]) == (9, 120, "incomplete")
    assert record["outcome"] is None
    assert len(list((tmp_path / "chunks").glob("*.draws.arrow"))) >= 2
    done = simulate(rogaland, tmp_path, **SIZE, resume=True, progress=False, figures=False)
    assert json.loads((tmp_path / "provenance.json").read_text())["status"] == "complete"
    assert done.provenance.status == "complete" and len(done.draws) == 120


def test_simulate_stopped_says_what_the_folder_holds(tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "small-chunks.toml"
    text = ROGALAND.read_text(encoding="utf-8").replace("chunk_size = 1000", "chunk_size = 20")
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "run"
    _stop_after(monkeypatch, 1)
    code = simulate_command(str(scenario), 120, 9, 1, None, False, str(out), lang="en")
    assert code == 130
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("interrupted: ") and "of 6 chunks saved" in line
    assert "incomplete" in line and "no results" in line and "--resume" in line


def test_a_stopped_sensitivity_run_leaves_the_earlier_files(tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "sens.toml"
    scenario.write_text(
        ROGALAND.read_text(encoding="utf-8").split("\n[sensitivity]")[0]
        + '\n[sensitivity]\nvary = ["uh_share_min"]\nsamples = 8\n',
        encoding="utf-8",
    )
    assert sensitivity_command(str(scenario), None, 1, str(tmp_path / "out")) == 0
    before = _contents(tmp_path / "out")
    assert set(before) == {"sensitivity.csv", "sensitivity.json"}

    def stop(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sobol.SensitivityFacts, "to_json", stop)
    assert sensitivity_command(str(scenario), None, 2, str(tmp_path / "out")) == 130
    assert _contents(tmp_path / "out") == before
    assert not list((tmp_path / "out").glob(f"{STAGING_PREFIX}*"))
    assert capsys.readouterr().err.strip() == interrupted_line(
        "sensitivity", tmp_path / "out", "nb"
    )  # Rogaland's written language
    assert sensitivity_command(str(scenario), None, 2, str(tmp_path / "fresh"), lang="nn") == 130
    assert not (tmp_path / "fresh").exists()
    assert capsys.readouterr().err.strip().endswith(f"ingenting skrive til {tmp_path / 'fresh'}")


def test_the_interrupted_line_is_in_the_run_language(tmp_path):
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "provenance.json").write_text("{}")
    kept = {lang: interrupted_line("structures", tmp_path / "kept", lang) for lang in LANGUAGES}
    nothing = {lang: interrupted_line("simulate", tmp_path / "none", lang) for lang in LANGUAGES}
    assert kept["nb"].startswith("avbrutt: dekomopt structures stoppet før filene ble skrevet")
    assert "har filene frå førre køyring slik dei var (provenance.json" in kept["nn"]
    assert kept["en"].endswith(
        "the earlier run's files as they were (provenance.json describes them)"
    )
    assert nothing["nn"].endswith(f"ingenting skrive til {tmp_path / 'none'}")
    assert nothing["en"].endswith(f"nothing written to {tmp_path / 'none'}")
    for lines in (kept, nothing):
        assert len(set(lines.values())) == 3


def test_staged_files_replace_every_earlier_output(tmp_path):
    outputs = ("a.csv", "b.csv", "figures", "provenance.json")
    with staged(tmp_path, outputs) as stage:
        (stage / "a.csv").write_text("1")
        (stage / "b.csv").write_text("1")
        (stage / "figures").mkdir()
        (stage / "figures" / "old.png").write_text("1")
        (stage / "provenance.json").write_text("1")
    (tmp_path / "mine.txt").write_text("kept")
    (tmp_path / f"{STAGING_PREFIX}1").mkdir()  # left by a killed run
    with staged(tmp_path, outputs) as stage:
        (stage / "a.csv").write_text("2")
        (stage / "figures").mkdir()
        (stage / "figures" / "new.png").write_text("2")
        (stage / "provenance.json").write_text("2")
    assert _contents(tmp_path) == {
        "a.csv": b"2",
        "figures/new.png": b"2",
        "mine.txt": b"kept",
        "provenance.json": b"2",
    }
    with (
        pytest.raises(ValueError, match="c.csv not among the outputs"),
        staged(tmp_path, outputs) as stage,
    ):
        (stage / "c.csv").write_text("3")
    assert _contents(tmp_path)["a.csv"] == b"2" and not (tmp_path / "c.csv").exists()


def test_a_stop_before_the_run_began_says_what_the_folder_holds_in_its_language(
    tmp_path, monkeypatch, capsys
):
    """Ctrl-C while the command still loads (imports, the scenario): the same line, in
    ``--lang`` or else the scope's written language (Vestland's is nynorsk)."""
    from dekomopt.cli import main
    from dekomopt.structures import command as structures

    def stop(*_args, **_kwargs):
        raise KeyboardInterrupt

    from dekomopt.simulation import command as simulation

    monkeypatch.setattr(structures, "structures_command", stop)
    monkeypatch.setattr(simulation, "sensitivity_command", stop)
    vestland = ROGALAND.with_name("vestland-2026.toml")
    out = tmp_path / "s"
    assert main(["sensitivity", str(vestland), "--out", str(out)]) == 130
    assert capsys.readouterr().err.strip() == interrupted_line("sensitivity", out, "nn")
    assert interrupted_line("sensitivity", out, "nn").endswith(f"ingenting skrive til {out}")
    out.mkdir()
    (out / "sensitivity.json").write_text("{}")
    assert main(["sensitivity", str(vestland), "--lang", "en", "--out", str(out)]) == 130
    assert capsys.readouterr().err.strip().endswith("(sensitivity.json describes them)")
    assert main(["structures", str(ROGALAND), "--lang", "nn"]) == 130
    default = Path("out") / f"{ROGALAND.stem}-structures"
    assert capsys.readouterr().err.strip() == interrupted_line("structures", default, "nn")


def test_sigterm_while_the_run_still_loads_stops_it_as_ctrl_c(tmp_path):
    """SIGTERM before the command's own handling (its imports, the scenario) ends the run with
    the same line, not silently."""
    out = tmp_path / "s"
    program = (
        "import os, signal, sys\n"
        "from dekomopt.cli import main\n"
        "from dekomopt.simulation import command\n"
        "def term(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    signal.pause()\n"
        "command.sensitivity_command = term\n"
        f"argv = ['sensitivity', {str(ROGALAND)!r}, '--lang', 'en', '--out', {str(out)!r}]\n"
        "sys.exit(main(argv))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == interrupted_line("sensitivity", out, "en")
