"""Chunks on an existing Dask distributed cluster.

Each task runs a whole chunk (hundreds of draws, so Dask's ~2 ms per task does not matter).
A worker process builds a scenario's allocator once and keeps it, keyed by the scenario's
sha256 (:func:`~dekomopt.simulation.engine.engine_for`); workers must see the scenario file
at the same path as the client.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dekomopt.simulation.chunkfiles import ChunkFiles
from dekomopt.simulation.engine import ChunkSpec, run_chunk


def run_on_dask(
    address: str, path: str, sha256: str, specs: Sequence[ChunkSpec], window: int | None = None
) -> Iterator[ChunkFiles]:
    """Chunk results as they finish on the cluster at ``address``.

    At most ``window`` chunks are queued at a time (default: twice the cluster's threads) so
    a stopped run wastes little work; closing the iterator cancels what is still queued.
    """
    from dask.distributed import Client, as_completed

    with Client(address, set_as_default=False) as client:
        if window is None:
            window = max(2, 2 * sum(client.nthreads().values()))
        pending = iter(specs)
        futures = [
            client.submit(run_chunk, path, sha256, spec, pure=False)
            for _, spec in zip(range(window), pending, strict=False)
        ]
        queue = as_completed(futures, loop=client.loop)
        try:
            for future in queue:
                result = future.result()
                nxt = next(pending, None)
                if nxt is not None:
                    queue.add(client.submit(run_chunk, path, sha256, nxt, pure=False))
                yield result
        finally:
            left = [f for f in queue.futures if not f.done()]
            if left:
                client.cancel(left)
