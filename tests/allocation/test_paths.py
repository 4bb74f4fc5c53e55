"""The one-shot solve and the warm highspy path reach the same optimum, to the krone."""

from __future__ import annotations

import numpy as np

from dekomopt.allocation import FastAllocator, alternatives, solve
from dekomopt.allocation.ruletable import rule_table
from dekomopt.testing import Rules, synthetic_problem

RULES = Rules(
    uh_share_min=0.5, special_ed_share_min=0.2, cofinancing_share=0.3, rounding_unit_nok=1000
)


def test_pulp_and_fast_agree_on_random_draws():
    rng = np.random.default_rng(7)
    base = synthetic_problem(rng, 23, 4, 3, n_private=1, rules=RULES)
    base = base.with_(partner_capacity=np.array([np.nan, 6e6, np.nan]))
    fast = FastAllocator(base)
    for _ in range(60):
        fte = base.owner_fte * rng.uniform(0.85, 1.15, base.n_owners)
        part = rng.random(base.n_owners) > 0.1
        budget = int(rng.integers(15_000_000, 25_000_000))
        a = fast.solve(budget_nok=budget, owner_fte=fte, owner_participates=part)
        b = solve(base.with_(budget_nok=budget, owner_fte=fte, owner_participates=part))
        assert abs(a.objective - b.objective) <= 1e-7 * max(1.0, abs(b.objective))
        assert np.array_equal(a.amounts, b.amounts)
        assert a.amounts.sum() == budget
        assert (a.owner_totals[~part] == 0).all()


def test_fast_path_with_needs_and_two_sectors():
    # Needs push regions off the key, where the optimum need not be unique: the objective
    # agrees, and both roundings keep every rule.
    rng = np.random.default_rng(3)
    rules = Rules(uh_share_min=0.4, special_ed_share_min=0.1, kindergarten_share=0.3)
    base = synthetic_problem(
        rng,
        10,
        3,
        2,
        rules=rules,
        sectors=("kindergarten", "school"),
        with_needs=True,
        budget_nok=3_000_000,
    )
    fast = FastAllocator(base)
    for _ in range(10):
        needs = base.owner_needs * rng.uniform(0.5, 1.5, base.owner_needs.shape)
        a = fast.solve(owner_needs=needs)
        p = base.with_(owner_needs=needs)
        b = solve(p)
        assert abs(a.objective - b.objective) <= 1e-7 * max(1.0, abs(b.objective))
        table = rule_table(p)
        assert len(table.violations(a.amounts)) == len(table.violations(b.amounts)) == 0


def test_alternatives_differ_and_stay_near_optimal():
    rng = np.random.default_rng(5)
    p = synthetic_problem(rng, 8, 3, 3, rules=Rules(uh_share_min=0.5), edges_per_region=2)
    best = solve(p)
    alts = alternatives(p, 3, slack=0.05)
    assert alts.found
    chosen = [best]
    for alt in alts.found:
        a = alt.allocation
        assert a.amounts.sum() == p.budget_nok
        assert a.objective <= best.objective + 0.05 + 1e-9
        assert not len(rule_table(p).violations(a.amounts))
        recipients = np.r_[a.owner_totals, a.partner_totals]
        moved = [
            np.abs(recipients - np.r_[c.owner_totals, c.partner_totals]).sum() // 2 for c in chosen
        ]
        assert alt.moved_nok == moved[0]
        assert alt.nearest_nok == min(moved) >= alts.search.min_moved_nok
        chosen.append(a)
