"""Figures of a structure analysis: one histogram per score, and maps of structures side by side.

Every figure says what it shows: a histogram's title names its reference set (all plausible
structures, or draws and the law they are weighted to), and a map's panels share one colour per
region of today's structure, an alternative's region taking the colour of today's region it
shares the most teacher FTEs with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from dekomopt.formats import format_number


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

TODAY_COLOUR = "#c0392b"


def metric_histogram(
    values: np.ndarray,
    today: float,
    metric: str,
    path: Path,
    title: str,
    weights: np.ndarray | None = None,
) -> Path:
    """A histogram of one score with today's value marked; ``weights`` weight the values (the
    y axis is then a share, else a count). ``title`` names the reference set."""
    plt = _pyplot()
    v = np.asarray(values, dtype=float)
    keep = np.isfinite(v)
    w = None if weights is None else np.asarray(weights, dtype=float)[keep]
    v = v[keep]
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    bins = min(60, max(10, int(np.sqrt(v.size))))
    if w is not None:
        w = w / w.sum()
    label = "structures" if w is None else "draws"
    ax.hist(v, bins=bins, weights=w, color="#7a9cc6", edgecolor="white", label=label)
    if np.isfinite(today):
        ax.axvline(today, color=TODAY_COLOUR, linewidth=2, label="today")
    ax.legend()
    ax.set_xlabel(LABELS.get(metric, metric))
    ax.set_ylabel("share of the reference set" if w is not None else "structures")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


@dataclass(frozen=True)
class MapPanel:
    """One structure to draw: its title and its region labels over the nodes (0..k-1)."""

    title: str
    labels: np.ndarray


def matched_colours(today: np.ndarray, labels: np.ndarray, fte: np.ndarray) -> np.ndarray:
    """Colour index per region of ``labels``: that of today's region it shares the most FTEs
    with, one-to-one (a largest-overlap assignment); regions beyond today's number get colours
    of their own."""
    k_today = int(today.max()) + 1
    k = int(labels.max()) + 1
    overlap = np.zeros((k, k_today))
    np.add.at(overlap, (labels, today), fte + 1e-9)
    rows, cols = linear_sum_assignment(-overlap)
    colour = np.full(k, -1)
    colour[rows] = cols
    extra = k_today
    for r in range(k):
        if colour[r] < 0:
            colour[r] = extra
            extra += 1
    return colour


def structure_maps(
    polygons: Mapping[str, list],
    nodes: Sequence[str],
    panels: Sequence[MapPanel],
    today_names: Sequence[str],
    fte: np.ndarray,
    node_names: Mapping[str, str],
    path: Path,
) -> Path:
    """Maps of several structures side by side, the first one today's.

    Every panel has a legend naming its regions: today's by name, an alternative's region by
    its largest municipality (by teacher FTE) and how many others it holds; its colour is that
    of today's region it shares the most FTEs with (see :func:`matched_colours`).
    """
    plt = _pyplot()
    from matplotlib.patches import Patch

    cmap = plt.get_cmap("tab10")
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 5.0 * rows), squeeze=False)
    today = np.asarray(panels[0].labels)
    for ax in axes.ravel()[len(panels) :]:
        ax.set_axis_off()
    for ax, panel in zip(axes.ravel(), panels, strict=False):
        labels = np.asarray(panel.labels)
        colour = matched_colours(today, labels, fte)
        for node, label in zip(nodes, labels, strict=True):
            for polygon in polygons.get(node, []):
                ring = np.asarray(polygon[0])
                ax.fill(
                    ring[:, 0],
                    ring[:, 1],
                    color=cmap(int(colour[label]) % 10),
                    linewidth=0.3,
                    edgecolor="white",
                )
        handles = []
        for r in range(int(labels.max()) + 1):
            inside = np.flatnonzero(labels == r)
            if panel is panels[0]:
                name = f"{today_names[r]} ({len(inside)} municipalities)"
            else:
                largest = node_names[nodes[int(inside[np.argmax(fte[inside])])]]
                name = largest if len(inside) == 1 else f"{largest} and {len(inside) - 1} more"
            handles.append(Patch(color=cmap(int(colour[r]) % 10), label=name))
        ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
        ax.set_title(panel.title, fontsize=9)
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
    title: str,
    weights: np.ndarray | None = None,
) -> list[Path]:
    """One histogram per score in ``names`` with a value, as ``hist_<score>.png`` in ``folder``.

    ``metrics`` has one row per structure (or draw), ``weights`` one weight per row.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for m in names:
        values = metrics[m].to_numpy(float)
        missing = int(np.count_nonzero(~np.isfinite(values)))
        if missing == len(values):
            continue
        note = f"\n{format_number(missing)} left out: no finite value" if missing else ""
        paths.append(
            metric_histogram(
                values, float(today[m]), m, folder / f"hist_{m}.png", title + note, weights
            )
        )
    return paths
