"""Rounding keeps the budget exact and every rule, on thousands of random small problems."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from dekomopt.allocation import FastAllocator, Status
from dekomopt.allocation.rounding import Rounder, to_units
from dekomopt.allocation.ruletable import RuleTable, rule_table
from dekomopt.testing import Rules, synthetic_problem

SUB_CASES = 8


@st.composite
def problems(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_regions = draw(st.integers(1, 4))
    n_owners = draw(st.integers(n_regions, 8))
    two_sectors = draw(st.booleans())
    rules = Rules(
        uh_share_min=draw(st.sampled_from([0.0, 0.3, 0.5, 0.6])),
        uh_scope=draw(st.sampled_from(["county", "region"])),
        special_ed_share_min=draw(st.sampled_from([0.0, 0.15, 0.333])),
        kindergarten_share=draw(st.sampled_from([0.25, 0.4])) if two_sectors else None,
        rounding_unit_nok=draw(st.sampled_from([1, 7, 100, 1000])),
        owner_split=draw(st.sampled_from(["fte", "free"])),
        key_weight_distance=draw(st.sampled_from([0.0, 0.3])),
    )
    sectors = ("kindergarten", "school") if two_sectors else ("school",)
    return rng, synthetic_problem(
        rng,
        n_owners,
        n_regions,
        draw(st.integers(1, 3)),
        rules=rules,
        sectors=sectors,
        budget_nok=int(rng.integers(10_000, 5_000_000)),
    )


@settings(max_examples=250, deadline=None)
@given(problems())
def test_rounded_amounts_keep_budget_and_rules(case):
    rng, problem = case
    fast = FastAllocator(problem)
    for _ in range(SUB_CASES):
        budget = int(rng.integers(10_000, 5_000_000))
        fte = problem.owner_fte * rng.uniform(0.5, 1.5, problem.n_owners)
        part = rng.random(problem.n_owners) > 0.2
        part[0] = True
        a = fast.solve(budget_nok=budget, owner_fte=fte, owner_participates=part)
        assert a.status is Status.OPTIMAL
        assert a.amounts.sum() == budget
        assert (a.amounts >= 0).all()
        p = problem.with_(budget_nok=budget, owner_fte=fte, owner_participates=part)
        table = rule_table(p)
        assert len(table.violations(a.amounts)) == 0, [
            table.name[g] for g in table.violations(a.amounts)
        ]


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1, 10, 1000]))
def test_fte_key_alone_gives_each_region_its_share_within_one_unit(seed, unit):
    rng = np.random.default_rng(seed)
    problem = synthetic_problem(
        rng,
        12,
        5,
        3,
        rules=Rules(rounding_unit_nok=unit),
        budget_nok=int(rng.integers(1_000_000, 50_000_000)),
    )
    a = FastAllocator(problem).solve()
    exact = problem.owner_fte / problem.owner_fte.sum() * problem.budget_nok
    region_exact = np.bincount(problem.owner_region, exact, problem.n_regions)
    assert np.all(np.abs(a.region_totals - region_exact) < unit + problem.budget_nok % unit)
    assert np.all(np.abs(a.owner_totals - exact) < 2 * unit)
    assert a.amounts.sum() == problem.budget_nok


def _largest_remainder_by_region(q, region, totals):
    """``q`` rounded down, then up for the largest remainders of each region (lower index
    first on equal ones) until each region has its total."""
    floor = np.floor(q)
    order = np.lexsort((floor - q, region))
    rank = np.arange(len(q)) - np.searchsorted(region[order], region[order])
    ups = totals - np.bincount(region, floor, len(totals))
    floor[order[rank < ups[region[order]]]] += 1
    return floor


def test_county_shares_hold_without_repair(tight_shares):
    # Fourteen regions with kindergarten, UH and special-education shares all met exactly by
    # the LP: plain largest remainders per region miss the kindergarten share by several
    # kroner in most draws; sibling swaps restore every share, each entry stays its LP
    # amount rounded down or up, and no repair or integer program is needed.
    rng = np.random.default_rng(7)
    p = tight_shares(rng, 43, 14, 6, budget_nok=50_000_000)
    fast = FastAllocator(p)
    table = rule_table(p)
    kindergarten = table.name.index("R7_kindergarten")
    swapped = 0
    for _ in range(40):
        draw = {
            "budget_nok": int(rng.integers(45_000_000, 55_000_000)),
            "owner_fte": p.owner_fte * rng.uniform(0.9, 1.1, p.n_owners),
        }
        a = fast.solve(**draw)
        assert a.rounding_method == "largest_remainder"
        assert np.all(a.amounts >= np.floor(a.lp_amounts - 1e-6))
        assert np.all(a.amounts <= np.ceil(a.lp_amounts + 1e-6))
        assert a.amounts.sum() == draw["budget_nok"]
        t = rule_table(p.with_(**draw))
        assert not len(t.violations(a.amounts))
        target = 0.3 * draw["budget_nok"]
        assert abs(t.values(a.amounts)[kindergarten] - target) < 1
        plain = _largest_remainder_by_region(
            a.lp_amounts, table.region_of, np.bincount(table.region_of, a.amounts, p.n_regions)
        )
        swapped += not np.array_equal(plain, a.amounts)
    assert swapped >= 10


def _rounding_inputs(p, rng, n):
    """The pattern rule table of ``p`` and, for ``n`` draws of budget and FTEs, the LP's
    amounts in units, the budgets and each draw's rule bounds (draws × rows)."""
    fast, unit = FastAllocator(p), p.rules.rounding_unit_nok
    q, budgets, lo, hi = [], [], [], []
    for _ in range(n):
        draw = {
            "budget_nok": int(p.budget_nok * rng.uniform(0.9, 1.1)),
            "owner_fte": p.owner_fte * rng.uniform(0.8, 1.2, p.n_owners),
        }
        a = fast.solve(**draw)
        table = rule_table(p.with_(**draw), pattern=True)
        q.append(to_units(a.lp_amounts, unit))
        budgets.append(draw["budget_nok"])
        lo.append(table.lo)
        hi.append(table.hi)
    return rule_table(p, pattern=True), np.array(q), np.array(budgets), np.array(lo), np.array(hi)


