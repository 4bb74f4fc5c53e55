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

from dekomopt.allocation.problem import AllocationProblem, Rules


@dataclass(frozen=True)
class KeyFacts:
    """Per-region facts derived from a problem; arrays indexed by region (and theme)."""

    key: np.ndarray
    """k_r, summing to 1 (or all 0 when no participating owner has FTEs)."""
    region_fte: np.ndarray
    """Participating teacher FTEs per region."""
    region_active: np.ndarray
    """True when the region has at least one participating owner."""
    owner_share: np.ndarray
    """fte_i / FTE_r for participating owners, 0 otherwise: the owner's part of its region."""
    weights_used: tuple[tuple[str, float], ...]
    """(part name, normalised weight) actually used in the key."""


def key_facts(problem: AllocationProblem) -> KeyFacts:
    """Key shares and region aggregates for ``problem`` (participating owners only)."""
    return facts_from(
        problem.rules,
        np.asarray(problem.owner_region, dtype=np.int64),
        problem.n_regions,
        problem.owner_fte,
        problem.owner_participates,
        problem.owner_km,
        problem.region_special,
    )


def facts_from(
    rules: Rules,
    region: np.ndarray,
    n_regions: int,
    fte: np.ndarray,
    participates: np.ndarray,
    km: np.ndarray,
    special: np.ndarray | None,
) -> KeyFacts:
    """:func:`key_facts` from the arrays it reads (``region`` as int64 owner regions)."""
    part = np.asarray(participates, dtype=bool)
    fte = np.where(part, np.asarray(fte, dtype=float), 0.0)
    region_fte = np.bincount(region, weights=fte, minlength=n_regions)
    region_active = np.bincount(region, weights=part, minlength=n_regions) > 0
    # A part is only computed when its weight is on: the others cannot enter the key.
    parts = [("fte", rules.key_weight_fte, region_fte)]
    if rules.key_weight_distance > 0:
        teacher_km = fte * np.asarray(km, dtype=float)
        parts.append(
            (
                "distance",
                rules.key_weight_distance,
                np.bincount(region, weights=teacher_km, minlength=n_regions),
            )
        )
    if rules.key_weight_special > 0:
        parts.append(
            (
                "special",
                rules.key_weight_special,
                np.zeros(n_regions)
                if special is None
                else np.where(region_active, np.asarray(special, dtype=float), 0.0),
            )
        )
    used = []
    for name, w, v in parts:
        total = v.sum()
        if w > 0 and total > 0:
            used.append((name, w, v / total))
    total_weight = sum(w for _, w, _ in used)
    if len(used) == 1:
        key = used[0][2]  # the weighted sum below, exactly: 0 + 1.0 · share
    else:
        key = np.zeros(n_regions)
        for _, w, share in used:
            key += (w / total_weight) * share
    denom = region_fte[region]
    owner_share = np.divide(fte, denom, out=np.zeros_like(fte), where=denom > 0)
    return KeyFacts(
        key=key,
        region_fte=region_fte,
        region_active=region_active,
        owner_share=owner_share,
        weights_used=tuple((name, w / total_weight) for name, w, _ in used),
    )


def region_needs(problem: AllocationProblem) -> np.ndarray | None:
    """R11: regions × themes reported need in NOK; +inf where a participating owner gave none.

    A participating owner with NaN need for a theme leaves the region's need for that theme
    unknown, so the region is not capped there (and no uncovered need is counted).
    """
    if problem.owner_needs is None:
        return None
    return needs_from(
        problem.owner_needs,
        problem.owner_participates,
        np.asarray(problem.owner_region, dtype=np.int64),
        problem.n_regions,
    )


def needs_from(
    owner_needs: np.ndarray, participates: np.ndarray, region: np.ndarray, n_regions: int
) -> np.ndarray:
    """:func:`region_needs` from the arrays it reads (``region`` as int64 owner regions)."""
    needs = np.asarray(owner_needs, dtype=float)
    n_t = needs.shape[1]
    col = np.where(np.asarray(participates, dtype=bool)[:, None], needs, 0.0)
    # One bin per region × theme, filled in owner order as a per-theme sum would be.
    cell = (region[:, None] * n_t + np.arange(n_t)).ravel()
    size = n_regions * n_t
    unknown = np.bincount(cell, weights=np.isnan(col).ravel(), minlength=size)
    out = np.bincount(cell, weights=np.nan_to_num(col).ravel(), minlength=size)
    out[unknown > 0] = np.inf
    return out.reshape(n_regions, n_t)


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
