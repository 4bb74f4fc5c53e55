"""The numbers the rules are stated in: regional key shares, region needs, stability targets.

Only participating owners count (R8). The regional key (R2/R12) is

    k_r = Σ_w w · part_w(r) / Σ_w w   over the weights w whose part has a non-zero total,

with part_fte(r) = FTE_r / Σ FTE, part_distance(r) = Σ_{i∈r} fte_i·km_i / Σ_i fte_i·km_i and
part_special(r) = special_r / Σ special (regions without participating owners count 0). A
weight whose denominator is zero carries no information, so it is dropped and the remaining
weights are renormalised; when every part is empty the key is all zeros (nothing to share).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.scenario.schema import RulesTable


@dataclass(frozen=True)
class KeyFacts:
    """Per-region facts of one or many draws: arrays indexed by (draw,) region or owner."""

    key: np.ndarray
    """k_r, summing to 1 (or all 0 when no participating owner has FTEs)."""
    region_fte: np.ndarray
    """Participating teacher FTEs per region."""
    region_active: np.ndarray
    """True when the region has at least one participating owner."""
    owner_share: np.ndarray
    """fte_i / FTE_r for participating owners, 0 otherwise: the owner's part of its region."""
    weights_used: tuple[tuple[str, float], ...]
    """(part name, normalised weight) actually used in the key (of the first draw)."""

    def draw(self, i: int) -> KeyFacts:
        """The facts of draw ``i`` of a batch."""
        return KeyFacts(
            self.key[i],
            self.region_fte[i],
            self.region_active[i],
            self.owner_share[i],
            self.weights_used,
        )


def key_facts(problem: AllocationProblem) -> KeyFacts:
    """Key shares and region aggregates for ``problem`` (participating owners only)."""
    return facts_from(
        problem.rules,
        np.asarray(problem.owner_region, dtype=np.int64),
        problem.n_regions,
        np.asarray(problem.owner_fte, dtype=float)[None],
        np.asarray(problem.owner_participates, dtype=bool)[None],
        problem.owner_km,
        None if problem.region_special is None else np.asarray(problem.region_special)[None],
    ).draw(0)


def _sum_by(index: np.ndarray, weights: np.ndarray, n_bins: int) -> np.ndarray:
    """Per draw (rows of ``weights``), sums over entries by ``index``, in entry order."""
    n = len(weights)
    cell = (np.arange(n)[:, None] * n_bins + index[None, :]).ravel()
    return np.bincount(cell, weights=weights.ravel(), minlength=n * n_bins).reshape(n, n_bins)


def facts_from(
    rules: RulesTable,
    region: np.ndarray,
    n_regions: int,
    fte: np.ndarray,
    participates: np.ndarray,
    km: np.ndarray,
    special: np.ndarray | None,
) -> KeyFacts:
    """:func:`key_facts` for many draws: ``fte``, ``participates`` (and ``special``) are
    draws × owners (× regions); ``region`` holds the owners' int64 regions."""
    part = np.asarray(participates, dtype=bool)
    fte = np.where(part, np.asarray(fte, dtype=float), 0.0)
    region_fte = _sum_by(region, fte, n_regions)
    region_active = _sum_by(region, part.astype(float), n_regions) > 0
    weights = rules.key_weights
    # A part is only computed when its weight is on: the others cannot enter the key.
    parts = [("fte", weights.fte, region_fte)]
    if weights.distance > 0:
        teacher_km = fte * np.asarray(km, dtype=float)[None, :]
        parts.append(("distance", weights.distance, _sum_by(region, teacher_km, n_regions)))
    if weights.special > 0:
        values = (
            np.zeros_like(region_fte)
            if special is None
            else np.where(region_active, np.asarray(special, dtype=float), 0.0)
        )
        parts.append(("special", weights.special, values))
    # Each draw uses the parts with a non-zero total there; the key is their weighted mean.
    key = np.zeros_like(region_fte)
    total_weight = np.zeros((len(fte), 1))
    shares = []
    for name, w, v in parts:
        total = v.sum(axis=1, keepdims=True)
        used = (total > 0) & (w > 0)
        share = np.divide(v, total, out=np.zeros_like(v), where=used)
        shares.append((name, w, used, share))
        total_weight += np.where(used, w, 0.0)
    single = sum(used for _, _, used, _ in shares) == 1
    for _, w, used, share in shares:
        # One part alone is its share exactly (not w/w · share).
        weight = np.divide(w, total_weight, out=np.ones_like(total_weight), where=total_weight > 0)
        factor = np.where(single, 1.0, weight)
        key += np.where(used, factor * share, 0.0)
    denom = np.take_along_axis(region_fte, np.broadcast_to(region, fte.shape), axis=1)
    owner_share = np.divide(fte, denom, out=np.zeros_like(fte), where=denom > 0)
    first = [(name, float(w / total_weight[0, 0])) for name, w, used, _ in shares if used[0, 0]]
    return KeyFacts(
        key=key,
        region_fte=region_fte,
        region_active=region_active,
        owner_share=owner_share,
        weights_used=tuple(first),
    )


def region_needs(problem: AllocationProblem) -> np.ndarray | None:
    """R11: regions × themes reported need in NOK; +inf where a participating owner gave none.

    A participating owner with NaN need for a theme leaves the region's need for that theme
    unknown, so the region is not capped there (and no uncovered need is counted).
    """
    if problem.owner_needs is None:
        return None
    return needs_from(
        np.asarray(problem.owner_needs, dtype=float)[None],
        np.asarray(problem.owner_participates, dtype=bool)[None],
        np.asarray(problem.owner_region, dtype=np.int64),
        problem.n_regions,
    )[0]


def needs_from(
    owner_needs: np.ndarray, participates: np.ndarray, region: np.ndarray, n_regions: int
) -> np.ndarray:
    """:func:`region_needs` for many draws: ``owner_needs`` draws × owners × themes,
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


def previous_shares(problem: AllocationProblem) -> np.ndarray | None:
    """R10: each region's share of last year's total (None when the rule is off)."""
    if problem.region_previous is None or problem.rules.stability_max_change is None:
        return None
    prev = np.asarray(problem.region_previous, dtype=float)
    total = float(problem.previous_total_nok) if problem.previous_total_nok else float(prev.sum())
    return prev / total


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
