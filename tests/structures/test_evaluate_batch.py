"""Structures scored in batches (batch LP, engine over structures × owners) equal a fresh
build, solve and score of each structure on its own."""

import numpy as np
import pytest

from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.model import build_model
from dekomopt.allocation.result import Status
from dekomopt.county import build_county
from dekomopt.scenario import load_scenario
from dekomopt.structures.batch import BatchLP, nearest_only, reducible
from dekomopt.structures.constraints import part_rules
from dekomopt.structures.evaluate import (
    METRICS,
    StructureEvaluator,
    structure_context,
    structure_problem,
)
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.space import build_space
from dekomopt.structures.spec import StructuresSpec

from .conftest import SCENARIOS


@pytest.fixture(scope="module")
def vestland():
    scenario = load_scenario(SCENARIOS / "vestland-2026.toml")
    return scenario, build_county(scenario)


def _structures(county, spec, k: int, n: int, seed: int):
    rules = part_rules(spec, county, k)
    space = build_space(rules.graph, k, **rules.enumerate_kwargs())
    return rules, space.sample(n, np.random.default_rng(seed)).labels


def _fresh_scores(evaluator: StructureEvaluator, labels: np.ndarray) -> dict[str, float]:
    """Fresh problem, fresh model (every region linked to every partner), cold solve."""
    problem = structure_problem(evaluator.ctx, labels)
    model = build_model(problem, with_names=False)
    lp = HighsLP.of(model)
    assert lp.run() is Status.OPTIMAL
    return evaluator.score(problem, model.kroner(lp.values()))


@pytest.mark.parametrize(
    ("name", "k", "n"), [("rogaland", 5, 300), ("rogaland", 3, 100), ("vestland", 13, 300)]
)
def test_batched_scores_equal_fresh_solves(rogaland, vestland, name, k, n):
    scenario, county = rogaland if name == "rogaland" else vestland
    spec = StructuresSpec(regions=k) if name == "rogaland" else scenario.spec.structures
    rules, labels = _structures(county, spec, k, n, seed=k)
    ctx = structure_context(scenario, county, rules.nodes)
    evaluator = StructureEvaluator(ctx)
    assert reducible(structure_problem(ctx, labels[0]))  # the batch LP is what is tested
    rows = evaluator.evaluate_many(labels)
    for row, structure in zip(rows, labels, strict=True):
        assert row["status"] == str(Status.OPTIMAL)
        expected = _fresh_scores(evaluator, structure)
        for metric in (*METRICS, "min_net_per_fte"):
            assert row[metric] == pytest.approx(expected[metric], rel=1e-9, nan_ok=True), metric


def test_one_structure_equals_its_batch(rogaland):
    scenario, county = rogaland
    rules, labels = _structures(county, StructuresSpec(regions=4), 4, 40, seed=1)
    ctx = structure_context(scenario, county, rules.nodes)
    together = StructureEvaluator(ctx).evaluate_many(labels)
    alone = StructureEvaluator(ctx)
    for row, structure in zip(together, labels, strict=True):
        alone.reset()
        single = alone.evaluate(structure)
        for metric in (*METRICS, "min_net_per_fte"):
            assert single[metric] == pytest.approx(row[metric], rel=1e-9, nan_ok=True)


def test_mixed_numbers_of_regions_keep_their_order(rogaland):
    scenario, county = rogaland
    rules3, three = _structures(county, StructuresSpec(regions=3), 3, 10, seed=3)
    rules4, four = _structures(county, StructuresSpec(regions=4), 4, 10, seed=4)
    assert rules3.nodes == rules4.nodes
    ctx = structure_context(scenario, county, rules3.nodes)
    mixed = np.empty((20, three.shape[1]), dtype=three.dtype)
    mixed[0::2], mixed[1::2] = three, four
    frame = evaluate_structures(ctx, mixed)
    assert frame["n_regions"].tolist() == [3.0, 4.0] * 10
    alone = evaluate_structures(ctx, four)
    assert np.allclose(
        frame[list(METRICS)].to_numpy(float)[1::2],
        alone[list(METRICS)].to_numpy(float),
        rtol=1e-9,
        equal_nan=True,
    )


