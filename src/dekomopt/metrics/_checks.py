"""Argument checks shared by the metrics: each failure is a ValueError naming the argument."""

from __future__ import annotations

import numpy as np


def vector(
    name: str,
    values,
    *,
    n: int | None = None,
    nonnegative: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """``values`` as a 1-D float64 array, checked for length ``n``, finiteness and sign."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not numeric ({exc})") from None
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if n is not None and arr.size != n:
        raise ValueError(f"{name}: expected length {n}, got {arr.size}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name}: contains negative values")
    return arr


def scalar(name: str, value, *, nonnegative: bool = True) -> float:
    """``value`` as a finite float, optionally checked to be >= 0."""
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not a number ({exc})") from None
    if not np.isfinite(out):
        raise ValueError(f"{name}: must be finite, got {out}")
    if nonnegative and out < 0:
        raise ValueError(f"{name}: must be >= 0, got {out}")
    return out


def labels(name: str, values, n: int) -> np.ndarray:
    """``values`` as a 1-D array of length ``n`` (any label type)."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if arr.size != n:
        raise ValueError(f"{name}: expected length {n}, got {arr.size}")
    return arr


def factorize(name: str, values, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique labels and each element's index into them."""
    arr = labels(name, values, n)
    try:
        uniques, codes = np.unique(arr, return_inverse=True)
    except TypeError as exc:
        raise ValueError(f"{name}: labels cannot be sorted ({exc})") from None
    return uniques, codes.reshape(-1)


def positive_weights(x, w, *, x_name: str = "x", w_name: str = "w", nonnegative_x: bool = False):
    """Observations with positive weight: ``(x, w, keep)`` with ``keep`` the boolean mask used.

    Zero-weight observations are dropped before ``x`` is checked, so their ``x`` may be NaN
    (e.g. the per-FTE value of an owner with no teachers).
    """
    x_raw = vector(x_name, x, finite=False)
    w_arr = np.ones(x_raw.size) if w is None else vector(w_name, w, n=x_raw.size, nonnegative=True)
    keep = w_arr > 0
    if not np.any(keep):
        raise ValueError(f"{w_name}: no observation has positive weight")
    x_kept = vector(x_name, x_raw[keep], nonnegative=nonnegative_x)
    return x_kept, w_arr[keep], keep
