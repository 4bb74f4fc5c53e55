"""Per-region sums of per-owner values."""

from __future__ import annotations

import numpy as np

from dekomopt.metrics._checks import vector


def region_totals(values, region, n_regions: int) -> np.ndarray:
    """Sum of ``values`` per region; ``region`` holds integer codes ``0 .. n_regions - 1``.

    Returns an array of length ``n_regions`` (regions without owners sum to 0).
    """
    vals = vector("values", values)
    codes = np.asarray(region)
    if codes.ndim != 1 or codes.size != vals.size:
        raise ValueError(f"region: expected a 1-D array of length {vals.size}")
    if codes.size and not np.issubdtype(codes.dtype, np.integer):
        raise ValueError("region: expected integer region codes")
    if int(n_regions) < 0:
        raise ValueError(f"n_regions: must be >= 0, got {n_regions}")
    if codes.size and (codes.min() < 0 or codes.max() >= n_regions):
        raise ValueError(f"region: codes must lie in 0 .. {int(n_regions) - 1}")
    return np.bincount(codes.astype(np.intp), weights=vals, minlength=int(n_regions))
