"""From a ``[structures]`` table to the rules the enumerator and the sampler apply per region."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from dekomopt.county.model import County, owner_partner_km
from dekomopt.errors import DataError, InfeasibleError
from dekomopt.structures.partitions import count_partitions, enumerate_partitions
from dekomopt.structures.space import explain_empty_space
from dekomopt.structures.spec import StructuresSpec


class NearPartner:
    """Part test: the region's FTE-weighted distance to some eligible partner is at most ``km``.

    The distance is the one the allocation uses for a region's partnership edges (the FTE-weighted
    mean of its municipalities' great-circle km; unweighted when the region has no FTEs).
    """

    def __init__(self, nodes: tuple[str, ...], fte: np.ndarray, km: np.ndarray, limit: float):
        self.position = {node: i for i, node in enumerate(nodes)}
        self.fte = np.asarray(fte, dtype=float)
        self.km = np.asarray(km, dtype=float)
        self.limit = float(limit)

    def region_km(self, part: frozenset) -> float:
        """The region's distance to its nearest eligible partner."""
        idx = [self.position[n] for n in part]
        w = self.fte[idx] if self.fte[idx].sum() > 0 else np.ones(len(idx))
        return float((w @ self.km[idx]).min() / w.sum())

    def __call__(self, part: frozenset) -> bool:
        return self.region_km(part) <= self.limit


class MinWeight:
    """Part test: the region's teacher FTEs are at least ``floor`` (for the ReCom sampler)."""

    def __init__(self, weights: dict[str, float], floor: float, also=None):
        self.weights = weights
        self.floor = float(floor)
        self.also = also

    def __call__(self, part: frozenset) -> bool:
        if sum(self.weights[n] for n in part) < self.floor * (1 - 1e-12):
            return False
        return self.also is None or self.also(part)


@dataclass(frozen=True)
class PartRules:
    """Everything that decides whether a k-region structure is plausible."""

    graph: nx.Graph
    nodes: tuple[str, ...]
    weights: dict[str, float]
    k: int
    balance: float | None
    min_weight: float | None
    together: tuple[tuple[str, ...], ...]
    part_ok: NearPartner | None

    def enumerate_kwargs(self) -> dict:
        return {
            "weights": self.weights,
            "balance": self.balance,
            "min_weight": self.min_weight,
            "together": self.together,
            "part_ok": self.part_ok,
            "nodes": self.nodes,
        }

    def count(self) -> int:
        """Structures meeting every rule."""
        return count_partitions(self.graph, self.k, **self.enumerate_kwargs()).feasible

    def enumerate(self) -> np.ndarray:
        """Every plausible structure as rows of region labels over :attr:`nodes` (int16)."""
        rows = list(enumerate_partitions(self.graph, self.k, **self.enumerate_kwargs()))
        if not rows:
            return np.empty((0, len(self.nodes)), dtype=np.int16)
        return np.stack(rows)

    def why_empty(self) -> str:
        """Which of the rules leaves no structure, counted on the decision diagram (see
        :func:`~dekomopt.structures.space.explain_empty_space`)."""
        part_test = "has every region pass the part test"
        if self.part_ok is not None:
            part_test = (
                f"has every region within {self.part_ok.limit:g} km (FTE-weighted) of an "
                "eligible partner (max_partner_km)"
            )
        return explain_empty_space(
            self.graph, self.k, **self.enumerate_kwargs(), part_test=part_test
        )

    def breaks(self, labels: np.ndarray, names: Sequence[str] = ()) -> str | None:
        """Why the structure ``labels`` (over :attr:`nodes`, parts 0..k-1) is not plausible, or
        None when it meets every rule: the same rules the enumerator and the sampler apply.
        ``names`` name the regions in the sentence (default "region 1", ...)."""
        labels = np.asarray(labels)
        k = int(labels.max()) + 1
        if k != self.k:
            return f"it has {k} geographic regions, not {self.k}"
        called = list(names) if len(names) == k else [f"region {p + 1}" for p in range(k)]
        mean = sum(self.weights.values()) / k
        eps = 1e-9 * max(mean * k, 1.0)
        for p in range(k):
            part = [n for n, lab in zip(self.nodes, labels, strict=True) if lab == p]
            weight = sum(self.weights[n] for n in part)
            if not part or not nx.is_connected(self.graph.subgraph(part)):
                return f"{called[p]} is not contiguous on the chosen links"
            if self.balance is not None and abs(weight - mean) > self.balance * mean + eps:
                return f"{called[p]} is not within {self.balance:.0%} of the mean FTE (balance)"
            if self.min_weight is not None and weight < self.min_weight - eps:
                return f"{called[p]} has fewer than {self.min_weight:g} teacher FTE (min_fte)"
            if self.part_ok is not None and not self.part_ok(frozenset(part)):
                return (
                    f"{called[p]} is more than {self.part_ok.limit:g} km (FTE-weighted) from "
                    "every eligible partner (max_partner_km)"
                )
        for group in self.together:
            if len({int(labels[self.nodes.index(n)]) for n in group}) > 1:
                return f"{', '.join(group)} are not in one region (together)"
        return None

    def recom_tolerance(self) -> float:
        """ReCom's balance tolerance: the spec's, or one wide enough to admit any weight."""
        return self.balance if self.balance is not None else float(self.k)

    def recom_part_ok(self):
        if self.min_weight is None:
            return self.part_ok
        return MinWeight(self.weights, self.min_weight, self.part_ok)


