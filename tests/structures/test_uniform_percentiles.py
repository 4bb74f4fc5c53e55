"""Percentiles from uniform diagram samples cover the exact percentiles over every structure."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dekomopt.structures.command import outlier_table
from dekomopt.structures.constraints import part_rules
from dekomopt.structures.evaluate import METRICS, structure_context
from dekomopt.structures.outlier import percentile_interval
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.space import build_space
from dekomopt.structures.spec import StructuresSpec


@pytest.mark.parametrize("regions", [3])
def test_sampled_percentiles_cover_the_exact_ones(rogaland, regions):
    """20 000 uniform draws over Rogaland's plausible structures (each scored once, looked up
    per draw): every metric's 99.9 % binomial interval holds the exact percentile. Run by hand
    with ``regions`` 4 and 5 for the larger sets (13 406 and 85 290 structures to score)."""
    scenario, county = rogaland
    spec = scenario.spec.structures.model_copy(update={"regions": regions})
    assert isinstance(spec, StructuresSpec)
    rules = part_rules(spec, county, regions)
    space = build_space(rules.graph, regions, **rules.enumerate_kwargs())
    assert space.exact
    every = space.enumerate()
    ctx = structure_context(scenario, county, rules.nodes)
    scored = evaluate_structures(ctx, every)
    today = evaluate_structures(ctx, ctx.today_labels[None, :]).iloc[0].to_dict()
    exact = outlier_table(scored, today, None, METRICS).set_index("metric")

    draws = space.sample(20_000, np.random.default_rng(2025)).labels
    index = {row.tobytes(): i for i, row in enumerate(every)}
    per_draw = scored.iloc[[index[r.tobytes()] for r in draws]].reset_index(drop=True)
    chain_of = np.arange(len(per_draw))
    sampled = outlier_table(per_draw, today, chain_of, METRICS).set_index("metric")
    for metric in exact.index:
        truth = exact.at[metric, "percentile"]
        if math.isnan(truth):
            continue
        lo, hi = percentile_interval(
            per_draw[metric].to_numpy(float), chain_of, today[metric], level=0.999
        )
        assert lo <= truth <= hi, (metric, truth, lo, hi)
        assert abs(sampled.at[metric, "percentile"] - truth) < 0.02
