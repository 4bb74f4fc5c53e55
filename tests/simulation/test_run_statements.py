"""What a finished run states about itself agrees with what it ran: the stop rule, which
draws a row is of, the units, the provenance's sizes and the figures' series."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from matplotlib.figure import Figure

from dekomopt.simulation import simulate
from dekomopt.simulation.command import simulate_command
from dekomopt.simulation.reasons import NO_GRANT
from dekomopt.simulation.stats import OVER_OWNER, OVER_REGION


def _rows(out: str) -> dict[str, str]:
    return {line.split()[0]: line for line in out.splitlines() if line.strip()}


def test_a_number_target_stops_on_the_unitless_metrics_and_says_so(make_scenario, tmp_path, capsys):
    scenario = make_scenario(
        "fte_noise = 0.05\nparticipation = 0.9\nchunk_size = 20\ntarget_se = 20.0"
    )
    out = tmp_path / "run"
    simulate_command(str(scenario.path), 200, 9, 1, None, False, str(out), lang="en")
    printed = capsys.readouterr().out
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    check = record["outcome"]["stop_rule"]
    summary = pd.read_csv(out / "summary.csv").set_index("metric")
    units = summary[summary["owner"].isna()]["unit"]
    assert record["target_se"] == {"unitless": 20.0}
    assert set(check["checked"]) <= set(units[units == "unitless"].index)
    assert "funding_per_fte" not in check["checked"]
    assert "(stopped: MC SE below target for all" in printed and "20 (unitless)" in printed
    assert record["outcome"]["draws_done"] == 20


def test_a_kroner_target_holds_the_run_and_the_largest_error_is_named(
    make_scenario, tmp_path, capsys
):
    scenario = make_scenario(
        'fte_noise = 0.05\nparticipation = 0.9\nchunk_size = 20\ntarget_se = { "kr/FTE" = 0.5 }'
    )
    out = tmp_path / "run"
    simulate_command(str(scenario.path), 40, 9, 1, None, False, str(out), lang="en")
    printed = capsys.readouterr().out
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    check = record["outcome"]["stop_rule"]
    summary = pd.read_csv(out / "summary.csv")
    scalar = summary[summary["owner"].isna()].set_index("metric")
    assert record["outcome"]["draws_done"] == 40 and not record["outcome"]["stopped_early"]
    assert "funding_per_fte" in check["checked"] and check["above"]
    largest = check["largest"]
    assert scalar.loc[largest, "unit"] == "kr/FTE"
    assert check["largest_se"] == pytest.approx(scalar.loc[largest, "mc_se"])
    line = next(x for x in printed.splitlines() if x.startswith("target SE"))
    assert f"largest {largest}" in line and "0.5" not in line and "0,5 (kr/FTE)" in line


def test_provenance_records_the_draws_that_ran_once(make_scenario, tmp_path):
    scenario = make_scenario("fte_noise = 0.05\ndraws = 1000\nchunk_size = 1000")
    run = simulate(scenario, tmp_path / "run", draws=20, chunk_size=10, seed=1, progress=False)
    record = json.loads((tmp_path / "run" / "provenance.json").read_text(encoding="utf-8"))
    assert record["draws"] == 20 and record["chunk_size"] == 10
    assert record["outcome"]["draws_done"] == len(run.draws) == 20
    for key in ("draws", "chunk_size", "target_se"):
        assert key not in record["uncertainty"]
    assert record["uncertainty"]["fte_noise"] == 0.05


def test_rows_of_a_region_or_owner_say_they_are_over_its_draws(make_scenario, tmp_path, capsys):
    scenario = make_scenario("participation = 0.85\nchunk_size = 30")
    out = tmp_path / "run"
    simulate_command(str(scenario.path), 30, 3, 1, None, False, str(out), lang="nb")
    printed = _rows(capsys.readouterr().out)
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    owners = pd.read_parquet(out / "owners.parquet")
    region = summary[summary["metric"] == "net_per_fte_NORD"].iloc[0]
    assert region["over"] == OVER_REGION
    counted = summary[(summary["metric"] == "power") & (summary["owner"] != "")]
    assert (counted["over"] == OVER_OWNER).all()
    taking_part = owners[owners["participates"]].groupby("owner_id").size()
    assert (counted.set_index("owner")["n"] == taking_part.reindex(counted["owner"])).all()
    # the printed row shows n and the unit in the run's language
    line = printed["net_per_fte_NORD"]
    assert f" {region['n']} " in line and "kr/årsverk" in line
    assert "unitless" not in "\n".join(printed.values())
    assert "uten enhet" in printed["gini_net"]
    assert printed["merknad"].startswith("merknad    n:")


def test_gross_alone_when_no_cost_makes_net_differ(make_scenario, tmp_path, monkeypatch):
    """Without travel or coordination cost the funding figure has one series, saying that
    gross is net; its legend lies outside the axes."""
    labels: dict[str, list[str]] = {}
    save = Figure.savefig

    def savefig(fig, path, *args, **kwargs):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for legend in fig.legends:
            box = legend.get_window_extent(renderer)
            assert not any(box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
        names = [t.get_text() for lg in fig.legends for t in lg.get_texts()]
        labels[str(path).rsplit("/", 1)[-1]] = names
        return save(fig, path, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    text = "fte_noise = 0.05\nchunk_size = 20"
    costly = make_scenario(text)
    free = costly.with_changes(
        metrics={"travel_cost_nok_per_km_fte": 0.0, "coordination_cost_nok": 0.0}
    )
    simulate(costly, tmp_path / "a", draws=20, seed=1, progress=False, lang="en")
    assert labels["funding_per_fte.png"] == ["gross", "net of travel and coordination"]
    simulate(free, tmp_path / "b", draws=20, seed=1, progress=False, lang="en")
    assert labels["funding_per_fte.png"] == [
        "gross = net: no travel or coordination cost to take off"
    ]


def test_the_theil_figure_names_the_bars_ratio_and_the_mean_share(
    make_scenario, tmp_path, monkeypatch
):
    from dekomopt.formats import format_percent

    seen: dict[str, str] = {}
    save = Figure.savefig

    def savefig(fig, path, *args, **kwargs):
        seen[str(path).rsplit("/", 1)[-1]] = fig.axes[0].get_xlabel()
        return save(fig, path, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    run = simulate(
        make_scenario("fte_noise = 0.1\nchunk_size = 30"),
        tmp_path,
        draws=30,
        seed=2,
        progress=False,
        lang="en",
    )
    ok = run.draws[run.draws["status"] == "optimal"]
    between, within = ok["theil_net_between"].mean(), ok["theil_net_within"].mean()
    label = seen["theil_split.png"].replace("\n", " ")
    # the layout rewraps labels on spaces, the no-break space included
    label = label.replace("\xa0", " ")
    for share in (between / (between + within), ok["theil_net_between_share"].mean()):
        assert format_percent(share).replace("\xa0", " ") in label


def test_a_draw_without_a_grant_is_explained_in_the_run_language(make_scenario, tmp_path, capsys):
    scenario = make_scenario("budget_change = 2.0\nmax_infeasible_share = 1.0\nchunk_size = 40")
    simulate_command(str(scenario.path), 40, 1, 1, None, False, str(tmp_path / "r"), lang="nb")
    printed = capsys.readouterr().out
    draws = pd.read_parquet(tmp_path / "r" / "draws.parquet")
    zero = int((draws["total_nok"] == 0).sum())
    assert zero > 0
    assert f"  {zero} × {NO_GRANT.in_language('nb')}" in printed.splitlines()
    assert "set-aside" not in printed and "avsetning" not in printed
