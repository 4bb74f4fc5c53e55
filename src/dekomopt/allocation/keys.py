"""The numbers the rules are stated in: regional key shares, region needs, stability targets.

Only participating owners count (R8). The regional key (R2/R12) is

    k_r = Σ_w w · part_w(r) / Σ_w w   over the weights w whose part has a non-zero total,

with part_fte(r) = FTE_r / Σ FTE, part_distance(r) = Σ_{i∈r} fte_i·km_i / Σ_i fte_i·km_i and
part_special(r) = special_r / Σ special (regions without participating owners count 0). A
weight whose denominator is zero carries no information, so it is dropped and the remaining
weights are renormalised; when every part is empty the key is all zeros (nothing to share).

Sector keys (2026 regime): with kindergarten staff given (``owner_kindergarten_fte``) the
kindergarten sector has a key of its own, the same formula over kindergarten staff instead of
teacher FTEs: part_fte is the region's share of the kindergarten staff, part_distance weights
each owner's km by its kindergarten staff, part_special is the region's special index as
for school (one index per region, for both sectors). The school sector keeps the teacher-FTE
key, and inside a region each owner's part of a sector is its share of that sector's FTEs.
Without kindergarten staff every sector uses the teacher-FTE key. Kindergarten staff are
data like teacher FTEs, so R8 takes a non-participant's staff out of the key too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.scenario.schema import RulesTable


@dataclass(frozen=True)
class KeyFacts:
    """Per-region facts of one or many draws: arrays indexed by (draw,) [sector,] region or
    owner [, sector]."""

    key: np.ndarray
    """k_r of the whole budget, summing to 1 (or all 0 when no participating owner has FTEs):
    with sector keys, Σ_s z_s · k_{s,r} over the sectors' budget shares z_s (R7)."""
    sector_key: np.ndarray
    """k_{s,r}: each sector's key of its own part (sector × region), every row ``key``
    without sector keys."""
    region_fte: np.ndarray
    """Participating FTEs of each sector's key per region (sector × region)."""
    region_active: np.ndarray
    """True when the region has at least one participating owner."""
    owner_share: np.ndarray
    """fte_i / FTE_r of each sector's key for participating owners, 0 otherwise: the owner's
    part of its region (owner × sector)."""

    def draw(self, i: int) -> KeyFacts:
        """The facts of draw ``i`` of a batch."""
        return KeyFacts(**{f.name: getattr(self, f.name)[i] for f in dataclasses.fields(self)})


def _sum_by(index: np.ndarray, weights: np.ndarray, n_bins: int) -> np.ndarray:
    """Per draw (rows of ``weights``), sums over entries by ``index`` (per entry, or draws ×
    entries), in entry order."""
    n = len(weights)
    cell = np.broadcast_to(np.arange(n)[:, None] * n_bins + index, weights.shape).ravel()
    return np.bincount(cell, weights=weights.ravel(), minlength=n * n_bins).reshape(n, n_bins)


def key_sectors(problem: AllocationProblem) -> tuple[str, ...]:
    """The sectors with a key of their own (R2 rows per sector): all of them when kindergarten
    staff are given in the 2026 regime (R7 on), else () for one key over the whole budget."""
    rules = problem.rules
    on = rules.kindergarten_share is not None and "kindergarten" in problem.sectors
    return problem.sectors if on and problem.owner_kindergarten_fte is not None else ()


def sector_shares(problem: AllocationProblem) -> np.ndarray:
    """z_s: each sector's share of the budget (R7's kindergarten share, school the rest)."""
    return target_mix(problem).sum(axis=0)


