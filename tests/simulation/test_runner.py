"""Runs: identical across worker counts, resumable after a kill, stop rule, provenance."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from dekomopt.errors import DataError
from dekomopt.simulation import ChunkEngine, chunk_specs, localpool, simulate
from dekomopt.simulation.chunkfiles import chunk_paths, ipc_bytes
from dekomopt.simulation.engine import Job

DATA_FILES = ("draws.parquet", "owners.parquet", "summary.csv")


def assert_same_files(a: Path, b: Path) -> None:
    for name in DATA_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for name in ("draws.parquet", "owners.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(a / name), pd.read_parquet(b / name))


@pytest.fixture(scope="module")
def one_worker(rogaland, tmp_path_factory):
    out = tmp_path_factory.mktemp("one")
    return simulate(rogaland, out, draws=120, chunk_size=20, seed=9, progress=False)


def test_outputs(one_worker):
    r = one_worker
    assert list(r.draws["draw"]) == list(range(120))
    assert (
        r.draws["allocated_nok"][r.draws["status"] == "optimal"]
        == r.draws["budget_nok"][r.draws["status"] == "optimal"]
    ).all()
    assert len(r.owners) == 24 * (r.draws["status"] == "optimal").sum()
    for name in (
        *DATA_FILES,
        "provenance.json",
        "funding_per_fte.png",
        "theil_split.png",
        "power.png",
    ):
        assert (r.out / name).stat().st_size > 0
    prov = json.loads((r.out / "provenance.json").read_text())
    for key in (
        "scenario_sha256",
        "scenario_content_sha256",
        "seed",
        "draws",
        "chunk_size",
        "workers",
        "solver",
        "package_version",
        "python",
        "libraries",
        "data_versions",
        "created",
        "outcome",
    ):
        assert key in prov
    assert prov["seed"] == 9 and prov["outcome"]["draws_done"] == 120
    assert prov["outcome"]["optimal"] + prov["outcome"]["infeasible"] == 120
    assert prov["outcome"]["finished"] >= prov["created"]
    summary = r.summary.set_index(["metric", "owner"])
    assert summary.loc[("gini_net", ""), "n"] == (r.draws["status"] == "optimal").sum()
    assert summary.loc[("power", "1103"), "mean"] > 0.3


def test_two_workers_give_identical_files(rogaland, one_worker, tmp_path):
    simulate(
        rogaland,
        tmp_path,
        draws=120,
        chunk_size=20,
        seed=9,
        workers=2,
        progress=False,
        figures=False,
    )
    assert_same_files(one_worker.out, tmp_path)


def test_pool_and_this_process_share_the_chunks(rogaland, monkeypatch, tmp_path):
    """With two workers, chunks run and saved here and in a pool process give the same
    tables and files."""
    engine = ChunkEngine(rogaland)
    specs = chunk_specs(5, 60, 10)
    expected = {s.index: engine.run(s).files() for s in specs}
    submitted = threading.Event()
    pool_wait = localpool.wait

    def wait(*args, **kwargs):  # called once the pool has a chunk
        submitted.set()
        return pool_wait(*args, **kwargs)

    monkeypatch.setattr(localpool, "wait", wait)
    here = []

    class Waiting:
        """This process's engine, which lets the pool start before it runs a chunk."""

        problem = engine.problem

        def run(self, spec):
            assert submitted.wait(120)
            here.append(spec.index)
            return engine.run(spec)

    (tmp_path / "chunks").mkdir()
    job = Job(rogaland, engine.problem)
    with localpool.LocalPool(1) as pool:
        chunks = list(localpool.run_local(tmp_path, job, specs, Waiting(), pool))
    assert sorted(index for index, _ in chunks) == list(range(6))
    assert 1 <= len(here) < 6
    for index, tables in chunks:
        files = expected[index]
        if tables is not None:
            assert [ipc_bytes(t) for t in tables] == [files.draws, files.owners]
        saved = chunk_paths(tmp_path, index)
        assert [p.read_bytes() for p in saved] == [files.draws, files.owners]


def test_resume_after_lost_chunks_gives_identical_files(rogaland, one_worker, tmp_path):
    simulate(rogaland, tmp_path, draws=120, chunk_size=20, seed=9, progress=False, figures=False)
    for i in (1, 4):
        (tmp_path / "chunks" / f"chunk-{i:05d}.draws.arrow").unlink()
    (tmp_path / "draws.parquet").unlink()
    simulate(
        rogaland,
        tmp_path,
        draws=120,
        chunk_size=20,
        seed=9,
        resume=True,
        progress=False,
        figures=False,
    )
    assert_same_files(one_worker.out, tmp_path)


def test_resume_into_another_run_names_the_mismatch(rogaland, one_worker, tmp_path):
    simulate(rogaland, tmp_path, draws=40, chunk_size=20, seed=9, progress=False, figures=False)
    with pytest.raises(DataError, match=r"provenance\.json: seed") as info:
        simulate(rogaland, tmp_path, draws=40, chunk_size=20, seed=10, resume=True, progress=False)
    assert info.value.field == "seed"
    with pytest.raises(DataError, match="nothing to resume"):
        simulate(rogaland, tmp_path / "empty", draws=40, resume=True, progress=False)


@pytest.mark.parametrize("workers", [1, 2])
def test_killed_run_resumes_to_identical_files(rogaland, tmp_path, workers):
    """Killed with SIGKILL two thirds of the way through (with two workers, once the pool
    process runs chunks too, which may still save one after the kill), the run resumes to
    the files of an uninterrupted run."""
    size = {"draws": 6000, "chunk_size": 200, "seed": 4}
    reference = tmp_path / "reference"
    simulate(rogaland, reference, **size, progress=False, figures=False)
    out = tmp_path / "killed"
    code = (
        "import sys\n"
        "from dekomopt.scenario import load_scenario\n"
        "from dekomopt.simulation import simulate\n"
        f"simulate(load_scenario(sys.argv[1]), sys.argv[2], **{size},"
        " workers=int(sys.argv[3]), progress=False, figures=False)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(rogaland.path), str(out), str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(list((out / "chunks").glob("*.draws.arrow"))) < 20:
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list((out / "chunks").glob("*.draws.arrow")))
    assert 20 <= done < 30 and not (out / "draws.parquet").exists()
    simulate(rogaland, out, **size, resume=True, progress=False, figures=False)
    assert_same_files(reference, out)


def test_target_se_stops_at_the_same_chunk_for_any_worker_count(rogaland, tmp_path):
    runs = [
        simulate(
            rogaland,
            tmp_path / f"w{w}",
            draws=400,
            chunk_size=20,
            seed=2,
            workers=w,
            target_se=0.01,
            progress=False,
            figures=False,
        )
        for w in (1, 2)
    ]
    outcome = runs[0].provenance.outcome
    assert outcome is not None and outcome.stopped_early
    assert 20 <= outcome.draws_done < 400
    assert_same_files(tmp_path / "w1", tmp_path / "w2")
