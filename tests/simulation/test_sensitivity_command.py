"""Sobol sensitivity (small n) and the command-line handlers."""

from __future__ import annotations

import json
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from dekomopt.cli import main
from dekomopt.data import data_versions
from dekomopt.errors import ScenarioError
from dekomopt.proposal import Provenance
from dekomopt.simulation import sensitivity
from dekomopt.simulation.command import sensitivity_command, simulate_command
from dekomopt.simulation.sobol import MAX_HALF_WIDTH, UNRELIABLE
from dekomopt.sobolsize import SOBOL_SAMPLES

from .conftest import ROGALAND
from .test_draws import CAPACITY_LIMITS


def strict_json(path):
    """A JSON file's contents; NaN or Infinity in it fail the test."""

    def refuse(constant):
        raise AssertionError(f"{path.name}: {constant} is not JSON")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def lines_of(text: str, metric: str) -> list[str]:
    return [line for line in text.splitlines() if line.split(" ")[0] == metric]


def test_sensitivity_table(rogaland):
    scenario = rogaland.with_changes(
        sensitivity={"vary": ("key_weight_distance", "uh_share_min"), "uh_share_min": (0.3, 0.7)}
    )
    table, facts = sensitivity(scenario, 8, 1, metrics=("gap_small_large_net",))
    assert facts.parameters == {"key_weight_distance": (0.0, 0.5), "uh_share_min": (0.3, 0.7)}
    assert list(table.columns) == ["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf", "note"]
    assert facts.model_runs == 8 * 4 and facts.failed_runs == 0
    row = table.set_index("parameter")
    # The distance weight moves money between regions; the UH share scales every owner alike.
    assert row.loc["key_weight_distance", "ST"] > 0.5
    assert abs(row.loc["uh_share_min", "ST"]) < 0.05


def test_sensitivity_rejects_bad_input(rogaland):
    with pytest.raises(ValueError, match="power of 2"):
        sensitivity(rogaland, 12, 1)
    for bad, key in (
        ({"vary": ("nonsense",)}, "sensitivity.vary"),
        ({"uh_share_min": (0.7, 0.3)}, "uh_share_min"),
        ({"samples": 100}, "power of 2"),
    ):
        with pytest.raises(ScenarioError, match=key):
            rogaland.with_changes(sensitivity=bad)


@pytest.mark.parametrize("n", [2, 4])
def test_too_few_sobol_samples_are_refused_alike_in_the_file_and_the_command(
    rogaland, tmp_path, capsys, n
):
    low, high = SOBOL_SAMPLES
    rule = f"must be between {low} and {high}"
    with pytest.raises(ScenarioError, match=f"sensitivity.samples: {rule}"):
        rogaland.with_changes(sensitivity={"samples": n})
    with pytest.raises(ValueError, match=rule):
        sensitivity(rogaland, n, 1)
    argv = ["sensitivity", str(rogaland.path), "--samples", str(n), "--out", str(tmp_path)]
    assert main(argv) == 2
    assert rule in capsys.readouterr().err
    assert rogaland.with_changes(sensitivity={"samples": low}).spec.sensitivity.samples == low


def test_commands(rogaland, tmp_path, capsys):
    assert (
        simulate_command(str(rogaland.path), 40, 1, 1, None, False, str(tmp_path), lang="en") == 0
    )
    text = capsys.readouterr().out
    assert "40 draws" in text and "power_largest_NORD" in text
    assert len(pd.read_parquet(tmp_path / "draws.parquet")) == 40
    assert sensitivity_command(str(rogaland.path), 8, 3, str(tmp_path / "s"), lang="en") == 0
    table = pd.read_csv(tmp_path / "s" / "sensitivity.csv")
    assert len(table) == 5 * 6 and np.isfinite(table["ST"]).any()


@pytest.mark.parametrize("limit", [0.01, 1.0])
def test_infeasible_share_above_the_limit_exits_non_zero(make_scenario, tmp_path, capsys, limit):
    scenario = make_scenario(
        f"partner_capacity_noise = 0.1\nmax_infeasible_share = {limit}\nchunk_size = 20",
        partners=CAPACITY_LIMITS,
    )
    code = simulate_command(
        str(scenario.path), 40, 4, 1, None, False, str(tmp_path / "run"), lang="en"
    )
    out, err = capsys.readouterr()
    status = next(line for line in out.splitlines() if line.startswith("status"))
    optimal, infeasible = (int(part.split()[0]) for part in status[len("status") :].split(","))
    assert optimal + infeasible == 40 and infeasible / 40 > 0.01
    if limit < 1:
        assert code == 1
        shown = f"{infeasible / 40 * 100:.1f}".replace(".", ",")
        assert f"{shown}\u00a0% of the draws are infeasible" in err
    else:
        assert code == 0 and "infeasible" not in err


