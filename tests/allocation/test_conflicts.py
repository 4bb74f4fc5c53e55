"""Infeasible rule sets: the clashing rules are named, with the numbers."""

from __future__ import annotations

import numpy as np
import pytest

from dekomopt.allocation import Status, find_conflicts, solve
from dekomopt.errors import InfeasibleError
from dekomopt.testing import Rules, toy_problem

CASES = {
    "uh_vs_capacity": (
        dict(partner_capacity=[1_000_000, 500_000], rules=Rules(uh_share_min=0.6)),
        ("R3", "R9"),
    ),
    "tolerance_vs_stability": (
        dict(
            previous=[600_000, 400_000],
            rules=Rules(stability_max_change=0.1, key_tolerance=0.1),
        ),
        ("R2", "R10"),
    ),
    "special_vs_needs": (
        dict(needs=[[np.nan, 0], [np.nan, 0]], rules=Rules(special_ed_share_min=0.3)),
        ("R5", "R11"),
    ),
    "cofinancing_vs_capacity": (
        dict(
            cofin_capacity=[60_000, 60_000],
            partner_capacity=[100_000, 100_000],
            rules=Rules(cofinancing_share=0.3),
        ),
        ("R4", "R9"),
    ),
    "tolerance_vs_needs": (
        dict(needs=[[100_000, 0], [np.nan, np.nan]], rules=Rules(key_tolerance=0.5)),
        ("R2", "R11"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_conflicting_pair_is_named(case):
    kwargs, expected = CASES[case]
    budget = 10_000_000 if case == "uh_vs_capacity" else 1_000_000
    p = toy_problem([1, 1], budget=budget, **kwargs)
    error = find_conflicts(p)
    assert isinstance(error, InfeasibleError)
    assert error.conflicts == expected
    with pytest.raises(InfeasibleError) as raised:
        solve(p)
    assert raised.value.conflicts == expected
    assert solve(p, raise_on_failure=False).status is Status.INFEASIBLE


def test_uh_capacity_message_has_the_numbers():
    p = toy_problem(
        [1, 1],
        budget=10_000_000,
        partner_capacity=[1_000_000, 500_000],
        rules=Rules(uh_share_min=0.6),
    )
    # Amounts are written by dekomopt.formats: grouped with no-break spaces.
    message = str(find_conflicts(p)).replace("\u00a0", " ")
    assert "60%" in message and "6 000 000 kr" in message
    assert "Uni 0 1 000 000 kr" in message and "at most 1 500 000 kr" in message


def test_feasible_problem_has_no_conflict(three_regions):
    assert find_conflicts(three_regions) is None


def test_a_rule_alone_against_the_budget_says_so():
    p = toy_problem([1, 1], budget=1_000_000, needs=[[100_000, 50_000], [100_000, 50_000]])
    error = find_conflicts(p)
    assert error is not None and error.conflicts == ("R11",)
    message = str(error).replace("\u00a0", " ")
    assert "300 000 kr" in message and "whole budget of 1 000 000 kr" in message
    assert "(R11 with R1, R8)" in message and "on its own" not in message


def test_a_regional_uh_minimum_is_not_given_the_county_amount():
    p = toy_problem(
        [1, 1],
        budget=10_000_000,
        partner_capacity=[100_000, np.nan],
        rules=Rules(uh_share_min=0.5, uh_scope="region", key_tolerance=0.0),
    )
    message = str(find_conflicts(p)).replace("\u00a0", " ")
    assert "50% of every region's total" in message and "5 000 000 kr" not in message
