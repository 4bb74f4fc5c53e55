"""Command-line handlers of ``dekomopt simulate`` and ``dekomopt sensitivity``.

Numbers are printed as every output writes them (:mod:`dekomopt.formats`: ``6 684``,
``0,0183``), in fixed decimals: a Monte Carlo row to the decimal of its standard error's
second significant digit, Sobol indices to three decimals.
"""

from __future__ import annotations

import json
import math
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.cli import EXIT_INTERRUPTED
from dekomopt.formats import (
    DASH,
    format_decimal,
    format_number,
    format_percent,
    format_significant,
)
from dekomopt.runfolder import interrupted_line, stop_on_sigterm
from dekomopt.scenario import load_scenario

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


@dataclass(frozen=True)
class FailureGroup:
    """Infeasible draws that clash on the same set of rules: how many, and a line saying so
    with the first such draw's reason as an example."""

    draws: int
    text: str


_CONFLICTS = re.compile(r"\s*\[conflicts: ([^\]]*)\]$")


def failure_groups(reasons: pd.Series) -> list[FailureGroup]:
    """The reasons of infeasible draws grouped by the set of rules that conflict (a reason
    without a rule set is its own group), largest group first; the counts add up to the
    number of reasons."""
    groups: dict[str, list[str]] = {}
    for reason in reasons.astype(str):
        found = _CONFLICTS.search(reason)
        key = ", ".join(sorted(found.group(1).split(", "))) if found else reason
        groups.setdefault(key, []).append(reason)
    out = []
    for key, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        example = _CONFLICTS.sub("", members[0])
        if len(members) == 1 or not _CONFLICTS.search(members[0]):
            text = members[0]
        else:
            text = f"rules {key} cannot all hold; the first such draw: {example}"
        out.append(FailureGroup(len(members), text))
    return out


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
    scenario: str, draws: int, seed: int, workers: int, scheduler: str | None, out: str
) -> str:
    where = f"--scheduler {shlex.quote(scheduler)}" if scheduler else f"--workers {workers}"
    return (
        f"dekomopt simulate {shlex.quote(scenario)} --draws {draws} --seed {seed} {where} "
        f"--resume --out {shlex.quote(out)}"
    )


