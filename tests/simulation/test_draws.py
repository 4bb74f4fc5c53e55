"""Draws: hand-checkable cases of the perturbations and their effect on the allocation."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.result import Status
from dekomopt.county import allocation_problem, build_county
from dekomopt.errors import InfeasibleError, ScenarioError, SolverError
from dekomopt.simulation import ChunkEngine, Perturber, chunk_specs


def frames(result):
    """A chunk's tables as pandas frames."""
    return SimpleNamespace(draws=result.draws.to_pandas(), owners=result.owners.to_pandas())


CAPACITY_LIMITS = (
    'capacity_nok = { "UiS-Ullandhaug" = 12_000_000.0, "HVL-Haugesund" = 3_500_000.0 }'
)


def test_zero_noise_reproduces_the_base_allocation(make_scenario):
    scenario = make_scenario("fte_noise = 0.0\nparticipation = 1.0\nbudget_change = 0.0")
    problem = allocation_problem(scenario, build_county(scenario))
    base = FastAllocator(problem).solve().owner_totals
    engine = ChunkEngine(scenario)
    result = frames(engine.run(chunk_specs(5, 20, 20)[0]))
    assert (result.draws["status"] == "optimal").all()
    amounts = result.owners["amount_nok"].to_numpy().reshape(20, problem.n_owners)
    assert (amounts == base).all()
    assert (result.draws["allocated_nok"] == problem.budget_nok).all()


def test_owner_with_participation_zero_gets_nothing_in_every_draw(make_scenario):
    scenario = make_scenario(
        'fte_noise = 0.05\nparticipation = 0.9\nparticipation_by_owner = { "1103" = 0.0 }'
    )
    result = frames(ChunkEngine(scenario).run(chunk_specs(1, 60, 60)[0]))
    owners = result.owners
    stavanger = owners[owners["owner_id"] == "1103"]
    assert len(stavanger) == (result.draws["status"] == "optimal").sum() > 0
    assert (stavanger["amount_nok"] == 0).all()
    assert not stavanger["participates"].any()
    others = owners[(owners["owner_id"] != "1103") & owners["participates"]]
    assert (others["amount_nok"] > 0).all()
    # Some other owners drop out too (p = 0.9), and they get nothing either.
    dropped = owners[(owners["owner_id"] != "1103") & ~owners["participates"]]
    assert len(dropped) > 0 and (dropped["amount_nok"] == 0).all()


def test_budget_noise_keeps_every_draw_exact_to_the_krone(make_scenario):
    scenario = make_scenario(
        "budget_change = 0.1\nfte_noise = 0.02",
        budget='set_asides = [ { name = "tilrettelegging", share = 0.3 } ]',
    )
    result = frames(ChunkEngine(scenario).run(chunk_specs(3, 40, 40)[0]))
    d = result.draws
    assert d["total_nok"].nunique() == 40
    expected = d["total_nok"] - np.floor(0.3 * d["total_nok"] + 0.5).astype(np.int64)
    assert (d["budget_nok"] == expected).all()
    assert (d["allocated_nok"] == d["budget_nok"]).all()
    per_draw = result.owners.groupby("draw")["amount_nok"].sum()
    assert (per_draw < d.set_index("draw")["budget_nok"]).all()


@pytest.mark.parametrize("kind", ["normal", "lognormal", "uniform"])
def test_fte_distributions(make_scenario, kind):
    scenario = make_scenario(f'fte_noise = 0.1\nfte_distribution = "{kind}"')
    problem = allocation_problem(scenario, build_county(scenario))
    inputs = Perturber(scenario, problem).draw(np.random.default_rng(0), np.arange(4000))
    ratio = inputs.fte / problem.owner_fte
    assert abs(ratio.mean() - 1.0) < 0.01
    assert abs(ratio.std() - (0.1 / np.sqrt(3) if kind == "uniform" else 0.1)) < 0.01
    if kind == "uniform":
        assert ratio.min() >= 0.9 and ratio.max() <= 1.1


def test_drawn_needs_are_per_fte_or_zero(make_scenario):
    scenario = make_scenario("fte_noise = 0.05\nneeds_probability = 0.5\nneeds_nok_per_fte = 800.0")
    problem = allocation_problem(scenario, build_county(scenario))
    inputs = Perturber(scenario, problem).draw(np.random.default_rng(2), np.arange(50))
    assert inputs.needs.shape == (50, problem.n_owners, len(problem.themes))
    reported = inputs.needs > 0
    assert 0.4 < reported.mean() < 0.6
    expected = np.broadcast_to((800.0 * inputs.fte)[:, :, None], inputs.needs.shape)
    assert np.allclose(inputs.needs[reported], expected[reported])


def test_needs_give_need_match(make_scenario):
    scenario = make_scenario("needs_probability = 0.5\nneeds_nok_per_fte = 100000.0")
    result = frames(ChunkEngine(scenario).run(chunk_specs(2, 10, 10)[0]))
    ok = result.draws["status"] == "optimal"
    # A region whose owners report no need at all cannot receive its key share (R2 vs R11).
    assert 0 < ok.sum() < 10
    assert result.draws.loc[~ok, "reason"].str.contains("R11").all()
    match = result.owners["need_match"].dropna()
    assert len(match) > 0 and match.between(0, 1).all()
    assert result.draws.loc[ok, "need_match"].between(0, 1).all()


