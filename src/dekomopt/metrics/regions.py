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


class Membership:
    """Which region each owner belongs to: one assignment for every draw (``codes`` per
    owner) or one per draw (``codes`` draws × owners, a region structure per draw).

    :meth:`sum` adds per-owner values up by region and :meth:`spread` gives each owner its
    region's value; the metrics read regions only through these two. With one assignment the
    sum is a product with the owners × regions indicator matrix; per draw it adds each draw's
    owners in owner order, so a draw's result does not depend on the other draws.
    """

    def __init__(self, codes: np.ndarray, n_regions: int, onehot: np.ndarray | None = None) -> None:
        self.codes = np.asarray(codes, dtype=np.int64)
        self.n_regions = int(n_regions)
        self.per_draw = self.codes.ndim == 2
        if onehot is None and not self.per_draw:
            onehot = np.eye(self.n_regions)[self.codes]
        self.onehot = onehot

    @classmethod
    def of(cls, groups: np.ndarray | Membership) -> Membership:
        """``groups`` as a membership: an owners × regions indicator matrix (one 1 per row)
        is one assignment for every draw."""
        if isinstance(groups, Membership):
            return groups
        onehot = np.asarray(groups, dtype=float)
        codes = np.argmax(onehot, axis=1) if onehot.shape[1] else np.zeros(len(onehot), int)
        return cls(codes, onehot.shape[1], onehot)

    def sum(self, x: np.ndarray) -> np.ndarray:
        """draws × owners (× t) → draws × regions (× t): sums over each region's owners."""
        if self.onehot is not None:
            return x @ self.onehot if x.ndim == 2 else np.einsum("dit,ir->drt", x, self.onehot)
        n_draws, n_owners = self.codes.shape
        cell = np.arange(n_draws)[:, None] * self.n_regions + self.codes
        tail = x.shape[2:]
        width = int(np.prod(tail)) if tail else 1
        cells = (cell[:, :, None] * width + np.arange(width)).ravel()
        values = np.broadcast_to(x, (n_draws, n_owners, *tail)).ravel()
        size = n_draws * self.n_regions * width
        return np.bincount(cells, values, size).reshape(n_draws, self.n_regions, *tail)

    def spread(self, by_region: np.ndarray) -> np.ndarray:
        """draws × regions (× t) → draws × owners (× t): each owner's region's value."""
        if not self.per_draw:
            return by_region[:, self.codes]
        index = self.codes.reshape(*self.codes.shape, *([1] * (by_region.ndim - 2)))
        return np.take_along_axis(by_region, index, axis=1)
