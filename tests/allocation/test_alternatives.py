"""Alternatives: honest distances, the stated minimum difference, and a stated shortfall."""

from __future__ import annotations

import numpy as np
import pytest

from dekomopt.allocation import alternatives, solve
from dekomopt.allocation.mga import moved_nok
from dekomopt.testing import Rules, toy_problem


def test_moved_is_half_the_recipient_difference():
    # Two owners and their partners; moving 100 000 kr from owner 0 to partner 0 moves
    # 100 000 kr, whatever the themes inside each recipient do.
    p = toy_problem([1, 1], rules=Rules(uh_share_min=0.5))
    best = solve(p)
    alts = alternatives(p, 4, slack=0.01)
    for alt in alts.found:
        diff = np.r_[
            alt.allocation.owner_totals - best.owner_totals,
            alt.allocation.partner_totals - best.partner_totals,
        ]
        assert diff.sum() == 0
        assert alt.moved_nok == np.abs(diff).sum() // 2 == moved_nok(best, alt.allocation)


def test_a_fixed_problem_has_no_alternative_and_says_why():
    # Strictly pro rata, no partners' minimum freedom: owners only, key tolerance 0 and no
    # slack: the optimum is the only allocation.
    p = toy_problem([1, 2], rules=Rules(key_tolerance=0.0))
    alts = alternatives(p, 2, slack=0.0)
    assert alts.found == ()
    assert (alts.search.asked, alts.search.found, alts.search.tried) == (2, 0, 8)
    assert alts.search.slack_nok == 0


def test_negative_count_is_refused():
    with pytest.raises(ValueError, match="≥ 0"):
        alternatives(toy_problem([1, 1]), -1)


def test_the_slack_caps_how_much_worse_an_alternative_is_in_kroner():
    p = toy_problem([1, 2, 3], rules=Rules(uh_share_min=0.3, key_tolerance=0.5))
    best = solve(p)
    found = {}
    for slack in (0.001, 0.01, 0.1):
        alts = alternatives(p, 3, slack=slack)
        assert all(a.allocation.objective <= best.objective + slack + 1e-9 for a in alts.found)
        found[slack] = max((a.allocation.objective for a in alts.found), default=0.0)
    # A larger slack lets alternatives go further from the optimum.
    assert found[0.1] > found[0.01] > found[0.001] > best.objective