def spec_problems(spec: StructuresSpec, county: County) -> list[tuple[str, str]]:
    """Every problem of ``spec`` against ``county``, one ``(key, what is wrong)`` each: a
    kommunenummer in ``extra_links`` or ``together`` that is no municipality of the county's
    geography, and a number of regions above its number of municipalities."""
    graph = county.adjacency_graph(spec.link_kinds)
    where = f"of {county.name}'s geography"
    problems = []
    for i, pair in enumerate(spec.extra_links, start=1):
        for code in pair:
            if code not in graph:
                problems.append(
                    (f"structures.extra_links[{i}]", f"{code} is no municipality {where}")
                )
    for i, group in enumerate(spec.together, start=1):
        for code in group:
            if code not in graph:
                problems.append((f"structures.together[{i}]", f"{code} is no municipality {where}"))
    n = graph.number_of_nodes()
    for key in ("regions", "regions_min", "regions_max"):
        value = getattr(spec, key)
        if value is not None and value > n:
            problems.append(
                (f"structures.{key}", f"{value} regions, more than the {n} municipalities")
            )
    return problems


def part_rules(spec: StructuresSpec, county: County, k: int) -> PartRules:
    """The rules of ``spec`` for ``k`` geographic regions of ``county``'s municipalities
    (``spec`` checked by :func:`spec_problems`: a stranger in ``extra_links`` is a DataError)."""
    graph = county.adjacency_graph(spec.link_kinds)
    for a, b in spec.extra_links:
        for code in (a, b):
            if code not in graph:
                raise DataError(
                    "scenario", "structures.extra_links", f"{code} is no municipality of the county"
                )
        graph.add_edge(a, b, kind="scenario")
    nodes = tuple(graph.nodes)
    weights = {n: float(graph.nodes[n]["teacher_fte"]) for n in nodes}
    near = None
    if spec.max_partner_km is not None:
        owners = county.owners.set_index("owner_id").loc[list(nodes)].reset_index()
        km = owner_partner_km(owners, county.partners)
        near = NearPartner(nodes, owners["teacher_fte"].to_numpy(float), km, spec.max_partner_km)
    return PartRules(
        graph=graph,
        nodes=nodes,
        weights=weights,
        k=k,
        balance=spec.balance,
        min_weight=spec.min_fte,
        together=spec.together,
        part_ok=near,
    )


def require_structures(rules: PartRules) -> int:
    """The number of plausible structures; raises InfeasibleError naming the rule when none."""
    n = rules.count()
    if n == 0:
        raise InfeasibleError(
            f"no plausible {rules.k}-region structure: {rules.why_empty()}",
            conflicts=("structures",),
        )
    return n


TREE_POWER = 0.0
"""The sampler's target: ``prod tau(region) ** TREE_POWER`` (:mod:`dekomopt.structures.recom`)."""


def chain_lengths(samples: int, chains: int) -> tuple[int, int]:
    """Draws kept per chain and burn-in steps before them, for ``samples`` draws in all.

    Raises DataError unless there are at least 2 chains and at least one draw per chain.
    """
    if chains < 2:
        raise DataError("structures", "chains", f"must be at least 2, got {chains}")
    if samples < chains:
        raise DataError(
            "structures",
            "samples",
            f"must be at least the number of chains ({chains}), got {samples}",
        )
    per_chain = math.ceil(samples / chains)
    return per_chain, max(1, per_chain // 10)


def sample_structures(
    rules: PartRules,
    samples: int,
    chains: int,
    seed: np.random.SeedSequence,
    tree_power: float = TREE_POWER,
) -> tuple[np.ndarray, np.ndarray]:
    """``samples`` draws of the reversible ReCom chain (after a 10 % burn-in per chain) and the
    chain of each draw; ``ceil(samples / chains)`` draws per chain.

    Their stationary law is proportional to the product of the regions' spanning-tree counts
    to the power ``tree_power`` (see :mod:`dekomopt.structures.recom`); uniform at 0. Chains
    are seeded from ``seed.spawn(chains)``, so the draws are a function of the seed.
    """
    from dekomopt.structures.recom import run_chains

    per_chain, burn_in = chain_lengths(samples, chains)
    results = run_chains(
        rules.graph,
        rules.k,
        rules.weights,
        rules.recom_tolerance(),
        seed,
        per_chain + burn_in,
        chains,
        together=rules.together,
        variant="reversible",
        tree_power=tree_power,
        part_ok=rules.recom_part_ok(),
        nodes=rules.nodes,
    )
    draws = np.concatenate([r.assignments[burn_in:] for r in results]).astype(np.int16)
    chain_of = np.repeat(np.arange(chains), per_chain)
    return draws, chain_of
