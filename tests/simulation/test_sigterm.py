"""A run stopped with SIGTERM ends as one stopped with Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROGALAND


def test_sigterm_cleans_up_and_says_how_to_resume(tmp_path):
    text = ROGALAND.read_text(encoding="utf-8").replace("chunk_size = 1000", "chunk_size = 200")
    scenario = tmp_path / "small-chunks.toml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "run"
    args = ["simulate", str(scenario), "--draws", "6000", "--seed", "3", "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "dekomopt.cli", *args, "--lang", "en", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    deadline = time.monotonic() + 120
    while len(list((out / "chunks").glob("*.draws.arrow"))) < 3:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    lines = [
        line for line in stderr.replace("\r", "\n").splitlines() if line and "draw/s" not in line
    ]
    assert proc.returncode == 130
    assert len(lines) == 1, lines
    assert lines[0].startswith("interrupted: ") and "--resume" in lines[0]
    assert sorted(Path(out).rglob("*.tmp")) == []
