"""A command's output folder holds one run's files, never a mix of two runs.

``structures`` and ``sensitivity`` write their files into a staging folder inside the output
folder (:func:`staged`) and move them in only when the run has finished, after removing every
file an earlier run of the command wrote there; a run stopped before that leaves the folder
as it was. ``simulate`` keeps its finished chunks for ``--resume`` instead: it removes the
previous run's results before it starts and marks its ``provenance.json`` "incomplete" until
the end (:mod:`dekomopt.simulation.runner`).

SIGTERM (``kill``, a batch system's stop) stops every run as Ctrl-C does
(:func:`stop_on_sigterm`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

STAGING_PREFIX = ".incomplete-"
"""The name (before the process id) of the folder a run writes its files into until it ends."""
PROVENANCE = "provenance.json"


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block SIGTERM raises :class:`KeyboardInterrupt`, as Ctrl-C does, so a run
    stopped either way cleans up alike (in the main thread; elsewhere SIGTERM is left as is)."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def remove_outputs(folder: Path, names: Iterable[str]) -> None:
    """Remove the files or folders ``names`` from ``folder`` where they exist."""
    for name in names:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def staged(folder: str | Path, outputs: Sequence[str]) -> Iterator[Path]:
    """A fresh folder inside ``folder`` to write a run's files into.

    When the block ends, every name in ``outputs`` (the files and folders the command can
    write) is removed from ``folder``, ``provenance.json`` first, and the staged files are
    moved in, ``provenance.json`` last: the folder then holds this run's files only. When the
    block is left by an exception (Ctrl-C, SIGTERM, a failure) the staged files are removed
    and ``folder`` is left as it was (removed again if this made it). A staging folder left
    by a killed run is removed first.
    """
    folder = Path(folder)
    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    stage = folder / f"{STAGING_PREFIX}{os.getpid()}"
    stage.mkdir()
    try:
        yield stage
        unknown = sorted(p.name for p in stage.iterdir() if p.name not in outputs)
        if unknown:
            raise ValueError(f"{', '.join(unknown)} not among the outputs {', '.join(outputs)}")
        remove_outputs(folder, [PROVENANCE, *outputs])
        entries = sorted(stage.iterdir(), key=lambda p: p.name == PROVENANCE)
        for entry in entries:
            os.replace(entry, folder / entry.name)
        stage.rmdir()
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if made and not any(folder.iterdir()):
            folder.rmdir()
        raise


RECORDS = {"sensitivity": "sensitivity.json"}
"""The file that describes a command's finished run, where it is not ``provenance.json``."""


def interrupted_line(command: str, folder: str | Path, lang: str) -> str:
    """The line ``dekomopt command`` prints when stopped before its files were moved in, in
    ``lang`` (nb, nn or en): what ``folder`` holds (an earlier run's files as they were, named
    by the file that describes them, or nothing)."""
    from dekomopt.report.catalogue import text

    folder = Path(folder)
    record = RECORDS.get(command, PROVENANCE)
    if (folder / record).exists():
        return text("cli_interrupted_kept", lang, command=command, folder=folder, record=record)
    return text("cli_interrupted_nothing", lang, command=command, folder=folder)
