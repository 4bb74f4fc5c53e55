"""Every fairness metric of many allocations at once, as arrays over draws × owners.

The one place the metrics are put together: ``simulate`` scores each chunk of draws with
:meth:`MetricsEngine.score`, ``structures`` scores one structure's allocation with
:func:`score_allocation`, and the scalar functions of :mod:`dekomopt.metrics` are the same
row-wise definitions applied to one draw.

Definitions (per draw; ``w_i`` = the owner's FTEs if it takes part, else 0):

* funding_i = the owner's own amount + its FTE share of its region's partner (UH) funds,
  i.e. all money spent on its teachers' measures; ``funding_per_fte`` = funding_i / fte_i.
* ``net_per_fte`` = funding_per_fte − travel_cost_nok_per_km_fte·km_i −
  coordination_cost_nok / FTE_region (:func:`~dekomopt.metrics.funding.per_fte_rows`).
* Inequality (Gini, Theil T and its between/within-region split) is over taking-part
  owners weighted by FTE (:mod:`~dekomopt.metrics.inequality`, which states the rule for
  negative amounts and for noise).
* Gaps: FTE-weighted mean of group a minus group b (and their ratio): small − large by the
  scenario's size thresholds on the draw's FTEs, private − municipal owners.
* Power: each owner's Banzhaf index in its region's FTE vote (:mod:`~dekomopt.metrics.power`);
  ``power_largest_<region>`` is that of the region's largest taking-part owner, which has the
  most power in its region (Banzhaf power never decreases with weight).
* Need match (when needs are given): each region picks its ``themes_chosen`` themes by FTE
  vote; an owner's match is the share of its needed themes chosen
  (:mod:`~dekomopt.metrics.needs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.metrics.funding import per_fte_rows
from dekomopt.metrics.groups import gap_rows
from dekomopt.metrics.inequality import gini_rows, theil_rows
from dekomopt.metrics.needs import need_match_rows, theme_choice_rows
from dekomopt.metrics.power import power_rows
from dekomopt.scenario.schema import Metrics

UNITLESS = "unitless"
"""Unit of indices, shares and ratios: the only metrics the stop rule's ``target_se`` reads."""


@dataclass(frozen=True)
class Scores:
    """Per-draw scalar metrics (name → array over draws) and per-owner arrays (draws × owners)."""

    scalars: dict[str, np.ndarray]
    owners: dict[str, np.ndarray]