def test_unknown_owners_in_participation_are_one_line_each(make_scenario):
    """Each unknown owner is its own line, naming the file and the owner's key, whether the
    county model finds it or a problem built apart from the scenario meets it."""
    known = make_scenario("participation = 0.9")
    problem = allocation_problem(known, build_county(known))
    scenario = make_scenario(
        'participation_by_owner = { "9999" = 0.5, "1103" = 0.7, "8888" = 1.0 }'
    )
    for run in (lambda: ChunkEngine(scenario), lambda: Perturber(scenario, problem)):
        with pytest.raises(ScenarioError) as caught:
            run()
        lines = caught.value.lines()
        assert len(lines) == 2, lines
        for owner, line in zip(("9999", "8888"), lines, strict=True):
            assert line.startswith(
                f"{scenario.source}: uncertainty.participation_by_owner.{owner}:"
            )
            assert f"'{owner}' is no owner" in line


def test_infeasible_draws_are_counted_with_their_reason(make_scenario):
    scenario = make_scenario("partner_capacity_noise = 0.1", partners=CAPACITY_LIMITS)
    result = frames(ChunkEngine(scenario).run(chunk_specs(4, 40, 40)[0]))
    d = result.draws
    bad = d[d["status"] == "infeasible"]
    assert 0 < len(bad) < 40
    assert bad["reason"].str.contains("R3").all() and bad["reason"].str.contains("R9").all()
    assert bad["gini_net"].isna().all() and (bad["allocated_nok"] == 0).all()
    assert set(result.owners["draw"]) == set(d.loc[d["status"] == "optimal", "draw"])


def test_chunk_amounts_are_those_of_one_solve_per_draw(make_scenario):
    """Solved together, with failed draws among them, the draws get what a fresh allocator
    solving them one after the other gives."""
    scenario = make_scenario("partner_capacity_noise = 0.1", partners=CAPACITY_LIMITS)
    engine = ChunkEngine(scenario)
    spec = chunk_specs(4, 60, 60)[0]
    result = frames(engine.run(spec))
    inputs = engine.perturber.draw(np.random.default_rng(spec.seed), np.arange(60))
    alone = FastAllocator(engine.problem)
    expected, solved = [], []
    for d in range(60):
        allocation = alone.solve(
            budget_nok=int(inputs.budget_nok[d]),
            owner_fte=inputs.fte[d],
            owner_participates=inputs.participates[d],
            partner_capacity=inputs.partner_capacity[d],
            raise_on_failure=False,
        )
        solved.append(allocation.status is Status.OPTIMAL)
        if solved[-1]:
            expected.append(allocation.owner_totals)
    assert 0 < sum(solved) < 60
    assert list(result.draws["status"] == "optimal") == solved
    amounts = result.owners["amount_nok"].to_numpy().reshape(-1, engine.problem.n_owners)
    assert (amounts == np.array(expected)).all()


def test_a_rule_conflict_outside_the_lp_makes_only_its_draw_infeasible(rogaland, monkeypatch):
    engine = ChunkEngine(rogaland)
    spec = chunk_specs(6, 12, 12)[0]
    plain = frames(engine.run(spec))
    bad = int(plain.draws["budget_nok"][4])
    allocator = engine.allocator
    solve_many = allocator.solve_many
    conflict = InfeasibleError("R3 and R4 cannot both hold", ("R3", "R4"))

    def fail_with_bad(n, **fields):
        if bad in fields["budget_nok"]:
            raise conflict
        return solve_many(n, **fields)

    monkeypatch.setattr(allocator, "solve_many", fail_with_bad)
    result = frames(engine.run(spec))
    d = result.draws
    assert (d.loc[4, "status"], d.loc[4, "reason"]) == (
        "infeasible",
        "R3 and R4 cannot both hold [conflicts: R3, R4]",
    )
    assert d.loc[4, "allocated_nok"] == 0 and np.isnan(d.loc[4, "gini_net"])
    others = d.index != 4
    pd.testing.assert_frame_equal(d[others], plain.draws[others])
    kept = plain.owners[plain.owners["draw"] != d.loc[4, "draw"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(result.owners, kept)


@pytest.mark.parametrize(
    ("seed", "error"),
    [(77, ZeroDivisionError("division by zero")), (78, SolverError("HiGHS stopped: time limit"))],
)
def test_any_other_error_inside_a_draw_stops_the_run(rogaland, monkeypatch, tmp_path, seed, error):
    """Only rule conflicts are data: a programming error or a solver failure in one draw
    stops the whole run with its own message, and no summary is written."""
    from dekomopt.simulation import engine as engine_module
    from dekomopt.simulation import simulate

    scenario = rogaland.with_changes(scenario={"seed": seed})  # an engine of its own
    real = engine_module.ChunkEngine.solve_and_score

    def broken(self, inputs, index=0):
        if index == 1:
            allocator = self.allocator

            def fail(n, **fields):
                raise error

            allocator.solve_many = fail
        return real(self, inputs, index)

    monkeypatch.setattr(engine_module.ChunkEngine, "solve_and_score", broken)
    with pytest.raises(type(error), match=str(error)):
        simulate(scenario, tmp_path, draws=40, chunk_size=10, progress=False, figures=False)
    assert not (tmp_path / "summary.csv").exists()
