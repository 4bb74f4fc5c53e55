"""Score many structures in chunks, serially or on worker processes, with identical output.

Chunks are fixed slices of the structure list and their results are joined in chunk order, so
the table does not depend on the number of workers. Each worker builds one evaluator (with its
HiGHS instances) and reuses it for every chunk it gets; a chunk is allocated and scored as one
batch (:meth:`~dekomopt.structures.evaluate.StructureEvaluator.evaluate_many`), starting cold.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from tqdm import tqdm

from dekomopt.structures.evaluate import StructureContext, StructureEvaluator

_worker: StructureEvaluator | None = None


def _start(ctx: StructureContext, mode: str) -> None:
    global _worker
    _worker = StructureEvaluator(ctx, mode)


def _chunk(labels: np.ndarray) -> list[dict]:
    # every chunk starts cold, so a warm basis never carries over between chunks
    assert _worker is not None, "the worker's evaluator is made by _start"
    _worker.reset()
    return _worker.evaluate_many(labels)


def evaluate_structures(
    ctx: StructureContext,
    labels: np.ndarray,
    *,
    workers: int = 1,
    chunk_size: int = 500,
    mode: str = "update",
    progress: bool = False,
) -> pd.DataFrame:
    """One row of status and scores per row of ``labels`` (structures × municipalities).

    ``workers > 1`` spreads the chunks over that many processes; results are the same.
    ``progress`` shows a bar of finished chunks on stderr (only when it is a terminal).
    """
    labels = np.asarray(labels)
    chunks = [labels[i : i + chunk_size] for i in range(0, len(labels), chunk_size)]
    bar = tqdm(
        total=len(labels),
        unit="structure",
        desc="allocating and scoring",
        disable=None if progress else True,
    )
    parts = []
    with bar:
        if workers <= 1 or len(chunks) <= 1:
            _start(ctx, mode)
            for c in chunks:
                parts.append(_chunk(c))
                bar.update(len(c))
        else:
            with ProcessPoolExecutor(workers, initializer=_start, initargs=(ctx, mode)) as pool:
                for part in pool.map(_chunk, chunks):
                    parts.append(part)
                    bar.update(len(part))
    rows = [row for part in parts for row in part]
    frame = pd.DataFrame(rows)
    frame.insert(0, "structure_id", np.arange(len(frame)))
    return frame
