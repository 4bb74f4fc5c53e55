"""Noise: values that are zero up to rounding are reported as exactly 0.

Two kinds of rounding, one rule for each:

* Floating-point noise. Sums over a few hundred owners of terms of order 1 carry rounding
  errors of order 1e-14, so anything within :data:`ZERO_TOLERANCE` of 0, relative to the
  scale of the quantities it was computed from, is 0 (:func:`snap_zero`). The inequality
  indices apply it to each part of Theil's T and add the parts for the total, so that
  ``between + within == total`` holds for every value reported.
* Whole-krone rounding. An allocation is whole kroner: owner ``i``'s funding ``a_i``
  differs from the exact amount the rules give by less than ``r_i`` kroner (one krone per
  rounded amount it is made of, :func:`owner_rounding_nok`). With ``w_i`` the FTEs,
  ``x_i = a_i / w_i``, ``Y = Σ a_i``, ``W = Σ w_i`` and ``μ = Y / W``, rounding moves
  (:func:`rounding_noise`):

  - Gini by less than ``2 Σ_i r_i / Y`` (each ``|x_i − x_j|`` term moves by at most the two
    owners' moves); of an exactly equal split it leaves less than ``Σ_i r_i / Y``.
  - Theil's T by less than ``Σ_i r_i |ln(x_i/μ) − T| / Y + W Σ_i (r_i² / w_i) / Y²``: the
    first-order term (``∂T/∂a_i = (ln(x_i/μ) − T) / Y``) plus a bound on the second, which
    is the most T of an exactly equal split can come out (``T ≤ CV²`` since
    ``ln t ≤ t − 1``). Each of T's parts is at most T.
  - An FTE-weighted group mean by less than ``Σ_{i∈g} r_i / W_g``; a gap of two groups by
    less than the sum for both groups.

  Whole-krone rounding makes Gini of order ``n / Y`` (1e-7 for 50 owners sharing 50 M kr)
  but Theil's T of an equal split of order ``n W / Y²`` (1e-13 to 1e-12): the same rounding
  on two scales, so no fixed threshold serves both. An index below its bound cannot be told
  from an equal split and is 0 — for both indices alike, so that Gini and Theil agree on
  whether funding per FTE is equal; a gap below its bound is 0. A metric whose spread over
  runs is at most twice its bound does not vary beyond rounding.
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


def owner_rounding_nok(
    owner_region: np.ndarray, edge_region: np.ndarray, n_regions: int, amounts_per_entity: int
) -> np.ndarray:
    """Per owner, a bound in kroner on how far whole-krone rounding moves its funding: one
    krone for each of its own rounded amounts (``amounts_per_entity``, themes × sectors) and
    for each rounded amount of its region's partner links, of which it gets a share."""
    links = np.bincount(np.asarray(edge_region, dtype=np.int64), minlength=n_regions)
    return amounts_per_entity * (1.0 + links[np.asarray(owner_region, dtype=np.int64)])


def rounding_noise(
    x: np.ndarray, w: np.ndarray, rounding_nok: np.ndarray, groups: tuple[np.ndarray, ...] = ()
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Bounds (per row of draws × owners ``x``, weights ``w``) on how far whole-krone
    rounding moves the Gini, Theil's T, and the FTE-weighted mean of each owner mask in
    ``groups`` (module doc). ``rounding_nok`` per owner (:func:`owner_rounding_nok`). NaN
    where the total is not positive (and for T where an amount is negative)."""
    has = w > 0
    r = np.where(has, np.broadcast_to(rounding_nok, w.shape), 0.0)
    x = np.where(has, x, 0.0)
    total_y = (w * x).sum(axis=1)
    total_w = w.sum(axis=1)
    ok = total_y > 0
    safe_y = np.where(ok, total_y, 1.0)
    gini = np.where(ok, 2 * r.sum(axis=1) / safe_y, np.nan)
    mu = safe_y / np.where(ok, total_w, 1.0)
    positive = has & (x > 0)
    log = np.zeros_like(x)
    np.log(x / mu[:, None], out=log, where=positive)
    theil = (w * x * log).sum(axis=1) / safe_y
    first = (r * np.abs(log - theil[:, None])).sum(axis=1) / safe_y
    second = total_w * np.divide(r**2, w, out=np.zeros_like(r), where=has).sum(axis=1)
    undefined = ~ok | (has & (x < 0)).any(axis=1)
    theil_noise = np.where(undefined, np.nan, first + second / safe_y**2)
    means = []
    for mask in groups:
        in_g = has & mask
        wg = np.where(in_g, w, 0.0).sum(axis=1)
        rg = np.where(in_g, r, 0.0).sum(axis=1)
        means.append(np.divide(rg, wg, out=np.full(len(w), np.nan), where=wg > 0))
    return gini, theil_noise, tuple(means)
