"""What relaxing a binding rule would change, as the rule checks state it, against re-solves.

Each binding row's stated change (``relax_change_nok``: the objective in kroner when the bound
is relaxed by ``relax_step_nok``) is compared with the LP re-solved here with that bound
relaxed: through the data where a rule's bound is a number of the data (R4's and R9's capacities),
else through the LP row's own bound (R3's share also aims the tie-breaks, so its data would
move more than the bound).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dekomopt.allocation import AllocationProblem, rule_report, solve
from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.model import build_model
from dekomopt.allocation.result import Status
from dekomopt.county import allocation_problem, build_county
from dekomopt.formats import format_decimal
from dekomopt.report.rules_text import rule_sentences
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("nb", "nn", "en")


def _county(file: str) -> AllocationProblem:
    s = load_scenario(ROOT / "scenarios" / file)
    return allocation_problem(s, build_county(s))


def _objective_nok(problem: AllocationProblem, row: str | None = None, step: float = 0.0) -> float:
    """The LP optimum in kroner, with LP row ``row`` relaxed by ``step`` kroner (÷ budget)."""
    model = build_model(problem)
    lo, hi = model.row_lo.copy(), model.row_hi.copy()
    if row is not None:
        g = model.row_names.index(row)
        lo[g] -= step / problem.budget_nok
        hi[g] += step / problem.budget_nok
    lp = HighsLP.of(model)
    lp.set_row_bounds(lo, hi)
    assert lp.run() is Status.OPTIMAL
    return lp.solution().objective * problem.budget_nok


def _relaxed_nok(problem: AllocationProblem, name: str, step: float) -> float:
    """The LP optimum in kroner with the bound of rule row ``name`` relaxed by ``step`` kroner."""
    if name.startswith("R4_cofin_"):
        cap = np.array(problem.owner_cofin_capacity, dtype=float)
        cap[problem.owner_ids.index(name.removeprefix("R4_cofin_"))] += step
        return _objective_nok(problem.with_(owner_cofin_capacity=cap))
    if name.startswith("R9_capacity_"):
        cap = np.array(problem.partner_capacity, dtype=float)
        cap[problem.partner_ids.index(name.removeprefix("R9_capacity_"))] += step
        return _objective_nok(problem.with_(partner_capacity=cap))
    return _objective_nok(problem, name, step)


def _tight(problem: AllocationProblem) -> AllocationProblem:
    """``problem`` with the first owner's co-financing capped at a third of its key share's
    and the first partner's capacity at half its share, so that R4 and R9 bind with a price."""
    a = solve(problem)
    cofin = np.full(problem.n_owners, np.nan)
    cofin[0] = problem.rules.cofinancing_share * a.owner_totals[0] / 3
    cap = np.array(problem.partner_capacity, dtype=float)
    cap[0] = a.partner_totals[0] - 200_000
    return problem.with_(owner_cofin_capacity=cofin, partner_capacity=cap)


CASES = {
    "rogaland": lambda: _county("rogaland-2025.toml"),
    "vestland": lambda: _county("vestland-2026.toml"),
    "rogaland tight": lambda: _tight(_county("rogaland-2025.toml")),
    "vestland tight": lambda: _tight(_county("vestland-2026.toml")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_stated_change_of_relaxing_a_binding_rule_is_the_re_solved_change(case):
    problem = CASES[case]()
    checks = rule_report(problem, solve(problem))
    base = _objective_nok(problem)
    binding = [c for c in checks if c.binding and c.rule != "R1"]
    assert binding
    for c in binding:
        assert c.relax_step_nok is not None and c.relax_change_nok is not None
        actual = _relaxed_nok(problem, c.name, c.relax_step_nok) - base
        assert c.relax_change_nok == pytest.approx(actual, abs=0.01), c.name
        assert c.relax_change_nok <= 0
    for c in checks:
        if not c.binding:
            assert c.relax_change_nok is None and c.relax_change_per_fte_nok is None
    if case.endswith("tight"):
        priced = {c.rule for c in binding if c.relax_change_nok < 0}
        assert {"R4", "R9"} <= priced if problem.rules.cofinancing_share else "R9" in priced


def test_per_fte_figure_is_the_change_over_the_rows_teacher_ftes():
    problem = _tight(_county("rogaland-2025.toml"))
    checks = rule_report(problem, solve(problem))
    fte = np.where(problem.owner_participates, problem.owner_fte, 0.0)
    r4 = next(c for c in checks if c.name == f"R4_cofin_{problem.owner_ids[0]}")
    assert r4.relax_change_nok is not None and r4.relax_change_nok < 0
    assert r4.relax_change_per_fte_nok == pytest.approx(r4.relax_change_nok / fte[0])
    r9 = next(c for c in checks if c.name == f"R9_capacity_{problem.partner_ids[0]}")
    assert r9.relax_change_per_fte_nok == pytest.approx(r9.relax_change_nok / fte.sum())
    assert "per teacher FTE" in " ".join(rule_sentences(r4, "en"))


def test_cli_words_and_report_state_the_same_figures():
    problem = _tight(_county("rogaland-2025.toml"))
    for c in rule_report(problem, solve(problem)):
        if not (c.binding and c.relax_change_nok):
            continue
        assert c.relax_change_per_fte_nok is not None
        change = format_decimal(-c.relax_change_nok, 4) + " kr"
        per_fte = format_decimal(-c.relax_change_per_fte_nok, 6) + " kr"
        for words in (" ".join(rule_sentences(c, lang)) for lang in LANGS):
            assert change in words and per_fte in words, words
