"""Sobol sensitivity (small n) and the command-line handlers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dekomopt.errors import ScenarioError
from dekomopt.simulation import sensitivity
from dekomopt.simulation.command import sensitivity_command, simulate_command


def test_sensitivity_table(rogaland):
    scenario = rogaland.with_changes(
        sensitivity={"vary": ("key_weight_distance", "uh_share_min"), "uh_share_min": (0.3, 0.7)}
    )
    table, facts = sensitivity(scenario, 8, 1, metrics=("gap_small_large_net",))
    assert facts["parameters"] == {"key_weight_distance": [0.0, 0.5], "uh_share_min": [0.3, 0.7]}
    assert list(table.columns) == ["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert facts["model_runs"] == 8 * 4 and facts["failed_runs"] == 0
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
