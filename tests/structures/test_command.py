import json
import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dekomopt.errors import DataError, InfeasibleError
from dekomopt.structures.command import _nothing_differs, structures_command
from dekomopt.structures.constraints import part_rules, sample_structures
from dekomopt.structures.diagnostics import canonical_labels
from dekomopt.structures.evaluate import METRICS, structure_context
from dekomopt.structures.outlier import Placement
from dekomopt.structures.recom import log_tree_weights
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.summary import Draws, OutlierRow, clean_scores, outlier_table


def _outputs(folder):
    """A run's files; provenance without the time it was written."""
    provenance = json.loads((folder / "provenance.json").read_text())
    assert provenance.pop("created")
    return {
        name: (folder / name).read_bytes()
        for name in ("structures.csv", "outlier.csv", "frontier.csv")
    } | {
        "metrics": pd.read_parquet(folder / "metrics.parquet"),
        "provenance.json": json.dumps(provenance),
    }


def test_enumeration_is_the_same_with_one_or_two_workers(scenario_with_structures, tmp_path):
    path = scenario_with_structures("regions = 3", "balance = 0.7")
    assert structures_command(str(path), True, None, None, 1, 1, str(tmp_path / "one")) == 0
    assert structures_command(str(path), True, None, None, 2, 1, str(tmp_path / "two")) == 0
    one, two = _outputs(tmp_path / "one"), _outputs(tmp_path / "two")
    assert one.pop("metrics").equals(two.pop("metrics"))
    assert one == two
    provenance = json.loads(one["provenance.json"])
    assert provenance["method"] == "enumerate" and provenance["sampler"] is None
    assert provenance["structures_spec"]["samples"] is None
    # without the Ryfast link today's MIDT is in two pieces, and the output says so
    assert provenance["today_plausible"] is False
    assert "MIDT is not contiguous" in provenance["today_breaks"]
    assert provenance["reference"].startswith(f"all {provenance['structures']} plausible")
    outlier = pd.read_csv(tmp_path / "one" / "outlier.csv")
    assert set(outlier["law"]) == {"exact"}
    assert {"theil_between_share", "travel_km", "gini"} <= set(outlier["metric"])
    ranked = outlier[~outlier["same_for_every_structure"]].dropna(subset=["percentile"])
    assert ranked["percentile"].between(0, 100).all()  # in percent
    assert (outlier["used"] + outlier["left_out"] == provenance["structures"]).all()
    frontier = pd.read_csv(tmp_path / "one" / "frontier.csv")
    assert len(frontier) >= 2 and frontier["is_today"].iloc[0]
    assert frontier["regions"].iloc[1:].str.contains("Stavanger").all()
    assert (tmp_path / "one" / "figures" / "hist_travel_km.png").stat().st_size > 0
    assert (tmp_path / "one" / "figures" / "map_today_and_frontier.png").stat().st_size > 0


