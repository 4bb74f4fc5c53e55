"""Scores of structures solved in one reused LP equal those of a fresh model per structure."""

import numpy as np
import pytest

from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.model import build_model
from dekomopt.allocation.result import Status
from dekomopt.structures.constraints import part_rules
from dekomopt.structures.evaluate import (
    METRICS,
    StructureEvaluator,
    structure_context,
    structure_problem,
)
from dekomopt.structures.spec import StructuresSpec


@pytest.mark.parametrize("k", [3, 4])
def test_reused_lp_scores_equal_fresh_models(rogaland, k):
    scenario, county = rogaland
    rules = part_rules(StructuresSpec(regions=k), county, k)
    labels = rules.enumerate()
    ctx = structure_context(scenario, county, rules.nodes)
    rng = np.random.default_rng(k)
    picked = labels[rng.choice(len(labels), size=150, replace=False)]
    evaluator = StructureEvaluator(ctx)
    for row in picked:
        scored = evaluator.evaluate(row)
        problem = structure_problem(ctx, row)
        model = build_model(problem, with_names=False)
        lp = HighsLP.of(model)
        assert lp.run() is Status.OPTIMAL
        assert scored["status"] == str(Status.OPTIMAL)
        expected = evaluator.score(problem, model.kroner(lp.values()))
        for metric in (*METRICS, "min_net_per_fte"):
            assert scored[metric] == pytest.approx(expected[metric], rel=1e-9, nan_ok=True)
