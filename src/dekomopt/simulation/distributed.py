"""Chunks on an existing Dask distributed cluster.

Each task runs a whole chunk (hundreds of draws, so Dask's ~2 ms per task does not matter).
The run's :class:`~dekomopt.simulation.engine.Job` (the scenario as it is in memory and its
allocation problem) is sent to every worker once; a worker builds the engine once and keeps
it, keyed by the scenario's content hash. Workers need no access to the scenario's files.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dekomopt.errors import DekomoptError
from dekomopt.simulation.chunkfiles import ChunkFiles
from dekomopt.simulation.engine import ChunkSpec, Job, run_chunk


def _reachable(address: str, timeout: float) -> None:
    """Raise OSError or ValueError unless a TCP scheduler address answers within ``timeout``
    s (other transports are left to the client)."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme in ("tcp", "tls"):
        host, port = parse_host_port(location)
        with socket.create_connection((host, port), timeout=timeout):
            pass


def connect(address: str, timeout: float):
    """A client of the scheduler at ``address``, or a one-line error within ``timeout`` s.

    The address is tried first, so that an unreachable one leaves no half-made client
    behind (whose clean-up would print its own traceback at exit)."""
    import logging

    from dask.distributed import Client

    # A failed connection is reported once, by the error below, not also by the log.
    quiet = [logging.getLogger(name) for name in ("distributed.comm", "distributed.client")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    reason = None
    try:
        _reachable(address, timeout)
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - whatever answers there is not a scheduler
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if not isinstance(exc, OSError | TimeoutError | ValueError):
            reason = f"not a Dask scheduler: {type(exc).__name__}"
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
    _collect_quietly()
    raise DekomoptError(
        f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({reason})"
    )


def _collect_quietly() -> None:
    """Collect a client that failed half-way now, without its clean-up's complaints."""
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def run_on_dask(
    client, job: Job, specs: Sequence[ChunkSpec], window: int | None = None
) -> Iterator[ChunkFiles]:
    """Chunk results as they finish on the cluster of ``client`` (from :func:`connect`).

    At most ``window`` chunks are queued at a time (default: twice the cluster's threads) so
    a stopped run wastes little work; closing the iterator cancels what is still queued.
    """
    from dask.distributed import as_completed

    if window is None:
        window = max(2, 2 * sum(client.nthreads().values()))
    shared = client.scatter(job, broadcast=True)
    pending = iter(specs)
    futures = [
        client.submit(run_chunk, shared, spec, pure=False)
        for _, spec in zip(range(window), pending, strict=False)
    ]
    queue = as_completed(futures, loop=client.loop)
    try:
        for future in queue:
            result = future.result()
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(client.submit(run_chunk, shared, nxt, pure=False))
            yield result
    finally:
        left = [f for f in queue.futures if not f.done()]
        if left:
            client.cancel(left)
