"""Command-line handlers of ``dekomopt simulate`` and ``dekomopt sensitivity``.

Numbers are printed as every output writes them (:mod:`dekomopt.formats`: ``6 684``,
``0,0183``), in fixed decimals: a Monte Carlo row to the decimal of its standard error's
second significant digit, Sobol indices to three decimals.
"""

from __future__ import annotations

import json
import math
import shlex
import sys
from pathlib import Path

import numpy as np

from dekomopt.cli import EXIT_INTERRUPTED
from dekomopt.formats import (
    DASH,
    format_decimal,
    format_number,
    format_percent,
    format_significant,
)
from dekomopt.report.catalogue import text
from dekomopt.runfolder import interrupted_line, stop_on_sigterm
from dekomopt.scenario import Scenario, load_scenario
from dekomopt.simulation.reasons import failure_groups

_SHOWN = (
    "funding_per_fte",
    "gini_net",
    "theil_net",
    "theil_net_between_share",
    "gap_small_large_net",
    "gap_small_large_net_ratio",
    "gap_private_public_net",
    "gap_private_public_net_ratio",
    "travel_km",
    "need_match",
)


EXIT_TOO_MANY_INFEASIBLE = 1
"""Exit status of a run that finished with more infeasible draws than the scenario allows."""


def _decimals(se: float) -> int:
    """Decimals that show a standard error ``se`` to two significant digits (at most 12)."""
    if not np.isfinite(se) or se <= 0:
        return 4
    return int(min(12, max(0, 1 - math.floor(math.log10(se)))))


def _index(value: float, conf: float) -> str:
    """A Sobol index and its 95 % half-width to three decimals (its sampling precision)."""
    return f"{format_number(value, 3)} ± {format_number(conf, 3)}"


def _count(n: int) -> str:
    return format_number(n)


def _resume_command(
    scenario: str,
    draws: int,
    seed: int,
    workers: int,
    scheduler: str | None,
    out: str,
    lang: str,
) -> str:
    where = f"--scheduler {shlex.quote(scheduler)}" if scheduler else f"--workers {workers}"
    return (
        f"dekomopt simulate {shlex.quote(scenario)} --draws {draws} --seed {seed} {where} "
        f"--lang {lang} --resume --out {shlex.quote(out)}"
    )


def _language(scenario: Scenario, lang: str | None) -> str:
    """``lang``, or the register's written language of the scenario's scope (as the report)."""
    from dekomopt.county import default_language

    return lang if lang is not None else default_language(scenario)


def _header(lang: str) -> str:
    """The column heads of the printed table of statistics."""
    metric, unit, mean, interval, se = (
        text(k, lang) for k in ("cli_metric", "cli_unit", "cli_mean", "cli_interval", "cli_mc_se")
    )
    return f"{metric:<34} {unit:>9} {mean:>13} {interval:>27} {se:>11}"


