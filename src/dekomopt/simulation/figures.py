"""Figures of a Monte Carlo run: funding per FTE and power per owner with 95 % intervals, and
the Theil split of net funding per FTE into between- and within-region parts.

Every word fits inside its figure in every language: constrained layout, and titles and
axis labels wrapped where they would reach past the edge (:mod:`dekomopt.figurelayout`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.figurelayout import save_fitted

FIGURES = ("funding_per_fte.png", "theil_split.png", "power.png")


def _owner_labels(problem: AllocationProblem) -> tuple[list[str], list[str]]:
    """Owner ids in region order, and their labels "name (region)"."""
    order = np.argsort(np.asarray(problem.owner_region), kind="stable")
    ids = [problem.owner_ids[i] for i in order]
    labels = [
        f"{problem.owner_names[i]} ({problem.region_ids[problem.owner_region[i]]})" for i in order
    ]
    return ids, labels


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
    lang: str = "nb",
) -> list[Path]:
    """Write the figures of :data:`FIGURES` into ``out`` that have something to show;
    returns their paths. None without a feasible draw; the Theil split only when Theil's T
    of net funding per FTE is above 0 (beyond whole-krone rounding) in some draw. A figure
    of an earlier run in ``out`` that this run does not draw is removed.

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

    ids, labels = _owner_labels(problem)
    height = max(4.0, 0.28 * len(ids) + 1.5)
    paths: list[Path] = []
    for name in FIGURES:
        (out / name).unlink(missing_ok=True)
    ok = draws[draws["status"] == "optimal"]
    if ok.empty:
        return paths

    fig, ax = plt.subplots(figsize=(8, height), layout="constrained")
    _interval_plot(ax, summary, "funding_per_fte", ids, -0.15, text("sim_gross", lang))
    _interval_plot(ax, summary, "net_per_fte", ids, 0.15, text("sim_net", lang))
    ax.set_yticks(np.arange(len(ids)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(whole)
    ax.set_xlabel(text("sim_funding_axis", lang))
    ax.set_title(text("sim_funding_title", lang))
    ax.legend(fontsize=8)
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
    means = [ok[c].mean() for _, c in parts]
    lo = [ok[c].quantile(0.025) for _, c in parts]
    hi = [ok[c].quantile(0.975) for _, c in parts]
    x = np.arange(len(parts))
    ax.bar(
        x, means, yerr=np.clip([np.subtract(means, lo), np.subtract(hi, means)], 0, None), capsize=4
    )
    ax.set_xticks(x, [name for name, _ in parts])
    share = ok["theil_net_between_share"]
    ax.set_title(
        text("sim_theil_title_share", lang, share=format_percent(share.mean()))
        if share.notna().any()
        else text("sim_theil_title", lang)
    )
    ax.yaxis.set_major_formatter(decimal)
    ax.set_ylabel(text("sim_theil_axis", lang))
    paths.append(out / FIGURES[1])
    _save(fig, paths[-1])
    plt.close(fig)
    return paths
