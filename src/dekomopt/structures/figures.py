"""Figures of a structure analysis: one histogram per score, and maps of structures side by side.

Every figure says what it shows: a histogram's title names its reference set (all plausible
structures, or draws and the law they are weighted to), and a map's panels share one colour per
region of today's structure, an alternative's region taking the colour of today's region it
shares the most teacher FTEs with.

Words come from the report's catalogue in the figures' language (``lang``: nb, nn or en);
numbers are Norwegian (``1 234``, ``0,012``) in every language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from dekomopt.figurelayout import save_fitted
from dekomopt.formats import format_decimal, format_number, format_significant
from dekomopt.report.catalogue import has_message, text
from dekomopt.structures.summary import LAW_POWER, Reference

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


TODAY_COLOUR = "#c0392b"


def metric_label(metric: str, lang: str) -> str:
    """The axis label of a score in ``lang`` (the score's name if the catalogue has none)."""
    key = f"metric_{metric}"
    return text(key, lang) if has_message(key) else metric


def _tick(value: float, _pos: object = None) -> str:
    """A tick label to 3 significant digits, Norwegian format; noise below 1e-12 is 0."""
    return format_significant(0.0 if abs(value) < 1e-12 else value)


def reference_title(reference: Reference, lang: str) -> str:
    """The histograms' title in ``lang``: the reference set they are drawn against, one line
    (wrapped to the figure when it is saved, :func:`~dekomopt.figurelayout.save_fitted`).

    Says the same as :meth:`Reference.sentence`: the exact set, or the law the draws estimate,
    how they were drawn, and any reweighting with the weights' effective sample size (ESS).
    """
    k = "/".join(map(str, reference.counts))
    distinct = format_number(reference.structures)
    d = reference.draws
    if d is None:
        said = text("struct_ref_exact", lang, n=distinct, k=k)
    else:
        if d.kind == "uniform":
            drawn = text("struct_ref_uniform_draws", lang, n=format_number(d.n), distinct=distinct)
        else:
            chain_law = (
                text("struct_ref_uniform_chain", lang)
                if d.tree_power == 0
                else f"∝ ∏τ^{format_decimal(d.tree_power)}"
            )
            drawn = text(
                "struct_ref_recom_draws",
                lang,
                n=format_number(d.n),
                chains=format_number(d.chains),
                law=chain_law,
                per_chain=format_number(d.per_chain),
                burn_in=format_number(d.burn_in),
                distinct=distinct,
            )
        law = "struct_ref_uniform_law" if reference.law == "uniform" else "struct_ref_tree_law"
        said = text("struct_ref_estimated", lang, target=text(law, lang, k=k), drawn=drawn)
        power = LAW_POWER[reference.law] - d.tree_power
        if power == 0:
            said += text("struct_ref_tau", lang) if d.tree_power else ""
        else:
            said += text(
                "struct_ref_reweighted",
                lang,
                power=format_decimal(power),
                ess=format_number(round(d.weights_ess(reference.law))),
            )
        if len(reference.counts) > 1:
            said += text("struct_ref_several", lang)
    return text("struct_reference", lang, reference=said)


def metric_histogram(
    values: np.ndarray,
    today: float,
    metric: str,
    path: Path,
    title: str,
    weights: np.ndarray | None = None,
    lang: str = "nb",
) -> Path:
    """A histogram of one score with today's value marked; ``weights`` weight the values (the
    y axis is then a share, else a count). ``title`` names the reference set. Words are in
    ``lang``, tick labels Norwegian numbers."""
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    v = np.asarray(values, dtype=float)
    keep = np.isfinite(v)
    w = None if weights is None else np.asarray(weights, dtype=float)[keep]
    v = v[keep]
    fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    bins = min(60, max(10, int(np.sqrt(v.size))))
    if w is not None:
        w = w / w.sum()
    label = text("struct_structures" if w is None else "struct_draws", lang)
    ax.hist(v, bins=bins, weights=w, color="#7a9cc6", edgecolor="white", label=label)
    if np.isfinite(today):
        ax.axvline(today, color=TODAY_COLOUR, linewidth=2, label=text("struct_today", lang))
    ax.legend()
    ax.xaxis.set_major_formatter(FuncFormatter(_tick))
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.set_xlabel(metric_label(metric, lang))
    ax.set_ylabel(text("struct_share_axis" if w is not None else "struct_count_axis", lang))
    ax.set_title(title, fontsize=9)
    save_fitted(fig, path, dpi=120)
    plt.close(fig)
    return path


def frontier_among(evaluated: int, reference: int, complete: bool, lang: str) -> str:
    """The set a frontier is over, in ``lang``: every plausible structure (``complete``:
    ``reference`` enumerated), the ``reference`` sampled ones, or ``evaluated`` structures of
    which ``reference`` were sampled (the rest found by search, the integer programmes or
    today's)."""
    if complete:
        return text("struct_among_all", lang, n=format_number(reference))
    if evaluated == reference:
        return text("struct_among_sampled", lang, n=format_number(reference))
    return text(
        "struct_among_evaluated", lang, n=format_number(evaluated), m=format_number(reference)
    )


def panel_title(
    structure_id: int | None,
    dominates: bool,
    lang: str,
    mark: str | None = None,
    *,
    on_frontier: bool = False,
    among: str = "",
) -> str:
    """A map panel's title in ``lang``: today's (``structure_id`` None; ``on_frontier`` when
    today's structure is on the frontier), or an alternative's id (a name, not a number:
    no thousands separator), whether it dominates today or lies on the frontier, and its
    strongest mark (``mark``: ``proven``, ``programme``, ``search`` or ``best``, see
    :func:`~dekomopt.structures.frontier.marks`; none when empty). A frontier claim is
    followed by the set it is over (``among``, from :func:`frontier_among`)."""
    if structure_id is None:
        if not on_frontier:
            return text("struct_today", lang)
        return text("struct_map_today_frontier", lang) + (f"\n{among}" if among else "")
    key = "struct_map_dominates" if dominates else "struct_map_frontier"
    title = text(key, lang, id=str(structure_id))
    if among and not dominates:
        title += "\n" + among
    if mark:
        title += "\n" + text(f"struct_mark_{mark}", lang)
    return title


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


def region_palette(n: int) -> list[str]:
    """Colours for ``n`` regions: matplotlib's ``tab10`` up to 10, ``tab20`` up to 20 (every
    region its own colour); beyond 20 the ``tab20`` colours repeat."""
    plt = _pyplot()
    from matplotlib.colors import to_hex

    name, size = ("tab10", 10) if n <= 10 else ("tab20", 20)
    cmap = plt.get_cmap(name)
    return [to_hex(cmap(i)) for i in range(size)]


LEGEND_FONT = 7
"""Points of a map legend's text."""
MAP_SIZE = 4.2
"""Inches of a map's longer side."""
GAP = 0.15
"""Inches between a map and its legend, and around each panel."""


@dataclass(frozen=True)
class MapFrame:
    """Where a scope's map sits: the data box (degrees), the longitude degrees drawn as long as
    one degree of latitude (1 / cos of the mean latitude), and the map's size in inches."""

    x: tuple[float, float]
    y: tuple[float, float]
    aspect: float
    width: float
    height: float

    @property
    def wide(self) -> bool:
        """Wider than tall: its legend stands below it, else to its right."""
        return self.width > self.height


def map_frame(polygons: Mapping[str, list], nodes: Sequence[str]) -> MapFrame:
    """The :class:`MapFrame` of the municipalities ``nodes``, its longer side
    :data:`MAP_SIZE` inches, at the scope's true shape."""
    rings = [np.asarray(p[0], dtype=float) for n in nodes for p in polygons.get(n, [])]
    xy = np.concatenate(rings) if rings else np.array([[0.0, 0.0], [1.0, 1.0]])
    aspect = float(1 / np.cos(np.radians(xy[:, 1].mean())))
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    span_x, span_y = max(x1 - x0, 1e-9), max((y1 - y0) * aspect, 1e-9)
    scale = MAP_SIZE / max(span_x, span_y)
    return MapFrame(
        (float(x0), float(x1)), (float(y0), float(y1)), aspect, span_x * scale, span_y * scale
    )


def _inches(fig: Figure, artists: Sequence[Artist]) -> tuple[float, float]:
    """The widest and the tallest of ``artists`` as drawn, in inches."""
    boxes = [a.get_window_extent() for a in artists]
    return max(b.width for b in boxes) / fig.dpi, max(b.height for b in boxes) / fig.dpi


def draw_structure_maps(
    polygons: Mapping[str, list],
    nodes: Sequence[str],
    panels: Sequence[MapPanel],
    today_names: Sequence[str],
    fte: np.ndarray,
    node_names: Mapping[str, str],
    lang: str = "nb",
) -> Figure:
    """The figure of :func:`structure_maps`, laid out, not saved.

    Panels stand in rows of three, each a title, a map at the scope's true shape (latitude
    scaled by 1 / cos of the mean latitude) and its legend outside the map, never over a
    municipality: below a map wider than tall (in two columns), to its right otherwise. Every
    panel's cell is as large as the largest title and legend need, so nothing overlaps and
    nothing is cut at the figure's edge.
    """
    plt = _pyplot()
    from matplotlib.patches import Patch

    today = np.asarray(panels[0].labels)
    colours = [matched_colours(today, np.asarray(panel.labels), fte) for panel in panels]
    palette = region_palette(max(int(c.max()) + 1 for c in colours))
    frame = map_frame(polygons, nodes)
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    fig = plt.figure(figsize=(cols * (frame.width + 6), rows * (frame.height + 6)))
    axes, legends = [], []
    for panel, colour in zip(panels, colours, strict=True):
        ax = fig.add_axes((0.0, 0.0, 0.1, 0.1))
        labels = np.asarray(panel.labels)
        for node, label in zip(nodes, labels, strict=True):
            for polygon in polygons.get(node, []):
                ring = np.asarray(polygon[0])
                ax.fill(
                    ring[:, 0],
                    ring[:, 1],
                    color=palette[int(colour[label]) % len(palette)],
                    linewidth=0.3,
                    edgecolor="white",
                )
        handles = []
        for r in range(int(labels.max()) + 1):
            inside = np.flatnonzero(labels == r)
            if panel is panels[0]:
                name = text(
                    "struct_map_today_region_one"
                    if len(inside) == 1
                    else "struct_map_today_region",
                    lang,
                    name=today_names[r],
                    n=format_number(len(inside)),
                )
            else:
                largest = node_names[nodes[int(inside[np.argmax(fte[inside])])]]
                name = (
                    largest
                    if len(inside) == 1
                    else text(
                        "struct_map_region", lang, name=largest, n=format_number(len(inside) - 1)
                    )
                )
            handles.append(Patch(color=palette[int(colour[r]) % len(palette)], label=name))
        place = (
            {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "ncols": 2}
            if frame.wide
            else {"loc": "center left", "bbox_to_anchor": (1.0, 0.5), "ncols": 1}
        )
        legends.append(
            ax.legend(
                handles=handles, fontsize=LEGEND_FONT, frameon=False, borderaxespad=0.0, **place
            )
        )
        ax.set_title(panel.title, fontsize=9)
        ax.set_xlim(*frame.x)
        ax.set_ylim(*frame.y)
        ax.set_aspect(frame.aspect)
        ax.set_axis_off()
        ax.set_xticks([])  # no tick labels, drawn or not, beyond the map
        ax.set_yticks([])
        axes.append(ax)
    fig.canvas.draw()
    legend_w, legend_h = _inches(fig, legends)
    title_h = _inches(fig, [ax.title for ax in axes])[1] + 2 * GAP
    if frame.wide:
        cell_w = max(frame.width, legend_w)
        cell_h = title_h + frame.height + GAP + legend_h
    else:
        cell_w = frame.width + GAP + legend_w
        cell_h = title_h + max(frame.height, legend_h)
    width, height = cols * cell_w + (cols + 1) * GAP, rows * cell_h + (rows + 1) * GAP
    fig.set_size_inches(width, height)
    for i, (ax, legend) in enumerate(zip(axes, legends, strict=True)):
        left = GAP + (i % cols) * (cell_w + GAP)
        top = height - GAP - (i // cols) * (cell_h + GAP) - title_h
        if frame.wide:
            left += (cell_w - frame.width) / 2
            bottom = top - frame.height
            legend.set_bbox_to_anchor((0.5, -GAP / frame.height), transform=ax.transAxes)
        else:
            bottom = top - (max(frame.height, legend_h) + frame.height) / 2
            legend.set_bbox_to_anchor((1 + GAP / frame.width, 0.5), transform=ax.transAxes)
        ax.set_position((left / width, bottom / height, frame.width / width, frame.height / height))
    fig.canvas.draw()
    return fig


def structure_maps(
    polygons: Mapping[str, list],
    nodes: Sequence[str],
    panels: Sequence[MapPanel],
    today_names: Sequence[str],
    fte: np.ndarray,
    node_names: Mapping[str, str],
    path: Path,
    lang: str = "nb",
) -> Path:
    """Maps of several structures side by side, the first one today's; legends in ``lang``.

    Every panel has a legend naming its regions: today's by name, an alternative's region by
    its largest municipality (by teacher FTE) and how many others it holds; its colour is that
    of today's region it shares the most FTEs with (see :func:`matched_colours`). No legend
    covers a municipality (see :func:`draw_structure_maps`).
    """
    plt = _pyplot()
    fig = draw_structure_maps(polygons, nodes, panels, today_names, fte, node_names, lang)
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
    lang: str = "nb",
) -> list[Path]:
    """One histogram per score in ``names`` with a value, as ``hist_<score>.png`` in ``folder``.

    ``metrics`` has one row per structure (or draw, when ``weights`` gives one weight per
    row); words are in ``lang``. Rows without a finite value are left out, and the title says
    how many, on a line of its own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for m in names:
        values = metrics[m].to_numpy(float)
        missing = int(np.count_nonzero(~np.isfinite(values)))
        if missing == len(values):
            continue
        key = "struct_left_out" if weights is None else "struct_left_out_draws"
        n, total = format_number(missing), format_number(len(values))
        note = "\n" + text(key, lang, n=n, total=total) if missing else ""
        paths.append(
            metric_histogram(
                values, float(today[m]), m, folder / f"hist_{m}.png", title + note, weights, lang
            )
        )
    return paths