def _region_totals(table, n_regions, unit, q, budget, lo, hi):
    """Step 1, draw by draw: whole units per region by largest remainder, regions whose
    total rounded down breaks a whole-region bound (R2, R10) first, those whose total
    rounded up breaks one last, then larger remainders, then lower index."""
    region = table.region_of
    members = [set(np.flatnonzero(region == r)) for r in range(n_regions)]
    whole = [
        (g, members.index(set(table.coef[g].indices)))
        for g, rule in enumerate(table.rule)
        if rule in ("R2", "R10") and set(table.coef[g].indices) in members
    ]
    out = np.zeros((len(q), n_regions))
    for d in range(len(q)):
        qr = to_units(np.bincount(region, q[d], n_regions), 1)
        floor = np.floor(qr)
        first = np.zeros(n_regions)
        for g, r in whole:
            first[r] += floor[r] * unit < lo[d, g] - 1e-6
            first[r] -= (floor[r] + 1) * unit > hi[d, g] + 1e-6
        order = sorted(range(n_regions), key=lambda r: (-np.sign(first[r]), floor[r] - qr[r], r))
        ups = budget[d] // unit - int(floor.sum())
        out[d] = floor
        out[d, order[:ups]] += 1
    return out


def _problem(seed, unit, key_tolerance, regions=6):
    rules = Rules(
        uh_share_min=0.5,
        special_ed_share_min=0.2,
        kindergarten_share=0.3,
        key_tolerance=key_tolerance,
        rounding_unit_nok=unit,
    )
    rng = np.random.default_rng(seed)
    sectors = ("kindergarten", "school")
    return rng, synthetic_problem(
        rng, 3 * regions, regions, 4, rules=rules, sectors=sectors, budget_nok=20_000_000
    )


@pytest.mark.parametrize(
    ("seed", "unit", "key_tolerance"), [(1, 1, 0.0), (2, 7, 0.0), (3, 1000, 0.01), (4, 1, 0.05)]
)
def test_round_many_keeps_every_promise(seed, unit, key_tolerance):
    # Each entry its LP amount rounded down or up; region totals those of step 1; the
    # budget to the krone; and N draws at once the same as each draw alone.
    rng, p = _problem(seed, unit, key_tolerance)
    table, q, budget, lo, hi = _rounding_inputs(p, rng, 25)
    rounder = Rounder(table, p.n_regions, unit)
    batch = rounder.round_many(q, budget, lo, hi)
    units = (batch.amounts - batch.extra) / unit
    assert np.all(units >= np.floor(q)) and np.all(units <= np.ceil(q))
    assert np.array_equal(batch.amounts.sum(axis=1), budget)
    assert np.array_equal(batch.extra.sum(axis=1), budget % unit)
    totals = np.stack([np.bincount(table.region_of, u, p.n_regions) for u in units])
    assert np.array_equal(totals, _region_totals(table, p.n_regions, unit, q, budget, lo, hi))
    assert batch.ok.mean() > 0.5
    for d in range(len(q)):
        one = rounder.round_many(q[d : d + 1], budget[d : d + 1], lo[d : d + 1], hi[d : d + 1])
        assert np.array_equal(one.amounts[0], batch.amounts[d])
        assert (one.recipient[0], one.ok[0]) == (batch.recipient[d], batch.ok[d])
        if batch.ok[d]:
            rounded = rounder.round(q[d], int(budget[d]), lo[d], hi[d], None, lambda: table)
            assert np.array_equal(rounded.amounts, batch.amounts[d])


