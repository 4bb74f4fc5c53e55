"""What ``simulate`` prints and writes about infeasible draws, needs and its intervals."""

from __future__ import annotations

import pandas as pd

from dekomopt.cli import main
from dekomopt.formats import format_significant
from dekomopt.report.catalogue import LANGUAGES, text
from dekomopt.simulation.command import simulate_command
from dekomopt.simulation.reasons import SET_ASIDES_TAKE_ALL, failure_groups

from .test_draws import CAPACITY_LIMITS


def test_failure_groups_count_every_draw_by_its_rule_set_in_the_run_language():
    reasons = {
        4: "these rules cannot all hold (R3, R9): 15 100 000 kr [conflicts: R3, R9]",
        2: "these rules cannot all hold (R3, R9): 15 200 000 kr [conflicts: R9, R3]",
        7: "the reported needs (3 kr) cannot hold while the whole budget of 30 kr goes to the "
        "participating owners and their partners (R11 with R1, R8) [conflicts: R11]",
        1: str(SET_ASIDES_TAKE_ALL),
        9: "these rules cannot all hold (R3, R9): 15 300 000 kr [conflicts: R3, R9]",
        5: "these rules cannot all hold (R10, R3): 15 300 000 kr [conflicts: R10, R3]",
    }
    groups = failure_groups(reasons)
    assert sum(g.count for g in groups) == len(reasons)
    assert [(g.count, g.rules, g.first) for g in groups] == [
        (3, ("R3", "R9"), 2),
        (1, (), 1),
        (1, ("R3", "R10"), 5),
        (1, ("R11",), 7),
    ]
    assert groups[0].reason == "these rules cannot all hold (R3, R9): 15 200 000 kr"
    lines = {lang: [g.in_language(lang, "draws") for g in groups] for lang in LANGUAGES}
    assert lines["en"][0] == text(
        "cli_conflict_many_draws",
        "en",
        rules="R3, R9",
        names="; ".join(
            text(f"rule_{r}", "en", partners=text("partners_all", "en")) for r in ("R3", "R9")
        ),
        first="2",
    )
    assert lines["nb"][0].startswith(
        "reglene R3, R9 kan ikke gjelde samtidig: Minsteandel til samarbeidspartnere"
    )
    assert lines["nn"][0].startswith(
        "reglane R3, R9 kan ikkje gjelde samtidig: Minstedel til samarbeidspartnarar"
    )
    assert lines["nn"][1] == "avsetjingane tek heile det trekte budsjettet"
    assert lines["en"][1] == reasons[1]
    assert lines["nb"][3].startswith("regelen R11 kan ikke gjelde når hele budsjettet går")
    for lang in ("nb", "nn"):
        assert not {"rules", "rule", "cannot", "hold", "draw"} & set(" ".join(lines[lang]).split())


def test_every_infeasible_draw_is_counted_under_a_reason(make_scenario, tmp_path, capsys):
    scenario = make_scenario(
        "partner_capacity_noise = 0.1\nmax_infeasible_share = 1.0\nchunk_size = 20",
        partners=CAPACITY_LIMITS,
    )
    simulate_command(str(scenario.path), 60, 4, 1, None, False, str(tmp_path / "run"), lang="en")
    out = capsys.readouterr().out
    status = next(line for line in out.splitlines() if line.startswith("status"))
    infeasible = int(status.split(",")[1].split()[0])
    counted = [line for line in out.splitlines() if line.startswith("  ") and " × " in line]
    assert infeasible > 5
    assert sum(int(line.split(" × ")[0]) for line in counted) == infeasible


def test_a_run_without_a_feasible_draw_says_so_and_draws_no_figure(make_scenario, tmp_path, capsys):
    scenario = make_scenario(
        "fte_noise = 0.05\nneeds_probability = 1.0\nneeds_nok_per_fte = 1.0\nchunk_size = 20"
    )
    code = simulate_command(
        str(scenario.path), 20, 3, 1, None, False, str(tmp_path / "run"), lang="en"
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "0 optimal, 20 infeasible" in out
    assert "place is unknown" not in out
    travel = next(line for line in out.splitlines() if line.startswith("travel_km"))
    assert "no feasible draw" in travel
    assert not list((tmp_path / "run").glob("*.png"))


def test_needs_without_a_size_are_refused_up_front(make_scenario, tmp_path, capsys):
    path = tmp_path / "needs0.toml"
    scenario = make_scenario("fte_noise = 0.05")
    text = scenario.path.read_text(encoding="utf-8") + "needs_probability = 0.5\n"
    path.write_text(text, encoding="utf-8")
    assert main(["simulate", str(path), "--draws", "10", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs_nok_per_fte" in err[0] and str(path) in err[0]
    assert not (tmp_path / "r").exists()


def test_a_mean_outside_its_interval_is_explained(rogaland, tmp_path, capsys):
    # with seed 7, 2 % of 1 000 draws give MIDT's largest owner less than all the power
    simulate_command(str(rogaland.path), 1000, 7, 1, None, False, str(tmp_path / "run"), lang="en")
    out = capsys.readouterr().out.splitlines()
    summary = pd.read_csv(tmp_path / "run" / "summary.csv", keep_default_na=False)
    rows = summary[summary["owner"] == ""].set_index("metric")
    outside = [
        m
        for m, r in rows.iterrows()
        if r["n"] and r["sd"] and not float(r["q025"]) <= float(r["mean"]) <= float(r["q975"])
    ]
    assert outside
    for metric in outside:
        i = next(k for k, line in enumerate(out) if line.split(" ")[0] == metric)
        assert "the mean is" in out[i + 1] and "of draws lie" in out[i + 1]


def test_one_feasible_draw_gives_values_and_no_interval(rogaland, tmp_path, capsys):
    assert (
        simulate_command(str(rogaland.path), 1, 7, 1, None, False, str(tmp_path / "r"), lang="en")
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    summary = pd.read_csv(tmp_path / "r" / "summary.csv", keep_default_na=False)
    rows = summary[(summary["owner"] == "") & (summary["n"] == 1)].set_index("metric")
    assert "funding_per_fte" in rows.index
    for metric, r in rows.iterrows():
        line = next((line for line in out if line.split(" ")[0] == metric), None)
        if line is None:
            continue
        shown = format_significant(float(r["mean"]), 6)
        assert f" {shown}   one feasible draw: no interval" in line, line
        assert " – " not in line


def test_owner_funding_is_named_exact_and_adds_up_to_the_allocation(rogaland, tmp_path):
    simulate_command(str(rogaland.path), 20, 2, 1, None, False, str(tmp_path / "run"), lang="en")
    owners = pd.read_parquet(tmp_path / "run" / "owners.parquet")
    draws = pd.read_parquet(tmp_path / "run" / "draws.parquet").set_index("draw")
    assert "funding_nok" not in owners.columns  # *_nok columns hold whole kroner
    total = owners.groupby("draw")["funding_exact"].sum()
    allocated = draws.loc[total.index, "allocated_nok"]
    assert ((total - allocated).abs() < 1e-6 * allocated).all()
    assert (owners["amount_nok"] % 1 == 0).all()


def test_every_bad_option_is_named_at_once(rogaland, tmp_path, capsys):
    argv = ["simulate", str(rogaland.path), "--draws", "0", "--seed", "-1", "--workers", "0"]
    assert main([*argv, "--out", str(tmp_path / "run")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line.split(": ")[2] for line in lines] == [
        "argument --draws",
        "argument --seed",
        "argument --workers",
    ]
    assert not (tmp_path / "run").exists()
