"""A key per sector: with kindergarten staff given, the kindergarten part follows them and the
school part teacher FTEs (synthetic test data only)."""

from __future__ import annotations

import numpy as np
import pulp
import pytest

from dekomopt.allocation import FastAllocator, solve
from dekomopt.allocation.conflicts import find_conflicts
from dekomopt.allocation.outcome import rule_report
from dekomopt.allocation.pulp_model import pulp_model
from dekomopt.allocation.rules import make_space
from dekomopt.allocation.ruletable import rule_table
from dekomopt.report.catalogue import text
from dekomopt.report.rules_text import rule_sentences
from dekomopt.testing import Rules, synthetic_problem, toy_problem

SECTORS = ("kindergarten", "school")


def _problem(tolerance: float | None, kindergarten=(3.0, 1.0, 1.0, 5.0), **rules):
    """Four owners in three regions; teacher FTEs 1, 2, 3, 4 against kindergarten staff
    that favour other regions."""
    return toy_problem(
        [1.0, 2.0, 3.0, 4.0],
        [0, 1, 2, 2],
        budget=1_000_003,
        sectors=SECTORS,
        rules=Rules(kindergarten_share=0.3, key_tolerance=tolerance, uh_share_min=0.4, **rules),
    ).with_(owner_kindergarten_fte=np.array(kindergarten))


def _by(problem, amounts, by: str) -> np.ndarray:
    """Kroner per sector × region (``by="region"``) or sector × owner."""
    s = make_space(problem)
    out = np.zeros((len(problem.sectors), problem.n_regions if by == "region" else 4))
    index = s.entry_region if by == "region" else s.entry_owner
    keep = index >= 0
    np.add.at(out, (s.entry_sector[keep], index[keep]), amounts[keep])
    return out


def _hamilton(quota: np.ndarray, total: int) -> np.ndarray:
    """Largest remainder, stated independently of the package: floors, then one more for the
    largest remainders, lower index first on equal remainders."""
    floor = np.floor(quota).astype(np.int64)
    order = sorted(range(len(quota)), key=lambda i: (-(quota[i] - floor[i]), i))
    floor[order[: total - floor.sum()]] += 1
    return floor


@pytest.mark.parametrize("tolerance", [None, 0.02])
def test_each_sector_follows_its_own_key(tolerance):
    p = _problem(tolerance)
    a = solve(p)
    assert a.amounts.sum() == p.budget_nok
    got = _by(p, a.amounts, "region")
    kg_staff = np.array([3.0, 1.0, 6.0])
    teachers = np.array([1.0, 2.0, 7.0])
    kg_part, school_part = 0.3 * p.budget_nok, 0.7 * p.budget_nok
    assert got[0].sum() == pytest.approx(kg_part, abs=1)
    assert got[0] == pytest.approx(kg_staff / kg_staff.sum() * kg_part, abs=1)
    assert got[1] == pytest.approx(teachers / teachers.sum() * school_part, abs=1)
    # The region key of the whole budget is the sectors' keys weighted by their parts.
    whole = 0.3 * kg_staff / kg_staff.sum() + 0.7 * teachers / teachers.sum()
    assert a.key_shares == pytest.approx(whole)


def test_owners_share_each_sector_by_its_own_ftes():
    p = _problem(0.02)
    owners = _by(p, solve(p).amounts, "owner")
    # Region 2 holds owners 2 and 3: kindergarten staff 1 : 5, teachers 3 : 4.
    assert owners[0, 3] / owners[0, 2] == pytest.approx(5.0, rel=1e-5)
    assert owners[1, 3] / owners[1, 2] == pytest.approx(4 / 3, rel=1e-5)


def test_free_owner_split_follows_the_sector_ftes_too():
    p = _problem(0.0, owner_split="free")
    owners = _by(p, solve(p).amounts, "owner")
    assert owners[0, 3] / owners[0, 2] == pytest.approx(5.0, rel=1e-4)
    assert owners[1, 3] / owners[1, 2] == pytest.approx(4 / 3, rel=1e-4)


