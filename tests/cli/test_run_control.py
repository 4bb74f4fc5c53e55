"""Runs stopped from outside: Ctrl-C, kill -9 of the parent, an unreachable Dask scheduler."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from dekomopt.cli import main

ROGALAND = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2025.toml"
CLI = [sys.executable, "-m", "dekomopt.cli"]


@pytest.fixture
def small_chunks(tmp_path) -> Path:
    """Rogaland 2025 with chunks of 200 draws (many chunks in a short run)."""
    text = ROGALAND.read_text(encoding="utf-8").replace("chunk_size = 1000", "chunk_size = 200")
    assert "chunk_size = 200" in text
    path = tmp_path / "rogaland-small-chunks.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        CLI + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )


def _wait_for_chunks(proc: subprocess.Popen, out: Path, n: int) -> None:
    deadline = time.monotonic() + 120
    while len(list((out / "chunks").glob("*.draws.arrow"))) < n:
        assert proc.poll() is None, "the run ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _temporary_files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.tmp"))


def _lines(text: str) -> list[str]:
    """Lines of stderr other than the progress bar's."""
    return [line for line in text.replace("\r", "\n").splitlines() if line and "draw/s" not in line]


def test_ctrl_c_says_how_to_resume_and_the_run_resumes(small_chunks, tmp_path):
    out = tmp_path / "run"
    args = ["simulate", str(small_chunks), "--draws", "6000", "--seed", "3", "--workers", "2"]
    proc = _start([*args, "--lang", "en", "--out", str(out)])
    _wait_for_chunks(proc, out, 3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "Traceback" not in stderr + stdout
    lines = _lines(stderr)
    assert len(lines) == 1, lines
    saved = len(list((out / "chunks").glob("*.draws.arrow")))
    assert lines[0].startswith(f"interrupted: {saved} of 30 chunks saved in {out}")
    command = lines[0].split("continue with: ")[1]
    assert command.startswith("dekomopt simulate") and "--resume" in command
    assert "--lang en" in command  # the figures of the resumed run speak the run's language
    assert _temporary_files(out) == []
    # What a killed run (kill -9, a power cut) would leave: the resumed run removes it.
    stale = [out / "draws.parquet.1.tmp", out / "chunks" / "chunk-00029.draws.arrow.1.tmp"]
    for path in stale:
        path.write_bytes(b"partial")
    assert main(shlex.split(command)[1:]) == 0
    assert _temporary_files(out) == []
    reference = tmp_path / "reference"
    assert main([*args[:-2], "--out", str(reference)]) == 0
    for name in ("draws.parquet", "summary.csv"):
        assert (out / name).read_bytes() == (reference / name).read_bytes()
    assert len(pd.read_parquet(out / "draws.parquet")) == 6000


def _children(pid: int) -> set[int]:
    """Every living descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_kill_9_of_the_parent_leaves_no_process_behind(small_chunks, tmp_path):
    out = tmp_path / "run"
    proc = _start(
        ["simulate", str(small_chunks), "--draws", "20000", "--workers", "2"] + ["--out", str(out)]
    )
    _wait_for_chunks(proc, out, 3)
    run = _children(proc.pid)
    assert len(run) >= 2, "the pool's processes should be running"  # fork server, worker, …
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    time.sleep(5)
    left = {pid for pid in run if _alive(pid)}
    assert not left, f"still running 5 s after kill -9: {sorted(left)}"


def test_unreachable_scheduler_fails_within_the_timeout_in_one_line(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    started = time.monotonic()
    proc = _start(
        ["simulate", str(ROGALAND), "--draws", "10", "--scheduler", address]
        + ["--connect-timeout", "2", "--out", str(tmp_path / "run")]
    )
    stdout, stderr = proc.communicate(timeout=60)
    elapsed = time.monotonic() - started
    assert proc.returncode == 2
    assert "Traceback" not in stdout + stderr
    lines = _lines(stderr)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: cannot reach the Dask scheduler at {address} within 2 s")
    # 2 s of waiting, plus starting Python and importing Dask on a loaded machine
    assert elapsed < 2 + 15
