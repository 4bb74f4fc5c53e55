"""The metrics engine: draw by draw the same as the scalar API, the same as PySAL's
``inequality`` where they overlap, and hand-computed cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from dekomopt import metrics as M
from dekomopt.county import allocation_problem, build_county
from dekomopt.metrics import MetricsEngine, score_allocation
from dekomopt.scenario import load_scenario

ROGALAND = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2025.toml"


@pytest.fixture(scope="module")
def rogaland():
    return load_scenario(ROGALAND)


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
    scorer = MetricsEngine.for_problem(problem, rogaland.spec.metrics)
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
        power = M.region_power(w, reg)
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


def test_equal_weights_match_pysal_row_by_row():
    """With equal weights and every owner taking part, Gini, Theil and the between/within
    split of the engine are PySAL's, draw by draw."""
    rng = np.random.default_rng(3)
    n, owners = 6, 15
    x = rng.lognormal(10, 0.4, (n, owners))
    groups = rng.integers(0, 3, owners)
    groups[:3] = [0, 1, 2]
    onehot = np.eye(3)[groups]
    w = np.ones((n, owners))
    from dekomopt.metrics.inequality import gini_rows, theil_rows

    g = gini_rows(x, w)
    split = theil_rows(x, w, onehot)
    for d in range(n):
        assert g[d] == pytest.approx(Gini(x[d]).g, rel=1e-12)
        assert split.total[d] == pytest.approx(Theil(x[d]).T, rel=1e-12)
        pysal = TheilD(x[d], groups)
        assert split.between[d] == pytest.approx(float(pysal.bg[0]), rel=1e-10)
        assert split.within[d] == pytest.approx(float(pysal.wg[0]), rel=1e-10)


def test_hand_computed_draw():
    """Two regions, three owners: A (10 FTE, 1 000 kr) and B (30 FTE, 3 000 kr) in region 0
    with 400 kr of partner funds; C (20 FTE, 1 000 kr) alone in region 1."""
    from dekomopt.scenario.schema import Metrics

    engine = MetricsEngine(
        np.array([0, 0, 1]),
        ("R0", "R1"),
        np.array([2.0, 0.0, 5.0]),
        np.array(["municipality", "municipality", "private"]),
        Metrics(
            travel_cost_nok_per_km_fte=1.0,
            coordination_cost_nok=40.0,
            size_thresholds_fte=(10.0, 30.0),
        ),
        1,
    )
    s = engine.score([[1000.0, 3000.0, 1000.0]], [[400.0, 0.0]], [[10.0, 30.0, 20.0]], [[True] * 3])
    # Funding: A 1000 + 400·10/40 = 1100, B 3000 + 300 = 3300, C 1000 → per FTE 110, 110, 50.
    np.testing.assert_allclose(s.owners["funding_per_fte"][0], [110.0, 110.0, 50.0])
    # Net: minus travel (1 kr per km) and 40 kr per region over its FTEs.
    np.testing.assert_allclose(s.owners["net_per_fte"][0], [107.0, 109.0, 43.0])
    assert s.scalars["funding_per_fte"][0] == pytest.approx(5400 / 60)
    # Gross: 40 teachers at 110, 20 at 50; mean 90. Mean absolute difference over ordered
    # pairs 2·40·20·60 / 60² = 26.67; G = 26.67 / (2·90).
    assert s.scalars["gini_gross"][0] == pytest.approx(2 * 40 * 20 * 60 / 60**2 / 180)
    t = (40 * 110 / 5400) * np.log(110 / 90) + (20 * 50 / 5400) * np.log(50 / 90)
    assert s.scalars["theil_gross"][0] == pytest.approx(t)
    assert s.scalars["theil_gross_within"][0] == 0.0
    assert s.scalars["theil_gross_between_share"][0] == 1.0
    # small (≤ 10 FTE): A; large (≥ 30): B; private − municipal: C − (A, B).
    assert s.scalars["gap_small_large_gross"][0] == 0.0
    assert s.scalars["gap_small_large_gross_ratio"][0] == 1.0
    assert s.scalars["gap_private_public_gross"][0] == pytest.approx(50 - 110)
    assert s.scalars["travel_km"][0] == pytest.approx((20 + 100) / 60)
    # Region 0 votes 100 tenths against 300: B alone wins.
    np.testing.assert_array_equal(s.owners["power"][0], [0.0, 1.0, 1.0])
    assert s.scalars["power_largest_R0"][0] == 1.0


