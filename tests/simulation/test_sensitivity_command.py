"""Sobol sensitivity (small n) and the command-line handlers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dekomopt.errors import ScenarioError
from dekomopt.simulation import sensitivity
from dekomopt.simulation.command import sensitivity_command, simulate_command

from .test_draws import CAPACITY_LIMITS


def test_sensitivity_table(rogaland):
    scenario = rogaland.with_changes(
        sensitivity={"vary": ("key_weight_distance", "uh_share_min"), "uh_share_min": (0.3, 0.7)}
    )
    table, facts = sensitivity(scenario, 8, 1, metrics=("gap_small_large_net",))
    assert facts.parameters == {"key_weight_distance": (0.0, 0.5), "uh_share_min": (0.3, 0.7)}
    assert list(table.columns) == ["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert facts.model_runs == 8 * 4 and facts.failed_runs == 0
    row = table.set_index("parameter")
    # The distance weight moves money between regions; the UH share scales every owner alike.
    assert row.loc["key_weight_distance", "ST"] > 0.5
    assert abs(row.loc["uh_share_min", "ST"]) < 0.05


def test_sensitivity_rejects_bad_input(rogaland):
    with pytest.raises(ValueError, match="power of 2"):
        sensitivity(rogaland, 6, 1)
    for bad, key in (
        ({"vary": ("nonsense",)}, "sensitivity.vary"),
        ({"uh_share_min": (0.7, 0.3)}, "uh_share_min"),
        ({"samples": 100}, "power of 2"),
    ):
        with pytest.raises(ScenarioError, match=key):
            rogaland.with_changes(sensitivity=bad)


def test_commands(rogaland, tmp_path, capsys):
    assert simulate_command(str(rogaland.path), 40, 1, 1, None, False, str(tmp_path)) == 0
    text = capsys.readouterr().out
    assert "40 draws" in text and "power_largest_NORD" in text
    assert len(pd.read_parquet(tmp_path / "draws.parquet")) == 40
    assert sensitivity_command(str(rogaland.path), 2, 3, str(tmp_path / "s")) == 0
    table = pd.read_csv(tmp_path / "s" / "sensitivity.csv")
    assert len(table) == 5 * 6 and np.isfinite(table["ST"]).any()


@pytest.mark.parametrize("limit", [0.01, 1.0])
def test_infeasible_share_above_the_limit_exits_non_zero(make_scenario, tmp_path, capsys, limit):
    scenario = make_scenario(
        f"partner_capacity_noise = 0.1\nmax_infeasible_share = {limit}\nchunk_size = 20",
        partners=CAPACITY_LIMITS,
    )
    code = simulate_command(str(scenario.path), 40, 4, 1, None, False, str(tmp_path / "run"))
    out, err = capsys.readouterr()
    status = next(line for line in out.splitlines() if line.startswith("status"))
    optimal, infeasible = (int(part.split()[0]) for part in status[len("status") :].split(","))
    assert optimal + infeasible == 40 and infeasible / 40 > 0.01
    if limit < 1:
        assert code == 1
        assert f"{infeasible / 40:.1%} of the draws are infeasible" in err
    else:
        assert code == 0 and "infeasible" not in err


@pytest.mark.parametrize(
    "table", ["fte_noise = 0.0\nparticipation = 1.0", "partner_capacity_noise = 0.2"]
)
def test_nothing_uncertain_is_refused(make_scenario, tmp_path, table):
    scenario = make_scenario(table)  # Rogaland's partners have no capacity to vary
    with pytest.raises(ScenarioError, match=r"\[uncertainty\]: nothing varies between draws"):
        simulate_command(str(scenario.path), 10, 1, 1, None, False, str(tmp_path))


def test_a_metric_that_does_not_vary_is_said_to_be_the_same(make_scenario, tmp_path, capsys):
    # Only the budget varies: every owner's share, hence every index, stays the same.
    scenario = make_scenario("budget_change = 0.05\nchunk_size = 10")
    assert simulate_command(str(scenario.path), 20, 1, 1, None, False, str(tmp_path)) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("power_")}
    assert all("the same in every draw" in row for row in rows.values())
    assert "e-1" not in out  # no floating-point noise printed as a number
