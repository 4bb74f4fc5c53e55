"""Benchmarks for the alternative-structure engine: medians and ratios, not tests.

Run as ``python benchmarks/structures.py [--shared DIR]``; DIR holds ``data/`` with
``adjacency_2024.csv`` and ``municipalities.csv`` (default: ``shared/`` beside the repository).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from functools import partial
from pathlib import Path

import networkx as nx
import pandas as pd

from dekomopt.structures import (
    count_partitions,
    diagnose,
    enumerate_partitions,
    recom_chain,
    run_chains,
)

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load_county(shared: Path, prefix: str) -> tuple[nx.Graph, dict[str, float]]:
    """Land and sea adjacency within one county and municipal populations."""
    edges = pd.read_csv(shared / "data" / "adjacency_2024.csv", dtype=str)
    inside = edges[
        edges.kommunenummer_a.str.startswith(prefix) & edges.kommunenummer_b.str.startswith(prefix)
    ]
    graph = nx.Graph(list(zip(inside.kommunenummer_a, inside.kommunenummer_b, strict=True)))
    towns = pd.read_csv(shared / "data" / "municipalities.csv", dtype={"kommunenummer": str})
    population = dict(zip(towns.kommunenummer, towns.population.astype(float), strict=True))
    return graph, {node: population[node] for node in graph.nodes}


def _gerrychain_steps_per_second(graph, weights, k, tol, initial, steps, seed) -> float:
    from gerrychain import Graph, MarkovChain, Partition
    from gerrychain.accept import always_accept
    from gerrychain.constraints import within_percent_of_ideal_population
    from gerrychain.proposals import recom
    from gerrychain.updaters import Tally, cut_edges

    g = graph.copy()
    nx.set_node_attributes(g, weights, "population")
    start = Partition(
        Graph.from_networkx(g),
        initial,
        updaters={"population": Tally("population", alias="population"), "cut_edges": cut_edges},
    )
    ideal = sum(weights.values()) / k
    proposal = partial(
        recom,
        pop_col="population",
        pop_target=ideal,
        epsilon=tol,
        pair_selection="cut_edges",
        rng=random.Random(seed),
    )
    chain = MarkovChain(
        proposal,
        [within_percent_of_ideal_population(start, tol)],
        always_accept,
        start,
        total_steps=steps,
    )
    began = time.perf_counter()
    for _ in chain:
        pass
    return steps / (time.perf_counter() - began)


def sampler_benchmark(shared: Path = DEFAULT_SHARED) -> None:
    """ReCom steps per second, ours vs GerryChain 1.0, and our chains' R-hat and ESS (Vestland)."""
    k, steps, repeats = 13, 1000, 3
    graph, weights = load_county(shared, "46")
    mean = sum(weights.values()) / k
    biggest = max(weights, key=weights.get)
    # no tolerance below this admits any partition: the heaviest node is a part on its own
    floor = weights[biggest] / mean - 1
    tol = 5.0
    print("== ReCom sampler: Vestland (county 46), land + sea adjacency ==")
    print(f"graph: {graph.number_of_nodes()} municipalities, {graph.number_of_edges()} edges")
    print("weights: 2024 population, a stand-in for teacher FTEs")
    print(f"parts k = {k}; balance tol = {tol} (relative to the mean part weight {mean:,.0f});")
    print(
        f"  node {biggest} alone weighs {weights[biggest] / mean:.2f}x the mean,"
        f" so tol >= {floor:.2f}"
    )
    print(f"steps per run = {steps}; median over {repeats} repeats; pair choice: uniform cut edge")

    start = recom_chain(graph, k, weights, tol, seed=2024, steps=1)
    initial = {node: int(p) for node, p in zip(start.nodes, start.initial, strict=True)}
    ours = []
    for r in range(repeats):
        began = time.perf_counter()
        recom_chain(graph, k, weights, tol, seed=r, steps=steps, initial=initial)
        ours.append(steps / (time.perf_counter() - began))
    theirs = [
        _gerrychain_steps_per_second(graph, weights, k, tol, initial, steps, seed=r)
        for r in range(repeats)
    ]
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    print(f"dekomopt recom  : {ours_median:10,.0f} steps/s")
    print(f"gerrychain recom: {theirs_median:10,.0f} steps/s")
    print(f"ratio           : {ours_median / theirs_median:10.1f}x")

    n_chains, chain_steps, burn_in = 4, 20000, 2000
    chains = run_chains(graph, k, weights, tol, seed=1, steps=chain_steps, chains=n_chains)
    report = diagnose(chains, graph, weights, burn_in=burn_in)
    print(
        f"diagnostics: {n_chains} chains x {chain_steps} steps (burn-in {burn_in}), "
        "rank-normalised split R-hat (Vehtari et al. 2021), multi-chain ESS"
    )
    print(
        f"  acceptance rate {report.acceptance_rate:.3f};"
        f" distinct share {report.distinct_share:.3f}"
    )
    for m in report.metrics:
        print(f"  {m.name:16s} R-hat {m.rhat:.4f}  ESS {m.ess:9,.0f}  mean {m.mean:,.1f}")