def facts_from(
    rules: RulesTable,
    region: np.ndarray,
    n_regions: int,
    fte: np.ndarray,
    participates: np.ndarray,
    km: np.ndarray,
    special: np.ndarray | None,
    sectors: tuple[str, ...] = ("school",),
    kindergarten_fte: np.ndarray | None = None,
    budget_shares: np.ndarray | None = None,
) -> KeyFacts:
    """Key shares and region aggregates of many draws (participating owners only): ``fte``,
    ``participates`` (and ``special``, ``kindergarten_fte``) are draws × owners (× regions);
    ``region`` holds the owners' int64 regions, and ``km`` their distances, per owner or draws
    × owners. With ``kindergarten_fte`` (and ``budget_shares`` z_s per sector) the
    kindergarten sector gets its own key."""
    part = np.asarray(participates, dtype=bool)
    region_active = _sum_by(region, part.astype(float), n_regions) > 0
    weights = rules.key_weights

    def key_of(staff: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The key of the staff numbers ``staff`` as the module doc states it, the region
        totals and the owners' shares of them."""
        staff = np.where(part, np.asarray(staff, dtype=float), 0.0)
        region_staff = _sum_by(region, staff, n_regions)
        # A part is only computed when its weight is on: the others cannot enter the key.
        parts = [(weights.fte, region_staff)]
        if weights.distance > 0:
            staff_km = staff * np.asarray(km, dtype=float)
            parts.append((weights.distance, _sum_by(region, staff_km, n_regions)))
        if weights.special > 0:
            values = 0.0 if special is None else np.asarray(special, dtype=float)
            parts.append((weights.special, np.where(region_active, values, 0.0)))
        # Each draw uses the parts with a non-zero total there; the key is their weighted mean.
        totals = [v.sum(axis=1, keepdims=True) for _, v in parts]
        used = [(total > 0) & (w > 0) for (w, _), total in zip(parts, totals, strict=True)]
        total_weight = sum(np.where(u, w, 0.0) for (w, _), u in zip(parts, used, strict=True))
        key = np.zeros_like(region_staff)
        for (w, v), total, u in zip(parts, totals, used, strict=True):
            share = np.divide(v, total, out=np.zeros_like(v), where=u)
            # One part alone has weight w / w = 1.0 exactly, so the key is its share exactly.
            weight = np.divide(w, total_weight, out=np.ones_like(total), where=total_weight > 0)
            key += np.where(u, weight * share, 0.0)
        denom = np.take_along_axis(region_staff, np.broadcast_to(region, staff.shape), axis=1)
        owner_share = np.divide(staff, denom, out=np.zeros_like(staff), where=denom > 0)
        return key, region_staff, owner_share

    teachers = key_of(fte)
    kg = teachers if kindergarten_fte is None else key_of(kindergarten_fte)
    per = [kg if s == "kindergarten" else teachers for s in sectors]
    sector_key = np.stack([f[0] for f in per], axis=1)
    return KeyFacts(
        key=teachers[0]
        if kg is teachers or budget_shares is None
        else np.einsum("s,nsr->nr", budget_shares, sector_key),
        sector_key=sector_key,
        region_fte=np.stack([f[1] for f in per], axis=1),
        region_active=region_active,
        owner_share=np.stack([f[2] for f in per], axis=2),
    )


def needs_from(
    owner_needs: np.ndarray, participates: np.ndarray, region: np.ndarray, n_regions: int
) -> np.ndarray:
    """R11: reported need in NOK per region and theme, +inf where a participating owner gave
    none (the region is then not capped there): ``owner_needs`` draws × owners × themes,
    ``participates`` draws × owners; draws × regions × themes."""
    needs = np.asarray(owner_needs, dtype=float)
    n, _, n_t = needs.shape
    col = np.where(np.asarray(participates, dtype=bool)[:, :, None], needs, 0.0)
    # One bin per region × theme, filled in owner order as a per-theme sum would be.
    cell = (region[:, None] * n_t + np.arange(n_t)).ravel()
    size = n_regions * n_t
    unknown = _sum_by(cell, np.isnan(col).reshape(n, -1).astype(float), size)
    out = _sum_by(cell, np.nan_to_num(col).reshape(n, -1), size)
    out[unknown > 0] = np.inf
    return out.reshape(n, n_regions, n_t)


@dataclass(frozen=True)
class Draws:
    """The data of ``n`` draws that rule bounds read; arrays have the draws first."""

    budget: np.ndarray
    """(n,) kroner to distribute."""
    facts: KeyFacts
    """Key shares, region FTEs, active regions and owner shares, each (n, …)."""
    participates: np.ndarray
    """(n, owners) bool."""
    cofin_capacity: np.ndarray
    """(n, owners) kroner, +inf where there is no cap."""
    partner_capacity: np.ndarray
    """(n, partners) kroner, +inf where there is no cap."""
    previous: np.ndarray | None
    """(n, regions) last year's shares (R10), None when the rule is off."""
    needs: np.ndarray | None
    """(n, regions, themes) reported needs in kroner (R11), +inf where unknown."""

    @property
    def n(self) -> int:
        return len(self.budget)


def _stack(
    problem: AllocationProblem, fields: Mapping[str, Sequence], name: str, n: int
) -> np.ndarray | None:
    """Field ``name`` of every draw (draws first): the given values, else the problem's."""
    if name in fields:
        return np.asarray(np.stack([np.asarray(v, dtype=float) for v in fields[name]]))
    value = getattr(problem, name)
    if value is None:
        return None
    value = np.asarray(value, dtype=float)
    return np.broadcast_to(value, (n, *value.shape))


def draws_of(
    problem: AllocationProblem, n: int = 1, fields: Mapping[str, Sequence] | None = None
) -> Draws:
    """The data of ``n`` draws: each field given as a sequence of ``n`` values (draw ``i``
    uses item ``i``), the others the problem's."""
    fields = fields or {}
    rules = problem.rules
    region = np.asarray(problem.owner_region, dtype=np.int64)
    budget = np.asarray(fields.get("budget_nok", [problem.budget_nok] * n), dtype=np.int64)
    participates = np.asarray(_stack(problem, fields, "owner_participates", n), dtype=bool)
    fte = np.asarray(_stack(problem, fields, "owner_fte", n), dtype=float)
    facts = facts_from(
        rules,
        region,
        problem.n_regions,
        fte,
        participates,
        problem.owner_km,
        _stack(problem, fields, "region_special", n),
        problem.sectors,
        _stack(problem, fields, "owner_kindergarten_fte", n) if key_sectors(problem) else None,
        sector_shares(problem),
    )
    cofin = np.asarray(_stack(problem, fields, "owner_cofin_capacity", n), dtype=float)
    pcap = np.asarray(_stack(problem, fields, "partner_capacity", n), dtype=float)
    previous = None
    prev = _stack(problem, fields, "region_previous", n)
    if prev is not None and rules.stability_max_change is not None:
        # Last year's shares: amounts over last year's total.
        total = problem.previous_total_nok
        previous = prev / (float(total) if total else prev.sum(axis=1, keepdims=True))
    needs = _stack(problem, fields, "owner_needs", n)
    return Draws(
        budget=budget.astype(float),
        facts=facts,
        participates=participates,
        cofin_capacity=np.where(np.isnan(cofin), np.inf, cofin),
        partner_capacity=np.where(np.isnan(pcap), np.inf, pcap),
        previous=previous,
        needs=None if needs is None else needs_from(needs, participates, region, problem.n_regions),
    )


def target_mix(problem: AllocationProblem) -> np.ndarray:
    """themes × sectors shares the rules point at; the tie-breaking terms aim for these.

    Theme: "special_ed" gets its R5 minimum, the first other theme the rest. Sector:
    "kindergarten" gets its R7 share when set, "school" (or else the first sector) the rest.
    """
    rules = problem.rules
    themes, sectors = problem.themes, problem.sectors
    z_t = np.zeros(len(themes))
    if "special_ed" in themes:
        z_t[themes.index("special_ed")] = rules.special_ed_share_min
    rest_t = next(i for i, t in enumerate(themes) if t != "special_ed")
    z_t[rest_t] += 1.0 - z_t.sum()
    z_s = np.zeros(len(sectors))
    if rules.kindergarten_share is not None and "kindergarten" in sectors:
        z_s[sectors.index("kindergarten")] = rules.kindergarten_share
    rest_s = sectors.index("school") if "school" in sectors else 0
    z_s[rest_s] += 1.0 - z_s.sum()
    return np.outer(z_t, z_s)
