"""The PuLP statement of the LP, solved by CBC, reaches the fast path's optimum."""

from __future__ import annotations

import numpy as np
import pulp
import pytest

from dekomopt.allocation import FastAllocator, Status
from dekomopt.allocation.pulp_model import pulp_amounts, pulp_model, write_model
from dekomopt.allocation.rounding import round_allocation
from dekomopt.allocation.ruletable import rule_table
from dekomopt.testing import Rules, synthetic_problem, toy_problem


def _cbc(problem):
    lp = pulp_model(problem)
    lp.solve(pulp.PULP_CBC_CMD(msg=False))
    return lp


def _random_problem(rng: np.random.Generator):
    """A county-like problem with a random subset of the rules on."""
    split = str(rng.choice(["fte", "free"]))
    kindergarten = bool(rng.random() < 0.5)
    rules = Rules(
        uh_share_min=float(rng.choice([0.0, 0.3, 0.5])),
        uh_scope=str(rng.choice(["county", "region"])),
        cofinancing_share=float(rng.choice([0.0, 0.3])),
        special_ed_share_min=float(rng.choice([0.0, 0.2])),
        kindergarten_share=0.3 if kindergarten else None,
        key_weight_fte=0.8,
        key_weight_distance=0.2,
        key_tolerance=rng.choice([None, 0.0, 0.05, 0.5]),
        owner_split=split,
        stability_max_change=rng.choice([None, 0.5]),
        rounding_unit_nok=int(rng.choice([1, 100, 1000])),
    )
    p = synthetic_problem(
        rng,
        int(rng.integers(4, 14)),
        int(rng.integers(2, 5)),
        int(rng.integers(1, 4)),
        n_private=int(rng.integers(0, 2)),
        rules=rules,
        sectors=("kindergarten", "school") if kindergarten else ("school",),
        budget_nok=int(rng.integers(1_000_000, 50_000_000)),
        with_needs=bool(rng.random() < 0.3),
    )
    changes: dict[str, object] = {
        "owner_participates": rng.random(p.n_owners) > 0.1,
        "partner_capacity": np.where(rng.random(p.n_partners) < 0.3, 0.4 * p.budget_nok, np.nan),
    }
    if rules.cofinancing_share:
        changes["owner_cofin_capacity"] = np.where(
            rng.random(p.n_owners) < 0.5, rng.uniform(0.01, 0.2) * p.budget_nok, np.nan
        )
    if rules.stability_max_change is not None:
        changes["region_previous"] = rng.uniform(1, 2, p.n_regions) * p.budget_nok / p.n_regions
    # Half the kindergarten problems have a key of their own for the kindergarten part
    # (not with co-financing under the FTE split, which is refused).
    refused = split == "fte" and "owner_cofin_capacity" in changes
    if kindergarten and not refused and rng.random() < 0.5:
        staff = p.owner_fte * rng.uniform(0.2, 2.5, p.n_owners)
        changes["owner_kindergarten_fte"] = np.where(rng.random(p.n_owners) < 0.15, 0.0, staff)
    return p.with_(**changes)


def test_pulp_and_fast_agree_on_200_random_problems():
    rng = np.random.default_rng(2026)
    solved = infeasible = sector_keys = 0
    for _ in range(200):
        p = _random_problem(rng)
        sector_keys += p.owner_kindergarten_fte is not None
        fast = FastAllocator(p).solve(raise_on_failure=False)
        lp = _cbc(p)
        if fast.status is Status.INFEASIBLE:
            assert pulp.LpStatus[lp.status] == "Infeasible"
            infeasible += 1
            continue
        assert fast.status is Status.OPTIMAL and pulp.LpStatus[lp.status] == "Optimal"
        objective = pulp.value(lp.objective)
        assert abs(fast.objective - objective) <= 1e-6 * max(1.0, abs(objective))
        # CBC's optimum need not be the same vertex; rounded, it keeps every rule as well.
        rounded = round_allocation(p, pulp_amounts(p, lp)).amounts
        assert rounded.sum() == p.budget_nok
        assert not len(rule_table(p).violations(rounded))
        solved += 1
    assert solved >= 100 and infeasible >= 1 and sector_keys >= 30


def test_pulp_constraints_are_named_by_rule():
    p = toy_problem(
        [1, 2],
        partner_capacity=[100_000, np.nan],
        cofin_capacity=[50_000, np.nan],
        rules=Rules(uh_share_min=0.4, cofinancing_share=0.3, key_tolerance=0.1),
    )
    names = set(pulp_model(p).constraints)
    assert {"R1_budget", "R3_uh_min", "R2_key_hi_REG0", "R4_cofin_K0", "R9_capacity_UH0"} <= names


@pytest.mark.parametrize("suffix", [".lp", ".mps"])
def test_written_model_reads_back_with_the_same_optimum(tmp_path, suffix):
    p = toy_problem([1, 3], rules=Rules(uh_share_min=0.5, special_ed_share_min=0.2))
    path = write_model(p, tmp_path / f"model{suffix}")
    if suffix == ".mps":
        _, lp = pulp.LpProblem.fromMPS(str(path))
    else:
        lp = pulp_model(p)
    lp.solve(pulp.PULP_CBC_CMD(msg=False))
    assert pulp.value(lp.objective) == pytest.approx(FastAllocator(p).solve().objective, abs=1e-9)


def test_other_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"\.lp or \.mps"):
        write_model(toy_problem([1, 1]), tmp_path / "model.txt")