def test_zero_tolerance_is_exact_per_sector_by_largest_remainder():
    rng = np.random.default_rng(7)
    for _ in range(15):
        budget = int(rng.integers(1_000_000, 60_000_000))
        p = synthetic_problem(
            rng,
            12,
            4,
            3,
            rules=Rules(key_tolerance=0.0, kindergarten_share=0.35, uh_share_min=0.4),
            sectors=SECTORS,
            budget_nok=budget,
        )
        kg = np.round(p.owner_fte * rng.uniform(0.2, 2.5, p.n_owners), 1)
        p = p.with_(owner_kindergarten_fte=kg)
        a = solve(p)
        assert a.amounts.sum() == budget
        got = _by(p, a.amounts, "region")
        parts = _hamilton(np.array([0.35, 0.65]) * budget, budget)
        for s, (fte, share) in enumerate(((kg, 0.35), (p.owner_fte, 0.65))):
            region = np.bincount(p.owner_region, fte, p.n_regions)
            expected = _hamilton(region / region.sum() * share * budget, int(parts[s]))
            assert got[s].astype(np.int64).tolist() == expected.tolist()


def test_rows_are_named_by_sector_and_bind_where_the_key_holds():
    p = _problem(0.0)
    names = set(rule_table(p).name)
    regions = p.region_ids
    for sector in SECTORS:
        assert {f"R2_key_hi_{sector}_{r}" for r in regions} <= names
    assert not any(n.startswith("R2_key_hi_REG") for n in names)
    constraints = set(pulp_model(p).constraints)
    assert {f"R2_key_kindergarten_{r}" for r in regions} <= constraints
    assert {f"R2_key_school_{r}" for r in regions} <= constraints
    checks = [c for c in rule_report(p, solve(p)) if c.rule == "R2"]
    assert {c.params["sector"] for c in checks} == set(SECTORS)
    assert all(c.met for c in checks)
    assert {c.subject for c in checks} == set(regions)
    kg_rows = [c for c in checks if c.params["sector"] == "kindergarten"]
    sector = f"({text('key_sector_kindergarten', 'en')})"
    assert all(sector in " ".join(rule_sentences(c, "en")) for c in kg_rows)


def test_without_kindergarten_staff_one_key_as_before():
    p = _problem(0.02).with_(owner_kindergarten_fte=None)
    names = rule_table(p).name
    assert [n for n in names if n.startswith("R2_key_hi")] == [
        f"R2_key_hi_{r}" for r in p.region_ids
    ]
    got = _by(p, solve(p).amounts, "region")
    teachers = np.array([1.0, 2.0, 7.0])
    assert got.sum(axis=0) == pytest.approx(teachers / teachers.sum() * p.budget_nok, abs=1)


def test_a_region_without_kindergarten_staff_gets_no_kindergarten_funds():
    p = _problem(None, kindergarten=(0.0, 2.0, 1.0, 1.0))
    got = _by(p, solve(p).amounts, "region")
    assert got[0, 0] == 0 and got[1, 0] > 0
    assert got.sum() == p.budget_nok


def test_fast_path_re_solves_with_sector_keys():
    p = _problem(0.02)
    fast = FastAllocator(p)
    for participates in ([True, True, True, False], [True, False, True, True]):
        changed = p.with_(owner_participates=np.array(participates))
        a, b = fast.solve(owner_participates=np.array(participates)), solve(changed)
        assert a.amounts.tolist() == b.amounts.tolist()
        lp = pulp_model(changed)
        lp.solve(pulp.PULP_CBC_CMD(msg=False))
        assert pulp.value(lp.objective) == pytest.approx(a.objective, abs=1e-9)


def test_cofinancing_with_fte_split_and_sector_keys_is_refused():
    p = _problem(0.02, cofinancing_share=0.3).with_(
        owner_cofin_capacity=np.array([1000.0, np.nan, np.nan, np.nan])
    )
    with pytest.raises(ValueError, match="owner_split = 'free'"):
        solve(p)


def test_a_conflict_names_the_sector_keys():
    p = toy_problem(
        [1.0, 2.0, 3.0, 4.0],
        [0, 1, 2, 2],
        sectors=SECTORS,
        rules=Rules(kindergarten_share=0.3, key_tolerance=0.0, stability_max_change=0.01),
        previous=[500_000, 300_000, 200_000],
    ).with_(owner_kindergarten_fte=np.array([3.0, 1.0, 1.0, 5.0]))
    error = find_conflicts(p)
    assert error is not None and error.conflicts == ("R2", "R10")
    assert "each region's key share of each sector (kindergarten by kindergarten staff" in str(
        error
    )
