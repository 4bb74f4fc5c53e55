"""Time one allocation re-solve (LP + rounding) on the bundled counties and a national case.

Compares, on the same random draws of FTE noise, participation and budget:

* fast: ``FastAllocator.solve_many`` over all draws (per draw: bounds update, warm HiGHS
  re-solve; then rounding to whole kroner for all draws together), the call the Monte Carlo
  makes, as time per draw; ``solve`` (one draw, with the full ``Allocation``: duals, row
  activities, ties) is timed alongside, and both must give the same kroner;
* bare: the same warm HiGHS model with the draw's bounds precomputed, only the bound changes,
  the run and reading the solution timed (no rounding, no result), per draw over the whole
  batch like the fast path, in repeats alternating with it;
* naive: rebuild the PuLP statement of the LP (:mod:`dekomopt.allocation.pulp_model`),
  solve it with CBC and round.

Rogaland and Vestland are the bundled scenarios; the national case (360 owners, 80 regions)
is synthetic. Amounts are compared to the krone; where they differ, the objectives and the
rules are compared instead (see :func:`compare`). Run: ``python benchmarks/allocation.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pulp

from dekomopt.allocation import AllocationProblem, FastAllocator
from dekomopt.allocation.model import build_model
from dekomopt.allocation.pulp_model import pulp_amounts, pulp_model
from dekomopt.allocation.rounding import round_allocation
from dekomopt.allocation.ruletable import rule_table
from dekomopt.county import allocation_problem, build_county
from dekomopt.scenario import load_scenario
from dekomopt.testing import Rules, synthetic_problem

ROOT = Path(__file__).resolve().parents[1]
NATIONAL_RULES = Rules(uh_share_min=0.5, special_ed_share_min=0.2, rounding_unit_nok=1000)
DRAWS = 300
NAIVE_DRAWS = 20
REPEATS = 5


def problems() -> dict[str, AllocationProblem]:
    """Rogaland 2025 and Vestland 2026 as bundled, and a seeded synthetic national case."""
    out = {}
    for name, file in (("rogaland", "rogaland-2025.toml"), ("vestland", "vestland-2026.toml")):
        s = load_scenario(ROOT / "scenarios" / file)
        out[name] = allocation_problem(s, build_county(s))
    out["national"] = synthetic_problem(
        np.random.default_rng(2025),
        360,
        80,
        12,
        rules=NATIONAL_RULES,
        budget_nok=400_000_000,
        edges_per_region=3,
    )
    return out


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


def naive(problem: AllocationProblem, draw: dict) -> tuple[np.ndarray, float]:
    """Rebuild the PuLP model and solve it with CBC, then round; amounts and objective."""
    p = problem.with_(**draw)
    lp = pulp_model(p)
    lp.solve(pulp.PULP_CBC_CMD(msg=False))
    return round_allocation(p, pulp_amounts(p, lp)).amounts, float(pulp.value(lp.objective))


def compare(problem, draw, fast_amounts, fast_objective, cbc_amounts, cbc_objective) -> str:
    """ "same" (identical kroner), "equivalent" (equal objective, both keep every rule) or
    "DIFFERENT"."""
    if np.array_equal(fast_amounts, cbc_amounts):
        return "same"
    table = rule_table(problem.with_(**draw))
    rules_kept = not len(table.violations(fast_amounts)) and not len(table.violations(cbc_amounts))
    close = abs(fast_objective - cbc_objective) <= 1e-9 * max(1.0, abs(cbc_objective))
    return "equivalent" if rules_kept and close else "DIFFERENT"


def bench(name: str, problem: AllocationProblem) -> None:
    sample = draws(problem, DRAWS)
    fast = FastAllocator(problem)
    fast.solve()
    fields = {k: [d[k] for d in sample] for k in sample[0]}
    # Bare: a second allocator's HiGHS model, the draws' bounds computed beforehand.
    bare = FastAllocator(problem)
    bare.solve()
    h = bare.lp.highs
    prepared = [build_model(problem.with_(**d), with_names=False) for d in sample]
    n_cols, n_rows = len(bare.model.cost), bare.model.n_rows
    cols, rows = np.arange(n_cols, dtype=np.int32), np.arange(n_rows, dtype=np.int32)
    # Both timed the same way, per draw over the whole batch, in alternating repeats, so that
    # a busy machine slows both alike; the median repeat counts.
    t_fast, t_bare = [], []
    for _ in range(REPEATS):
        fast.solve(**sample[-1])
        t0 = time.perf_counter()
        _, many = fast.solve_many(len(sample), **fields)
        t_fast.append((time.perf_counter() - t0) / len(sample))
        t0 = time.perf_counter()
        for m in prepared:
            h.changeColsBounds(n_cols, cols, m.col_lo, m.col_hi)
            h.changeRowsBounds(n_rows, rows, m.row_lo, m.row_hi)
            h.run()
            np.asarray(h.getSolution().col_value)
        t_bare.append((time.perf_counter() - t0) / len(sample))
    t_full, results = [], []
    for d, amounts in zip(sample, many, strict=True):
        t0 = time.perf_counter()
        a = fast.solve(**d)
        t_full.append(time.perf_counter() - t0)
        assert np.array_equal(a.amounts, amounts)
        results.append((amounts, a.objective))

    t_naive, verdicts = [], []
    for d, (amounts, objective) in zip(sample[:NAIVE_DRAWS], results, strict=False):
        t0 = time.perf_counter()
        cbc_amounts, cbc_objective = naive(problem, d)
        t_naive.append(time.perf_counter() - t0)
        verdicts.append(compare(problem, d, amounts, objective, cbc_amounts, cbc_objective))
    f, full, b, n = (np.median(t) * 1e3 for t in (t_fast, t_full, t_bare, t_naive))
    tally = ", ".join(f"{verdicts.count(v)} {v}" for v in ("same", "equivalent", "DIFFERENT"))
    print(
        f"{name:9s} fast {f:6.3f} ms (solve {full:6.3f}) | bare warm HiGHS {b:6.3f} ms"
        f" | naive PuLP+CBC {n:7.2f} ms | naive/fast {n / f:5.1f}x | fast/bare {f / b:4.2f}x"
        f" | vs CBC: {tally}"
    )


def main() -> None:
    for name, problem in problems().items():
        bench(name, problem)


if __name__ == "__main__":
    main()
