"""Allocation problems for tests and benchmarks: seeded synthetic counties of realistic shape
and hand-sized toy problems. Not used by the engine itself."""

from __future__ import annotations

import numpy as np
from pydantic import model_validator

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.scenario.schema import KeyWeights, RulesTable, Share


class Rules(RulesTable):
    """The scenario's ``[rules]`` model for problems built in code (tests, synthetic counties):
    the same fields and checks, with every rule off unless given, and the key weights also
    accepted as ``key_weight_fte``, ``key_weight_distance``, ``key_weight_special`` (the FTE
    weight defaults to what the other two leave)."""

    uh_share_min: Share = 0.0
    cofinancing_share: Share = 0.0

    @model_validator(mode="before")
    @classmethod
    def _flat_key_weights(cls, data: object) -> object:
        if not isinstance(data, dict) or not any(k.startswith("key_weight_") for k in data):
            return data
        data = dict(data)
        distance = data.pop("key_weight_distance", 0.0)
        special = data.pop("key_weight_special", 0.0)
        fte = data.pop("key_weight_fte", 1.0 - distance - special)
        data["key_weights"] = KeyWeights(fte=fte, distance=distance, special=special)
        return data


def synthetic_problem(
    rng: np.random.Generator,
    n_owners: int,
    n_regions: int,
    n_partners: int,
    *,
    n_private: int = 0,
    budget_nok: int = 20_000_000,
    rules: Rules | None = None,
    sectors: tuple[str, ...] = ("school",),
    edges_per_region: int = 2,
    with_needs: bool = False,
) -> AllocationProblem:
    """A county-like problem: every region has owners and ``edges_per_region`` partner edges.

    Owners are spread so every region has at least one; the last ``n_private`` owners are
    private. FTEs are lognormal around 150, distances uniform 5–250 km.
    """
    total = n_owners + n_private
    region = np.r_[np.arange(n_regions), rng.integers(0, n_regions, total - n_regions)]
    kind = ("municipality",) * n_owners + ("private",) * n_private
    fte = np.round(rng.lognormal(np.log(150), 0.8, total), 1)
    partners = [
        sorted(rng.choice(n_partners, min(edges_per_region, n_partners), replace=False))
        for _ in range(n_regions)
    ]
    edge_region = np.array([r for r in range(n_regions) for _ in partners[r]], dtype=np.int64)
    edge_partner = np.array([p for r in range(n_regions) for p in partners[r]], dtype=np.int64)
    needs = None
    if with_needs:
        needs = np.column_stack(
            [fte * rng.uniform(800, 2000, total), fte * rng.uniform(100, 600, total)]
        )
    return AllocationProblem(
        budget_nok=budget_nok,
        sectors=sectors,
        owner_ids=tuple(f"O{i:03d}" for i in range(total)),
        owner_names=tuple(f"Owner {i}" for i in range(total)),
        owner_kind=kind,
        owner_region=region.astype(np.int64),
        owner_fte=fte,
        owner_participates=np.ones(total, dtype=bool),
        owner_cofin_capacity=np.full(total, np.nan),
        owner_km=rng.uniform(5, 120, total),
        region_ids=tuple(f"REG{r:02d}" for r in range(n_regions)),
        partner_ids=tuple(f"P{p:02d}" for p in range(n_partners)),
        partner_names=tuple(f"Partner {p}" for p in range(n_partners)),
        partner_capacity=np.full(n_partners, np.nan),
        edge_region=edge_region,
        edge_partner=edge_partner,
        edge_km=rng.uniform(5, 250, len(edge_region)),
        rules=rules if rules is not None else Rules(),
        owner_needs=needs,
    )


def toy_problem(
    fte,
    owner_region=None,
    *,
    budget=1_000_000,
    rules=None,
    edges=None,
    n_partners=None,
    partner_capacity=None,
    participates=None,
    cofin_capacity=None,
    kinds=None,
    sectors=("school",),
    needs=None,
    previous=None,
    edge_km=None,
) -> AllocationProblem:
    """A hand-sized problem: one owner and one partner per region unless told otherwise.

    Every owner is 20 km from its partner, every edge 50 km; ids are K0…, REG0…, UH0….
    """
    fte = np.asarray(fte, dtype=float)
    n = len(fte)
    owner_region = np.arange(n) if owner_region is None else np.asarray(owner_region)
    n_regions = int(owner_region.max()) + 1
    edges = [(r, r) for r in range(n_regions)] if edges is None else edges
    n_partners = n_partners or max(p for _, p in edges) + 1
    return AllocationProblem(
        budget_nok=budget,
        sectors=sectors,
        owner_ids=tuple(f"K{i}" for i in range(n)),
        owner_names=tuple(f"Kommune {i}" for i in range(n)),
        owner_kind=tuple(kinds or ["municipality"] * n),
        owner_region=owner_region.astype(np.int64),
        owner_fte=fte,
        owner_participates=np.ones(n, bool) if participates is None else np.asarray(participates),
        owner_cofin_capacity=(
            np.full(n, np.nan) if cofin_capacity is None else np.asarray(cofin_capacity, float)
        ),
        owner_km=np.full(n, 20.0),
        region_ids=tuple(f"REG{r}" for r in range(n_regions)),
        partner_ids=tuple(f"UH{p}" for p in range(n_partners)),
        partner_names=tuple(f"Uni {p}" for p in range(n_partners)),
        partner_capacity=(
            np.full(n_partners, np.nan)
            if partner_capacity is None
            else np.asarray(partner_capacity, float)
        ),
        edge_region=np.array([r for r, _ in edges], dtype=np.int64),
        edge_partner=np.array([p for _, p in edges], dtype=np.int64),
        edge_km=np.asarray(edge_km if edge_km is not None else [50.0] * len(edges), float),
        rules=rules or Rules(),
        owner_needs=None if needs is None else np.asarray(needs, float),
        region_previous=None if previous is None else np.asarray(previous, float),
    )
