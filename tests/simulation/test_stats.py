"""Statistics on known samples, and the stop rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dekomopt.simulation import converged, describe, summarise


def test_describe_known_sample():
    s = describe([1.0, 2.0, 3.0, 4.0, np.nan])
    assert s["n"] == 4
    assert s["mean"] == 2.5
    assert s["sd"] == pytest.approx(np.sqrt(5 / 3))
    assert s["mc_se"] == pytest.approx(np.sqrt(5 / 3) / 2)
    assert s["q025"] == pytest.approx(1.075)
    assert s["q975"] == pytest.approx(3.925)


def test_describe_empty_and_single():
    assert describe([np.nan])["n"] == 0 and np.isnan(describe([])["mean"])
    one = describe([7.0])
    assert one["mean"] == 7.0 and np.isnan(one["sd"]) and np.isnan(one["mc_se"])


def test_standard_error_shrinks_like_root_n():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 2, 40_000)
    assert describe(x)["mc_se"] == pytest.approx(2 / 200, rel=0.02)
    assert describe(x[:400])["mc_se"] == pytest.approx(2 / 20, rel=0.1)


def test_stop_rule():
    frame = pd.DataFrame(
        {
            "status": ["optimal"] * 4 + ["infeasible"],
            "a": [0.1, 0.1, 0.1, 0.1, 99.0],
            "b": [0.0, 1.0, 0.0, 1.0, np.nan],
            "never": [np.nan] * 5,
        }
    )
    assert converged(frame, ("a", "never"), 1e-3)
    assert not converged(frame, ("a", "b"), 0.1)
    assert converged(frame, ("a", "b"), 0.3)


def test_summary_rows_per_metric_and_owner():
    draws = pd.DataFrame({"status": ["optimal", "optimal", "infeasible"], "a": [1.0, 3.0, 50.0]})
    owners = pd.DataFrame(
        {
            "owner_id": ["b", "a", "b", "a", "b"],
            "power": [0.2, 0.8, 0.4, 0.6, np.nan],
            "net_per_fte": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    table = summarise(draws, owners, {"a": "unitless"}, ("power", "need_match", "net_per_fte"))
    assert list(zip(table["metric"], table["owner"], strict=True)) == [
        ("a", ""),
        ("power", "b"),
        ("power", "a"),
        ("net_per_fte", "b"),
        ("net_per_fte", "a"),
    ]
    rows = table.set_index(["metric", "owner"])
    assert rows.loc[("a", ""), "mean"] == 2.0 and rows.loc[("a", ""), "unit"] == "unitless"
    assert rows.loc[("power", "b"), "n"] == 2
    assert rows.loc[("power", "b"), "mean"] == pytest.approx(0.3)
    assert rows.loc[("power", "a"), "mean"] == pytest.approx(0.7)
    assert rows.loc[("net_per_fte", "b"), "mean"] == 3.0
    assert rows.loc[("net_per_fte", "b"), "sd"] == 2.0


def test_a_metric_the_same_in_every_draw_has_no_spread():
    noisy = 6684.0 + np.array([0.0, 9e-13, -9e-13, 4e-13])
    out = describe(noisy)
    assert out["sd"] == 0.0 and out["mc_se"] == 0.0
    assert out["q025"] == out["q975"] == out["mean"] == 6684.0
    assert describe([6684.0, 6684.1])["sd"] > 0