def _share_rows(table):
    """The county-wide share rows: ones over the entries of several regions (R3, R5, R7)."""
    return [
        g
        for g, rule in enumerate(table.rule)
        if rule in ("R3", "R5", "R7")
        and len(set(table.region_of[table.coef[g].indices])) > 1
        and (table.coef[g].data == 1).all()
    ]


def test_a_share_met_exactly_survives_whenever_a_sibling_swap_exists(tight_shares):
    # Shares the LP meets exactly: largest remainders alone miss them in many draws. After
    # rounding, a share row still missed in the direction it must move has no sibling swap
    # left: no entry rounded up on the giving side whose sibling (same region, same other
    # share memberships) on the other side is rounded down with a remainder.
    rng = np.random.default_rng(11)
    p = tight_shares(rng, 30, 10, 5, budget_nok=30_000_000)
    table, q, budget, lo, hi = _rounding_inputs(p, rng, 30)
    rows = _share_rows(table)
    assert len(rows) == 3
    inside = np.array([np.isin(np.arange(len(q.T)), table.coef[g].indices) for g in rows])
    batch = Rounder(table, p.n_regions, 1).round_many(q, budget, lo, hi)
    units = batch.amounts - batch.extra
    plain = np.stack(
        [
            _largest_remainder_by_region(
                q[d], table.region_of, np.bincount(table.region_of, units[d], p.n_regions)
            )
            for d in range(len(q))
        ]
    )
    assert not np.array_equal(plain, units)
    assert np.all(units >= np.floor(q)) and np.all(units <= np.ceil(q))
    met = held = 0
    for d in range(len(q)):
        values = table.values(batch.amounts[d])
        for k, g in enumerate(rows):
            lp_value = table.values(q[d])[g]
            if not (abs(lp_value - lo[d, g]) < 1e-6 or abs(lp_value - hi[d, g]) < 1e-6):
                continue
            met += 1
            if lo[d, g] - 1e-6 <= values[g] <= hi[d, g] + 1e-6:
                held += 1
                continue
            rise = values[g] < lo[d, g]
            others = np.delete(inside, k, axis=0)
            up = units[d] > np.floor(q[d])
            can_take = ~up & (q[d] > np.floor(q[d]))
            for a in np.flatnonzero((inside[k] != rise) & up):
                same = (table.region_of == table.region_of[a]) & (others == others[:, [a]]).all(
                    axis=0
                )
                assert not (same & (inside[k] == rise) & can_take).any()
    assert met >= 30 and held == met


def test_regions_at_a_bound_of_their_own_go_up_or_down_first():
    # Three one-entry regions, 30 units to share: largest remainders alone would round up
    # the region of remainder 0.6, but its upper bound (R2) allows 106 kr only; the region
    # of remainder 0.3 sits at its lower bound of 103 kr, so it goes up instead.
    table = RuleTable(
        rule=("R2", "R2", "R2"),
        name=("R2_a", "R2_b", "R2_c"),
        coef=sp.csr_matrix(np.eye(3)),
        lo=np.array([103.0, 0.0, 0.0]),
        hi=np.array([np.inf, 106.0, np.inf]),
        region_of=np.arange(3),
    )
    q = np.array([[10.3, 10.6, 9.1]])
    plain = Rounder(table, 3, 10).round_many(q, [300], np.zeros((1, 3)), np.full((1, 3), np.inf))
    assert plain.amounts.tolist() == [[100, 110, 90]]
    batch = Rounder(table, 3, 10).round_many(q, [300], table.lo[None], table.hi[None])
    assert batch.amounts.tolist() == [[110, 100, 90]]
    assert batch.ok.all()