class MetricsEngine:
    """All metrics for allocations of one region structure (owners and regions fixed)."""

    def __init__(
        self,
        owner_region: np.ndarray,
        region_ids: tuple[str, ...],
        owner_km: np.ndarray,
        owner_kind: np.ndarray | Sequence[str],
        metrics: Metrics,
        n_themes: int,
        bases: tuple[str, ...] = ("gross", "net"),
    ) -> None:
        """``owner_region`` holds region codes into ``region_ids``; ``owner_km`` each owner's
        distance to its partner; ``owner_kind`` "municipality", "private" or "county";
        ``bases`` the funding per FTE the inequality indices and gaps are computed on
        ("gross", "net" or both)."""
        self.bases = bases
        self.region = np.asarray(owner_region, dtype=np.int64)
        self.region_ids = tuple(region_ids)
        self.n_regions = len(self.region_ids)
        self.onehot = np.eye(self.n_regions)[self.region]
        self.km = np.asarray(owner_km, dtype=float)
        self.kind = np.asarray(owner_kind)
        self.travel_cost = float(metrics.travel_cost_nok_per_km_fte)
        self.coordination = float(metrics.coordination_cost_nok)
        self.small_max, self.large_min = (float(t) for t in metrics.size_thresholds_fte)
        self.k_themes = min(int(metrics.themes_chosen), n_themes)

    @classmethod
    def for_problem(
        cls,
        problem: AllocationProblem,
        metrics: Metrics,
        owner_km: np.ndarray | None = None,
        bases: tuple[str, ...] = ("gross", "net"),
    ) -> MetricsEngine:
        """The engine of ``problem``'s structure (``owner_km`` replaces the problem's)."""
        return cls(
            problem.owner_region,
            tuple(problem.region_ids),
            problem.owner_km if owner_km is None else owner_km,
            problem.owner_kind,
            metrics,
            len(problem.themes),
            bases,
        )

    def units(self, needs: bool) -> dict[str, str]:
        """Scalar metric name → unit ("kr/FTE", "km", "FTE", "owners" or :data:`UNITLESS`)."""
        units = {"n_participating": "owners", "fte_participating": "FTE"}
        units["funding_per_fte"] = "kr/FTE"
        for basis in self.bases:
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
        """Metrics of draws × owners own amounts and draws × regions partner funds, with the
        draws' FTEs and participation (draws × owners) and needs (draws × owners × themes)."""
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
        gross, net = per_fte_rows(
            funding, w, self.km, self.onehot, self.travel_cost, self.coordination
        )

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
        for basis, x in ((b, gross if b == "gross" else net) for b in self.bases):
            s[f"gini_{basis}"] = gini_rows(x, w)
            theil = theil_rows(x, w, self.onehot)
            s[f"theil_{basis}"] = theil.total
            s[f"theil_{basis}_between"] = theil.between
            s[f"theil_{basis}_within"] = theil.within
            s[f"theil_{basis}_between_share"] = theil.between_share
            for gap, a, b in (("small_large", small, large), ("private_public", private, public)):
                diff, ratio = gap_rows(x, w, a, b)
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
        power = power_rows(w, self.region, self.n_regions)
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
            needs = np.asarray(needs, dtype=float)
            chosen = theme_choice_rows(needs, w, self.onehot, self.k_themes)
            match = np.where(part, need_match_rows(needs, chosen, self.region), np.nan)
            owners["need_match"] = match
            weight = np.where(np.isfinite(match), w, 0.0)
            sw = weight.sum(axis=1)
            s["need_match"] = np.divide(
                (weight * np.nan_to_num(match)).sum(axis=1),
                sw,
                out=np.full(len(w), np.nan),
                where=sw > 0,
            )
            diff, _ = gap_rows(np.nan_to_num(match), weight, small, large)
            s["need_match_gap_small_large"] = diff
        return Scores(s, owners)


@dataclass(frozen=True)
class StructureScores:
    """The scores ``structures`` compares: of net funding per FTE (Gini, Theil T and its
    between-region share, small − large gap), FTE-weighted travel, the largest power in any
    region, need match, and the lowest net funding per FTE of a taking-part owner."""

    gini: float
    theil_total: float
    theil_between_share: float
    small_large_gap: float
    travel_km: float
    max_power: float
    need_match: float
    min_net_per_fte: float


def score_allocation(
    problem: AllocationProblem,
    metrics: Metrics,
    owner_nok: np.ndarray,
    region_partner_nok: np.ndarray,
    owner_km: np.ndarray,
    regions: int | None = None,
) -> StructureScores:
    """The scores of one allocation of ``problem`` (its FTEs, participation and needs):
    ``owner_nok`` per owner and ``region_partner_nok`` per region, with ``owner_km`` each
    owner's distance. ``max_power`` is over the first ``regions`` regions (default all)."""
    engine = MetricsEngine.for_problem(problem, metrics, owner_km, bases=("net",))
    needs = problem.owner_needs
    scores = engine.score(
        owner_nok,
        region_partner_nok,
        np.asarray(problem.owner_fte, dtype=float),
        np.asarray(problem.owner_participates, dtype=bool),
        None if needs is None else np.nan_to_num(np.asarray(needs, float), nan=0.0)[None],
    )
    s = {name: float(values[0]) for name, values in scores.scalars.items()}
    largest = [s[f"power_largest_{r}"] for r in engine.region_ids[:regions]]
    net = scores.owners["net_per_fte"][0]
    return StructureScores(
        gini=s["gini_net"],
        theil_total=s["theil_net"],
        theil_between_share=s["theil_net_between_share"],
        small_large_gap=s["gap_small_large_net"],
        travel_km=s["travel_km"],
        max_power=float(np.nanmax(largest)) if np.isfinite(largest).any() else 0.0,
        need_match=s.get("need_match", np.nan),
        min_net_per_fte=float(np.nanmin(net)) if np.isfinite(net).any() else np.nan,
    )