def test_batch_model_is_the_nearest_partner_model_without_free_rows(vestland):
    scenario, county = vestland
    rules, labels = _structures(county, scenario.spec.structures, 13, 20, seed=5)
    ctx = structure_context(scenario, county, rules.nodes)
    batch = BatchLP.of(nearest_only(structure_problem(ctx, labels[0])))
    assert batch is not None
    for structure in labels[1:]:
        model = build_model(nearest_only(structure_problem(ctx, structure)), with_names=False)
        kept = batch.keep[model.rows]
        assert np.array_equal(model.cost, batch.model.cost)
        assert np.array_equal(model.cols[kept], batch.model.cols)
        assert np.array_equal(model.vals[kept], batch.model.vals)
        # the rows left out are free: no capacity is set
        assert np.isneginf(model.row_lo[~batch.keep]).all()
        assert np.isposinf(model.row_hi[~batch.keep]).all()


def test_a_partner_capacity_leaves_the_batch_path(rogaland):
    scenario, county = rogaland
    rules = part_rules(StructuresSpec(regions=3), county, 3)
    ctx = structure_context(scenario, county, rules.nodes)
    problem = structure_problem(ctx, ctx.today_labels)
    assert reducible(problem)
    capped = problem.with_(partner_capacity=np.full(problem.n_partners, 1e9))
    assert not reducible(capped)


def test_most_structures_reuse_an_optimal_basis(vestland):
    from dekomopt.structures.batch import geometry

    scenario, county = vestland
    rules, labels = _structures(county, scenario.spec.structures, 13, 200, seed=8)
    ctx = structure_context(scenario, county, rules.nodes)
    geo = geometry(
        ctx.node_owner,
        ctx.fixed_owner_region,
        len(ctx.fixed_regions),
        np.asarray(ctx.base.owner_fte, dtype=float),
        ctx.owner_km,
        labels,
    )
    assert not geo.tied.any()
    batch = BatchLP.of(nearest_only(structure_problem(ctx, labels[0])))
    assert batch is not None
    solved = batch.solve(geo, ctx.base.budget_nok)
    assert all(st is Status.OPTIMAL for st in solved.status)
    assert 1 <= solved.solver_runs < 20
    # the same structures, each solved by HiGHS in the batch LP
    batch.reset()
    for i in range(0, 200, 40):
        alone = batch.solve(geo.take(np.array([i])), ctx.base.budget_nok)
        assert alone.solver_runs == 1
        batch.reset()
        np.testing.assert_allclose(alone.owner_totals[0], solved.owner_totals[i], rtol=1e-9)
        np.testing.assert_allclose(alone.partner_funds[0], solved.partner_funds[i], rtol=1e-9)


def test_batched_scores_equal_fresh_solves_with_a_kindergarten_key(vestland):
    """With kindergarten staff given, the kindergarten part has a key of its own (and owner
    shares per sector): the batch path still equals fresh solves."""
    from dataclasses import replace

    from dekomopt.allocation.keys import key_sectors

    scenario, county = vestland
    rules, labels = _structures(county, scenario.spec.structures, 13, 80, seed=9)
    ctx = structure_context(scenario, county, rules.nodes)
    fte = np.asarray(ctx.base.owner_fte, dtype=float)
    staff = np.round(fte * np.random.default_rng(9).uniform(0.2, 1.5, len(fte)), 1)
    ctx = replace(ctx, base=ctx.base.with_(owner_kindergarten_fte=staff))
    assert key_sectors(ctx.base)
    evaluator = StructureEvaluator(ctx)
    for row, structure in zip(evaluator.evaluate_many(labels), labels, strict=True):
        assert row["status"] == str(Status.OPTIMAL)
        expected = _fresh_scores(evaluator, structure)
        for metric in (*METRICS, "min_net_per_fte"):
            assert row[metric] == pytest.approx(expected[metric], rel=1e-9, nan_ok=True), metric
