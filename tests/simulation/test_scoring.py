"""The vectorised metrics agree with dekomopt.metrics draw by draw."""

from __future__ import annotations

import numpy as np
import pytest

from dekomopt import metrics as M
from dekomopt.county import allocation_problem, build_county
from dekomopt.simulation import Scorer
from dekomopt.simulation.power import region_power_draws


@pytest.fixture(scope="module")
def setup(rogaland):
    problem = allocation_problem(rogaland, build_county(rogaland))
    rng = np.random.default_rng(11)
    n = 30
    fte = problem.owner_fte * rng.uniform(0.8, 1.2, (n, problem.n_owners))
    part = rng.random((n, problem.n_owners)) < 0.85
    part[:, 0] = True  # every draw has a taking-part owner in NORD
    own = np.where(part, rng.integers(10_000, 2_000_000, (n, problem.n_owners)), 0)
    partner = rng.uniform(1e6, 5e6, (n, problem.n_regions))
    needs = rng.random((n, problem.n_owners, len(problem.themes))) < 0.6
    scorer = Scorer(problem, rogaland.spec.metrics)
    scores = scorer.score(own, partner, fte, part, needs.astype(float))
    return problem, rogaland.spec.metrics, fte, part, own, partner, needs, scores


def test_metrics_match_reference_functions(setup):
    problem, metrics, fte, part, own, partner, needs, scores = setup
    region = np.asarray(problem.owner_region)
    for d in range(len(fte)):
        keep = part[d]
        reg = region[keep]
        w = fte[d][keep]
        region_fte = np.bincount(reg, w, problem.n_regions)
        funding = own[d][keep] + partner[d][reg] * w / region_fte[reg]
        gross = funding / w
        net = M.net_funding_per_fte(
            funding,
            w,
            problem.owner_km[keep],
            reg,
            metrics.travel_cost_nok_per_km_fte,
            metrics.coordination_cost_nok,
        )
        assert np.allclose(scores.owners["net_per_fte"][d][keep], net)
        assert np.isnan(scores.owners["net_per_fte"][d][~keep]).all()
        s = {k: v[d] for k, v in scores.scalars.items()}
        assert s["gini_gross"] == pytest.approx(M.gini(gross, w), rel=1e-9, abs=1e-12)
        assert s["gini_net"] == pytest.approx(M.gini(net, w), rel=1e-9)
        split = M.theil_decomposition(net, w, reg)
        assert s["theil_net"] == pytest.approx(split.total, rel=1e-9)
        assert s["theil_net_between"] == pytest.approx(split.between, rel=1e-9, abs=1e-15)
        assert s["theil_net_within"] == pytest.approx(split.within, rel=1e-9, abs=1e-15)
        assert s["theil_net_between_share"] == pytest.approx(split.between_share, rel=1e-9)
        size = M.size_class(w, metrics.size_thresholds_fte)
        gap = M.group_gap(net, w, size, "small", "large")
        assert s["gap_small_large_net"] == pytest.approx(gap.difference, rel=1e-9)
        assert s["gap_small_large_net_ratio"] == pytest.approx(gap.ratio, rel=1e-9)
        kind = np.asarray(problem.owner_kind)[keep]
        if "private" in kind:
            gap = M.group_gap(gross, w, kind, "private", "municipality")
            assert s["gap_private_public_gross"] == pytest.approx(gap.difference, rel=1e-9)
        else:
            assert np.isnan(s["gap_private_public_gross"])
        assert s["travel_km"] == pytest.approx(
            M.fte_weighted_distance(problem.owner_km[keep], w), rel=1e-12
        )
        power = M.region_power(w, reg, resolution=0.001)
        assert np.allclose(scores.owners["power"][d][keep], power)
        out_power = scores.owners["power"][d][~keep]
        empty = ~np.isin(region[~keep], reg)  # a region where nobody takes part has no vote
        assert (out_power[~empty] == 0).all() and np.isnan(out_power[empty]).all()
        chosen = M.region_theme_choice(needs[d][keep], w, reg, metrics.themes_chosen)
        match = M.need_match(needs[d][keep], chosen, reg)
        assert np.allclose(scores.owners["need_match"][d][keep], match, equal_nan=True)


def test_largest_owner_power_is_the_largest_owners(setup):
    problem, _, fte, part, _, _, _, scores = setup
    region = np.asarray(problem.owner_region)
    for d in range(len(fte)):
        for r, name in enumerate(problem.region_ids):
            members = np.flatnonzero((region == r) & part[d])
            if not len(members):
                assert np.isnan(scores.scalars[f"power_largest_{name}"][d])
                continue
            largest = members[np.argmax(fte[d][members])]
            assert scores.scalars[f"power_largest_{name}"][d] == scores.owners["power"][d][largest]


def test_exact_power_by_hand():
    # 3-2-2 of 7: any two win, so each is pivotal in two coalitions; 4-2-1: 4 alone wins.
    w = np.array([[3.0, 2.0, 2.0, 0.0], [4.0, 2.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    power = region_power_draws(w, np.zeros(4, dtype=int), 1)
    assert np.allclose(power[0], [1 / 3, 1 / 3, 1 / 3, 0.0])
    assert (power[1] == [1.0, 0.0, 0.0, 0.0]).all()
    assert np.isnan(power[2]).all()


def test_rounded_power_fallback_agrees_within_tolerance():
    """Stated tolerance of the 1/1000 rounding used for regions above 12 owners:
    mean absolute difference below 0.002 and none above 0.05."""
    rng = np.random.default_rng(5)
    w = rng.uniform(1, 500, (200, 20))
    w[rng.random(w.shape) < 0.1] = 0
    region = np.repeat([0, 1], 10)
    exact = region_power_draws(w, region, 2)
    rounded = region_power_draws(w, region, 2, max_exact=0)
    diff = np.abs(exact - rounded)
    assert diff.mean() < 0.002 and diff.max() < 0.05
    assert np.allclose(rounded.reshape(200, 2, 10).sum(axis=2), 1.0)


def test_equal_funding_has_no_inequality(rogaland):
    problem = allocation_problem(rogaland, build_county(rogaland))
    scorer = Scorer(problem, rogaland.spec.metrics)
    fte = problem.owner_fte[None]
    own = 1000.0 * fte
    scores = scorer.score(own, np.zeros((1, problem.n_regions)), fte, np.ones_like(fte, bool))
    assert scores.scalars["gini_gross"][0] == pytest.approx(0, abs=1e-12)
    assert scores.scalars["theil_gross"][0] == pytest.approx(0, abs=1e-12)
    assert np.isnan(scores.scalars["theil_gross_between_share"][0])
    assert np.allclose(scores.owners["funding_per_fte"], 1000.0)