@pytest.mark.parametrize(
    "table", ["fte_noise = 0.0\nparticipation = 1.0", "partner_capacity_noise = 0.2"]
)
def test_nothing_uncertain_is_refused(make_scenario, tmp_path, table):
    scenario = make_scenario(table)  # Rogaland's partners have no capacity to vary
    with pytest.raises(ScenarioError, match=r"\[uncertainty\]: nothing varies between draws"):
        simulate_command(str(scenario.path), 10, 1, 1, None, False, str(tmp_path), lang="en")


def test_a_metric_that_does_not_vary_is_said_to_be_the_same(make_scenario, tmp_path, capsys):
    # Only the budget varies: every owner's share, hence every index, stays the same.
    scenario = make_scenario("budget_change = 0.05\nchunk_size = 10")
    assert (
        simulate_command(str(scenario.path), 20, 1, 1, None, False, str(tmp_path), lang="en") == 0
    )
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("power_")}
    assert all("the same in every draw" in row for row in rows.values())
    assert "e-1" not in out  # no floating-point noise printed as a number


@pytest.fixture
def costly_travel(tmp_path):
    """Rogaland 2025 whose travel cost reaches 400 kr per km and FTE: in most runs some owner's
    costs exceed its funding, where Theil's T (and, in some, Gini) is undefined."""
    path = tmp_path / "costly-travel.toml"
    path.write_text(
        ROGALAND.read_text(encoding="utf-8")
        + '\n[sensitivity]\nvary = ["travel_cost_nok_per_km_fte", "key_weight_distance"]\n'
        "travel_cost_nok_per_km_fte = [0, 400]\n",
        encoding="utf-8",
    )
    return path


def test_a_metric_undefined_in_some_runs_says_why_on_its_line_and_in_the_files(
    costly_travel, tmp_path, capsys
):
    out = tmp_path / "s"
    assert sensitivity_command(str(costly_travel), 8, 1, str(out), lang="en") == 0
    text = capsys.readouterr().out
    facts = strict_json(out / "sensitivity.json")
    spread = {m["metric"]: m for m in facts["metrics"]}
    theil = spread["theil_net"]
    assert 0 < theil["defined_runs"] < facts["model_runs"]
    undefined = facts["model_runs"] - theil["defined_runs"]
    (line,) = lines_of(text, "theil_net")
    assert f"undefined in {undefined} of {facts['model_runs']} runs" in line
    assert "net funding per FTE below 0" in line and theil["no_indices"] in line
    rows = [r for r in facts["indices"] if r["metric"] == "theil_net"]
    assert rows and all(r["S1"] is None and r["ST"] is None for r in rows)
    assert all(r["note"] == theil["no_indices"] for r in rows)
    csv = pd.read_csv(out / "sensitivity.csv")
    assert csv.loc[csv["metric"].eq("theil_net"), ["S1", "ST"]].isna().all().all()
    # a metric defined in every run keeps its indices
    gaps = [r for r in facts["indices"] if r["metric"] == "gap_small_large_net"]
    assert spread["gap_small_large_net"]["no_indices"] is None
    assert all(r["S1"] is not None for r in gaps)


def test_a_metric_undefined_in_every_run_says_why():
    from dekomopt.scenario import load_scenario

    # Vestfold og Telemark's starter has no private owners: the gap has no group to compare.
    scenario = load_scenario(ROGALAND.with_name("vestfold-og-telemark-2026.toml"))
    table, facts = sensitivity(scenario, 8, 1, metrics=("gap_private_public_net", "gini_net"))
    (gap,) = (m for m in facts.metrics if m.metric == "gap_private_public_net")
    assert gap.defined_runs == 0 and gap.sd is None
    assert (
        str(gap.no_indices) == "undefined in every run: no private or no municipal owner takes part"
    )
    assert facts.output_sd["gap_private_public_net"] is None
    json.loads(facts.to_json(table), parse_constant=lambda c: pytest.fail(c))


