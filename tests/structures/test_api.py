"""``analyse_structures`` runs on a scenario in memory: a change made there changes results."""

from __future__ import annotations

import json

import pandas as pd

from dekomopt.scenario import load_scenario
from dekomopt.structures.command import analyse_structures


def test_a_budget_doubled_in_memory_changes_the_structures_scored(
    scenario_with_structures, tmp_path
):
    base = load_scenario(scenario_with_structures("regions = 2"))
    doubled = base.with_changes(budget={"total_nok": 2 * base.spec.budget.total_nok})
    one = analyse_structures(base, tmp_path / "base", enumerate=True, seed=1)
    two = analyse_structures(doubled, tmp_path / "doubled", enumerate=True, seed=1)
    before = pd.read_parquet(one / "metrics.parquet")
    after = pd.read_parquet(two / "metrics.parquet")
    assert len(before) == len(after) == 70  # the same structures, allocated anew
    ok = before["status"].eq("optimal") & after["status"].eq("optimal")
    assert ok.any()
    assert (after.loc[ok, "min_net_per_fte"] > before.loc[ok, "min_net_per_fte"]).all()
    hashes = [
        json.loads((folder / "provenance.json").read_text())["scenario_content_sha256"]
        for folder in (one, two)
    ]
    assert hashes[0] == base.content_sha256 and hashes[1] == doubled.content_sha256
