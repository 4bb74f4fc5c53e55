"""Figures of a structure analysis: one histogram per score, and maps of structures side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def metric_histogram(
    values: np.ndarray, today: float, metric: str, path: Path, lang: str = "nb"
) -> Path:
    """A histogram of one score over the alternatives with today's value marked.

    Words from the report's catalogue in ``lang`` (``metric_<score>``); Norwegian numbers.
    """
    from matplotlib.ticker import FuncFormatter

    from dekomopt.formats import format_number, format_significant
    from dekomopt.report.catalogue import has_message, text

    plt = _pyplot()
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.hist(v, bins=min(60, max(10, int(np.sqrt(v.size)))), color="#7a9cc6", edgecolor="white")
    if not np.isnan(today):
        ax.axvline(today, color="#c0392b", linewidth=2, label=text("struct_today", lang))
        ax.legend()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_significant(x)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: format_number(y)))
    ax.set_xlabel(text(f"metric_{metric}", lang) if has_message(f"metric_{metric}") else metric)
    ax.set_ylabel(text("struct_count_axis", lang))
    ax.set_title(text("struct_count_title", lang, n=format_number(v.size)))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def structure_maps(
    polygons: Mapping[str, list],
    nodes: Sequence[str],
    structures: Sequence[tuple[str, np.ndarray]],
    path: Path,
) -> Path:
    """Maps of several structures side by side: (title, labels over ``nodes``) each."""
    plt = _pyplot()
    cmap = plt.get_cmap("tab10")
    fig, axes = plt.subplots(1, len(structures), figsize=(4.2 * len(structures), 4.6))
    axes = np.atleast_1d(axes)
    for ax, (title, labels) in zip(axes, structures, strict=True):
        for node, label in zip(nodes, labels, strict=True):
            for polygon in polygons.get(node, []):
                ring = np.asarray(polygon[0])
                ax.fill(
                    ring[:, 0],
                    ring[:, 1],
                    color=cmap(int(label) % 10),
                    linewidth=0.3,
                    edgecolor="white",
                )
        ax.set_title(title, fontsize=9)
        ax.set_aspect(2.0)
        ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_figures(
    metrics: pd.DataFrame,
    today: Mapping[str, float],
    names: Sequence[str],
    folder: Path,
    lang: str = "nb",
) -> list[Path]:
    """One histogram per score in ``names``, as ``hist_<score>.png`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        metric_histogram(
            metrics[m].to_numpy(float), float(today[m]), m, folder / f"hist_{m}.png", lang
        )
        for m in names
        if metrics[m].notna().any()
    ]
