"""Monte Carlo benchmark on the bundled Rogaland 2025 scenario.

Prints, in one run: wall time and draws/s of N draws (allocation, every metric and the output
files) with one worker and with two (this process and one more; and their ratio), and the same
draws through a naive loop that rebuilds the LP in PuLP and solves it with CBC (a sample,
extrapolated).

    python benchmarks/montecarlo.py [--draws 10000] [--naive-sample 50]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pulp

from dekomopt.allocation.lp import to_pulp
from dekomopt.allocation.model import build_model
from dekomopt.allocation.rounding import round_allocation
from dekomopt.allocation.solution import lp_amounts
from dekomopt.scenario import load_scenario
from dekomopt.simulation import ChunkEngine, chunk_specs, simulate

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "rogaland-2025.toml"


def timed_run(scenario, draws: int, workers: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        simulate(scenario, out, draws=draws, workers=workers, progress=False, figures=False)
        return time.perf_counter() - start


def naive(scenario, draws: int) -> float:
    """Seconds for ``draws`` draws rebuilding the LP per draw (PuLP + CBC), scored the same."""
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
        model = build_model(problem)
        lp, variables, _ = to_pulp(model)
        lp.solve(pulp.PULP_CBC_CMD(msg=False))
        v = np.array([var.varValue or 0.0 for var in variables])
        amounts = round_allocation(problem, lp_amounts(problem, model, v)).amounts
        n_own = p.n_owners * len(p.themes) * len(p.sectors)
        own[d] = amounts[:n_own].reshape(p.n_owners, -1).sum(axis=1)
        edges = amounts[n_own:].reshape(len(p.edge_region), -1).sum(axis=1)
        partner[d] = np.bincount(p.edge_region, edges, p.n_regions)
    engine.scorer.score(own, partner, inputs.fte, inputs.participates)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--naive-sample", type=int, default=50)
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


if __name__ == "__main__":
    main()
