"""Score many structures in chunks, serially or on worker processes, with identical output.

Chunks are fixed slices of the structure list and their results are joined in chunk order, so
the table does not depend on the number of workers. Each worker builds one evaluator (and one
HiGHS instance) and reuses it for every chunk it gets.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from dekomopt.structures.evaluate import StructureContext, StructureEvaluator

_worker: StructureEvaluator | None = None


def _start(ctx: StructureContext, mode: str) -> None:
    global _worker
    _worker = StructureEvaluator(ctx, mode)


def _chunk(labels: np.ndarray) -> list[dict]:
    # every chunk starts cold, so a warm basis never carries over between chunks
    _worker.reset()
    return [_worker.evaluate(row) for row in labels]


def evaluate_structures(
    ctx: StructureContext,
    labels: np.ndarray,
    *,
    workers: int = 1,
    chunk_size: int = 500,
    mode: str = "update",
) -> pd.DataFrame:
    """One row of status and scores per row of ``labels`` (structures × municipalities).

    ``workers > 1`` spreads the chunks over that many processes; results are the same.
    """
    labels = np.asarray(labels)
    chunks = [labels[i : i + chunk_size] for i in range(0, len(labels), chunk_size)]
    if workers <= 1 or len(chunks) <= 1:
        _start(ctx, mode)
        parts = [_chunk(c) for c in chunks]
    else:
        with ProcessPoolExecutor(workers, initializer=_start, initargs=(ctx, mode)) as pool:
            parts = list(pool.map(_chunk, chunks))
    rows = [row for part in parts for row in part]
    frame = pd.DataFrame(rows)
    frame.insert(0, "structure_id", np.arange(len(frame)))
    return frame
