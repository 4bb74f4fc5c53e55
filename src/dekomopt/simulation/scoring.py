"""Every fairness metric of many allocations at once, as arrays over draws.

The formulas are those of :mod:`dekomopt.metrics` (tests check each against it draw by draw),
vectorised over the draws of a chunk and reading precomputed region codes, so a draw costs
no DataFrame and no per-call argument checking.

Definitions (per draw; ``w_i`` = the owner's drawn FTEs if it takes part, else 0):

* funding_i = the owner's own amount + its FTE share of its region's partner (UH) funds,
  i.e. all money spent on its teachers' measures; ``funding_per_fte`` = funding_i / fte_i.
* ``net_per_fte`` = funding_per_fte − travel_cost_nok_per_km_fte·km_i −
  coordination_cost_nok / FTE_region (as :func:`~dekomopt.metrics.net_funding_per_fte`).
* Inequality (Gini, Theil T and its between/within-region split) is over taking-part
  owners weighted by FTE. A Theil index below :data:`THEIL_FLOOR` is the rounding noise of
  whole-krone amounts, so its between-region share is reported as NaN.
* Gaps: FTE-weighted mean of group a minus group b (and their ratio): small − large by the
  scenario's size thresholds on drawn FTEs, private − municipal owners.
* Power: each owner's Banzhaf index in its region's FTE vote (:mod:`.power`);
  ``power_largest_<region>`` is that of the region's largest taking-part owner.
* Need match (when needs are drawn): each region picks its ``themes_chosen`` themes by FTE
  vote (:func:`~dekomopt.metrics.region_theme_choice`); an owner's match is the share of its
  needed themes chosen (:func:`~dekomopt.metrics.need_match`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.scenario.schema import Metrics
from dekomopt.simulation.power import region_power_draws

THEIL_FLOOR = 1e-9
"""Theil T below this is treated as perfect equality (whole-krone rounding gives ~1e-10)."""

_TIE_DECIMALS = 12
"""As in :func:`dekomopt.metrics.region_theme_choice`: votes equal to 12 decimals tie."""

UNITLESS = "unitless"
"""Unit of indices, shares and ratios: the only metrics the stop rule's ``target_se`` reads."""


@dataclass(frozen=True)
class Scores:
    """Per-draw scalar metrics and per-owner arrays (draws × owners)."""

    scalars: dict[str, np.ndarray]
    owners: dict[str, np.ndarray]


def _log_where(ratio: np.ndarray, where: np.ndarray) -> np.ndarray:
    out = np.zeros_like(ratio)
    np.log(ratio, out=out, where=where & (ratio > 0))
    return out


