"""The Monte Carlo run: chunks, seeds, workers, resume and the output folder.

One seed makes the whole run: chunk ``i`` draws from ``SeedSequence(seed).spawn(n)[i]``, and
the solver starts cold in every chunk, so a chunk's rows depend only on (scenario, seed, i) —
one process, a process pool and a Dask cluster give byte-identical files.

Output folder::

    chunks/chunk-00012.owners.arrow, chunks/chunk-00012.draws.arrow
                        one chunk each (see :mod:`.chunkfiles`), written by the process
                        that ran it (by this one for Dask)
    draws.parquet       one row per draw: status, reason of a failure, every scalar metric
    owners.parquet      one row per solved draw × owner: its own whole-krone amount_nok,
                        funding_exact (kroner: amount_nok plus its exact FTE share of
                        its region's partner kroner, not rounded), funding and net per
                        FTE, power (need_match with needs)
                        (both joined from the chunks in order while the run goes on, under
                        a temporary name until the end; a stopped run removes its temporary
                        files, and a run started in the folder removes any a killed run
                        left)
    summary.csv         statistics per metric (see :mod:`.stats`)
    *.png               figures with something to show (:mod:`.figures`), words in the
                        run's language (``figure_language`` in provenance.json)
    provenance.json     scenario, seed, sizes, workers, solver, versions, times; written
                        "incomplete" as the run starts and "complete" after every file
                        above (:attr:`.Provenance.status`)

A run removes the previous run's draws, owners, summary and figures as it starts (and, unless
resuming, its chunks and provenance), so the folder never holds files of two runs: a stopped
run leaves its chunks and its "incomplete" provenance only.

With ``target_se`` the run stops after the first chunk prefix 0..k whose draws give every
scalar metric of a unit with a target a standard error below that unit's target
(:func:`.stats.stop_check`; a number is the unitless metrics' target); chunks beyond k that
already ran are not used, so the stop point does not depend on timing. The check over the
draws used, reached or not, is recorded in ``provenance.json`` (``outcome.stop_rule``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from dekomopt.errors import DataError, DekomoptError, ScenarioError
from dekomopt.metrics import UNITLESS
from dekomopt.report.catalogue import check_language
from dekomopt.runfolder import remove_outputs
from dekomopt.scenario import Scenario
from dekomopt.simulation.chunkfiles import (
    Saved,
    chunk_paths,
    parquet_options,
    read_chunk,
    temporary,
    write_atomic,
)
from dekomopt.simulation.draws import uncertain_inputs
from dekomopt.simulation.engine import OWNER_METRICS, ChunkSpec, Job, engine_for
from dekomopt.simulation.figures import FIGURES
from dekomopt.simulation.localpool import LocalPool, run_local
from dekomopt.simulation.provenance import CHECKED_FIELDS, Outcome, Provenance
from dekomopt.simulation.stats import StopCheck, stop_check, summarise


@dataclass(frozen=True)
class SimulationResult:
    """Where the results are, and the tables themselves (``owners`` as a frame made when
    first asked for: it has a row per draw × owner)."""

    out: Path
    draws: pd.DataFrame
    owners_table: pa.Table
    summary: pd.DataFrame
    provenance: Provenance
    figures: tuple[Path, ...] = ()
    """The figures written (:func:`~.figures.write_figures` says which it leaves out)."""

    @cached_property
    def owners(self) -> pd.DataFrame:
        """One row per solved draw × owner."""
        return self.owners_table.to_pandas()


def _targets(target_se: float | Mapping[str, float]) -> dict[str, float]:
    """The stop rule's target per unit: a number is the unitless metrics' target."""
    if isinstance(target_se, Mapping):
        return dict(target_se)
    return {UNITLESS: float(target_se)}


def chunk_specs(seed: int, draws: int, chunk_size: int) -> list[ChunkSpec]:
    """The run's chunks, each with its own spawned seed sequence."""
    n = -(-draws // chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(n)
    return [
        ChunkSpec(i, i * chunk_size, min(chunk_size, draws - i * chunk_size), seeds[i])
        for i in range(n)
    ]


def _write_text(text: str, path: Path) -> None:
    write_atomic(text.encode("utf-8"), path)


def _finished(out: Path, specs: Sequence[ChunkSpec]) -> set[int]:
    return {s.index for s in specs if all(p.exists() for p in chunk_paths(out, s.index))}


class _Joined:
    """The final draws and owners tables, joined chunk by chunk in chunk (= draw) order as
    soon as a chunk and all before it are finished, and written out as they grow."""

    def __init__(
        self,
        out: Path,
        n_chunks: int,
        finished: set[int],
        units: dict[str, str],
        targets: dict[str, float],
    ) -> None:
        self.out = out
        self.n_chunks = n_chunks
        self.finished = set(finished)
        self.held: dict[int, tuple[pa.Table, pa.Table]] = {}
        self.units = units
        self.targets = targets
        self.paths = (out / "draws.parquet", out / "owners.parquet")
        self.tables: tuple[list[pa.Table], list[pa.Table]] = ([], [])
        self.writers: list[pq.ParquetWriter] = []

    def __enter__(self) -> _Joined:
        return self

    def __exit__(self, error: type[BaseException] | None, *rest: object) -> None:
        """Close the files; when the run stops before :meth:`finish` (Ctrl-C, a failure),
        remove them: the finished chunks hold everything a resumed run needs."""
        for writer in self.writers:
            writer.close()
        if error is not None:
            for path in self.paths:
                temporary(path).unlink(missing_ok=True)

    def advance(self, chunk: Saved | None = None) -> int | None:
        """Take a newly finished (and saved) chunk, then join the finished chunks next in
        order (read from their files unless at hand), checking the stop rule after each;
        returns the chunk the run stops at (None: go on)."""
        if chunk is not None:
            index, tables = chunk
            self.finished.add(index)
            if tables is not None:
                self.held[index] = tables
        while (i := len(self.tables[0])) < self.n_chunks and i in self.finished:
            tables = self.held.pop(i, None) or read_chunk(self.out, i)
            if not self.writers:
                self.writers = [
                    pq.ParquetWriter(temporary(path), t.schema, **parquet_options(t.schema))
                    for path, t in zip(self.paths, tables, strict=True)
                ]
            for writer, joined, table in zip(self.writers, self.tables, tables, strict=True):
                writer.write_table(table)
                joined.append(table)
            if self.targets and self.stop_check().reached:
                return i
        return None

    def stop_check(self) -> StopCheck:
        """The stop rule over the chunks joined so far."""
        draws = pa.concat_tables(self.tables[0]).to_pandas()
        return stop_check(draws, self.units, self.targets)

    def finish(self) -> tuple[pa.Table, pa.Table]:
        """Put the files in place; the joined tables."""
        for writer in self.writers:
            writer.close()
        for path in self.paths:
            os.replace(temporary(path), path)
        draws, owners = (pa.concat_tables(tables) for tables in self.tables)
        return draws, owners


_JOBS: dict[str, Job] = {}
"""This process's jobs by scenario content hash: a scenario run again reuses its problem."""


def _job(scenario: Scenario) -> Job:
    job = _JOBS.get(scenario.content_sha256)
    if job is None:
        job = _JOBS[scenario.content_sha256] = Job.of(scenario)
    return job


def _check_resume(out: Path, expected: Provenance) -> None:
    path = out / "provenance.json"
    if not path.exists():
        raise DataError(str(path), "", "nothing to resume: no provenance.json in the output folder")
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(str(path), "", f"cannot be read ({exc})") from None
    for name in CHECKED_FIELDS:
        if found.get(name) != getattr(expected, name):
            raise DataError(
                str(path),
                name,
                f"the folder holds a run with {name} = {found.get(name)!r}, "
                f"this run has {getattr(expected, name)!r}; use another folder",
            )
    return found


RESULTS = ("draws.parquet", "owners.parquet", "summary.csv", *FIGURES)
"""The files a finished run writes beside its chunks and ``provenance.json``."""


def _remove_leftovers(out: Path, resume: bool) -> None:
    """Remove what an earlier run in ``out`` left behind: its results (a resumed run writes
    them anew), the temporary files of a run that was killed (an interrupted run removes its
    own), and, unless resuming, its chunks and ``provenance.json``."""
    stale = [*out.glob("*.tmp"), *(out / "chunks").glob("*.tmp" if resume else "chunk-*")]
    for path in stale:
        path.unlink(missing_ok=True)
    remove_outputs(out, RESULTS if resume else (*RESULTS, "provenance.json"))


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
    target_se: float | Mapping[str, float] | None = None,
    progress: bool = True,
    figures: bool = True,
    connect_timeout: float = 10.0,
    lang: str | None = None,
) -> SimulationResult:
    """Run the Monte Carlo simulation of ``scenario`` into the folder ``out``.

    Defaults come from the scenario (``[uncertainty]`` draws, chunk_size, target_se;
    ``[scenario]`` seed). ``scheduler`` is a Dask scheduler address, reached within
    ``connect_timeout`` seconds; otherwise ``workers`` local processes: this one and
    ``workers − 1`` more. ``resume`` keeps finished chunks of an interrupted run in ``out`` and
    ends with the same files as an uninterrupted run. A run first removes an earlier run's
    results from ``out`` (and, unless resuming, its chunks and provenance). Stopped (Ctrl-C, a
    failure), the run leaves its finished chunks, its ``provenance.json`` marked
    "incomplete", and no results or temporary files. The scenario runs as it is in memory
    (a variant made by :meth:`~dekomopt.scenario.Scenario.with_changes` runs as changed); every
    process gets it, with its allocation problem, from this one. The figures' words are in
    ``lang`` (default: the register's written language of the scope, as the report's).

    Raises :class:`~dekomopt.errors.ScenarioError` when nothing in ``[uncertainty]`` varies.
    """
    unc = scenario.spec.uncertainty
    draws = unc.draws if draws is None else int(draws)
    seed = scenario.spec.scenario.seed if seed is None else int(seed)
    chunk_size = unc.chunk_size if chunk_size is None else int(chunk_size)
    targets = unc.se_targets() if target_se is None else _targets(target_se)
    if draws < 1 or chunk_size < 1 or workers < 1:
        raise ValueError("draws, chunk size and workers must be at least 1")
    if not uncertain_inputs(scenario):
        raise ScenarioError(
            str(scenario.path),
            "[uncertainty]",
            "nothing varies between draws: give [uncertainty] a noise, a budget change, "
            "a participation below 1 or needs_probability (see scenarios/README.md)",
        )
    if lang is None:
        from dekomopt.county import default_language

        lang = default_language(scenario)
    check_language(lang)
    out = Path(out)
    made = [p for p in (out, out / "chunks") if not p.exists()]
    (out / "chunks").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    provenance = Provenance.of(
        scenario,
        seed=seed,
        draws=draws,
        chunk_size=chunk_size,
        target_se=targets or None,
        workers=workers,
        scheduler=scheduler,
        resumed=resume,
        figure_language=lang,
    )
    specs = chunk_specs(seed, draws, chunk_size)
    if resume:
        _check_resume(out, provenance)
    finished = _finished(out, specs) if resume else set()
    todo = [s for s in specs if s.index not in finished]
    local = not scheduler and workers > 1 and len(todo) > 1
    # The pool starts first: its processes start while this one builds its engine.
    with contextlib.ExitStack() as stack:
        client = None
        if scheduler and todo:
            from dekomopt.simulation.distributed import connect

            try:
                client = stack.enter_context(connect(scheduler, connect_timeout))
            except DekomoptError:
                for folder in reversed(made):  # nothing was written: leave no empty folder
                    folder.rmdir()
                raise
        pool = stack.enter_context(LocalPool(workers - 1)) if local else None
        _remove_leftovers(out, resume)
        job = _job(scenario)
        provenance = replace(
            provenance, input_files=job.input_files, caveats=job.caveats, scope=job.scope
        )
        engine = engine_for(job)
        _write_text(provenance.to_json(), out / "provenance.json")
        with _Joined(out, len(specs), finished, engine.units, targets) as joined:
            stopped_at = joined.advance()
            with tqdm(
                total=draws,
                initial=sum(s.size for s in specs if s.index in finished),
                unit="draw",
                file=sys.stderr,
                disable=not progress,
                dynamic_ncols=True,
            ) as bar:
                if stopped_at is None and todo:
                    results = (
                        _dask_results(out, client, job, todo)
                        if client is not None
                        else run_local(out, job, todo, engine, pool)
                    )
                    try:
                        for chunk in results:
                            bar.update(specs[chunk[0]].size)
                            stopped_at = joined.advance(chunk)
                            if stopped_at is not None:
                                break
                    finally:
                        close = getattr(results, "close", None)
                        if close is not None:
                            close()
            draws_table, owners_table = joined.finish()
            checked = joined.stop_check() if targets else None
    draws_frame = draws_table.to_pandas()
    summary = summarise(draws_frame, owners_table, engine.units, OWNER_METRICS)
    _write_text(summary.to_csv(index=False, float_format="%.10g"), out / "summary.csv")
    infeasible = int((draws_frame["status"] == "infeasible").sum())
    provenance = provenance.finished(
        Outcome(
            draws_done=len(draws_frame),
            chunks_used=len(joined.tables[0]),
            stopped_early=stopped_at is not None and stopped_at < len(specs) - 1,
            optimal=len(draws_frame) - infeasible,
            infeasible=infeasible,
            infeasible_share=infeasible / len(draws_frame),
            max_infeasible_share=scenario.spec.uncertainty.max_infeasible_share,
            stop_rule=checked,
            finished=datetime.now(UTC).isoformat(timespec="seconds"),
            wall_seconds=round(time.perf_counter() - started, 3),
        )
    )
    _write_text(provenance.to_json(), out / "provenance.json")
    result = SimulationResult(out, draws_frame, owners_table, summary, provenance)
    if figures:
        from dekomopt.simulation.figures import write_figures

        paths = write_figures(
            out,
            result.draws,
            result.owners,
            summary,
            engine.problem,
            scenario.spec.metrics,
            lang,
        )
        result = replace(result, figures=tuple(paths))
    return result


def _dask_results(out: Path, client, job: Job, specs: Sequence[ChunkSpec]) -> Iterator[Saved]:
    """Chunks run on the Dask cluster of ``client``, saved here."""
    from dekomopt.simulation.distributed import run_on_dask

    for files in run_on_dask(client, job, specs):
        files.save(out)
        yield files.index, None
