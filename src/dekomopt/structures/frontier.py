"""Pareto frontier of structures over objectives that are all to be minimised."""

from __future__ import annotations

import numpy as np


def pareto_mask(points: np.ndarray) -> np.ndarray:
    """True for rows no other row dominates (at most as large everywhere, smaller somewhere).

    Equal rows do not dominate each other, so all copies of a frontier point stay. Rows with a
    NaN are never on the frontier and dominate nothing.
    """
    p = np.asarray(points, dtype=float)
    if p.ndim != 2:
        raise ValueError(f"points must be a 2-D array (structures × objectives), got {p.shape}")
    ok = ~np.isnan(p).any(axis=1)
    mask = np.zeros(len(p), dtype=bool)
    idx = np.flatnonzero(ok)
    q = p[idx]
    # sorted lexicographically, a row can only be dominated by rows before it
    order = np.lexsort(q.T[::-1])
    kept: list[int] = []
    for i in order:
        row = q[i]
        if kept:
            front = q[kept]
            if np.any(np.all(front <= row, axis=1) & np.any(front < row, axis=1)):
                continue
        kept.append(i)
    mask[idx[kept]] = True
    return mask
