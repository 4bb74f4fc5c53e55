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


LABELS = {
    "theil_between_share": "between-region share of Theil T (net funding per FTE)",
    "theil_total": "Theil T of net funding per FTE",
    "gini": "Gini of net funding per FTE",
    "travel_km": "FTE-weighted km to the region's partner",
    "small_large_gap": "small minus large owners, net NOK per FTE",
    "max_power": "largest Banzhaf power inside a region",
    "need_match": "share of reported needs matched",
    "n_regions": "number of geographic regions",
}


def metric_histogram(values: np.ndarray, today: float, metric: str, path: Path) -> Path:
    """A histogram of one score over the alternatives with today's value marked."""
    plt = _pyplot()
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.hist(v, bins=min(60, max(10, int(np.sqrt(v.size)))), color="#7a9cc6", edgecolor="white")
    if not np.isnan(today):
        ax.axvline(today, color="#c0392b", linewidth=2, label="today")
        ax.legend()
    ax.set_xlabel(LABELS.get(metric, metric))
    ax.set_ylabel("structures")
    ax.set_title(f"{v.size:,} alternative structures")
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
) -> list[Path]:
    """One histogram per score in ``names``, as ``hist_<score>.png`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        metric_histogram(metrics[m].to_numpy(float), float(today[m]), m, folder / f"hist_{m}.png")
        for m in names
        if metrics[m].notna().any()
    ]