def test_sampling_is_seeded(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures("regions = 3", "balance = 0.7")
    structures_command(str(path), False, 60, 2, 1, 5, str(tmp_path / "a"))
    structures_command(str(path), False, 60, 2, 2, 5, str(tmp_path / "b"))
    a, b = _outputs(tmp_path / "a"), _outputs(tmp_path / "b")
    assert a.pop("metrics").equals(b.pop("metrics"))
    assert a == b
    draws = pd.read_csv(tmp_path / "a" / "draws.csv")
    assert len(draws) == 60
    provenance = json.loads(a["provenance.json"])
    # what ran: a sample, drawn from the decision diagram, whatever the [structures] table says
    assert provenance["method"] == "sample"
    assert "decision diagram" in provenance["sampler"]
    assert provenance["structures_spec"]["method"] == "sample"
    assert provenance["structures_spec"]["samples"] == 60
    assert provenance["reference_set"] == "all 130 plausible structures (3 regions)"
    outlier = pd.read_csv(tmp_path / "a" / "outlier.csv")
    assert set(outlier["law"]) == {"uniform", "spanning-tree"}
    travel = outlier.set_index(["metric", "law"]).loc[("travel_km", "uniform")]
    assert travel.interval_lo <= travel.percentile <= travel.interval_hi
    assert travel.used + travel.left_out == 60
    out = capsys.readouterr().out
    assert "reference: uniform over all 130 plausible structures (3 regions)" in out
    assert "acceptance 0,802" in out
    assert "60 independent uniform draws" in out
    counts = [line for line in out.splitlines() if line.startswith(("plausible", "reference"))]
    assert counts and not any(re.search(r"\d,\d", line) for line in counts)  # counts: no comma


RYFAST = 'extra_links = [["1103", "1130"]]'


def test_today_is_recognised_when_plausible(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures("regions = 3", RYFAST)
    structures_command(str(path), False, 40, 2, 1, 3, str(tmp_path / "s"))
    provenance = json.loads((tmp_path / "s" / "provenance.json").read_text())
    assert provenance["today_plausible"] is True and provenance["today_breaks"] is None
    out = capsys.readouterr().out
    assert "today: plausible" in out and "not among them" not in out


def test_no_structure_names_the_rule(scenario_with_structures, tmp_path):
    path = scenario_with_structures("regions = 3", "balance = 0.01")
    with pytest.raises(InfeasibleError, match="within 1% of the mean weight"):
        structures_command(str(path), True, None, None, 1, 1, str(tmp_path / "out"))


def test_dominance_is_true_and_shown_beside_today(scenario_with_structures, tmp_path):
    path = scenario_with_structures("regions = 3", RYFAST)
    structures_command(str(path), True, None, None, 1, 1, str(tmp_path / "e"))
    provenance = json.loads((tmp_path / "e" / "provenance.json").read_text())
    metrics = pd.read_parquet(tmp_path / "e" / "metrics.parquet")
    today = metrics[metrics["is_today"]].iloc[0]
    objectives = ["theil_between_share", "travel_km", "n_regions"]
    for i in provenance["frontier"]["dominating_today"]:
        row = metrics.iloc[i]
        diff = (row[objectives] - today[objectives]).astype(float)
        tol = 1e-9 * np.maximum(1.0, today[objectives].abs().astype(float))
        assert (diff <= tol).all() and (diff < -tol).any()
    frontier = pd.read_csv(tmp_path / "e" / "frontier.csv")
    said = frontier.loc[frontier["dominates_today"], "vs_today"]
    assert said.str.contains("better").all() and not said.str.contains("worse").any()


def test_a_pure_fte_key_without_costs_reports_zero_and_no_percentile(
    scenario_with_structures, tmp_path, capsys
):
    path = scenario_with_structures("regions = 3")
    text = path.read_text(encoding="utf-8")
    text = text.replace("travel_cost_nok_per_km_fte = 10.0", "travel_cost_nok_per_km_fte = 0.0")
    text = text.replace("coordination_cost_nok = 150_000.0", "coordination_cost_nok = 0.0")
    path.write_text(text, encoding="utf-8")
    structures_command(str(path), False, 40, 2, 1, 2, str(tmp_path / "f"))
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line[:1].isalpha()}
    assert "e-1" not in out
    # sampled: a claim about the structures drawn, not every plausible one
    assert lines["gini"].endswith("the same in every structure drawn")
    assert lines["theil_total"].endswith("the same in every structure drawn")
    assert (
        "no structure drawn has a value: it needs the owners' reported needs (owners.needs"
        in (lines["need_match"])
    )
    assert "no score differs" not in out  # travel still does
    metrics = pd.read_parquet(tmp_path / "f" / "metrics.parquet")
    assert (metrics["gini"] == 0).all() and (metrics["theil_total"] == 0).all()


def _placements(rogaland, k, steps, seed):
    """Exact percentiles over every plausible k-region structure of Rogaland 2025, and the
    sampled estimates from 4 chains of ``steps`` draws."""
    scenario, county = rogaland
    spec = scenario.spec.structures.model_copy(update={"regions": k})
    rules = part_rules(spec, county, k)
    ctx = structure_context(scenario, county, rules.nodes)
    today = evaluate_structures(ctx, ctx.today_labels[None, :]).iloc[0].to_dict()
    every = rules.enumerate()
    scored, today_clean, _ = clean_scores(evaluate_structures(ctx, every), today, METRICS, "")
    exact = {r.metric: r.placed for r in outlier_table(scored, today_clean, METRICS, None)}
    labels, chain_of = sample_structures(rules, 4 * steps, 4, np.random.SeedSequence(seed))
    distinct, of = np.unique(canonical_labels(labels), axis=0, return_inverse=True)
    of = of.reshape(-1)
    log_tree = log_tree_weights(rules.graph, rules.nodes, distinct)
    draws = Draws(chain_of, of, np.full(len(of), k), log_tree[of], 4, steps, 1, 0.0)
    scored, today_clean, _ = clean_scores(evaluate_structures(ctx, distinct), today, METRICS, "")
    # 99 % per score: about 95 % that all six intervals cover together
    sampled = outlier_table(scored, today_clean, METRICS, draws, level=0.99)
    return exact, {r.metric: r.placed for r in sampled if r.law == "uniform"}


def test_sampled_percentiles_cover_the_exact_ones_on_rogaland(rogaland):
    # 4 chains of 5 000 draws; the full check (4 × 20 000, 3 and 4 regions) is run by hand
    exact, sampled = _placements(rogaland, 3, 5000, seed=8)
    compared = 0
    for metric, e in exact.items():
        s = sampled[metric]
        assert e.constant == s.constant
        if e.constant or np.isnan(e.percentile):
            continue
        assert s.lo <= e.percentile <= s.hi, metric
        assert s.hi - s.lo < 0.2
        compared += 1
    assert compared >= 5


def test_enumeration_beyond_the_limit_is_refused_with_the_count(
    scenario_with_structures, tmp_path, monkeypatch
):
    import dekomopt.structures.command as command

    monkeypatch.setattr(command, "ENUMERATE_LIMIT", 100)
    path = scenario_with_structures("regions = 4")
    with pytest.raises(DataError, match="13 406 with 4 regions.*limit 100; use --sample"):
        structures_command(str(path), True, None, None, 1, 1, str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_without_flags_the_count_chooses(scenario_with_structures, tmp_path, monkeypatch, capsys):
    import dekomopt.structures.command as command

    path = scenario_with_structures("regions = 2")
    structures_command(str(path), False, None, 2, 1, 1, str(tmp_path / "all"))
    assert "enumerating all 70 plausible structures" in capsys.readouterr().out
    monkeypatch.setattr(command, "ENUMERATE_LIMIT", 50)
    path = scenario_with_structures("regions = 2", "samples = 40")
    structures_command(str(path), False, None, 2, 1, 1, str(tmp_path / "some"))
    assert "sampling 40 of the 70 plausible structures" in capsys.readouterr().out
    provenance = json.loads((tmp_path / "some" / "provenance.json").read_text())
    assert provenance["method"] == "sample" and provenance["draws"] == 40


@pytest.mark.parametrize(
    ("args", "message"),
    [((0, 4, 1), "--sample"), (None, "--workers"), ((10, 1, 1), "--chains")],
)
def test_bad_numbers_are_one_line(scenario_with_structures, tmp_path, args, message):
    path = scenario_with_structures("regions = 2")
    sample, chains, workers = args if args else (10, 4, 0)
    with pytest.raises(DataError, match=message):
        structures_command(str(path), False, sample, chains, workers, 1, str(tmp_path / "o"))


def test_flags_without_use_are_refused_or_said_unused(scenario_with_structures, tmp_path, capsys):
    from dekomopt.cli import main

    path = scenario_with_structures("regions = 2")
    args = ["structures", str(path), "--law", "spanning-tree", "--chains", "3"]
    assert main([*args, "--enumerate", "--out", str(tmp_path / "e")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert err[0].startswith("error: structures: --law: applies to sampled percentiles only")
    assert err[1].startswith("error: structures: --chains: applies to ReCom sampling only")
    assert not (tmp_path / "e").exists()
    # chosen from the count (70 structures: enumerated), the flags are said to be unused
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "note: --law spanning-tree not used: every plausible structure was enumerated" in out
    assert "note: --chains 3 not used: no ReCom chain was run" in out


def test_every_structures_problem_is_named_at_once(scenario_with_structures, tmp_path, capsys):
    from dekomopt.cli import main

    path = scenario_with_structures(
        "regions = 3",
        'extra_links = [["1103", "1130"], ["0301", "1103"]]',
        'together = [["1103", "9999"], ["1106", "1149"]]',
    )
    assert main(["structures", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: {path}: structures.extra_links[2]: 0301 is no municipality of Rogaland's "
        "geography",
        f"error: {path}: structures.together[1]: 9999 is no municipality of Rogaland's geography",
    ]
    with pytest.raises(DataError) as caught:
        structures_command(str(path), False, 0, 1, 0, 1, str(tmp_path / "p"), lang="de")
    lines = caught.value.lines()
    assert [line.split(": ")[1] for line in lines[:4]] == [
        "--lang",
        "--sample",
        "--workers",
        "--chains",
    ]
    assert len(lines) == 6


def test_a_scope_where_no_score_differs_says_once_what_it_lacks():
    none = Placement(math.nan, math.nan, math.nan, math.nan, 100, 0, True)
    rows = [OutlierRow(m, 0.0, "uniform", none, math.nan) for m in ("gini", "max_power")]
    metrics = SimpleNamespace(coordination_cost_nok=0.0, travel_cost_nok_per_km_fte=0.0)
    loaded = SimpleNamespace(
        spec=SimpleNamespace(metrics=metrics, owners=SimpleNamespace(needs=None))
    )
    county = SimpleNamespace(travel_known=False)
    note = _nothing_differs(loaded, county, rows, "uniform")
    assert note is not None and note.startswith("no score differs between the structures drawn")
    for needed in ("coordination_cost_nok", "[partners] kommunenummer", "owners.needs"):
        assert needed in note
    # one score with a percentile: nothing to say
    placed = Placement(0.4, 0.3, 0.5, 100.0, 100, 0, False)
    assert (
        _nothing_differs(
            loaded, county, [*rows, OutlierRow("gini", 1.0, "uniform", placed, 1.0)], "uniform"
        )
        is None
    )
