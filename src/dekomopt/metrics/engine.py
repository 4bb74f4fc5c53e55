"""Every fairness metric of many allocations at once, as arrays over draws × owners.

The one place the metrics are put together: ``simulate`` scores each chunk of draws with
:meth:`MetricsEngine.score`, ``structures`` scores one structure's allocation with
:func:`score_allocation`, and the scalar functions of :mod:`dekomopt.metrics` are the same
row-wise definitions applied to one draw.

Definitions (per draw; ``w_i`` = the owner's FTEs if it takes part, else 0):

* funding_i = the owner's own amount + its FTE share of its region's partner (UH) funds,
  i.e. all money spent on its teachers' measures; ``funding_per_fte`` = funding_i / fte_i.
  The partner share is exact, not whole kroner (per owner ``funding_exact``, in kroner):
  ``propose`` splits a region's partner kroner in whole kroner by largest remainder, which
  differs from it by less than one krone per owner.
* ``net_per_fte`` = funding_per_fte − travel_cost_nok_per_km_fte·km_i −
  coordination_cost_nok / FTE_region (:func:`~dekomopt.metrics.funding.per_fte_rows`).
* Inequality (Gini, Theil T and its between/within-region split) is over taking-part
  owners weighted by FTE (:mod:`~dekomopt.metrics.inequality`, which states the rule for
  negative amounts and for floating-point noise). When the engine is told how far
  whole-krone rounding moves each owner's funding (``rounding_nok``), an index below what
  that rounding alone can produce is 0, as is a gap (its ratio then 1)
  (:mod:`~dekomopt.metrics.noise`), and
  :attr:`Scores.noise` holds each metric's rounding bound per draw.
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
from dataclasses import dataclass, field, fields

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.metrics.funding import per_fte_rows
from dekomopt.metrics.groups import gap_rows
from dekomopt.metrics.inequality import gini_rows, theil_rows
from dekomopt.metrics.needs import need_match_rows, theme_choice_rows
from dekomopt.metrics.noise import owner_rounding_nok, rounding_noise
from dekomopt.metrics.power import power_rows
from dekomopt.metrics.regions import Membership
from dekomopt.scenario.schema import Metrics

UNITLESS = "unitless"
"""Unit of indices, shares and ratios: the only metrics the stop rule's ``target_se`` reads."""


@dataclass(frozen=True)
class Scores:
    """Per-draw scalar metrics (name → array over draws), per-owner arrays (draws × owners),
    and per draw how far whole-krone rounding alone can move a scalar metric (name → array
    over draws; only the metrics with such a bound, and only when the engine has
    ``rounding_nok``)."""

    scalars: dict[str, np.ndarray]
    owners: dict[str, np.ndarray]
    noise: dict[str, np.ndarray] = field(default_factory=dict)


