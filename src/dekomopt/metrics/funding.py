"""Funding per teacher FTE after the costs of taking part."""

from __future__ import annotations

import numpy as np

from dekomopt.metrics._checks import factorize, scalar, vector
from dekomopt.metrics.regions import Membership


def net_funding_per_fte(
    amount,
    fte,
    km,
    region,
    cost_per_km_fte: float,
    coordination_cost_per_region: float,
) -> np.ndarray:
    """Each owner's funding per teacher FTE net of travel and regional coordination costs.

    For owner ``i`` in region ``r`` with ``F_r`` the region's total FTE::

        net_i = (amount_i - cost_per_km_fte * km_i * fte_i
                 - coordination_cost_per_region * fte_i / F_r) / fte_i
              = amount_i / fte_i - cost_per_km_fte * km_i - coordination_cost_per_region / F_r

    so travel costs scale with the owner's teachers and distance, and each region's fixed
    coordination cost is shared among its owners in proportion to FTE. Owners with
    ``fte == 0`` get NaN (nothing to divide by); a region whose owners all have zero FTE
    therefore carries no coordination cost. The result may be negative when costs exceed
    the amount.

    ``amount``, ``fte`` and ``km`` are per-owner nonnegative arrays of equal length;
    ``region`` holds any sortable labels. Raises ValueError naming the offending argument.
    """
    amount = vector("amount", amount, nonnegative=True)
    n = amount.size
    fte = vector("fte", fte, n=n, nonnegative=True)
    km = vector("km", km, n=n, nonnegative=True)
    _, codes = factorize("region", region, n)
    per_km = scalar("cost_per_km_fte", cost_per_km_fte)
    coordination = scalar("coordination_cost_per_region", coordination_cost_per_region)

    onehot = np.eye(int(codes.max()) + 1 if n else 0)[codes]
    gross, net = per_fte_rows(amount[None], fte[None], km, onehot, per_km, coordination)
    return net[0]


def per_fte_rows(
    funding: np.ndarray,
    fte: np.ndarray,
    km: np.ndarray,
    regions: np.ndarray | Membership,
    cost_per_km_fte: float,
    coordination_cost_per_region: float,
) -> tuple[np.ndarray, np.ndarray]:
    """draws × owners funding per FTE, gross and net (as :func:`net_funding_per_fte`), of
    draws × owners ``funding`` and ``fte`` (0 for owners not taking part: NaN), with ``km``
    per owner (or draws × owners) and ``regions`` an owners × regions indicator matrix or a
    :class:`~dekomopt.metrics.regions.Membership`."""
    has = fte > 0
    member = Membership.of(regions)
    region_fte = member.spread(member.sum(fte)) if member.codes.size else fte
    gross = np.full(fte.shape, np.nan)
    np.divide(funding, fte, out=gross, where=has)
    coordination = np.divide(
        coordination_cost_per_region, region_fte, out=np.zeros_like(fte), where=region_fte > 0
    )
    travel = cost_per_km_fte * km if cost_per_km_fte else 0.0  # km may be NaN: unknown
    return gross, gross - travel - coordination
