"""Local worker processes: this process and a pool share one queue of chunks.

The pool's processes start from a fork server that has imported the chunk engine, while
this process builds its own engine and runs the first chunks; each process saves the chunks
it runs and sends back only their index.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.simulation.chunkfiles import Saved
from dekomopt.simulation.engine import ChunkEngine, ChunkSpec, run_and_save_chunk


class LocalPool:
    """``processes`` worker processes for chunks, started in the background as soon as this
    is made (each a fresh interpreter importing the engine: about half a second), then fed
    chunks from the queue that :meth:`give` fills and this process also takes from."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.todo: deque[ChunkSpec] = deque()
        self.lock = threading.Lock()
        self.job: tuple[str, str, AllocationProblem, str] | None = None
        self.given = threading.Event()
        self.finished: queue.SimpleQueue = queue.SimpleQueue()
        self.ended = False
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()

    def give(
        self,
        path: str,
        sha256: str,
        problem: AllocationProblem,
        out: Path,
        specs: Sequence[ChunkSpec],
    ) -> None:
        """The chunks to run, the scenario and problem the processes build engines on, and
        the run folder they save chunks into."""
        with self.lock:
            self.job = (path, sha256, problem, str(out))
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
        path, sha256, problem, out = self.job
        return pool.submit(run_and_save_chunk, path, sha256, spec, problem, out)

    def _feed(self) -> None:
        """Start the processes, then keep them busy (:meth:`_limit`), putting each finished
        future into ``finished``, then None (or the pool's failure)."""
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["dekomopt.simulation.engine"])
        try:
            with ProcessPoolExecutor(self.processes, mp_context=context) as pool:
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


def run_local(
    out: Path,
    path: str,
    sha256: str,
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
    pool.give(path, sha256, engine.problem, out, specs)
    try:
        while (spec := pool.take()) is not None:
            yield here(spec)
            yield from pool.collect(block=False)
        yield from pool.collect(block=True)
    finally:
        pool.stop()
