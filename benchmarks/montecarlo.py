"""Monte Carlo benchmark on the bundled Rogaland 2025 scenario.

Prints, in one run:

- N draws (allocation, every metric and the output files) with one worker and with two
  (this process and one more), wall time, draws/s and their ratio;
- the same draws through a naive loop that rebuilds the LP in PuLP and solves it with CBC
  (a sample, extrapolated), and its ratio to the fast runs;
- a long run (``--long`` draws) with one and two workers, ``--repeat`` times in turn, with
  the median of each and of the speed-ups (the machine is shared: single runs vary).

    python benchmarks/montecarlo.py [--draws 10000] [--naive-sample 50] [--long 100000]
                                    [--repeat 3]

Worker processes import this script again, so the modules only the naive loop needs are
imported inside it: the workers start as they do under ``dekomopt simulate``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from dekomopt.scenario import load_scenario

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "rogaland-2025.toml"


def timed_run(scenario, draws: int, workers: int) -> float:
    """Seconds for a whole ``simulate`` run of ``draws`` draws with ``workers`` workers."""
    from dekomopt.simulation import simulate

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        simulate(scenario, out, draws=draws, workers=workers, progress=False, figures=False)
        return time.perf_counter() - start


def naive(scenario, draws: int) -> float:
    """Seconds for ``draws`` draws rebuilding the LP per draw (its PuLP statement, solved by
    CBC, then rounded), scored the same."""
    import pulp

    from dekomopt.allocation.pulp_model import pulp_amounts, pulp_model
    from dekomopt.allocation.rounding import round_allocation
    from dekomopt.simulation import ChunkEngine, chunk_specs

    engine = ChunkEngine(scenario)
    inputs = engine.perturber.draw(
        np.random.default_rng(chunk_specs(0, draws, draws)[0].seed), np.arange(draws)
    )
    p = engine.problem
    start = time.perf_counter()
    own = np.zeros((draws, p.n_owners))
    partner = np.zeros((draws, p.n_regions))
    for d in range(draws):
        problem = p.with_(
            budget_nok=int(inputs.budget_nok[d]),
            owner_fte=inputs.fte[d],
            owner_participates=inputs.participates[d],
        )
        lp = pulp_model(problem)
        lp.solve(pulp.PULP_CBC_CMD(msg=False))
        amounts = round_allocation(problem, pulp_amounts(problem, lp)).amounts
        n_own = p.n_owners * len(p.themes) * len(p.sectors)
        own[d] = amounts[:n_own].reshape(p.n_owners, -1).sum(axis=1)
        edges = amounts[n_own:].reshape(len(p.edge_region), -1).sum(axis=1)
        partner[d] = np.bincount(p.edge_region, edges, p.n_regions)
    engine.scorer.score(own, partner, inputs.fte, inputs.participates)
    return time.perf_counter() - start


def long_run(scenario, draws: int, repeat: int) -> None:
    """One and two workers, ``repeat`` times in turn; each pair's speed-up and the medians."""
    ones, twos = [], []
    print(f"long run        {draws} draws, 1 and 2 workers in turn, {repeat} times")
    for _ in range(repeat):
        ones.append(timed_run(scenario, draws, 1))
        twos.append(timed_run(scenario, draws, 2))
        print(
            f"  1 worker {ones[-1]:7.2f} s   2 workers {twos[-1]:7.2f} s"
            f"   speed-up {ones[-1] / twos[-1]:.2f}x"
        )
    ratios = [a / b for a, b in zip(ones, twos, strict=True)]
    one, two, ratio = statistics.median(ones), statistics.median(twos), statistics.median(ratios)
    print(
        f"  median: 1 worker {one:.2f} s, 2 workers {two:.2f} s ({draws / two:.0f} draws/s); "
        f"speed-up of the medians {one / two:.2f}x, median speed-up {ratio:.2f}x"
        f" (range {min(ratios):.2f}-{max(ratios):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--naive-sample", type=int, default=50)
    parser.add_argument("--long", type=int, default=100_000, help="draws of the long run (0: none)")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of long runs")
    args = parser.parse_args()
    scenario = load_scenario(SCENARIO)
    n = args.draws
    one = timed_run(scenario, n, 1)
    two = timed_run(scenario, n, 2)
    sample = naive(scenario, args.naive_sample)
    naive_total = sample / args.naive_sample * n
    print(
        f"scenario        {SCENARIO.name}, {n} draws, "
        f"chunk size {scenario.spec.uncertainty.chunk_size}"
    )
    print(f"1 worker        {one:8.2f} s  {n / one:8.0f} draws/s")
    print(f"2 workers       {two:8.2f} s  {n / two:8.0f} draws/s   speed-up {one / two:.2f}x")
    print(
        f"naive PuLP+CBC  {naive_total:8.1f} s  {n / naive_total:8.1f} draws/s   "
        f"(measured {args.naive_sample} draws in {sample:.2f} s, extrapolated)"
    )
    print(
        f"fast vs naive   {naive_total / two:8.0f}x (2 workers), "
        f"{naive_total / one:.0f}x (1 worker)"
    )
    if args.long > 0:
        long_run(scenario, args.long, args.repeat)


if __name__ == "__main__":
    main()
