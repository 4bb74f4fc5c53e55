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
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from dekomopt.errors import DataError
from dekomopt.scenario import Scenario
from dekomopt.simulation.engine import (
    OWNER_METRICS,
    ChunkEngine,
    ChunkResult,
    ChunkSpec,
    engine_for,
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


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic Parquet (no index, no timestamps), atomically via a temporary name."""
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp, compression="zstd")
    os.replace(tmp, path)


def _write_text(text: str, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _chunk_paths(out: Path, index: int) -> tuple[Path, Path]:
    base = out / "chunks" / f"chunk-{index:05d}"
    return Path(f"{base}.draws.parquet"), Path(f"{base}.owners.parquet")


def _save_chunk(out: Path, result: ChunkResult) -> None:
    draws_path, owners_path = _chunk_paths(out, result.index)
    write_parquet(result.owners, owners_path)
    write_parquet(result.draws, draws_path)


def _finished(out: Path, specs: Sequence[ChunkSpec]) -> set[int]:
    return {s.index for s in specs if all(p.exists() for p in _chunk_paths(out, s.index))}


def _read_chunks(out: Path, indices: Sequence[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    draws = [pd.read_parquet(_chunk_paths(out, i)[0]) for i in indices]
    owners = [pd.read_parquet(_chunk_paths(out, i)[1]) for i in indices]
    draws_frame = pd.concat(draws, ignore_index=True).sort_values("draw", kind="stable")
    owners_frame = pd.concat(owners, ignore_index=True).sort_values("draw", kind="stable")
    return draws_frame.reset_index(drop=True), owners_frame.reset_index(drop=True)


def _local(
    path: str, sha256: str, specs: Sequence[ChunkSpec], workers: int, engine: ChunkEngine
) -> Iterator[ChunkResult]:
    """In this process (one worker), or on a pool of ``workers`` local processes."""
    if workers <= 1:
        for spec in specs:
            yield engine.run(spec)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["dekomopt.simulation.engine"])
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=engine_for, initargs=(path, sha256)
    ) as pool:
        pending = iter(specs)
        running = {
            pool.submit(run_chunk, path, sha256, spec)
            for _, spec in zip(range(2 * workers), pending, strict=False)
        }
        try:
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: f.result().index):
                    nxt = next(pending, None)
                    if nxt is not None:
                        running.add(pool.submit(run_chunk, path, sha256, nxt))
                    yield future.result()
        finally:
            for future in running:
                future.cancel()


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
    local processes (1 = this process). ``resume`` keeps finished chunks of an interrupted
    run in ``out`` and ends with the same files as an uninterrupted run.
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
    frames: dict[int, pd.DataFrame] = {}
    prefix, stopped_at = _advance(out, specs, finished, -1, frames, stop_metrics, target_se)
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
            for result in results:
                _save_chunk(out, result)
                finished.add(result.index)
                frames[result.index] = result.draws
                bar.update(len(result.draws))
                prefix, stopped_at = _advance(
                    out, specs, finished, prefix, frames, stop_metrics, target_se
                )
                if stopped_at is not None:
                    break
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
    bar.close()
    used = range(len(specs)) if stopped_at is None else range(stopped_at + 1)
    draws_frame, owners_frame = _read_chunks(out, list(used))
    write_parquet(draws_frame, out / "draws.parquet")
    write_parquet(owners_frame, out / "owners.parquet")
    summary = summarise(draws_frame, owners_frame, engine.units, OWNER_METRICS)
    _write_text(summary.to_csv(index=False, float_format="%.10g"), out / "summary.csv")
    provenance.update(
        draws_done=len(draws_frame),
        chunks_used=len(used),
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
) -> Iterator[ChunkResult]:
    from dekomopt.simulation.distributed import run_on_dask

    return run_on_dask(address, path, sha256, specs)


def _advance(
    out: Path,
    specs: Sequence[ChunkSpec],
    finished: set[int],
    prefix: int,
    frames: dict[int, pd.DataFrame],
    stop_metrics: tuple[str, ...],
    target_se: float | None,
) -> tuple[int, int | None]:
    """Extend the finished prefix 0..prefix chunk by chunk, checking the stop rule at each.

    Returns the new prefix and the chunk the run stops at (None: go on). ``frames`` caches
    chunks' draws tables (read from disk for chunks of an earlier run).
    """
    while prefix + 1 < len(specs) and prefix + 1 in finished:
        prefix += 1
        if target_se is None:
            continue
        if prefix not in frames:
            frames[prefix] = pd.read_parquet(_chunk_paths(out, prefix)[0])
        draws_frame = pd.concat([frames[i] for i in range(prefix + 1)], ignore_index=True)
        if converged(draws_frame, stop_metrics, target_se):
            return prefix, prefix
    return prefix, None
