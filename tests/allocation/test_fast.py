"""The warm path recomputes exactly the bounds a rebuild would, and rounds as the reference."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from dekomopt.allocation import FastAllocator, Status, solve
from dekomopt.allocation.model import build_model
from dekomopt.allocation.rounding import Rounder, round_allocation, to_units
from dekomopt.allocation.ruletable import rule_table
from dekomopt.testing import Rules, synthetic_problem, toy_problem

SPLITS = ("fte", "free")


def _full_problem(rng: np.random.Generator, split: str):
    """Every rule on, with needs, last year's amounts, co-financing caps and special index."""
    rules = Rules(
        uh_share_min=0.3,
        uh_scope="region" if split == "free" else "county",
        cofinancing_share=0.2,
        special_ed_share_min=0.1,
        kindergarten_share=0.3,
        key_weight_distance=0.2,
        key_weight_special=0.1,
        key_tolerance=0.5,
        owner_split=split,
        stability_max_change=0.5,
        rounding_unit_nok=100,
    )
    p = synthetic_problem(
        rng, 9, 3, 3, rules=rules, sectors=("kindergarten", "school"), with_needs=True
    )
    return p.with_(
        owner_cofin_capacity=np.r_[np.nan, rng.uniform(1e5, 1e6, p.n_owners - 1)],
        region_previous=rng.uniform(1e5, 2e5, p.n_regions),
        region_special=rng.uniform(0, 1, p.n_regions),
    )


def _draw(rng: np.random.Generator, p) -> dict:
    needs = p.owner_needs * rng.uniform(0.5, 2.0, p.owner_needs.shape)
    needs[rng.random(needs.shape) < 0.2] = np.nan
    part = rng.random(p.n_owners) > 0.3
    part[0] = True
    return {
        "budget_nok": int(rng.integers(300_000, 1_500_000)),
        "owner_fte": p.owner_fte * rng.uniform(0.5, 1.5, p.n_owners),
        "owner_participates": part,
        "partner_capacity": np.where(rng.random(p.n_partners) < 0.5, 1e6, np.nan),
        "owner_needs": needs,
        "region_previous": p.region_previous * rng.uniform(0.5, 1.5, p.n_regions),
        "owner_cofin_capacity": p.owner_cofin_capacity * rng.uniform(0.5, 1.5, p.n_owners),
        "region_special": rng.uniform(0, 1, p.n_regions),
    }


@pytest.mark.parametrize("split", SPLITS)
def test_bounds_equal_a_rebuild_to_the_last_bit(split):
    rng = np.random.default_rng(1)
    p = _full_problem(rng, split)
    pattern = rule_table(p, pattern=True)
    fast = FastAllocator(p)
    for _ in range(20):
        draw = _draw(rng, p)
        given = {k: v for k, v in draw.items() if rng.random() < 0.7}
        b = fast.bounds(1, {name: [value] for name, value in given.items()})
        b_col_hi, b_row_lo, b_row_hi = b.col_hi[0], b.row_lo[0], b.row_hi[0]
        b_rule_lo, b_rule_hi, b_absent = b.rule_lo[0], b.rule_hi[0], b.absent[0]
        q = p.with_(**given)
        m = build_model(q, with_names=False)
        assert np.array_equal(b_col_hi, m.col_hi)
        assert np.array_equal(b_row_lo, m.row_lo)
        assert np.array_equal(b_row_hi, m.row_hi)
        assert np.array_equal(b.d.facts.key[0], m.facts.key)
        table = rule_table(q)
        row = {name: g for g, name in enumerate(pattern.name)}
        for g, name in enumerate(table.name):
            if name == "R8_non_participants":
                assert np.array_equal(b_absent, table.coef[g].toarray().ravel() > 0)
                continue
            assert (b_rule_lo[row[name]], b_rule_hi[row[name]]) == (table.lo[g], table.hi[g])


@pytest.mark.parametrize("split", SPLITS)
def test_fast_path_equals_the_reference(split):
    rng = np.random.default_rng(2)
    p = _full_problem(rng, split)
    fast = FastAllocator(p)
    solved = 0
    for _ in range(15):
        draw = _draw(rng, p)
        a = fast.solve(**draw, raise_on_failure=False)
        b = solve(p.with_(**draw), raise_on_failure=False)
        assert a.status is b.status
        (status,), (amounts,) = fast.solve_many(1, **{k: [v] for k, v in draw.items()})
        assert status is a.status
        if a.status is not Status.OPTIMAL:
            continue
        solved += 1
        assert abs(a.objective - b.objective) <= 1e-7 * max(1.0, abs(b.objective))
        assert np.array_equal(amounts, a.amounts)
        assert np.array_equal(a.key_shares, b.key_shares)
        table = rule_table(p.with_(**draw))
        assert not len(table.violations(a.amounts))
        assert a.row_names == b.row_names
    assert solved >= 5


