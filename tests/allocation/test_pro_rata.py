"""key_tolerance = 0: strictly pro rata, each region's key share rounded by largest remainder."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation import solve
from dekomopt.testing import Rules, synthetic_problem, toy_problem


def largest_remainder(shares: np.ndarray, total: int) -> np.ndarray:
    exact = shares * total
    floor = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - floor), kind="stable")
    floor[order[: total - floor.sum()]] += 1
    return floor


def test_zero_tolerance_is_the_key_share_by_largest_remainder():
    # 1 000 000 · (1/7, 2/7, 4/7) = 142 857.14, 285 714.29, 571 428.57: floors leave one
    # krone, which goes to the largest remainder (region 2).
    p = toy_problem([1, 2, 4], rules=Rules(key_tolerance=0.0, uh_share_min=0.3))
    a = solve(p)
    assert a.region_totals.tolist() == [142_857, 285_714, 571_429]


def test_zero_tolerance_on_random_counties():
    rng = np.random.default_rng(12)
    for _ in range(20):
        budget = int(rng.integers(1_000_000, 90_000_000))
        p = synthetic_problem(
            rng, 15, 5, 3, rules=Rules(key_tolerance=0.0, uh_share_min=0.4), budget_nok=budget
        )
        a = solve(p)
        assert a.amounts.sum() == budget
        assert a.region_totals.tolist() == largest_remainder(a.key_shares, budget).tolist()
