"""Local worker processes: this process and a pool share one queue of chunks.

The pool's processes start from a fork server that has imported the chunk engine, while
this process builds its own engine and runs the first chunks; each process saves the chunks
it runs and sends back only their index.

Pool processes leave Ctrl-C to this process (which stops the run and says how to resume it),
and end when this process ends, however it ends: the kernel kills them when the fork server
that started them dies (``PR_SET_PDEATHSIG`` on Linux), and each watches this process and
exits within :data:`WATCH_SECONDS` once it is gone (``kill -9`` included); the fork server
then sees its last client go and exits too.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from dekomopt.simulation.chunkfiles import Saved
from dekomopt.simulation.engine import ChunkEngine, ChunkSpec, Job, run_and_save_chunk

WATCH_SECONDS = 0.5
"""How often a pool process checks that the process that started the run is still alive."""


class LocalPool:
    """``processes`` worker processes for chunks, started in the background as soon as this
    is made (each a fresh interpreter importing the engine: about half a second), then fed
    chunks from the queue that :meth:`give` fills and this process also takes from."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.todo: deque[ChunkSpec] = deque()
        self.lock = threading.Lock()
        self.job: tuple[Job, str] | None = None
        self.given = threading.Event()
        self.finished: queue.SimpleQueue = queue.SimpleQueue()
        self.ended = False
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()

    def give(self, job: Job, out: Path, specs: Sequence[ChunkSpec]) -> None:
        """The chunks to run, the job the processes build engines on, and the run folder they
        save chunks into."""
        with self.lock:
            self.job = (job, str(out))
            self.todo.extend(specs)
        self.given.set()

    def take(self) -> ChunkSpec | None:
        """The next chunk to run, for this process or the pool."""
        with self.lock:
            return self.todo.popleft() if self.todo else None

    def collect(self, block: bool) -> Iterator[Saved]:
        """The pool's finished chunks: those already there, or all until the pool ends."""
        while not self.ended and (block or not self.finished.empty()):
            item = self.finished.get()
            if isinstance(item, BaseException):
                raise item
            self.ended = item is None
            if not self.ended:
                yield item.result(), None

    def stop(self) -> None:
        """Run no more chunks (those running finish)."""
        with self.lock:
            self.todo.clear()
        self.given.set()

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop, and wait for the processes to end."""
        self.stop()
        self.thread.join()

    def _limit(self) -> int:
        """How many chunks the pool holds at once: two per process while more than that are
        left (the next waits in the process's queue, so it never idles for a round trip
        through this process), then one."""
        with self.lock:
            left = len(self.todo)
        return self.processes * (2 if left > 2 * self.processes else 1)

    def _submit(self, pool: ProcessPoolExecutor, spec: ChunkSpec) -> Future:
        assert self.job is not None
        job, out = self.job
        return pool.submit(run_and_save_chunk, job, spec, out)

    def _feed(self) -> None:
        """Start the processes, then keep them busy (:meth:`_limit`), putting each finished
        future into ``finished``, then None (or the pool's failure)."""
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["dekomopt.simulation.engine"])
        try:
            with ProcessPoolExecutor(
                self.processes,
                mp_context=context,
                initializer=_worker_started,
                initargs=(os.getpid(),),
            ) as pool:
                for future in [pool.submit(_started) for _ in range(self.processes)]:
                    future.result()
                self.given.wait()
                running: set[Future] = set()
                while True:
                    while len(running) < self._limit() and (spec := self.take()) is not None:
                        running.add(self._submit(pool, spec))
                    if not running:
                        break
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        self.finished.put(future)
        except BaseException as exc:  # handed to the consuming thread, which raises it
            self.finished.put(exc)
        else:
            self.finished.put(None)


def _started() -> None:
    """A task that returns once a pool process has started."""


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (a killed process not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _watch(pid: int) -> None:
    while _alive(pid):
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _worker_started(run_pid: int) -> None:
    """Initializer of a pool process: ignore Ctrl-C, and end with the run's process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # the watch below still ends the process
    threading.Thread(target=_watch, args=(run_pid,), daemon=True).start()


_PR_SET_PDEATHSIG = 1
"""prctl option (linux/prctl.h): the signal this process gets when its parent dies."""


def run_local(
    out: Path,
    job: Job,
    specs: Sequence[ChunkSpec],
    engine: ChunkEngine,
    pool: LocalPool | None,
) -> Iterator[Saved]:
    """Chunks run and saved in this process and, if given, the ``pool``; this process takes
    the next chunk from the queue it shares with the pool, so it runs them all while the pool
    starts."""

    def here(spec: ChunkSpec) -> Saved:
        result = engine.run(spec)
        result.save(out)
        return spec.index, (result.draws, result.owners)

    if pool is None:
        yield from map(here, specs)
        return
    pool.give(job, out, specs)
    try:
        while (spec := pool.take()) is not None:
            yield here(spec)
            yield from pool.collect(block=False)
        yield from pool.collect(block=True)
    finally:
        pool.stop()
