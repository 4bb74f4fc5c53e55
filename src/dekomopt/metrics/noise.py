"""Floating-point noise: values that are zero up to rounding are reported as exactly 0.

Sums over a few hundred owners of terms of order 1 carry rounding errors of order 1e-14; an
inequality index of whole-krone allocations that differs from 0 at all is at least of order
1e-10 (half a krone on an amount of millions). Anything within :data:`ZERO_TOLERANCE` of 0,
relative to the scale of the quantities it was computed from, is therefore noise.
"""

from __future__ import annotations

import numpy as np

ZERO_TOLERANCE = 1e-12
"""Relative size below which a value is floating-point noise around 0."""


def snap_zero(values: np.ndarray, scale: np.ndarray | float = 1.0) -> np.ndarray:
    """``values`` with every entry of magnitude at most ``ZERO_TOLERANCE * scale`` set to 0
    (NaN stays NaN; -0.0 becomes 0.0)."""
    values = np.asarray(values, dtype=float)
    noise = np.abs(values) <= ZERO_TOLERANCE * np.abs(scale)
    return np.where(noise, 0.0, values)