@pytest.mark.parametrize("split", SPLITS)
def test_many_draws_at_once_equal_draw_by_draw(split):
    # Every rule on, infeasible draws among them: the batch gives each draw's status and
    # the very kroner of solve, whichever rounding steps each draw needed.
    rng = np.random.default_rng(3)
    p = _full_problem(rng, split)
    draws = [_draw(rng, p) for _ in range(40)]
    many = FastAllocator(p)
    status, amounts = many.solve_many(len(draws), **{k: [d[k] for d in draws] for k in draws[0]})
    one = FastAllocator(p)
    solved = 0
    for d, st, row in zip(draws, status, amounts, strict=True):
        single = one.solve(**d, raise_on_failure=False)
        expected_status, expected = single.status, single.amounts
        assert st is expected_status
        assert np.array_equal(row, expected)
        if st is Status.OPTIMAL:
            solved += 1
            assert row.sum() == d["budget_nok"]
            assert not len(rule_table(p.with_(**d)).violations(row))
        else:
            assert not row.any()
    assert 5 <= solved < len(draws)


def test_many_draws_with_share_swaps_equal_draw_by_draw(tight_shares):
    rng = np.random.default_rng(8)
    p = tight_shares(rng, 30, 9, 4, budget_nok=40_000_000)
    n = 60
    fields = {
        "budget_nok": rng.integers(35_000_000, 45_000_000, n),
        "owner_fte": p.owner_fte * rng.uniform(0.9, 1.1, (n, p.n_owners)),
        "owner_participates": rng.random((n, p.n_owners)) > 0.1,
    }
    status, amounts = FastAllocator(p).solve_many(n, **fields)
    one = FastAllocator(p)
    for i in range(n):
        single = one.solve(**{k: v[i] for k, v in fields.items()}, raise_on_failure=False)
        st, expected = single.status, single.amounts
        assert st is status[i] is Status.OPTIMAL
        assert np.array_equal(amounts[i], expected)


def test_unset_fields_return_to_the_problem_values():
    rng = np.random.default_rng(3)
    p = synthetic_problem(rng, 12, 4, 3, rules=Rules(uh_share_min=0.4, rounding_unit_nok=10))
    fast = FastAllocator(p)
    first = fast.solve()
    fast.solve(budget_nok=5_000_000, owner_participates=np.arange(p.n_owners) % 3 > 0)
    again = fast.solve()
    assert np.array_equal(first.amounts, again.amounts)
    assert np.array_equal(first.key_shares, again.key_shares)


def test_structural_change_is_refused():
    p = synthetic_problem(np.random.default_rng(4), 6, 2, 2)
    with pytest.raises(ValueError, match="structure"):
        FastAllocator(p).solve(owner_needs=np.ones((p.n_owners, 2)))


def test_fallback_repairs_a_missed_minimum_share():
    # Three equal regions, about 1 000 kr in units of 7: largest remainders, even with
    # sibling swaps, leave a minimum share (UH or special education) missed, so the integer
    # program must step in.
    rules = Rules(special_ed_share_min=0.4, uh_share_min=0.3, rounding_unit_nok=7)
    for budget in (1001, 1000):
        p = toy_problem([1, 1, 1], budget=budget, rules=rules)
        reference = solve(p)
        table = rule_table(p)
        plain = Rounder(table, p.n_regions, 7).round_many(
            to_units(reference.lp_amounts, 7)[None], [budget], table.lo[None], table.hi[None]
        )
        missed = {table.name[g] for g in table.violations(plain.amounts[0])}
        assert missed and missed <= {"R3_uh_min", "R5_special_ed_min"}
        assert reference.rounding_method == "mip"
        assert round_allocation(p, reference.lp_amounts).method == "mip"
        assert not len(table.violations(reference.amounts))
        fast = FastAllocator(p).solve()
        assert fast.rounding_method == "mip"
        # The three regions are exactly alike, so which one takes the odd units is a tie
        # that the last bits of each path's LP solution decide; both must keep every rule.
        assert not len(table.violations(fast.amounts))
        assert fast.amounts.sum() == budget


@pytest.mark.parametrize(
    "code",
    [
        "FastAllocator(p).solve()",
        "solve(p)",
    ],
)
def test_first_solve_prints_nothing(code):
    script = (
        "from dekomopt.allocation import FastAllocator, solve\n"
        "from dekomopt.testing import toy_problem\n"
        "p = toy_problem([1, 2])\n" + code + "\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""


def test_solves_when_another_instance_started_more_threads():
    # HiGHS has one thread scheduler per process; the allocator asks for one thread and must
    # still solve after another instance started the scheduler with two.
    script = (
        "import highspy\n"
        "from dekomopt.allocation import FastAllocator\n"
        "from dekomopt.allocation.highs import new_highs\n"
        "from dekomopt.testing import toy_problem\n"
        "h = new_highs()\n"
        "h.setOptionValue('threads', 2)\n"
        "h.addVar(0.0, 1.0)\n"
        "h.run()\n"
        "a = FastAllocator(toy_problem([1, 2])).solve()\n"
        "print(a.status, a.amounts.sum())\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["optimal", "1000000"]
