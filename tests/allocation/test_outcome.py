"""Rule checks: one binding test, no noise, egenandel that adds up, numbers the words need."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest

from dekomopt.allocation import required_cofinancing, rule_report, solve
from dekomopt.allocation.outcome import is_binding
from dekomopt.allocation.rules import RULES
from dekomopt.formats import format_nok
from dekomopt.report.catalogue import has_message, text
from dekomopt.report.rules_text import rule_sentences
from dekomopt.testing import Rules, synthetic_problem, toy_problem


def test_cofinancing_is_the_share_of_the_total_by_largest_remainder():
    # 30 % of 333 333 + 333 333 + 333 334 = 300 000 exactly; exact shares 99 999.9,
    # 99 999.9, 100 000.2: floors 99 999, 99 999, 100 000 leave 2 kroner for the two largest
    # fractions (0.9, 0.9), so everyone pays 100 000 (rounding each up would ask 300 001).
    p = toy_problem([1, 1, 1], rules=Rules(cofinancing_share=0.3))
    a = solve(p)
    assert sorted(a.owner_totals.tolist()) == [333_333, 333_333, 333_334]
    required = required_cofinancing(p, a)
    assert required.tolist() == [100_000, 100_000, 100_000]
    exact = 0.3 * a.owner_totals
    assert ((required == np.floor(exact)) | (required == np.ceil(exact))).all()


def test_cofinancing_total_on_random_allocations():
    rng = np.random.default_rng(4)
    for share in (0.1, 0.25, 0.3, 0.37):
        p = synthetic_problem(rng, 30, 5, 3, rules=Rules(cofinancing_share=share))
        a = solve(p)
        total = int(np.floor(share * int(a.owner_totals.sum()) + 0.5 + 1e-9))
        assert required_cofinancing(p, a).sum() == total


def test_binding_is_one_predicate_and_prices_are_clean():
    p = toy_problem([1, 3], rules=Rules(uh_share_min=0.5, key_tolerance=0.1))
    a = solve(p)
    checks = rule_report(p, a)
    for c in checks:
        assert c.binding == (abs(c.slack) < 1) or c.sense == "=="
        if not c.binding:
            assert c.shadow_price == 0.0
        for number in (c.value, c.bound, c.slack, c.shadow_price):
            assert not (number == 0 and np.signbit(number))
    text = json.dumps([asdict(c) for c in checks])
    assert "-0.0" not in text
    assert "explanation" not in text


def test_at_bound_means_binding():
    assert is_binding(0.0) and is_binding(1e-12) and not is_binding(1e-6)


def test_checks_carry_the_numbers_their_words_need_and_no_row_ids():
    p = toy_problem(
        [1, 2],
        partner_capacity=[400_000, np.nan],
        cofin_capacity=[200_000, np.nan],
        rules=Rules(uh_share_min=0.4, cofinancing_share=0.3, key_tolerance=0.2),
    )
    a = solve(p)
    checks = rule_report(p, a)
    required = dict(zip(p.owner_ids, required_cofinancing(p, a).tolist(), strict=True))
    r4 = [c for c in checks if c.rule == "R4"]
    assert [c.params["required_cofinancing_nok"] for c in r4] == [
        required[c.name.removeprefix("R4_cofin_")] for c in r4
    ]
    (r3,) = (c for c in checks if c.rule == "R3")
    assert r3.params["uh_share_min"] == 0.4
    assert r4[0].subject == "Kommune 0"
    for c in checks:
        for lang in ("nb", "nn", "en"):
            words = " ".join(rule_sentences(c, lang))
            assert c.name not in words and "R4_cofin" not in words
            assert text(f"rule_{c.rule}_asks", lang, partners="")
    assert format_nok(r4[0].params["required_cofinancing_nok"]) in " ".join(
        rule_sentences(r4[0], "en")
    )
    assert all(has_message(f"rule_{rule.id}_asks") for rule in RULES)


@pytest.mark.parametrize("sectors", [("school",), ("kindergarten", "school")])
def test_cofinancing_caps_with_the_free_owner_split_are_checked_and_priced(sectors):
    rules = dict(cofinancing_share=0.3, owner_split="free", key_tolerance=0.5)
    if len(sectors) == 2:
        rules["kindergarten_share"] = 0.3
    p = toy_problem(
        [1, 2, 3],
        owner_region=[0, 0, 1],
        cofin_capacity=[20_000, np.nan, np.nan],
        sectors=sectors,
        rules=Rules(**rules),
    )
    checks = {c.name: c for c in rule_report(p, solve(p))}
    cap = checks["R4_cofin_K0"]
    assert cap.met and cap.value <= 20_000 + 1e-6 and cap.bound == 20_000
    # Raising a binding cap cannot raise the minimum: its price is negative.
    assert cap.binding and cap.shadow_price < 0


def test_a_regional_uh_minimum_shows_the_partners_kroner_against_the_share_of_the_total():
    p = toy_problem([1, 2], rules=Rules(uh_share_min=0.4, uh_scope="region"))
    a = solve(p)
    for check in (c for c in rule_report(p, a) if c.rule == "R3"):
        r = p.region_ids.index(check.subject)
        partners = a.edge_amounts.sum(axis=(1, 2))[np.asarray(p.edge_region) == r].sum()
        assert check.value == partners > 0
        assert check.bound == pytest.approx(0.4 * a.region_totals[r])
        assert check.slack == pytest.approx(check.value - check.bound)


def test_a_cofinancing_row_shows_the_whole_krone_egenandel_the_owner_pays():
    # 30 % of an owner's amount is rarely whole kroner; the row shows what the owner pays.
    p = toy_problem(
        [1, 2, 4],
        cofin_capacity=[np.nan, 90_001, np.nan],
        rules=Rules(cofinancing_share=0.3, owner_split="free", key_tolerance=0.5),
    )
    a = solve(p)
    required = required_cofinancing(p, a)
    (cap,) = (c for c in rule_report(p, a) if c.rule == "R4")
    assert cap.value == required[1] == round(cap.value)
    assert cap.slack == cap.bound - cap.value
    assert cap.met == (cap.value <= cap.bound)
    assert cap.params["required_cofinancing_nok"] == cap.value


def test_an_equality_rounded_off_its_target_says_so():
    # R7 held to within a unit of 1 000 kr: the rounded kindergarten amount sits 150 kr from
    # its exact share, and the words say it is on the requirement only before rounding.
    p = toy_problem(
        [1, 2],
        budget=1_000_500,
        sectors=("kindergarten", "school"),
        rules=Rules(kindergarten_share=0.3, rounding_unit_nok=1000),
    )
    a = solve(p)
    (r7,) = (c for c in rule_report(p, a) if c.rule == "R7")
    assert r7.binding and abs(r7.value - r7.bound) >= 1
    words = " ".join(rule_sentences(r7, "en"))
    assert "before rounding" in words and format_nok(abs(r7.value - r7.bound)) in words