def test_equal_funding_has_no_inequality(rogaland):
    problem = allocation_problem(rogaland, build_county(rogaland))
    scorer = MetricsEngine.for_problem(problem, rogaland.spec.metrics)
    fte = problem.owner_fte[None]
    own = 1000.0 * fte
    scores = scorer.score(own, np.zeros((1, problem.n_regions)), fte, np.ones_like(fte, bool))
    assert scores.scalars["gini_gross"][0] == pytest.approx(0, abs=1e-12)
    assert scores.scalars["theil_gross"][0] == pytest.approx(0, abs=1e-12)
    assert np.isnan(scores.scalars["theil_gross_between_share"][0])
    assert np.allclose(scores.owners["funding_per_fte"], 1000.0)


def test_score_allocation_is_the_engine_on_one_draw(rogaland):
    problem = allocation_problem(rogaland, build_county(rogaland))
    rng = np.random.default_rng(2)
    own = rng.integers(100_000, 2_000_000, problem.n_owners).astype(float)
    partner = rng.uniform(1e6, 3e6, problem.n_regions)
    one = score_allocation(
        problem, rogaland.spec.metrics, own[None], partner[None], problem.owner_km
    )
    engine = MetricsEngine.for_problem(problem, rogaland.spec.metrics)
    fte = np.asarray(problem.owner_fte)[None]
    s = engine.score(own[None], partner[None], fte, np.asarray(problem.owner_participates)[None])
    assert one.gini == s.scalars["gini_net"][0]
    assert one.theil_total == s.scalars["theil_net"][0]
    assert one.max_power == max(s.scalars[f"power_largest_{r}"][0] for r in problem.region_ids)
    assert one.min_net_per_fte == np.nanmin(s.owners["net_per_fte"][0])


def test_negative_net_amount_makes_theil_undefined(rogaland):
    problem = allocation_problem(rogaland, build_county(rogaland))
    metrics = rogaland.spec.metrics.model_copy(update={"coordination_cost_nok": 1e12})
    own = 1000.0 * np.asarray(problem.owner_fte)
    one = score_allocation(
        problem, metrics, own[None], np.zeros((1, problem.n_regions)), problem.owner_km
    )
    assert one.min_net_per_fte < 0
    assert np.isnan(one.theil_total) and np.isnan(one.theil_between_share)
    assert np.isnan(one.gini)  # the weighted mean is negative too


def test_a_structure_per_draw_scores_as_each_structure_alone(setup, rogaland):
    """The engine with draws × owners regions (and needs) equals the engine of each draw's
    structure on its own."""
    problem, metrics, fte, part, own, partner, needs, _ = setup
    rng = np.random.default_rng(5)
    n, n_r = len(fte), problem.n_regions
    region = rng.integers(0, n_r, (n, problem.n_owners))
    region[:, :n_r] = np.arange(n_r)  # every region has an owner
    km = problem.owner_km * rng.uniform(0.5, 1.5, (n, problem.n_owners))
    ids = tuple(problem.region_ids)
    together = MetricsEngine(region, ids, km, problem.owner_kind, metrics, 2).score(
        own, partner, fte, part, needs.astype(float)
    )
    for d in range(n):
        alone = MetricsEngine(region[d], ids, km[d], problem.owner_kind, metrics, 2).score(
            own[d][None], partner[d][None], fte[d][None], part[d][None], needs[d][None] * 1.0
        )
        for name, values in alone.scalars.items():
            assert together.scalars[name][d] == pytest.approx(
                values[0], rel=1e-12, abs=1e-12, nan_ok=True
            ), name
        for name, values in alone.owners.items():
            np.testing.assert_allclose(together.owners[name][d], values[0], rtol=1e-12)
