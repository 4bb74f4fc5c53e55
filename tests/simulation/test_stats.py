"""Statistics on known samples, and the stop rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dekomopt.simulation import describe, stop_check, summarise
from dekomopt.simulation.stats import OVER_FEASIBLE, OVER_OWNER, OVER_REGION


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


def test_stop_rule_checks_every_metric_of_a_unit_with_a_target_in_that_unit():
    frame = pd.DataFrame(
        {
            "status": ["optimal"] * 4 + ["infeasible"],
            "a": [0.1, 0.1, 0.1, 0.1, 99.0],
            "b": [0.0, 1.0, 0.0, 1.0, np.nan],
            "kr": [1000.0, 2000.0, 1000.0, 2000.0, np.nan],
            "never": [np.nan] * 5,
        }
    )
    units = {"a": "unitless", "b": "unitless", "kr": "kr/FTE", "never": "unitless"}
    assert stop_check(frame, {"a": "unitless", "never": "unitless"}, {"unitless": 1e-3}).reached
    low = stop_check(frame, units, {"unitless": 0.1})
    assert not low.reached and low.above == ("b",) and low.checked == ("a", "b")
    # the kroner metric's SE (288.7) is checked only against a kroner target
    assert stop_check(frame, units, {"unitless": 0.3}).reached
    both = stop_check(frame, units, {"unitless": 0.3, "kr/FTE": 100.0})
    assert not both.reached and both.above == ("kr",) and both.largest == "kr"
    assert both.largest_unit == "kr/FTE" and both.largest_target == 100.0
    assert both.largest_se == pytest.approx(500 / np.sqrt(3), rel=1e-9)
    assert stop_check(frame, units, {"unitless": 0.3, "kr/FTE": 300.0}).reached
    assert not stop_check(frame, units, {"km": 1.0}).reached  # nothing to check


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


def test_per_region_and_per_owner_rows_are_over_the_draws_taking_part():
    """An absent owner's power of 0 is left out as its funding is: both rows are of the
    draws in which the owner takes part, and say so."""
    draws = pd.DataFrame(
        {
            "status": ["optimal"] * 3,
            "gini": [0.0, 0.1, 0.2],
            "net_per_fte_R": [100.0, np.nan, 300.0],
        }
    )
    owners = pd.DataFrame(
        {
            "owner_id": ["a", "b"] * 3,
            "participates": [True, True, True, False, True, True],
            "power": [0.5, 0.5, 1.0, 0.0, 0.5, 0.5],
            "net_per_fte": [100.0, 100.0, 200.0, np.nan, 300.0, 300.0],
        }
    )
    units = {"gini": "unitless", "net_per_fte_R": "kr/FTE"}
    rows = summarise(draws, owners, units, ("power", "net_per_fte")).set_index(["metric", "owner"])
    assert rows.loc[("gini", ""), "over"] == OVER_FEASIBLE
    assert rows.loc[("net_per_fte_R", ""), "over"] == OVER_REGION
    assert rows.loc[("net_per_fte_R", ""), "n"] == 2
    for metric in ("power", "net_per_fte"):
        assert rows.loc[(metric, "b"), "over"] == OVER_OWNER
        assert rows.loc[(metric, "b"), "n"] == 2
    assert rows.loc[("power", "b"), "mean"] == 0.5
