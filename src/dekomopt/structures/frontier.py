"""Pareto frontier of structures over objectives that are all to be minimised.

Dominance is read at a tolerance: a value within :data:`~dekomopt.structures.outlier.TIE_TOLERANCE`
× max(1, |other|) of another is equal to it, so floating-point noise never makes a structure
"better". Point a dominates point b when a is no worse than b in every objective and strictly
better in at least one.
"""

from __future__ import annotations

import numpy as np

from dekomopt.structures.outlier import TIE_TOLERANCE

_BLOCK = 256


def dominates(points: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Which rows of ``points`` dominate ``point`` (all objectives minimised, at the tolerance).

    Rows with a NaN dominate nothing; a ``point`` with a NaN is dominated by nothing.
    """
    p = np.atleast_2d(np.asarray(points, dtype=float))
    q = np.asarray(point, dtype=float)
    return _dominates(p[:, None, :], q[None, None, :])[:, 0]


def _dominates(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Broadcast ``a`` dominates ``b`` over the last axis."""
    tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(b))
    with np.errstate(invalid="ignore"):
        no_worse = a <= b + tol
        better = a < b - tol
    return no_worse.all(axis=-1) & better.any(axis=-1)


def pareto_mask(points: np.ndarray) -> np.ndarray:
    """True for rows no other row dominates (see :func:`dominates`).

    Equal rows (within the tolerance) do not dominate each other, so all copies of a frontier
    point stay. Rows with a NaN are never on the frontier and dominate nothing.
    """
    p = np.asarray(points, dtype=float)
    if p.ndim != 2:
        raise ValueError(f"points must be a 2-D array (structures × objectives), got {p.shape}")
    ok = ~np.isnan(p).any(axis=1)
    mask = np.zeros(len(p), dtype=bool)
    idx = np.flatnonzero(ok)
    q = p[idx]
    kept = np.ones(len(q), dtype=bool)
    for start in range(0, len(q), _BLOCK):
        block = q[start : start + _BLOCK]
        kept[start : start + _BLOCK] = ~_dominates(q[None, :, :], block[:, None, :]).any(axis=1)
    mask[idx[kept]] = True
    return mask
