"""Benchmarks for the alternative-structure engine: medians and ratios, not tests.

Run as ``python benchmarks/structures.py [--shared DIR] [--only PART]``; DIR holds ``data/``
with ``adjacency_2024.csv`` and ``municipalities.csv`` (default: ``shared/`` beside the
repository). The first parts measure the decision-diagram counts, scoring every structure (or
100 000 uniform samples) on 2 workers and the integer programme's time to a proven optimum.
"""

from __future__ import annotations

import argparse
import os
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


SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _scenario(name: str):
    from dekomopt.county import build_county
    from dekomopt.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / f"{name}.toml")
    return scenario, build_county(scenario)


def _best_of(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def _plain(n: int) -> str:
    """A whole number with spaces between thousands."""
    return f"{n:,}".replace(",", " ")


def counting_benchmark() -> None:
    """Counting time: our diagram (graphillion + parse + counts) against graphillion's own
    count and the previous counter (memoised search), on the bundled land + sea graphs."""
    from graphillion import GraphSet

    from dekomopt.structures.space import build_space

    print("== Counting connected partitions (land + sea; best of 5, in process) ==")
    rows = [("rogaland-2025", k, None) for k in (2, 3, 4, 5)]
    rows += [("vestland-2026", 13, None), ("nordland-2026", 13, None)]
    rows += [("vestland-2026", 13, 0.21)]
    for name, k, balance in rows:
        _, county = _scenario(name)
        graph = county.adjacency_graph(("land", "sea"))
        space = build_space(graph, k, balance=balance)
        ours = _best_of(lambda g=graph, k=k, b=balance: build_space(g, k, balance=b))

        def theirs(g=graph, k=k, b=balance):
            GraphSet.set_universe(list(g.edges))
            if b is None:
                return GraphSet.partitions(num_comp_lb=k, num_comp_ub=k).len()
            return GraphSet.balanced_partitions(lower=3, upper=4, num_comps=k).len()

        graphillion = _best_of(theirs)
        label = f"{name} k={k}" + ("" if balance is None else " (3–4 per part)")
        line = (
            f"{label:34s} {_plain(space.diagram_count):>20s}  dekomopt diagram {ours * 1e3:7.1f} ms"
            f"  graphillion {graphillion * 1e3:7.1f} ms"
        )
        if graph.number_of_nodes() <= 25:
            began = time.perf_counter()
            previous = count_partitions(graph, k, balance=balance).total
            line += f"  previous counter {time.perf_counter() - began:6.2f} s"
            assert previous == space.diagram_count
        else:
            line += "  previous counter not run (over 25 municipalities)"
        print(line)


def _allocate_all(name: str, nodes: tuple[str, ...], labels, workers: int) -> float:
    from dekomopt.structures.evaluate import StructureEvaluator, structure_context
    from dekomopt.structures.runner import evaluate_structures

    scenario, county = _scenario(name)
    ctx = structure_context(scenario, county, nodes)
    first = labels[:2000]
    began = time.perf_counter()
    StructureEvaluator(ctx).evaluate_many(first)
    one = (time.perf_counter() - began) / len(first) * 1e3
    print(f"  one process, the first {_plain(len(first))}: {one:.3f} ms per structure")
    began = time.perf_counter()
    frame = evaluate_structures(ctx, labels, workers=workers)
    seconds = time.perf_counter() - began
    failed = int((~frame["status"].eq("optimal")).sum())
    print(
        f"  {_plain(len(labels))} structures allocated and scored on {workers} worker(s): "
        f"{seconds:.1f} s ({seconds / len(labels) * 1e3 * workers:.2f} ms per structure per "
        f"worker; {failed} without an optimal allocation; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    return seconds


def scoring_benchmark(workers: int = 2) -> None:
    """Rogaland 5 regions: every structure; Vestland 13 regions: 100 000 uniform samples."""
    import numpy as np

    from dekomopt.structures.constraints import part_rules
    from dekomopt.structures.space import build_space
    from dekomopt.structures.spec import StructuresSpec

    print("== Every structure allocated (LP) and scored ==")
    scenario, county = _scenario("rogaland-2025")
    # the bundled land + sea graph, without the scenario's Ryfast link
    rules = part_rules(StructuresSpec(regions=5), county, 5)
    began = time.perf_counter()
    labels = build_space(rules.graph, 5, **rules.enumerate_kwargs()).enumerate()
    print(
        f"Rogaland 2025, 5 regions (bundled graph): {_plain(len(labels))} structures enumerated "
        f"from the diagram in {time.perf_counter() - began:.2f} s"
    )
    _allocate_all("rogaland-2025", rules.nodes, labels, workers)
    scenario, county = _scenario("vestland-2026")
    rules = part_rules(scenario.spec.structures, county, 13)
    began = time.perf_counter()
    space = build_space(rules.graph, 13, **rules.enumerate_kwargs())
    labels = space.sample(100_000, np.random.default_rng(2026)).labels
    print(
        f"Vestland 2026, 13 regions: 100 000 uniform samples of {_plain(space.diagram_count)} "
        "drawn "
        f"in {time.perf_counter() - began:.2f} s"
    )
    _allocate_all("vestland-2026", rules.nodes, labels, workers)


def mip_benchmark() -> None:
    """Time to a proven optimum of FTE-weighted travel (integer programme, HiGHS)."""
    from dekomopt.structures.best import best_for_scenario
    from dekomopt.structures.constraints import part_rules
    from dekomopt.structures.evaluate import StructureEvaluator, structure_context

    print("== Proven-best travel (flow-contiguity integer programme, PuLP + HiGHS) ==")
    for name in ("vestland-2026", "nordland-2026"):
        scenario, county = _scenario(name)
        ctx0 = structure_context(
            scenario, county, tuple(county.adjacency_graph(("land", "sea")).nodes)
        )
        k = len(ctx0.today_regions)
        rules = part_rules(scenario.spec.structures, county, k)
        ctx = structure_context(scenario, county, rules.nodes)
        today = StructureEvaluator(ctx).evaluate(ctx.today_labels)["travel_km"]
        best = best_for_scenario(ctx, rules, "travel", time_limit=300)
        gap = best.gap if best.gap > 1e-9 else 0.0
        print(
            f"{name} k={k}: best travel {best.value:.3f} km (bound {best.bound:.3f}, "
            f"gap {gap:.1e}, {'proven' if best.proven else 'not proven'}) in "
            f"{best.seconds:.1f} s; today {today:.3f} km"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder holding data/")
    parser.add_argument(
        "--only",
        choices=("counting", "scoring", "mip", "legacy"),
        help="run one part (default: counting, scoring and mip, then the legacy parts)",
    )
    args = parser.parse_args()
    if args.only in (None, "counting"):
        counting_benchmark()
    if args.only in (None, "scoring"):
        scoring_benchmark()
    if args.only in (None, "mip"):
        mip_benchmark()
    if args.only in (None, "legacy"):
        enumeration_benchmark(args.shared)
        sampler_benchmark(args.shared)
        allocation_benchmark()


if __name__ == "__main__":
    main()