class MetricsEngine:
    """All metrics for allocations of one region structure (owners and regions fixed), or of
    one structure per draw (``structures`` scores many structures at once)."""

    def __init__(
        self,
        owner_region: np.ndarray,
        region_ids: tuple[str, ...],
        owner_km: np.ndarray,
        owner_kind: np.ndarray | Sequence[str],
        metrics: Metrics,
        n_themes: int,
        bases: tuple[str, ...] = ("gross", "net"),
        rounding_nok: np.ndarray | None = None,
    ) -> None:
        """``owner_region`` holds region codes into ``region_ids``; ``owner_km`` each owner's
        distance to its partner; ``owner_kind`` "municipality", "private" or "county";
        ``bases`` the funding per FTE the inequality indices and gaps are computed on
        ("gross", "net" or both). ``owner_region`` and ``owner_km`` may be draws × owners:
        then draw d is scored in its own structure (draws are then exactly as many).
        ``rounding_nok``: per owner, a bound on how far whole-krone rounding moves its
        funding (:func:`~dekomopt.metrics.noise.owner_rounding_nok`), for allocations in
        whole kroner; None for amounts not rounded."""
        self.bases = bases
        self.rounding_nok = None if rounding_nok is None else np.asarray(rounding_nok, float)
        self.region = np.asarray(owner_region, dtype=np.int64)
        self.region_ids = tuple(region_ids)
        self.n_regions = len(self.region_ids)
        self.member = Membership(self.region, self.n_regions)
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
        """The engine of ``problem``'s structure (``owner_km`` replaces the problem's), for
        its allocations in whole kroner."""
        rounding = owner_rounding_nok(
            problem.owner_region,
            problem.edge_region,
            problem.n_regions,
            len(problem.themes) * len(problem.sectors),
        )
        return cls(
            problem.owner_region,
            tuple(problem.region_ids),
            problem.owner_km if owner_km is None else owner_km,
            problem.owner_kind,
            metrics,
            len(problem.themes),
            bases,
            rounding,
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
        member = self.member
        region_fte = member.sum(w)
        owner_region_fte = member.spread(region_fte)
        part_of_region = np.divide(
            w, owner_region_fte, out=np.zeros_like(w), where=owner_region_fte > 0
        )
        funding = owner_nok + member.spread(region_partner_nok) * part_of_region
        gross, net = per_fte_rows(funding, w, self.km, member, self.travel_cost, self.coordination)

        s: dict[str, np.ndarray] = {}
        noise: dict[str, np.ndarray] = {}
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
        groups = {"small_large": (small, large), "private_public": (private, public)}
        for basis, x in ((b, gross if b == "gross" else net) for b in self.bases):
            gini = gini_rows(x, w)
            theil = theil_rows(x, w, member)
            between, within, share = theil.between, theil.within, theil.between_share
            if self.rounding_nok is not None:
                masks = tuple(m for pair in groups.values() for m in pair)
                g_noise, t_noise, mean_noise = rounding_noise(x, w, self.rounding_nok, masks)
                gini = np.where(gini < g_noise, 0.0, gini)
                between = np.where(between < t_noise, 0.0, between)
                within = np.where(within < t_noise, 0.0, within)
                kept = np.isfinite(share) & (between + within > 0)
                share = np.full_like(share, np.nan)
                share[kept] = between[kept] / (between + within)[kept]
                noise[f"gini_{basis}"] = g_noise
                for suffix in ("", "_between", "_within"):
                    noise[f"theil_{basis}{suffix}"] = t_noise
                # between/total moves by less than (ΔB + share·ΔT) / T ≤ 2·noise / T
                noise[f"theil_{basis}_between_share"] = np.divide(
                    2 * t_noise, between + within, out=np.full(len(w), np.nan), where=kept
                )
                for k, gap in enumerate(groups):
                    noise[f"gap_{gap}_{basis}"] = mean_noise[2 * k] + mean_noise[2 * k + 1]
            s[f"gini_{basis}"] = gini
            s[f"theil_{basis}"] = between + within
            s[f"theil_{basis}_between"] = between
            s[f"theil_{basis}_within"] = within
            s[f"theil_{basis}_between_share"] = share
            for gap, (a, b) in groups.items():
                diff, ratio = gap_rows(x, w, a, b)
                bound = noise.get(f"gap_{gap}_{basis}")
                if bound is not None:
                    within_noise = np.abs(diff) < bound
                    diff = np.where(within_noise, 0.0, diff)
                    ratio = np.where(within_noise & np.isfinite(ratio), 1.0, ratio)
                s[f"gap_{gap}_{basis}"] = diff
                s[f"gap_{gap}_{basis}_ratio"] = ratio
        travel = w @ self.km if self.km.ndim == 1 else (w * self.km).sum(axis=1)
        s["travel_km"] = np.divide(travel, total_w, out=np.full(len(w), np.nan), where=total_w > 0)
        net_region = np.divide(
            member.sum(np.where(has, net, 0.0) * w),
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
            "funding_exact": np.where(part, funding, 0.0),
            "funding_per_fte": gross,
            "net_per_fte": net,
            "power": power,
        }
        if needs is not None:
            needs = np.asarray(needs, dtype=float)
            chosen = theme_choice_rows(needs, w, member, self.k_themes)
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
        return Scores(s, owners, noise)


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


@dataclass(frozen=True)
class StructureScoreRows:
    """:class:`StructureScores` of many allocations: each field an array over them."""

    gini: np.ndarray
    theil_total: np.ndarray
    theil_between_share: np.ndarray
    small_large_gap: np.ndarray
    travel_km: np.ndarray
    max_power: np.ndarray
    need_match: np.ndarray
    min_net_per_fte: np.ndarray

    def row(self, i: int) -> StructureScores:
        """The scores of allocation ``i``."""
        return StructureScores(*(float(getattr(self, f.name)[i]) for f in fields(self)))


def score_structures(
    problem: AllocationProblem,
    metrics: Metrics,
    owner_region: np.ndarray,
    region_ids: tuple[str, ...],
    owner_nok: np.ndarray,
    region_partner_nok: np.ndarray,
    owner_km: np.ndarray,
    regions: int | None = None,
) -> StructureScoreRows:
    """The scores of allocations of ``problem``'s owners (its FTEs, participation and needs):
    ``owner_nok`` draws × owners and ``region_partner_nok`` draws × regions, with
    ``owner_region`` the owners' regions (per owner, or draws × owners: a structure per
    draw) and ``owner_km`` each owner's distance (likewise). ``max_power`` is over the first
    ``regions`` regions (default all)."""
    owner_nok = np.atleast_2d(np.asarray(owner_nok, dtype=float))
    n = len(owner_nok)
    engine = MetricsEngine(
        owner_region,
        region_ids,
        owner_km,
        problem.owner_kind,
        metrics,
        len(problem.themes),
        ("net",),
    )
    needs = problem.owner_needs
    fte = np.asarray(problem.owner_fte, dtype=float)
    part = np.asarray(problem.owner_participates, dtype=bool)
    if needs is not None:
        needs = np.broadcast_to(np.nan_to_num(np.asarray(needs, float), nan=0.0), (n, *needs.shape))
    scores = engine.score(
        owner_nok,
        region_partner_nok,
        np.broadcast_to(fte, owner_nok.shape),
        np.broadcast_to(part, owner_nok.shape),
        needs,
    )
    s = scores.scalars
    largest = np.stack([s[f"power_largest_{r}"] for r in engine.region_ids[:regions]], axis=1)
    net = scores.owners["net_per_fte"]
    some_power = np.isfinite(largest).any(axis=1)
    some_net = np.isfinite(net).any(axis=1)
    max_power = np.zeros(n)
    max_power[some_power] = np.nanmax(largest[some_power], axis=1)
    min_net = np.full(n, np.nan)
    min_net[some_net] = np.nanmin(net[some_net], axis=1)
    return StructureScoreRows(
        gini=s["gini_net"],
        theil_total=s["theil_net"],
        theil_between_share=s["theil_net_between_share"],
        small_large_gap=s["gap_small_large_net"],
        travel_km=s["travel_km"],
        max_power=max_power,
        need_match=s.get("need_match", np.full(n, np.nan)),
        min_net_per_fte=min_net,
    )


def score_allocation(
    problem: AllocationProblem,
    metrics: Metrics,
    owner_nok: np.ndarray,
    region_partner_nok: np.ndarray,
    owner_km: np.ndarray,
    regions: int | None = None,
) -> StructureScores:
    """The scores of one allocation of ``problem`` in its own regions (:func:`score_structures`
    of one draw): ``owner_nok`` per owner and ``region_partner_nok`` per region, with
    ``owner_km`` each owner's distance."""
    rows = score_structures(
        problem,
        metrics,
        problem.owner_region,
        tuple(problem.region_ids),
        owner_nok,
        region_partner_nok,
        owner_km,
        regions,
    )
    return rows.row(0)
