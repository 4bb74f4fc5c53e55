"""The integer programme's optimum against every enumerated structure of small graphs."""

from __future__ import annotations

import numpy as np
import pytest

from dekomopt.errors import DataError
from dekomopt.structures.best import best_structure, region_fte_spread
from dekomopt.structures.space import build_space

from .conftest import grid


def _travel(labels: np.ndarray, w: np.ndarray, km: np.ndarray) -> float:
    total = 0.0
    for r in range(int(labels.max()) + 1):
        members = labels == r
        total += float((w[members] @ km[members]).min())
    return total / w.sum()


@pytest.fixture
def small():
    graph = grid(3, 3)
    rng = np.random.default_rng(7)
    w = rng.uniform(1, 10, 9)
    km = rng.uniform(5, 80, (9, 3))
    return graph, w, km


@pytest.mark.parametrize("k", [2, 3, 4])
def test_travel_optimum_is_the_best_enumerated(small, k):
    graph, w, km = small
    every = build_space(graph, k, nodes=list(range(9))).enumerate()
    truth = min(_travel(row, w, km) for row in every)
    found = best_structure(graph, k, w, km, nodes=list(range(9)))
    assert found.proven
    assert found.value == pytest.approx(truth, rel=1e-7)
    assert _travel(found.labels, w, km) == pytest.approx(truth, rel=1e-7)
    assert any(np.array_equal(found.labels, row) for row in every)


def test_spread_optimum_and_rules(small):
    graph, w, km = small
    every = build_space(graph, 3, {i: w[i] for i in range(9)}, min_weight=12.0).enumerate()
    truth = min(region_fte_spread(row, w) for row in every)
    found = best_structure(graph, 3, w, km, objective="spread", nodes=list(range(9)), min_fte=12.0)
    assert found.proven
    assert found.value == pytest.approx(truth, rel=1e-7, abs=1e-7)
    assert np.bincount(found.labels, weights=w).min() >= 12.0 - 1e-9


def test_together_and_region_range(small):
    graph, w, km = small
    found = best_structure(graph, (2, 4), w, km, nodes=list(range(9)), together=[(0, 8)])
    assert found.labels[0] == found.labels[8]
    assert 2 <= found.labels.max() + 1 <= 4
    every = [
        row
        for k in (2, 3, 4)
        for row in build_space(graph, k, nodes=list(range(9)), together=[(0, 8)]).enumerate()
    ]
    assert found.value == pytest.approx(min(_travel(r, w, km) for r in every), rel=1e-7)


def test_impossible_rules_are_a_data_error(small):
    graph, w, km = small
    with pytest.raises(DataError, match="infeasible"):
        best_structure(graph, 3, w, km, nodes=list(range(9)), min_fte=w.sum())


def test_a_programme_stopped_short_never_reports_worse_than_today(rogaland):
    """Where the FTE-spread programme stops with a gap, the best reported is the best of every
    structure evaluated, today's included, and its bound's noise is 0."""
    from dekomopt.structures.best import BestStructure
    from dekomopt.structures.command import Pool, score_bests
    from dekomopt.structures.constraints import part_rules
    from dekomopt.structures.evaluate import METRICS, structure_context
    from dekomopt.structures.runner import evaluate_structures
    from dekomopt.structures.summary import clean_scores

    scenario, county = rogaland
    rules = part_rules(scenario.spec.structures, county, 3)
    ctx = structure_context(scenario, county, rules.nodes)
    fte = np.asarray(ctx.base.owner_fte, dtype=float)[ctx.node_owner]
    labels = rules.enumerate()
    spreads = np.array([region_fte_spread(row, fte) for row in labels])
    today_spread = region_fte_spread(ctx.today_labels, fte)
    sample = labels[np.flatnonzero(spreads > 1.01 * today_spread)[:4]]
    spread = region_fte_spread(sample[0], fte)
    stopped = BestStructure("spread", sample[0], spread, 5.7e-12, 1.0, False, 30.0, "Not Solved")
    pool = Pool(
        sample,
        evaluate_structures(ctx, sample),
        ["sampled"] * len(sample),
        len(sample),
        programme=(stopped,),
        programme_rows=(0,),
    )
    today_row = evaluate_structures(ctx, ctx.today_labels[None, :]).iloc[0]
    pool = pool.with_today(ctx.today_labels, today_row)
    assert pool.today == len(sample) and pool.found_by[-1] == "today"
    today = {str(k): v for k, v in today_row.items()}
    pooled, today, _ = clean_scores(pool.scores, today, METRICS, "")
    bests, _ = score_bests(ctx, pool, pooled, today, "uniform", len(sample))
    spread = {b.objective: b for b in bests}["fte_spread"]
    assert spread.how == "today" and spread.structure_id == pool.today
    assert spread.value == pytest.approx(today_spread)
    assert spread.bound == 0  # 5.7e-12 FTE is noise
    assert spread.gap == 1.0
    assert "today's structure" in spread.claim() and "gap 100 %" in spread.claim()
    for best in bests:  # every score here is minimised
        assert best.value <= best.today * (1 + 1e-9)


def test_one_record_for_a_programme_and_for_the_best_over_region_counts():
    """``programme_bests`` returns the same record ``best_structure`` does, its column named
    by the objective."""
    from typing import get_type_hints

    from dekomopt.structures import best

    assert get_type_hints(best.programme_bests)["return"] == list[best.BestStructure]
    assert not hasattr(best, "ProgrammeBest")
    labels = np.zeros(3, dtype=np.int16)
    columns = {
        o: best.BestStructure(o, labels, 1.0, 1.0, 0.0, True, 0.1, "Optimal").column
        for o in best.OBJECTIVES
    }
    assert columns == {"travel": "travel_km", "spread": "fte_spread"}
