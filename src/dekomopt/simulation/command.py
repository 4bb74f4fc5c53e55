"""Command-line handlers of ``dekomopt simulate`` and ``dekomopt sensitivity``."""

from __future__ import annotations

import numpy as np

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


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "—"
    return f"{x:,.0f}".replace(",", " ") if abs(x) >= 100 else f"{x:.4g}"


def simulate_command(
    scenario: str,
    draws: int | None,
    seed: int | None,
    workers: int,
    scheduler: str | None,
    resume: bool,
    out: str,
) -> int:
    """Run the Monte Carlo simulation into ``out`` and print the main metrics' statistics."""
    from dekomopt.simulation.runner import simulate

    result = simulate(
        load_scenario(scenario),
        out,
        draws=draws,
        seed=seed,
        workers=workers,
        scheduler=scheduler,
        resume=resume,
    )
    prov = result.provenance
    counts = prov["status_counts"]
    print(
        f"scenario   {prov['scenario_name']} ({prov['scenario']}, seed {prov['seed']}): "
        f"{prov['draws_done']} draws"
        + (" (stopped: target SE reached)" if prov["stopped_early"] else "")
    )
    print("status     " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    failed = result.draws[result.draws["status"] != "optimal"]
    for reason, n in failed["reason"].value_counts().head(5).items():
        print(f"  {n} × {reason}")
    summary = result.summary[result.summary["owner"] == ""].set_index("metric")
    shown = [
        m for m in summary.index if m in _SHOWN or m.startswith(("power_largest_", "net_per_fte_"))
    ]
    print(f"{'metric':<34} {'unit':>9} {'mean':>11} {'95 % interval':>25} {'MC SE':>10}")
    for m in shown:
        r = summary.loc[m]
        interval = f"[{_fmt(r['q025'])}, {_fmt(r['q975'])}]"
        print(f"{m:<34} {r['unit']:>9} {_fmt(r['mean']):>11} {interval:>25} {_fmt(r['mc_se']):>10}")
    print(f"written    {out}: draws.parquet, owners.parquet, summary.csv, provenance.json, figures")
    return 0


def sensitivity_command(scenario: str, samples: int, seed: int | None, out: str) -> int:
    """Sobol indices of the fairness metrics to the rule parameters, into ``out``."""
    from dekomopt.simulation.sobol import write_sensitivity

    loaded = load_scenario(scenario)
    seed = loaded.spec.scenario.seed if seed is None else seed
    table = write_sensitivity(loaded, samples, seed, out)
    print(f"{'metric':<26} {'parameter':<28} {'S1':>14} {'ST':>14}")
    for row in table.itertuples(index=False):
        print(
            f"{row.metric:<26} {row.parameter:<28} "
            f"{_fmt(row.S1):>7}±{_fmt(row.S1_conf):<6} {_fmt(row.ST):>7}±{_fmt(row.ST_conf):<6}"
        )
    print(f"written    {out}: sensitivity.csv, sensitivity.json")
    return 0