def _interrupted(
    scenario: str,
    draws: int,
    seed: int,
    chunk_size: int,
    workers: int,
    scheduler: str | None,
    out: str,
) -> str:
    """The line a stopped run prints: what its folder holds, and how to go on."""
    from dekomopt.simulation.runner import chunk_specs

    try:
        record = json.loads((Path(out) / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    mine = {"status": "incomplete", "seed": seed, "draws": draws}
    if any(record.get(key) != value for key, value in mine.items()):
        # stopped before the run cleared the folder and wrote its provenance.json
        return interrupted_line("simulate", out)
    n_chunks = len(chunk_specs(seed, draws, chunk_size))
    saved = len(list((Path(out) / "chunks").glob("chunk-*.draws.arrow")))
    return (
        f"interrupted: {saved} of {n_chunks} chunks saved in {out}, with provenance.json "
        "marked incomplete and no results (draws, summary, figures); continue with: "
        + _resume_command(scenario, draws, seed, workers, scheduler, out)
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
) -> int:
    """Run the Monte Carlo simulation into ``out`` and print the main metrics' statistics.

    Returns 0, or :data:`EXIT_TOO_MANY_INFEASIBLE` when the infeasible share of the draws is
    above ``[uncertainty] max_infeasible_share``, or :data:`EXIT_INTERRUPTED` after Ctrl-C
    or SIGTERM (with one line saying how many chunks are saved and how to resume).
    """
    from dekomopt.simulation.runner import simulate

    loaded = load_scenario(scenario)
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
            )
    except KeyboardInterrupt:
        print(
            _interrupted(scenario, n_draws, run_seed, unc.chunk_size, workers, scheduler, out),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    prov = result.provenance
    outcome = prov.outcome
    assert outcome is not None  # a finished run
    print(
        f"scenario   {prov.scenario_name} ({prov.scenario_file}, seed {prov.seed}): "
        f"{_count(outcome.draws_done)} draws"
        + (" (stopped: target SE reached)" if outcome.stopped_early else "")
    )
    print(f"status     {_count(outcome.optimal)} optimal, {_count(outcome.infeasible)} infeasible")
    for caveat in prov.caveats:
        print(f"caveat     {caveat}")
    failed = result.draws[result.draws["status"] != "optimal"]
    for group in failure_groups(failed["reason"]):
        print(f"  {_count(group.draws)} × {group.text}")
    summary = result.summary[result.summary["owner"] == ""].set_index("metric")
    ok = result.draws[result.draws["status"] == "optimal"]
    shown = [
        m for m in summary.index if m in _SHOWN or m.startswith(("power_largest_", "net_per_fte_"))
    ]
    print(f"{'metric':<34} {'unit':>9} {'mean':>13} {'95 % interval':>27} {'MC SE':>11}")
    for m in shown:
        r = summary.loc[m]
        if r["n"] == 0:
            if ok.empty:
                why = "no feasible draw"
            elif m == "travel_km":
                why = "unavailable: a partner's place is unknown"
            elif m.endswith("_between_share") and (ok[m.removesuffix("_between_share")] == 0).all():
                why = "undefined in every draw: Theil's T is 0 (equal up to whole-krone rounding)"
            else:
                why = "undefined in every draw"
            print(f"{m:<34} {r['unit']:>9} {DASH:>13}   {why}")
            continue
        if r["n"] == 1:  # no spread to show: the value, as a metric the same in every draw
            why = "one feasible draw" if len(ok) == 1 else "defined in one draw only"
            value = format_significant(r["mean"], 6)
            print(f"{m:<34} {r['unit']:>9} {value:>13}   {why}: no interval")
            continue
        if r["sd"] == 0:
            same = format_significant(r["mean"], 6)
            why = (
                "in every draw: equal per FTE up to whole-krone rounding"
                if r["mean"] == 0 and m.startswith(("gini_", "theil_"))
                else "the same in every draw"
            )
            print(f"{m:<34} {r['unit']:>9} {same:>13}   {why}")
            continue
        d = _decimals(r["mc_se"])
        mean, low, high, se = (format_number(r[k], d) for k in ("mean", "q025", "q975", "mc_se"))
        print(f"{m:<34} {r['unit']:>9} {mean:>13} {low + ' – ' + high:>27} {se:>11}")
        if not r["q025"] <= r["mean"] <= r["q975"]:
            outside = ok[m].lt(r["q025"]) if r["mean"] < r["q025"] else ok[m].gt(r["q975"])
            side = "below" if r["mean"] < r["q025"] else "above"
            print(
                f"{'':<34} {'':>9}   the mean is {side} the interval of the middle 95 % of "
                f"draws: {format_percent(outside.mean(), 1)} of draws lie {side} it"
            )
    files = ["draws.parquet", "owners.parquet", "summary.csv", "provenance.json"]
    files += [path.name for path in result.figures]
    print(f"written    {out}: {', '.join(files)}")
    if outcome.too_many_infeasible:
        print(
            f"error: {outcome.infeasible_share:.1%} of the draws are infeasible, above the "
            f"scenario's max_infeasible_share of {outcome.max_infeasible_share:.1%} "
            "([uncertainty]); "
            "the rules clash too often under this uncertainty",
            file=sys.stderr,
        )
        return EXIT_TOO_MANY_INFEASIBLE
    return 0


def sensitivity_command(scenario: str, samples: int | None, seed: int | None, out: str) -> int:
    """Sobol indices of the fairness metrics to the rule parameters, into ``out``: one line
    per metric and parameter, marked when unreliable, and one line per metric without
    indices saying why. Returns 0, or :data:`EXIT_INTERRUPTED` after Ctrl-C or SIGTERM, with
    one line saying what ``out`` holds (the earlier run's files as they were, or nothing)."""
    from dekomopt.simulation.sobol import MAX_HALF_WIDTH, write_sensitivity

    loaded = load_scenario(scenario)
    try:
        with stop_on_sigterm():
            table, facts = write_sensitivity(loaded, samples, seed, out)
    except KeyboardInterrupt:
        print(interrupted_line("sensitivity", out, "sensitivity.json"), file=sys.stderr)
        return EXIT_INTERRUPTED
    print(
        f"scenario   {loaded.spec.scenario.name} ({loaded.path.name}, seed {facts.seed}): "
        f"{_count(facts.model_runs)} model runs ({_count(facts.base_samples)} base "
        f"samples), {_count(facts.failed_runs)} infeasible"
    )
    for name, (low, high) in facts.parameters.items():
        print(f"  {name:<28} {format_decimal(low)} – {format_decimal(high)}")
    print(f"{'metric':<26} {'parameter':<28} {'S1 ± 95 % CI':>16} {'ST ± 95 % CI':>16}")
    missing = {m.metric: m.no_indices for m in facts.metrics if m.no_indices is not None}
    unreliable = 0
    for row in table.to_dict("records"):
        if row["metric"] in missing:
            continue
        note = f"  {row['note']}" if row["note"] else ""
        unreliable += bool(note)
        print(
            f"{row['metric']:<26} {row['parameter']:<28} "
            f"{_index(row['S1'], row['S1_conf']):>16} {_index(row['ST'], row['ST_conf']):>16}"
            + note
        )
    for metric, why in missing.items():
        print(f"{metric:<26} no indices: {why}")
    if unreliable:
        print(
            f"note       {unreliable} rows unreliable: an interval wider than "
            f"±{format_decimal(MAX_HALF_WIDTH)} or an index outside 0–1 beyond its interval"
        )
    print(f"written    {out}: sensitivity.csv, sensitivity.json")
    return 0
