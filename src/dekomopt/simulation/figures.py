"""Figures of a Monte Carlo run: funding per FTE and power per owner with 95 % intervals, and
the Theil split of net funding per FTE into between- and within-region parts.

Every owner's statistics are over the feasible draws in which it takes part (the rows of
``summary.csv``, :func:`.stats.summarise`), in both owner figures; the axis says so, and an
owner absent from some feasible draws has its count beside its name.

Every word fits inside its figure in every language: constrained layout, and titles and
axis labels wrapped where they would reach past the edge (:mod:`dekomopt.figurelayout`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.figurelayout import save_fitted
from dekomopt.scenario.schema import Metrics

FIGURES = ("funding_per_fte.png", "theil_split.png", "power.png")


def _owner_labels(
    problem: AllocationProblem, counted: pd.Series, draws: int, lang: str
) -> tuple[list[str], list[str]]:
    """Owner ids in region order, and their labels "name (region)", with "n of N draws" for
    an owner counted in fewer than all ``draws`` (``counted``: n by owner id)."""
    from dekomopt.formats import format_number
    from dekomopt.report.catalogue import text

    order = np.argsort(np.asarray(problem.owner_region), kind="stable")
    ids = [problem.owner_ids[i] for i in order]
    labels = []
    for i in order:
        label = f"{problem.owner_names[i]} ({problem.region_ids[problem.owner_region[i]]})"
        n = int(counted.get(problem.owner_ids[i], draws))
        if n < draws:
            label = text(
                "sim_owner_counted",
                lang,
                label=label,
                n=format_number(n),
                draws=format_number(draws),
            )
        labels.append(label)
    return ids, labels


def _net_label(owners: pd.DataFrame, metrics: Metrics, lang: str) -> str | None:
    """The net series' label, naming the costs taken off; None when net is gross in every
    draw (no cost to take off) or never known (travel cost with a partner's place unknown)."""
    from dekomopt.report.catalogue import text

    net, gross = owners["net_per_fte"], owners["funding_per_fte"]
    known = net.notna()
    if not known.any() or np.allclose(net[known], gross[known], rtol=0, atol=1e-9):
        return None
    travel = metrics.travel_cost_nok_per_km_fte > 0
    coordination = metrics.coordination_cost_nok > 0
    if travel and coordination:
        return text("sim_net", lang)
    return text("sim_net_travel" if travel else "sim_net_coordination", lang)


def _interval_plot(ax, summary: pd.DataFrame, metric: str, ids: list[str], offset: float, label):
    rows = summary[summary["metric"] == metric].set_index("owner").reindex(ids)
    y = np.arange(len(ids)) + offset
    mean = rows["mean"].to_numpy(float)
    err = np.vstack([mean - rows["q025"].to_numpy(float), rows["q975"].to_numpy(float) - mean])
    ax.errorbar(
        mean, y, xerr=np.clip(np.nan_to_num(err), 0, None), fmt="o", ms=3, capsize=2, label=label
    )


def _save(fig, path: Path) -> None:
    save_fitted(fig, path, dpi=120, metadata={"Software": None})


def write_figures(
    out: Path,
    draws: pd.DataFrame,
    owners: pd.DataFrame,
    summary: pd.DataFrame,
    problem: AllocationProblem,
    metrics: Metrics,
    lang: str = "nb",
) -> list[Path]:
    """Write the figures of :data:`FIGURES` into ``out`` that have something to show;
    returns their paths. None without a feasible draw; the Theil split only when Theil's T
    of net funding per FTE is above 0 (beyond whole-krone rounding) in some draw. A figure
    of an earlier run in ``out`` that this run does not draw is removed. Net funding is drawn
    beside gross only when some cost (``metrics``' travel or coordination cost) makes them
    differ, labelled with the costs it takes off; otherwise the one series says gross is net.

    Words come from the report's catalogue in ``lang``; numbers are Norwegian (``1 234``,
    ``0,012``, ``12,5 %``) in every language.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from dekomopt.formats import format_number, format_percent, format_significant
    from dekomopt.report.catalogue import text

    whole = FuncFormatter(lambda v, _pos: format_number(v))
    decimal = FuncFormatter(lambda v, _pos: format_significant(v))

    paths: list[Path] = []
    for name in FIGURES:
        (out / name).unlink(missing_ok=True)
    ok = draws[draws["status"] == "optimal"]
    if ok.empty:
        return paths
    rows = summary[summary["metric"] == "funding_per_fte"]
    ids, labels = _owner_labels(problem, rows.set_index("owner")["n"], len(ok), lang)
    height = max(4.0, 0.28 * len(ids) + 1.5)

    fig, ax = plt.subplots(figsize=(8, height), layout="constrained")
    net = _net_label(owners, metrics, lang)
    if net is None:
        _interval_plot(ax, summary, "funding_per_fte", ids, 0.0, text("sim_gross_is_net", lang))
    else:
        _interval_plot(ax, summary, "funding_per_fte", ids, -0.15, text("sim_gross", lang))
        _interval_plot(ax, summary, "net_per_fte", ids, 0.15, net)
    ax.set_yticks(np.arange(len(ids)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(whole)
    ax.set_xlabel(text("sim_funding_axis", lang))
    ax.set_title(text("sim_funding_title", lang))
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    paths.append(out / FIGURES[0])
    _save(fig, paths[-1])
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, height), layout="constrained")
    _interval_plot(ax, summary, "power", ids, 0.0, text("sim_power_label", lang))
    ax.set_yticks(np.arange(len(ids)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(decimal)
    ax.set_xlabel(text("sim_power_axis", lang))
    ax.set_title(text("sim_power_title", lang))
    paths.append(out / FIGURES[2])
    _save(fig, paths[-1])
    plt.close(fig)

    if not (ok["theil_net"] > 0).any():
        return paths
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    parts = [
        (text("sim_between", lang), "theil_net_between"),
        (text("sim_within", lang), "theil_net_within"),
    ]
    means = [float(ok[c].mean()) for _, c in parts]
    lo = [ok[c].quantile(0.025) for _, c in parts]
    hi = [ok[c].quantile(0.975) for _, c in parts]
    x = np.arange(len(parts))
    ax.bar(
        x, means, yerr=np.clip([np.subtract(means, lo), np.subtract(hi, means)], 0, None), capsize=4
    )
    ax.set_xticks(x, [name for name, _ in parts])
    share = ok["theil_net_between_share"]
    ax.set_title(text("sim_theil_title", lang))
    if share.notna().any():
        # the bars' ratio and the draws' mean share differ; the axis names both
        ax.set_xlabel(
            text(
                "sim_theil_shares",
                lang,
                bars=format_percent(means[0] / (means[0] + means[1])),
                share=format_percent(share.mean()),
            )
        )
    ax.yaxis.set_major_formatter(decimal)
    ax.set_ylabel(text("sim_theil_axis", lang))
    paths.append(out / FIGURES[1])
    _save(fig, paths[-1])
    plt.close(fig)
    return paths