def enumeration_benchmark(shared: Path = DEFAULT_SHARED) -> None:
    """Exact counts and enumeration times for Rogaland (county 11), unit weights."""
    graph, _ = load_county(shared, "11")
    print("== Exact enumeration: Rogaland (county 11), land + sea adjacency, unit weights ==")
    print(f"graph: {graph.number_of_nodes()} municipalities, {graph.number_of_edges()} edges")
    for k in (2, 3, 4, 5):
        began = time.perf_counter()
        total = count_partitions(graph, k).total
        counted = time.perf_counter() - began
        began = time.perf_counter()
        listed = sum(1 for _ in enumerate_partitions(graph, k))
        listed_in = time.perf_counter() - began
        print(
            f"k = {k}: {total:8,} connected partitions; count {counted:5.2f} s,"
            f" enumerate {listed:,} in {listed_in:5.2f} s"
        )


def allocation_benchmark(workers: tuple[int, ...] = (1, 2)) -> None:
    """Rogaland 2025, every contiguous 4-region structure enumerated, allocated and scored."""
    from dekomopt.county import build_county
    from dekomopt.scenario import load_scenario
    from dekomopt.structures.constraints import part_rules
    from dekomopt.structures.evaluate import StructureEvaluator, structure_context
    from dekomopt.structures.runner import evaluate_structures
    from dekomopt.structures.spec import StructuresSpec

    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios/rogaland-2025.toml")
    county = build_county(scenario)
    print("== Allocation over structures: Rogaland 2025, 4 regions, land + sea ==")
    began = time.perf_counter()
    rules = part_rules(StructuresSpec(regions=4), county, 4)
    labels = rules.enumerate()
    enumerated = time.perf_counter() - began
    ctx = structure_context(scenario, county, rules.nodes)
    print(f"{len(labels):,} structures enumerated in {enumerated:.2f} s")
    for mode in ("update", "pass"):
        evaluator = StructureEvaluator(ctx, mode)
        began = time.perf_counter()
        for row in labels[:1000]:
            evaluator.evaluate(row)
        per = (time.perf_counter() - began) / 1000 * 1000
        print(f"  solver mode {mode:6s}: {per:.2f} ms per structure (first 1,000, one process)")
    for n in workers:
        began = time.perf_counter()
        rules.enumerate()
        evaluate_structures(ctx, labels, workers=n)
        seconds = time.perf_counter() - began
        print(f"  enumerate + allocate + score all, {n} worker(s): {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder holding data/")
    args = parser.parse_args()
    enumeration_benchmark(args.shared)
    sampler_benchmark(args.shared)
    allocation_benchmark()


if __name__ == "__main__":
    main()
