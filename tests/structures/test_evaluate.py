import numpy as np
import pytest

from dekomopt.allocation import solve
from dekomopt.errors import InfeasibleError
from dekomopt.structures.constraints import part_rules, require_structures
from dekomopt.structures.evaluate import (
    METRICS,
    StructureEvaluator,
    structure_context,
    structure_problem,
)
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.spec import StructuresSpec
from dekomopt.structures.summary import find_today


@pytest.fixture(scope="module")
def three(rogaland):
    scenario, county = rogaland
    rules = part_rules(StructuresSpec(regions=3), county, 3)
    labels = rules.enumerate()
    return rules, labels, structure_context(scenario, county, rules.nodes)


def test_rogaland_has_1341_three_region_structures(three):
    _, labels, _ = three
    assert labels.shape == (1341, 23)


@pytest.mark.parametrize("i", [0, 333, 800, 1340])
def test_evaluation_equals_a_direct_solve(three, i):
    _, labels, ctx = three
    evaluator = StructureEvaluator(ctx)
    for warm_up in labels[:3]:
        evaluator.allocate(warm_up)
    problem, allocation = evaluator.allocate(labels[i])
    direct = solve(structure_problem(ctx, labels[i]))
    assert np.allclose(allocation.lp_amounts, direct.lp_amounts, rtol=0, atol=1e-5)
    assert allocation.amounts.sum() == direct.amounts.sum() == problem.budget_nok
    assert np.array_equal(allocation.region_totals, direct.region_totals)
    # whole kroner agree up to one krone where LP remainders tie at solver noise (1e-8 kr)
    assert np.abs(allocation.amounts - direct.amounts).max() <= 1
    scored = evaluator.evaluate(labels[i])
    expected = evaluator.score(problem, direct.lp_amounts)
    for metric in METRICS:
        assert scored[metric] == pytest.approx(expected[metric], nan_ok=True, rel=1e-9)


def test_update_and_pass_modes_agree(three):
    _, labels, ctx = three
    rows = labels[::97]
    update = evaluate_structures(ctx, rows, mode="update")
    fresh = evaluate_structures(ctx, rows, mode="pass")
    assert np.allclose(
        update[list(METRICS)].to_numpy(float),
        fresh[list(METRICS)].to_numpy(float),
        rtol=1e-9,
        equal_nan=True,
    )


def test_one_and_two_workers_give_identical_tables(three):
    _, labels, ctx = three
    rows = labels[:60]
    one = evaluate_structures(ctx, rows, workers=1, chunk_size=15)
    two = evaluate_structures(ctx, rows, workers=2, chunk_size=15)
    assert one.equals(two)
    assert len(one) == 60


def test_scores_differ_between_structures(three):
    _, labels, ctx = three
    frame = evaluate_structures(ctx, labels[::200])
    assert frame["travel_km"].nunique() > 1
    assert frame["gini"].nunique() > 1
    assert (frame["n_regions"] == 3).all()


def test_private_network_keeps_its_own_region(three):
    _, labels, ctx = three
    problem = structure_problem(ctx, labels[5])
    private = problem.owner_ids.index("private-network")
    assert problem.region_ids[problem.owner_region[private]] == "Friskolane"
    assert problem.n_regions == 4


def test_todays_rogaland_structure_is_not_contiguous(three):
    rules, labels, ctx = three
    # MIDT's Strand and Hjelmeland touch Stavanger only through Sandnes or Suldal
    assert find_today(ctx.today_labels, labels, None).structure_id is None
    assert "MIDT is not contiguous" in rules.breaks(ctx.today_labels, ctx.today_regions)


def test_a_contiguous_today_is_found_among_the_enumerated(rogaland):
    from dekomopt.county import build_county

    scenario, county = rogaland
    regions = {r: list(m) for r, m in county.region_members().items() if r != "Friskolane"}
    for code in ("1130", "1133"):  # Strand and Hjelmeland join SØR
        regions["MIDT"].remove(code)
        regions["SØR"].append(code)
    changed = scenario.with_changes(
        structure={"source": None, "regions": regions, "unassigned": {"action": "error"}}
    )
    county2 = build_county(changed)
    rules = part_rules(StructuresSpec(), county2, 3)
    labels = rules.enumerate()
    ctx = structure_context(changed, county2, rules.nodes)
    found = find_today(ctx.today_labels, labels, None).structure_id
    assert found is not None
    today_parts = {frozenset(np.array(ctx.nodes)[ctx.today_labels == r]) for r in range(3)}
    found_parts = {frozenset(np.array(ctx.nodes)[labels[found] == r]) for r in range(3)}
    assert today_parts == found_parts


def test_impossible_balance_names_the_constraint(rogaland):
    _, county = rogaland
    rules = part_rules(StructuresSpec(regions=3, balance=0.01), county, 3)
    with pytest.raises(InfeasibleError, match=r"within 1% of the mean weight; the closest is"):
        require_structures(rules)


def test_impossible_partner_distance_names_the_constraint(rogaland):
    _, county = rogaland
    rules = part_rules(StructuresSpec(regions=3, max_partner_km=5.0), county, 3)
    with pytest.raises(InfeasibleError, match="max_partner_km"):
        require_structures(rules)


def test_partner_distance_rule_removes_far_regions(rogaland):
    _, county = rogaland
    loose = part_rules(StructuresSpec(regions=3), county, 3).count()
    tight = part_rules(StructuresSpec(regions=3, max_partner_km=30.0), county, 3)
    n = tight.count()
    assert 0 < n < loose
    for row in tight.enumerate()[:50]:
        for r in range(3):
            part = frozenset(np.array(tight.nodes)[row == r])
            assert tight.part_ok.region_km(part) <= 30.0


def test_a_stated_extra_link_makes_today_contiguous(rogaland):
    scenario, county = rogaland
    spec = scenario.spec.structures
    assert ("1103", "1130") in spec.extra_links  # Stavanger–Strand, stated in the scenario
    rules = part_rules(spec, county, 3)
    assert rules.graph.edges["1103", "1130"]["kind"] == "scenario"
    labels = rules.enumerate()
    assert len(labels) > 1341  # one more edge, more contiguous structures
    ctx = structure_context(scenario, county, rules.nodes)
    assert find_today(ctx.today_labels, labels, None).structure_id is not None


def test_an_extra_link_to_a_stranger_is_an_error(rogaland):
    from dekomopt.errors import DataError

    _, county = rogaland
    with pytest.raises(DataError, match="4601 is no municipality"):
        part_rules(StructuresSpec(extra_links=(("1103", "4601"),)), county, 3)


def test_today_is_found_among_structures_with_other_numbers_of_regions(rogaland):
    scenario, county = rogaland
    spec = scenario.spec.structures
    two = part_rules(spec, county, 2).enumerate()
    three = part_rules(spec, county, 3).enumerate()
    ctx = structure_context(scenario, county, part_rules(spec, county, 3).nodes)
    alone = find_today(ctx.today_labels, three, None).structure_id
    assert alone is not None
    four = three[:1].copy()
    four[0, np.flatnonzero(four[0] == 0)[0]] = 3  # one municipality made a fourth region
    # a range of region counts: 2-region structures first, then today's 3, then a 4-region one
    mixed = np.concatenate([two, three, four])
    assert find_today(ctx.today_labels, mixed, None).structure_id == len(two) + alone
