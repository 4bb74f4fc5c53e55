"""Command-line handlers of ``dekomopt simulate`` and ``dekomopt sensitivity``.

Numbers are printed with a plain space between thousands (``6 684``), never a comma.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import numpy as np

from dekomopt.cli import EXIT_INTERRUPTED
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


def _fmt(x: float) -> str:
    """``6 684`` from 100 up, else four significant digits; ``—`` when undefined."""
    if not np.isfinite(x):
        return "—"
    return f"{x:,.0f}".replace(",", " ") if abs(x) >= 100 else f"{x:.4g}"


def _index(value: float, conf: float) -> str:
    """A Sobol index and its 95 % half-width to three decimals (its sampling precision)."""
    if not np.isfinite(value):
        return "—"
    return f"{value + 0.0:.3f} ± {conf:.3f}".replace("-0.000", "0.000")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _resume_command(
    scenario: str, draws: int, seed: int, workers: int, scheduler: str | None, out: str
) -> str:
    where = f"--scheduler {shlex.quote(scheduler)}" if scheduler else f"--workers {workers}"
    return (
        f"dekomopt simulate {shlex.quote(scenario)} --draws {draws} --seed {seed} {where} "
        f"--resume --out {shlex.quote(out)}"
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
    (with one line saying how many chunks are saved and how to resume).
    """
    from dekomopt.simulation.runner import chunk_specs, simulate

    loaded = load_scenario(scenario)
    unc = loaded.spec.uncertainty
    n_draws = unc.draws if draws is None else draws
    run_seed = loaded.spec.scenario.seed if seed is None else seed
    try:
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
        n_chunks = len(chunk_specs(run_seed, n_draws, unc.chunk_size))
        saved = len(list((Path(out) / "chunks").glob("chunk-*.draws.arrow")))
        print(
            f"interrupted: {saved} of {n_chunks} chunks saved in {out}; continue with: "
            + _resume_command(scenario, n_draws, run_seed, workers, scheduler, out),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    prov = result.provenance
    outcome = prov.outcome
    assert outcome is not None  # a finished run
    print(
        f"scenario   {prov.scenario_name} ({prov.scenario}, seed {prov.seed}): "
        f"{_count(outcome.draws_done)} draws"
        + (" (stopped: target SE reached)" if outcome.stopped_early else "")
    )
    print(f"status     {_count(outcome.optimal)} optimal, {_count(outcome.infeasible)} infeasible")
    for caveat in prov.caveats:
        print(f"caveat     {caveat}")
    failed = result.draws[result.draws["status"] != "optimal"]
    for reason, n in failed["reason"].value_counts().head(5).items():
        print(f"  {_count(int(n))} × {reason}")
    summary = result.summary[result.summary["owner"] == ""].set_index("metric")
    shown = [
        m for m in summary.index if m in _SHOWN or m.startswith(("power_largest_", "net_per_fte_"))
    ]
    print(f"{'metric':<34} {'unit':>9} {'mean':>11} {'95 % interval':>25} {'MC SE':>10}")
    for m in shown:
        r = summary.loc[m]
        if r["n"] == 0:
            why = (
                "unavailable: a partner's place is unknown"
                if m == "travel_km"
                else ("undefined in every draw")
            )
            print(f"{m:<34} {r['unit']:>9} {'—':>11}   {why}")
            continue
        if r["sd"] == 0:
            print(f"{m:<34} {r['unit']:>9} {_fmt(r['mean']):>11}   the same in every draw")
            continue
        interval = f"[{_fmt(r['q025'])}, {_fmt(r['q975'])}]"
        print(f"{m:<34} {r['unit']:>9} {_fmt(r['mean']):>11} {interval:>25} {_fmt(r['mc_se']):>10}")
    print(f"written    {out}: draws.parquet, owners.parquet, summary.csv, provenance.json, figures")
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
    """Sobol indices of the fairness metrics to the rule parameters, into ``out``."""
    from dekomopt.simulation.sobol import write_sensitivity

    loaded = load_scenario(scenario)
    table, facts = write_sensitivity(loaded, samples, seed, out)
    print(
        f"scenario   {loaded.spec.scenario.name} ({loaded.path.name}, seed {facts.seed}): "
        f"{_count(facts.model_runs)} model runs ({_count(facts.base_samples)} base "
        f"samples), {_count(facts.failed_runs)} infeasible"
    )
    for name, (low, high) in facts.parameters.items():
        print(f"  {name:<28} {_fmt(low)} – {_fmt(high)}")
    print(f"{'metric':<26} {'parameter':<28} {'S1 ± 95 % CI':>16} {'ST ± 95 % CI':>16}")
    for row in table.to_dict("records"):
        if row["metric"] in facts.constant:
            continue
        print(
            f"{row['metric']:<26} {row['parameter']:<28} "
            f"{_index(row['S1'], row['S1_conf']):>16} {_index(row['ST'], row['ST_conf']):>16}"
        )
    for metric in facts.constant:
        print(f"{metric:<26} the same in every sample: no variance to apportion")
    print(f"written    {out}: sensitivity.csv, sensitivity.json")
    return 0