def weighted_gini(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Row-wise weighted Gini (as :func:`dekomopt.metrics.gini`); NaN if the mean is not > 0."""
    x = np.where(w > 0, x, 0.0)
    order = np.argsort(x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    ws = np.take_along_axis(w, order, axis=1)
    total_w = ws.sum(axis=1)
    total_y = (ws * xs).sum(axis=1)
    cum = np.cumsum(ws, axis=1)
    num = (ws * xs * (2.0 * cum - ws - total_w[:, None])).sum(axis=1)
    out = np.full(len(x), np.nan)
    ok = total_y > 0
    out[ok] = num[ok] / (total_w[ok] * total_y[ok])
    return out


def weighted_theil(
    x: np.ndarray, w: np.ndarray, onehot: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row-wise Theil T split by groups (``onehot``: owners × groups), as
    :func:`dekomopt.metrics.theil_decomposition`: (total, between, within, between_share).

    NaN for a draw with a negative ``x`` of positive weight or no positive mean.
    """
    has = w > 0
    x = np.where(has, x, 0.0)
    valid = ~(has & (x < 0)).any(axis=1)
    wx = w * x
    total_y = wx.sum(axis=1)
    valid &= total_y > 0
    safe_y = np.where(valid, total_y, 1.0)
    mu = safe_y / np.maximum(w.sum(axis=1), 1e-300)
    share = wx / safe_y[:, None]
    positive = has & (x > 0)
    total = (share * _log_where(x / mu[:, None], positive)).sum(axis=1)
    group_w = w @ onehot
    group_y = wx @ onehot
    group_mu = np.divide(group_y, group_w, out=np.zeros_like(group_y), where=group_w > 0)
    between = (group_y / safe_y[:, None] * _log_where(group_mu / mu[:, None], group_y > 0)).sum(
        axis=1
    )
    owner_mu = group_mu @ onehot.T
    within = (share * _log_where(x / np.where(owner_mu > 0, owner_mu, 1.0), positive)).sum(axis=1)
    share_between = np.full(len(x), np.nan)
    big = valid & (total >= THEIL_FLOOR)
    share_between[big] = between[big] / total[big]
    nan = np.where(valid, 0.0, np.nan)
    return total + nan, between + nan, within + nan, share_between


def weighted_gap(
    x: np.ndarray, w: np.ndarray, in_a: np.ndarray, in_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise FTE-weighted mean of group a minus group b, and a/b (NaN if a group is empty)."""
    xs = np.where(w > 0, x, 0.0)
    means = []
    for mask in (in_a, in_b):
        ww = w * mask
        sw = ww.sum(axis=1)
        m = np.full(len(x), np.nan)
        np.divide((ww * xs).sum(axis=1), sw, out=m, where=sw > 0)
        means.append(m)
    a, b = means
    ratio = np.full(len(x), np.nan)
    np.divide(a, b, out=ratio, where=np.isfinite(b) & (b != 0))
    return a - b, ratio


class Scorer:
    """All metrics for allocations of one problem's structure (owners, regions fixed)."""

    def __init__(self, problem: AllocationProblem, metrics: Metrics) -> None:
        self.region = np.asarray(problem.owner_region, dtype=np.int64)
        self.region_ids = problem.region_ids
        self.n_regions = problem.n_regions
        self.onehot = np.eye(self.n_regions)[self.region]
        self.km = np.asarray(problem.owner_km, dtype=float)
        self.kind = np.asarray(problem.owner_kind)
        self.edge_region = np.asarray(problem.edge_region, dtype=np.int64)
        self.travel_cost = float(metrics.travel_cost_nok_per_km_fte)
        self.coordination = float(metrics.coordination_cost_nok)
        self.small_max, self.large_min = (float(t) for t in metrics.size_thresholds_fte)
        self.k_themes = min(int(metrics.themes_chosen), len(problem.themes))

    def units(self, needs: bool) -> dict[str, str]:
        """Scalar metric name → unit ("kr/FTE", "km", "FTE", "owners" or :data:`UNITLESS`)."""
        units = {"n_participating": "owners", "fte_participating": "FTE"}
        units["funding_per_fte"] = "kr/FTE"
        for basis in ("gross", "net"):
            units[f"gini_{basis}"] = UNITLESS
            for part in ("", "_between", "_within", "_between_share"):
                units[f"theil_{basis}{part}"] = UNITLESS
            for gap in ("small_large", "private_public"):
                units[f"gap_{gap}_{basis}"] = "kr/FTE"
                units[f"gap_{gap}_{basis}_ratio"] = UNITLESS
        units["travel_km"] = "km"
        for r in self.region_ids:
            units[f"net_per_fte_{r}"] = "kr/FTE"
        for r in self.region_ids:
            units[f"power_largest_{r}"] = UNITLESS
        if needs:
            units["need_match"] = UNITLESS
            units["need_match_gap_small_large"] = UNITLESS
        return units

    def score(
        self,
        owner_nok: np.ndarray,
        region_partner_nok: np.ndarray,
        fte: np.ndarray,
        participates: np.ndarray,
        needs: np.ndarray | None = None,
    ) -> Scores:
        """Metrics of draws × owners own amounts and draws × regions partner funds."""
        owner_nok = np.atleast_2d(np.asarray(owner_nok, dtype=float))
        fte = np.atleast_2d(np.asarray(fte, dtype=float))
        part = np.atleast_2d(np.asarray(participates, dtype=bool))
        region_partner_nok = np.atleast_2d(np.asarray(region_partner_nok, dtype=float))
        w = np.where(part & (fte > 0), fte, 0.0)
        has = w > 0
        region_fte = w @ self.onehot
        owner_region_fte = region_fte[:, self.region]
        part_of_region = np.divide(
            w, owner_region_fte, out=np.zeros_like(w), where=owner_region_fte > 0
        )
        funding = owner_nok + region_partner_nok[:, self.region] * part_of_region
        gross = np.full(w.shape, np.nan)
        np.divide(funding, fte, out=gross, where=has)
        coordination = np.divide(
            self.coordination,
            owner_region_fte,
            out=np.zeros_like(w),
            where=owner_region_fte > 0,
        )
        net = gross - self.travel_cost * self.km - coordination

        s: dict[str, np.ndarray] = {}
        total_w = w.sum(axis=1)
        s["n_participating"] = part.sum(axis=1).astype(float)
        s["fte_participating"] = total_w
        s["funding_per_fte"] = np.divide(
            np.where(has, funding, 0.0).sum(axis=1),
            total_w,
            out=np.full(len(w), np.nan),
            where=total_w > 0,
        )
        small = fte <= self.small_max
        large = fte >= self.large_min
        private = self.kind == "private"
        public = self.kind == "municipality"
        for basis, x in (("gross", gross), ("net", net)):
            s[f"gini_{basis}"] = weighted_gini(x, w)
            total, between, within, share = weighted_theil(x, w, self.onehot)
            s[f"theil_{basis}"] = total
            s[f"theil_{basis}_between"] = between
            s[f"theil_{basis}_within"] = within
            s[f"theil_{basis}_between_share"] = share
            for gap, a, b in (("small_large", small, large), ("private_public", private, public)):
                diff, ratio = weighted_gap(x, w, a, b)
                s[f"gap_{gap}_{basis}"] = diff
                s[f"gap_{gap}_{basis}_ratio"] = ratio
        s["travel_km"] = np.divide(
            w @ self.km, total_w, out=np.full(len(w), np.nan), where=total_w > 0
        )
        net_region = np.divide(
            (np.where(has, net, 0.0) * w) @ self.onehot,
            region_fte,
            out=np.full(region_fte.shape, np.nan),
            where=region_fte > 0,
        )
        for r, name in enumerate(self.region_ids):
            s[f"net_per_fte_{name}"] = net_region[:, r]
        power = region_power_draws(w, self.region, self.n_regions)
        rows = np.arange(len(w))
        for r, name in enumerate(self.region_ids):
            in_r = np.where(self.region == r, w, -1.0)
            largest = in_r.argmax(axis=1)
            s[f"power_largest_{name}"] = np.where(
                region_fte[:, r] > 0, power[rows, largest], np.nan
            )
        owners = {
            "funding_nok": np.where(part, funding, 0.0),
            "funding_per_fte": gross,
            "net_per_fte": net,
            "power": power,
        }
        if needs is not None:
            match = self._need_match(np.asarray(needs, dtype=float), w, part)
            owners["need_match"] = match
            weight = np.where(np.isfinite(match), w, 0.0)
            sw = weight.sum(axis=1)
            s["need_match"] = np.divide(
                (weight * np.nan_to_num(match)).sum(axis=1),
                sw,
                out=np.full(len(w), np.nan),
                where=sw > 0,
            )
            diff, _ = weighted_gap(np.nan_to_num(match), weight, small, large)
            s["need_match_gap_small_large"] = diff
        return Scores(s, owners)

    def _need_match(self, needs: np.ndarray, w: np.ndarray, part: np.ndarray) -> np.ndarray:
        """draws × owners share of each taking-part owner's needed themes its region chose."""
        need = (needs > 0).astype(float)
        votes = np.einsum("dit,ir->drt", w[:, :, None] * need, self.onehot)
        region_total = votes.sum(axis=2, keepdims=True)
        scaled = np.divide(votes, region_total, out=np.zeros_like(votes), where=region_total > 0)
        ranked = np.argsort(-np.round(scaled, _TIE_DECIMALS), axis=2, kind="stable")
        chosen = np.zeros(votes.shape, dtype=bool)
        np.put_along_axis(chosen, ranked[:, :, : self.k_themes], True, axis=2)
        covered = (need * chosen[:, self.region, :]).sum(axis=2)
        total = need.sum(axis=2)
        out = np.full(w.shape, np.nan)
        np.divide(covered, total, out=out, where=(total > 0) & part)
        return out