def test_indices_the_sample_is_too_small_for_are_marked(tmp_path, capsys):
    out = tmp_path / "s"
    assert sensitivity_command(str(ROGALAND), 8, 1, str(out), lang="en") == 0
    text = capsys.readouterr().out
    rows = strict_json(out / "sensitivity.json")["indices"]
    marked = 0
    for row in rows:
        if row["S1"] is None:
            continue
        wide = max(row["S1_conf"], row["ST_conf"]) > MAX_HALF_WIDTH
        outside = any(
            row[k] < -row[f"{k}_conf"] - 0.0005 or row[k] > 1 + row[f"{k}_conf"] + 0.0005
            for k in ("S1", "ST")
        )
        assert (row["note"] == str(UNRELIABLE)) == (wide or outside), row
        marked += wide or outside
        (line,) = (
            line for line in lines_of(text, row["metric"]) if f" {row['parameter']} " in line
        )
        assert line.endswith(str(UNRELIABLE)) == (wide or outside), line
    assert marked, "8 base samples give some index an interval wider than ±0.1"
    assert any(r["note"] == "" and r["S1"] is not None for r in rows)


def test_sensitivity_records_the_shared_provenance(tmp_path, capsys):
    out = tmp_path / "s"
    assert sensitivity_command(str(ROGALAND), 8, 4, str(out), lang="en") == 0
    prov = strict_json(out / "sensitivity.json")["provenance"]
    assert set(prov) == {f.name for f in fields(Provenance)}
    from dekomopt.scenario import load_scenario

    scenario = load_scenario(ROGALAND)
    assert prov["scenario_file"] == ROGALAND.name
    assert prov["scenario_sha256"] == scenario.sha256
    assert prov["scenario_content_sha256"] == scenario.content_sha256
    assert prov["data_versions"] == data_versions()
    assert prov["seed"] == 4 and prov["solver"].startswith("HiGHS")
    assert prov["rounding"].endswith(f"({8 * 8} runs)")


def test_rounding_noise_is_no_effect(rogaland):
    # The UH minimum scales every owner alike and the key tolerance does not bind: the
    # indices move only by whole-krone rounding.
    scenario = rogaland.with_changes(
        sensitivity={
            "vary": ("uh_share_min", "key_tolerance"),
            "uh_share_min": (0.4, 0.6),
            "key_tolerance": (0.01, 0.1),
        }
    )
    table, facts = sensitivity(scenario, 8, 2025, metrics=("gini_net", "theil_net"))
    for spread in facts.metrics:
        assert spread.sd is not None and spread.sd > 0  # rounding does move them ...
        assert str(spread.no_indices).startswith("does not vary")
    assert table[["S1", "ST"]].isna().all().all()  # ... but gives no index


def test_indices_within_rounding_noise_are_zero(rogaland):
    table, _ = sensitivity(rogaland, 8, 1, metrics=("theil_net",))
    row = table.set_index("parameter")
    for parameter in ("uh_share_min", "key_tolerance"):
        for key in ("S1", "S1_conf", "ST", "ST_conf"):
            assert row.loc[parameter, key] == 0, (parameter, key)
    assert row.loc["key_weight_distance", "ST"] > 0.1


def test_simulate_and_sensitivity_share_the_record_keys(rogaland, tmp_path):
    shared = {f.name for f in fields(Provenance)}
    assert (
        simulate_command(
            str(rogaland.path), 20, 1, 1, None, False, str(tmp_path / "sim"), lang="en"
        )
        == 0
    )
    simulated = strict_json(tmp_path / "sim" / "provenance.json")
    assert shared <= set(simulated), shared - set(simulated)
    assert simulated["scenario_sha256"] == rogaland.sha256
    assert simulated["python"] and "numpy" in simulated["libraries"]
    assert sensitivity_command(str(rogaland.path), 8, 3, str(tmp_path / "s"), lang="en") == 0
    record = strict_json(tmp_path / "s" / "sensitivity.json")
    assert shared <= set(record["provenance"])
    assert record["libraries"]["SALib"]


def test_every_problem_of_the_sensitivity_table_at_once(tmp_path, capsys):
    from dekomopt.cli import main

    text = ROGALAND.read_text(encoding="utf-8")
    if "[sensitivity]" in text:
        text = text[: text.index("[sensitivity]")]
    path = tmp_path / "bad.toml"
    path.write_text(
        text + '\n[sensitivity]\nvary = ["bogus", "uh_share_min"]\nuh_share_min = [0.6, 0.4]\n'
        "key_tolerance = [0.0, 0.1]\nsamples = 100\n",
        encoding="utf-8",
    )
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "s")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    keys = ("vary", "uh_share_min", "key_tolerance", "samples")
    for key in keys:
        assert sum(f"sensitivity.{key}" in line for line in lines) == 1, (key, lines)
    assert len(lines) == len(keys)