def _interrupted(
    scenario: str,
    draws: int,
    seed: int,
    chunk_size: int,
    workers: int,
    scheduler: str | None,
    out: str,
    lang: str,
) -> str:
    """The line a stopped run prints, in ``lang``: what its folder holds, and how to go on."""
    from dekomopt.simulation.runner import chunk_specs

    try:
        record = json.loads((Path(out) / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    mine = {"status": "incomplete", "seed": seed, "draws": draws}
    if any(record.get(key) != value for key, value in mine.items()):
        # stopped before the run cleared the folder and wrote its provenance.json
        return interrupted_line("simulate", out, lang)
    n_chunks = len(chunk_specs(seed, draws, chunk_size))
    saved = len(list((Path(out) / "chunks").glob("chunk-*.draws.arrow")))
    return text(
        "cli_sim_interrupted",
        lang,
        saved=_count(saved),
        chunks=_count(n_chunks),
        out=out,
        command=_resume_command(scenario, draws, seed, workers, scheduler, out, lang),
    )


def simulate_command(
    scenario: str,
    draws: int | None,
    seed: int | None,
    workers: int,
    scheduler: str | None,
    resume: bool,
    out: str,
    connect_timeout: float = 10.0,
    lang: str | None = None,
) -> int:
    """Run the Monte Carlo simulation into ``out`` and print the main metrics' statistics.

    The printed words and the figures' words are in ``lang`` (default: the register's written
    language of the scope, as the report's); metric names, units and every file's columns
    are the same in every language.

    Returns 0, or :data:`EXIT_TOO_MANY_INFEASIBLE` when the infeasible share of the draws is
    above ``[uncertainty] max_infeasible_share``, or :data:`EXIT_INTERRUPTED` after Ctrl-C
    or SIGTERM (with one line saying how many chunks are saved and how to resume).
    """
    from dekomopt.simulation.runner import simulate

    loaded = load_scenario(scenario)
    lang = _language(loaded, lang)
    unc = loaded.spec.uncertainty
    n_draws = unc.draws if draws is None else draws
    run_seed = loaded.spec.scenario.seed if seed is None else seed
    try:
        with stop_on_sigterm():
            result = simulate(
                loaded,
                out,
                draws=n_draws,
                seed=run_seed,
                workers=workers,
                scheduler=scheduler,
                resume=resume,
                connect_timeout=connect_timeout,
                lang=lang,
            )
    except KeyboardInterrupt:
        print(
            _interrupted(
                scenario, n_draws, run_seed, unc.chunk_size, workers, scheduler, out, lang
            ),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    prov = result.provenance
    outcome = prov.outcome
    assert outcome is not None  # a finished run
    print(
        text(
            "cli_sim_scenario",
            lang,
            name=prov.scenario_name,
            file=prov.scenario_file,
            seed=prov.seed,
            draws=_count(outcome.draws_done),
        )
        + (text("cli_sim_stopped", lang) if outcome.stopped_early else "")
    )
    print(
        text(
            "cli_sim_status",
            lang,
            optimal=_count(outcome.optimal),
            infeasible=_count(outcome.infeasible),
        )
    )
    for caveat in prov.caveats:
        print(text("cli_caveat", lang, text=caveat.in_language(lang)))
    failed = result.draws[result.draws["status"] != "optimal"]
    reasons = dict(zip(failed["draw"].tolist(), failed["reason"].astype(str), strict=True))
    for group in failure_groups(reasons):
        print(f"  {_count(group.count)} × {group.in_language(lang, 'draws')}")
    summary = result.summary[result.summary["owner"] == ""].set_index("metric")
    ok = result.draws[result.draws["status"] == "optimal"]
    shown = [
        m for m in summary.index if m in _SHOWN or m.startswith(("power_largest_", "net_per_fte_"))
    ]
    print(_header(lang))
    for m in shown:
        r = summary.loc[m]
        if r["n"] == 0:
            if ok.empty:
                why = text("cli_sim_no_feasible", lang)
            elif m == "travel_km":
                why = text("cli_sim_travel_unavailable", lang)
            elif m.endswith("_between_share") and (ok[m.removesuffix("_between_share")] == 0).all():
                why = text("cli_sim_theil_zero", lang)
            else:
                why = text("cli_sim_undefined", lang)
            print(f"{m:<34} {r['unit']:>9} {DASH:>13}   {why}")
            continue
        if r["n"] == 1:  # no spread to show: the value, as a metric the same in every draw
            why = text("cli_sim_one_feasible" if len(ok) == 1 else "cli_sim_one_defined", lang)
            value = format_significant(r["mean"], 6)
            print(f"{m:<34} {r['unit']:>9} {value:>13}   {why}")
            continue
        if r["sd"] == 0:
            same = format_significant(r["mean"], 6)
            why = text(
                "cli_sim_equal"
                if r["mean"] == 0 and m.startswith(("gini_", "theil_"))
                else "cli_sim_same",
                lang,
            )
            print(f"{m:<34} {r['unit']:>9} {same:>13}   {why}")
            continue
        d = _decimals(r["mc_se"])
        mean, low, high, se = (format_number(r[k], d) for k in ("mean", "q025", "q975", "mc_se"))
        print(f"{m:<34} {r['unit']:>9} {mean:>13} {low + ' – ' + high:>27} {se:>11}")
        if not r["q025"] <= r["mean"] <= r["q975"]:
            below = r["mean"] < r["q025"]
            outside = ok[m].lt(r["q025"]) if below else ok[m].gt(r["q975"])
            note = text(
                "cli_sim_mean_below" if below else "cli_sim_mean_above",
                lang,
                share=format_percent(outside.mean(), 1),
            )
            print(f"{'':<34} {'':>9}   {note}")
    files = ["draws.parquet", "owners.parquet", "summary.csv", "provenance.json"]
    files += [path.name for path in result.figures]
    print(text("cli_written", lang, out=out, files=", ".join(files)))
    if outcome.too_many_infeasible:
        print(
            text(
                "cli_sim_too_many_infeasible",
                lang,
                share=format_percent(outcome.infeasible_share, 1),
                limit=format_percent(outcome.max_infeasible_share, 1),
            ),
            file=sys.stderr,
        )
        return EXIT_TOO_MANY_INFEASIBLE
    return 0


def sensitivity_command(
    scenario: str, samples: int | None, seed: int | None, out: str, lang: str | None = None
) -> int:
    """Sobol indices of the fairness metrics to the rule parameters, into ``out``: one line
    per metric and parameter, marked when unreliable, and one line per metric without
    indices saying why. Returns 0, or :data:`EXIT_INTERRUPTED` after Ctrl-C or SIGTERM, with
    one line saying what ``out`` holds (the earlier run's files as they were, or nothing).

    The printed words are in ``lang`` (default: the register's written language of the
    scope), the reasons for infeasible runs and for missing indices among them; metric and
    parameter names and the files (English words) are the same in every language."""
    from dekomopt.simulation.sobol import MAX_HALF_WIDTH, write_sensitivity

    loaded = load_scenario(scenario)
    lang = _language(loaded, lang)
    try:
        with stop_on_sigterm():
            table, facts = write_sensitivity(loaded, samples, seed, out)
    except KeyboardInterrupt:
        print(interrupted_line("sensitivity", out, lang), file=sys.stderr)
        return EXIT_INTERRUPTED
    print(
        text(
            "cli_sens_scenario",
            lang,
            name=loaded.spec.scenario.name,
            file=loaded.path.name,
            seed=facts.seed,
            runs=_count(facts.model_runs),
            samples=_count(facts.base_samples),
            failed=_count(facts.failed_runs),
        )
    )
    for group in failure_groups({f.run: f.reason for f in facts.failures}):
        print(f"  {_count(group.count)} × {group.in_language(lang, 'runs')}")
    for name, (low, high) in facts.parameters.items():
        print(f"  {name:<28} {format_decimal(low)} – {format_decimal(high)}")
    heads = [text(k, lang) for k in ("cli_metric", "cli_parameter")]
    s1, st = (text("cli_sens_index", lang, index=k) for k in ("S1", "ST"))
    print(f"{heads[0]:<26} {heads[1]:<28} {s1:>16} {st:>16}")
    missing = {m.metric: m.no_indices for m in facts.metrics if m.no_indices is not None}
    unreliable = 0
    for row in table.to_dict("records"):
        if row["metric"] in missing:
            continue
        note = row["note"]
        shown = f"  {note.in_language(lang)}" if note else ""
        unreliable += bool(note)
        print(
            f"{row['metric']:<26} {row['parameter']:<28} "
            f"{_index(row['S1'], row['S1_conf']):>16} {_index(row['ST'], row['ST_conf']):>16}"
            + shown
        )
    for metric, why in missing.items():
        print(f"{metric:<26} {text('cli_sens_no_indices', lang, why=why.in_language(lang))}")
    if unreliable:
        print(
            text(
                "cli_sens_unreliable",
                lang,
                rows=_count(unreliable),
                width=format_decimal(MAX_HALF_WIDTH),
            )
        )
    print(text("cli_written", lang, out=out, files="sensitivity.csv, sensitivity.json"))
    return 0
