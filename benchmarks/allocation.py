"""Time one allocation re-solve (LP + rounding) on county-sized problems.

Compares, on the same random draws of FTE noise, participation and budget:
the fast path (``FastAllocator.solve``), a naive PuLP + CBC rebuild-and-solve loop, and a
bare warm highspy re-solve of the same LP (bounds applied, no rounding, no result).
Run: ``python benchmarks/allocation.py``. Replace :func:`problems` to time real counties.
"""

from __future__ import annotations

import time

import numpy as np
import pulp

from dekomopt.allocation import AllocationProblem, FastAllocator, Rules
from dekomopt.allocation.lp import to_pulp
from dekomopt.allocation.model import build_model
from dekomopt.allocation.rounding import round_allocation
from dekomopt.allocation.solution import lp_amounts
from dekomopt.allocation.synthetic import synthetic_problem

RULES = Rules(uh_share_min=0.5, special_ed_share_min=0.2, rounding_unit_nok=1000)
DRAWS = 200
NAIVE_DRAWS = 20


def problems() -> dict[str, AllocationProblem]:
    """The benchmark cases (seeded synthetic stand-ins for Rogaland, Vestland, Norway)."""
    rng = np.random.default_rng(2025)
    return {
        "rogaland": synthetic_problem(rng, 23, 4, 3, n_private=1, rules=RULES),
        "vestland": synthetic_problem(rng, 43, 13, 5, rules=RULES, budget_nok=40_000_000),
        "national": synthetic_problem(
            rng, 360, 80, 12, rules=RULES, budget_nok=400_000_000, edges_per_region=3
        ),
    }


def draws(problem: AllocationProblem, n: int, seed: int = 1) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        part = rng.random(problem.n_owners) > 0.05
        out.append(
            {
                "budget_nok": int(problem.budget_nok * rng.uniform(0.9, 1.1)),
                "owner_fte": problem.owner_fte * rng.uniform(0.9, 1.1, problem.n_owners),
                "owner_participates": part,
            }
        )
    return out


def naive(problem: AllocationProblem, draw: dict) -> np.ndarray:
    """Rebuild the PuLP model and solve it with CBC, then round."""
    p = problem.with_(**draw)
    model = build_model(p)
    lp, variables, _ = to_pulp(model)
    lp.solve(pulp.PULP_CBC_CMD(msg=False))
    v = np.array([var.varValue or 0.0 for var in variables])
    return round_allocation(p, lp_amounts(p, model, v)).amounts


def bench(name: str, problem: AllocationProblem) -> None:
    sample = draws(problem, DRAWS)
    fast = FastAllocator(problem)
    fast.solve()
    t_fast, fast_amounts = [], []
    for d in sample:
        t0 = time.perf_counter()
        a = fast.solve(**d)
        t_fast.append(time.perf_counter() - t0)
        fast_amounts.append(a.amounts)

    # Bare: the same highspy model, changes precomputed, only apply + run + read values.
    bare = FastAllocator(problem)
    bare.solve()
    prepared = [build_model(problem.with_(**d), with_names=False) for d in sample]
    t_bare = []
    for model in prepared:
        t0 = time.perf_counter()
        bare._apply(model)
        bare.highs.run()
        bare.highs.getSolution()
        t_bare.append(time.perf_counter() - t0)

    t_naive, same = [], True
    for d, expected in zip(sample[:NAIVE_DRAWS], fast_amounts, strict=False):
        t0 = time.perf_counter()
        amounts = naive(problem, d)
        t_naive.append(time.perf_counter() - t0)
        same &= bool(np.array_equal(amounts, expected))
    f, b, n = (np.median(t) * 1e3 for t in (t_fast, t_bare, t_naive))
    print(
        f"{name:9s} fast {f:7.3f} ms | bare warm highspy {b:7.3f} ms | naive PuLP+CBC {n:8.2f} ms"
        f" | naive/fast {n / f:6.1f}x | fast/bare {f / b:4.2f}x | same amounts as CBC: {same}"
    )


def main() -> None:
    for name, problem in problems().items():
        bench(name, problem)


if __name__ == "__main__":
    main()
