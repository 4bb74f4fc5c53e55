"""How far teachers travel to their partner."""

from __future__ import annotations

import numpy as np

from dekomopt.metrics._checks import factorize, vector


def fte_weighted_distance(km, fte, region=None):
    """FTE-weighted mean distance ``sum_i fte_i km_i / sum_i fte_i`` (the distance the
    average teacher travels).

    Without ``region`` returns one float for the whole county; with ``region`` a dict
    ``{region label: mean}`` over the sorted region labels (NaN for a region with no FTE).
    Owners with zero FTE are ignored, so their ``km`` may be NaN. Raises ValueError if the
    county has no FTE.
    """
    fte = vector("fte", fte, nonnegative=True)
    km_raw = vector("km", km, n=fte.size, finite=False)
    has_fte = fte > 0
    if not np.any(has_fte):
        raise ValueError("fte: no owner has positive FTE")
    vector("km", km_raw[has_fte], nonnegative=True)
    km_arr = np.where(has_fte, km_raw, 0.0)
    if region is None:
        return float(fte @ km_arr / fte.sum())
    names, codes = factorize("region", region, fte.size)
    region_fte = np.bincount(codes, weights=fte, minlength=names.size)
    region_km = np.bincount(codes, weights=fte * km_arr, minlength=names.size)
    means = np.full(names.size, np.nan)
    np.divide(region_km, region_fte, out=means, where=region_fte > 0)
    return {name: float(m) for name, m in zip(names.tolist(), means, strict=True)}
