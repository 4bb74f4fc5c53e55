"""A stopped structures run (Ctrl-C or SIGTERM) leaves its folder as it was: no file of the
new run beside the earlier run's provenance, and nothing in a fresh folder."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from dekomopt.runfolder import STAGING_PREFIX
from dekomopt.structures import command
from dekomopt.structures.command import structures_command


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_ctrl_c_while_writing_leaves_the_earlier_run(
    scenario_with_structures, tmp_path, monkeypatch, capsys
):
    path = str(scenario_with_structures("regions = 3", "balance = 0.7"))
    out = tmp_path / "run"
    assert structures_command(path, False, 40, None, 1, 1, str(out), lang="en") == 0
    before = _contents(out)
    assert "provenance.json" in before and "outlier.csv" in before
    capsys.readouterr()

    def stop(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "structure_maps", stop)  # after the CSVs and histograms
    assert structures_command(path, False, 60, None, 1, 2, str(out), lang="en") == 130
    assert _contents(out) == before
    line = capsys.readouterr().err.strip()
    assert line.startswith("interrupted: dekomopt structures stopped")
    assert "earlier run's files as they were" in line
    assert (
        structures_command(path, False, 60, None, 1, 2, str(tmp_path / "fresh"), lang="en") == 130
    )
    assert not (tmp_path / "fresh").exists()
    assert "nothing written" in capsys.readouterr().err


def test_sigterm_stops_like_ctrl_c(scenario_with_structures, tmp_path):
    path = scenario_with_structures("regions = 3", "balance = 0.7")
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "dekomopt.cli", "structures", str(path), "--sample", "60"]
        + ["--seed", "1", "--lang", "nn", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(f"{STAGING_PREFIX}*/*.csv")):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    lines = [line for line in stderr.replace("\r", "\n").splitlines() if "it/s" not in line]
    assert proc.returncode == 130
    assert lines[-1] == (  # in the run's language
        f"avbroten: dekomopt structures stoppa før filene vart skrivne; ingenting skrive til {out}"
    )
    assert not out.exists()
