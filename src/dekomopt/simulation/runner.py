"""The Monte Carlo run: chunks, seeds, workers, resume and the output folder.

One seed makes the whole run: chunk ``i`` draws from ``SeedSequence(seed).spawn(n)[i]``, and
the solver starts cold in every chunk, so a chunk's rows depend only on (scenario, seed, i) —
one process, a process pool and a Dask cluster give byte-identical files.

Output folder::

    chunks/chunk-00012.owners.parquet, chunks/chunk-00012.draws.parquet
                        one chunk each, written to a temporary name and renamed (the draws
                        file last, so its presence marks a finished chunk)
    draws.parquet       one row per draw: status, reason of a failure, every scalar metric
    owners.parquet      one row per solved draw × owner
                        (both joined from the chunks in order while the run goes on, under
                        a temporary name until the end)
    summary.csv         statistics per metric (see :mod:`.stats`)
    provenance.json     scenario, seed, sizes, workers, solver, versions, times
    *.png               figures (:mod:`.figures`)

With ``target_se`` the run stops after the first chunk prefix 0..k whose draws give every
unitless metric a standard error below it; chunks beyond k that already ran are not used,
so the stop point does not depend on timing.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.errors import DataError
from dekomopt.scenario import Scenario
from dekomopt.simulation.engine import (
    OWNER_METRICS,
    ChunkEngine,
    ChunkFiles,
    ChunkSpec,
    engine_for,
    parquet_options,
    run_chunk,
)
from dekomopt.simulation.scoring import UNITLESS
from dekomopt.simulation.stats import converged, summarise

CHECKED_FIELDS = ("scenario_sha256", "seed", "draws", "chunk_size", "dekomopt_version", "solver")
"""Provenance fields a resumed run must share with the run it continues."""


@dataclass(frozen=True)
class SimulationResult:
    """Where the results are, and the tables themselves."""

    out: Path
    draws: pd.DataFrame
    owners: pd.DataFrame
    summary: pd.DataFrame
    provenance: dict


def chunk_specs(seed: int, draws: int, chunk_size: int) -> list[ChunkSpec]:
    """The run's chunks, each with its own spawned seed sequence."""
    n = -(-draws // chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(n)
    return [
        ChunkSpec(i, i * chunk_size, min(chunk_size, draws - i * chunk_size), seeds[i])
        for i in range(n)
    ]


def _tmp(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _write_bytes(data: bytes, path: Path) -> None:
    """Atomically, via a temporary name."""
    _tmp(path).write_bytes(data)
    os.replace(_tmp(path), path)


def _write_text(text: str, path: Path) -> None:
    _write_bytes(text.encode("utf-8"), path)


def _chunk_paths(out: Path, index: int) -> tuple[Path, Path]:
    base = out / "chunks" / f"chunk-{index:05d}"
    return Path(f"{base}.draws.parquet"), Path(f"{base}.owners.parquet")


def _save_chunk(out: Path, files: ChunkFiles) -> None:
    draws_path, owners_path = _chunk_paths(out, files.index)
    _write_bytes(files.owners, owners_path)
    _write_bytes(files.draws, draws_path)


def _finished(out: Path, specs: Sequence[ChunkSpec]) -> set[int]:
    return {s.index for s in specs if all(p.exists() for p in _chunk_paths(out, s.index))}


class _Joined:
    """The final draws and owners tables, joined chunk by chunk in chunk (= draw) order as
    soon as a chunk and all before it are finished, and written out as they grow."""

    def __init__(
        self,
        out: Path,
        n_chunks: int,
        finished: set[int],
        stop_metrics: tuple[str, ...],
        target_se: float | None,
    ) -> None:
        self.out = out
        self.n_chunks = n_chunks
        self.finished = set(finished)
        self.held: dict[int, ChunkFiles] = {}
        self.stop_metrics = stop_metrics
        self.target_se = target_se
        self.paths = (out / "draws.parquet", out / "owners.parquet")
        self.tables: tuple[list[pa.Table], list[pa.Table]] = ([], [])
        self.writers: list[pq.ParquetWriter] = []

    def __enter__(self) -> _Joined:
        return self

    def __exit__(self, *exc: object) -> None:
        for writer in self.writers:
            writer.close()

    def advance(self, files: ChunkFiles | None = None) -> int | None:
        """Take a newly finished chunk, then join the finished chunks next in order (those of
        an earlier run from disk), checking the stop rule after each; returns the chunk the
        run stops at (None: go on)."""
        if files is not None:
            self.finished.add(files.index)
            self.held[files.index] = files
        while (i := len(self.tables[0])) < self.n_chunks and i in self.finished:
            files = self.held.pop(i, None)
            if files is None:
                tables = [pq.read_table(path) for path in _chunk_paths(self.out, i)]
            else:
                tables = [pq.read_table(pa.BufferReader(b)) for b in (files.draws, files.owners)]
            if not self.writers:
                self.writers = [
                    pq.ParquetWriter(_tmp(path), t.schema, **parquet_options(t.schema))
                    for path, t in zip(self.paths, tables, strict=True)
                ]
            for writer, joined, table in zip(self.writers, self.tables, tables, strict=True):
                writer.write_table(table)
                joined.append(table)
            if self.target_se is not None and converged(
                pa.concat_tables(self.tables[0]).to_pandas(), self.stop_metrics, self.target_se
            ):
                return i
        return None

    def finish(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Put the files in place; the tables as frames."""
        for writer in self.writers:
            writer.close()
        for path in self.paths:
            os.replace(_tmp(path), path)
        draws, owners = (pa.concat_tables(tables).to_pandas() for tables in self.tables)
        return draws, owners


def _local(
    path: str, sha256: str, specs: Sequence[ChunkSpec], workers: int, engine: ChunkEngine
) -> Iterator[ChunkFiles]:
    """Chunks run in this process and, with ``workers`` > 1, in ``workers − 1`` more.

    This process and the pool take the next chunk from one queue, the pool only once its
    processes have started (a fresh interpreter importing the engine: most of a second),
    so this process runs the chunks meanwhile.
    """
    todo = deque(specs)
    lock = threading.Lock()

    def take() -> ChunkSpec | None:
        with lock:
            return todo.popleft() if todo else None

    finished: queue.SimpleQueue = queue.SimpleQueue()
    end = workers <= 1

    def collect(block: bool) -> Iterator[ChunkFiles]:
        """The pool's finished chunks: those already there, or all until the pool ends."""
        nonlocal end
        while not end and (block or not finished.empty()):
            item = finished.get()
            if isinstance(item, BaseException):
                raise item
            end = item is None
            if not end:
                yield item.result()

    feeder = None
    if workers > 1:
        feeder = threading.Thread(
            target=_feed_pool, args=(path, sha256, engine.problem, workers - 1, take, finished)
        )
        feeder.start()
    try:
        while (spec := take()) is not None:
            yield engine.run(spec).files()
            yield from collect(block=False)
        yield from collect(block=True)
    finally:
        with lock:
            todo.clear()
        if feeder is not None:
            feeder.join()


def _started() -> None:
    """A task that returns once a pool process has started and built its engine."""


def _feed_pool(
    path: str,
    sha256: str,
    problem: AllocationProblem,
    processes: int,
    take: Callable[[], ChunkSpec | None],
    finished: queue.SimpleQueue,
) -> None:
    """Once the pool of ``processes`` has started, run chunks from ``take`` on it, one at a
    time per process, putting each finished future into ``finished``, then None (or the
    pool's failure). The processes build their engines on ``problem``, not on the county
    data again."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["dekomopt.simulation.engine"])
    try:
        with ProcessPoolExecutor(
            processes,
            mp_context=context,
            initializer=engine_for,
            initargs=(path, sha256, problem),
        ) as pool:
            for future in [pool.submit(_started) for _ in range(processes)]:
                future.result()
            running: set[Future] = set()
            while True:
                while len(running) < processes and (spec := take()) is not None:
                    running.add(pool.submit(run_chunk, path, sha256, spec))
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    finished.put(future)
    except BaseException as exc:  # handed to the consuming thread, which raises it
        finished.put(exc)
    else:
        finished.put(None)


def _provenance(
    scenario: Scenario, engine: ChunkEngine, seed: int, draws: int, chunk_size: int
) -> dict:
    from dekomopt import __version__
    from dekomopt.data import data_versions

    unc = scenario.spec.uncertainty
    return {
        "scenario": scenario.path.name,
        "scenario_path": str(scenario.path),
        "scenario_sha256": scenario.sha256,
        "scenario_name": scenario.spec.scenario.name,
        "seed": seed,
        "draws": draws,
        "chunk_size": chunk_size,
        "target_se": unc.target_se,
        "uncertainty": unc.model_dump(mode="json"),
        "metrics": scenario.spec.metrics.model_dump(mode="json"),
        "seeding": "numpy.random.SeedSequence(seed).spawn(n_chunks)[chunk]",
        "solver": engine.allocator._solver,
        "dekomopt_version": __version__,
        "data_versions": data_versions(),
        "power": "exact coalition enumeration for regions of <= 12 owners; "
        "rounded weights (1/1000 of the region total) above",
        "mc_standard_error": "sd / sqrt(n) (independent draws)",
    }


def _check_resume(out: Path, expected: dict) -> dict:
    path = out / "provenance.json"
    if not path.exists():
        raise DataError(path, "", "nothing to resume: no provenance.json in the output folder")
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(path, "", f"cannot be read ({exc})") from None
    for name in CHECKED_FIELDS:
        if found.get(name) != expected[name]:
            raise DataError(
                path,
                name,
                f"the folder holds a run with {name} = {found.get(name)!r}, "
                f"this run has {expected[name]!r}; use another folder",
            )
    return found


def simulate(
    scenario: Scenario,
    out: str | Path,
    *,
    draws: int | None = None,
    seed: int | None = None,
    chunk_size: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    target_se: float | None = None,
    progress: bool = True,
    figures: bool = True,
) -> SimulationResult:
    """Run the Monte Carlo simulation of ``scenario`` into the folder ``out``.

    Defaults come from the scenario (``[uncertainty]`` draws, chunk_size, target_se;
    ``[scenario]`` seed). ``scheduler`` is a Dask scheduler address; otherwise ``workers``
    local processes: this one and ``workers − 1`` more. ``resume`` keeps finished chunks of
    an interrupted run in ``out`` and ends with the same files as an uninterrupted run.
    """
    unc = scenario.spec.uncertainty
    draws = unc.draws if draws is None else int(draws)
    seed = scenario.spec.scenario.seed if seed is None else int(seed)
    chunk_size = unc.chunk_size if chunk_size is None else int(chunk_size)
    target_se = unc.target_se if target_se is None else target_se
    if draws < 1 or chunk_size < 1 or workers < 1:
        raise ValueError("draws, chunk size and workers must be at least 1")
    out = Path(out)
    (out / "chunks").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    engine = engine_for(str(scenario.path), scenario.sha256)
    provenance = _provenance(scenario, engine, seed, draws, chunk_size)
    specs = chunk_specs(seed, draws, chunk_size)
    if resume:
        _check_resume(out, provenance)
    else:
        for old in (out / "chunks").glob("chunk-*.parquet*"):
            old.unlink()
    provenance.update(
        workers=1 if scheduler else workers,
        scheduler=scheduler,
        started=datetime.now(UTC).isoformat(timespec="seconds"),
        resumed=resume,
    )
    _write_text(
        json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", out / "provenance.json"
    )

    finished = _finished(out, specs)
    stop_metrics = tuple(n for n, u in engine.units.items() if u == UNITLESS)
    todo = [s for s in specs if s.index not in finished]
    with _Joined(out, len(specs), finished, stop_metrics, target_se) as joined:
        stopped_at = joined.advance()
        bar = tqdm(
            total=draws,
            initial=sum(s.size for s in specs if s.index in finished),
            unit="draw",
            file=sys.stderr,
            disable=not progress,
            dynamic_ncols=True,
        )
        if stopped_at is None and todo:
            path = str(scenario.path)
            results = (
                _dask_results(scheduler, path, scenario.sha256, todo)
                if scheduler
                else _local(path, scenario.sha256, todo, workers, engine)
            )
            try:
                for files in results:
                    _save_chunk(out, files)
                    bar.update(specs[files.index].size)
                    stopped_at = joined.advance(files)
                    if stopped_at is not None:
                        break
            finally:
                close = getattr(results, "close", None)
                if close is not None:
                    close()
        bar.close()
        draws_frame, owners_frame = joined.finish()
    summary = summarise(draws_frame, owners_frame, engine.units, OWNER_METRICS)
    _write_text(summary.to_csv(index=False, float_format="%.10g"), out / "summary.csv")
    provenance.update(
        draws_done=len(draws_frame),
        chunks_used=len(joined.tables[0]),
        stopped_early=stopped_at is not None and stopped_at < len(specs) - 1,
        status_counts={k: int(v) for k, v in draws_frame["status"].value_counts().items()},
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        wall_seconds=round(time.perf_counter() - started, 3),
    )
    _write_text(
        json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", out / "provenance.json"
    )
    if figures:
        from dekomopt.simulation.figures import write_figures

        write_figures(out, draws_frame, owners_frame, summary, engine.problem)
    return SimulationResult(out, draws_frame, owners_frame, summary, provenance)


def _dask_results(
    address: str, path: str, sha256: str, specs: Sequence[ChunkSpec]
) -> Iterator[ChunkFiles]:
    from dekomopt.simulation.distributed import run_on_dask

    return run_on_dask(address, path, sha256, specs)
