"""A scenario changed in memory is the one whose structures are scored, with any number of
workers: the context carries the validated scenario's own problem, not the file's."""

from __future__ import annotations

from pathlib import Path

import pytest

from dekomopt.county import build_county
from dekomopt.scenario import Scenario, load_scenario
from dekomopt.structures.evaluate import structure_context
from dekomopt.structures.runner import evaluate_structures

ROGALAND = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2025.toml"


def _today(scenario: Scenario, workers: int) -> dict[str, float]:
    county = build_county(scenario)
    graph = county.adjacency_graph(("land", "sea"))
    ctx = structure_context(scenario, county, tuple(graph.nodes))
    row = evaluate_structures(ctx, ctx.today_labels[None, :], workers=workers).iloc[0]
    return {str(k): v for k, v in row.items() if v == v}  # NaN scores (no needs) left out


@pytest.mark.parametrize("workers", [1, 2])
def test_doubled_budget_in_memory_is_what_structures_score(workers):
    base = load_scenario(ROGALAND)
    doubled = base.with_changes(budget={"total_nok": 2 * base.spec.budget.total_nok})
    assert doubled.content_sha256 != base.content_sha256
    before, after = _today(base, workers), _today(doubled, workers)
    # Under a pure FTE key every owner gets budget / FTE more per teacher FTE: the poorest
    # owner's net funding rises by that much (to rounding), Gini falls by half.
    fte = build_county(base).owners.query("participates")["teacher_fte"].sum()
    rise = base.spec.budget.total_nok / fte
    assert after["min_net_per_fte"] - before["min_net_per_fte"] == pytest.approx(rise, abs=2)
    assert after["gini"] < 0.6 * before["gini"]
    assert after == _today(doubled, 1)
