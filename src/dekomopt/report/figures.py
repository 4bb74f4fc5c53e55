"""The report's figures as inline SVG strings: map, kroner per FTE, owner/partner split.

Figures are drawn on bare :class:`~matplotlib.figure.Figure` objects inside a fixed
``rc_context`` (no pyplot, no global state), so the same proposal gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING, Any

import matplotlib
import networkx as nx
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import XAxis
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from dekomopt.formats import format_number
from dekomopt.proposal import Proposal
from dekomopt.report.catalogue import text
from dekomopt.report.columns import in_key, owner_table, region_table
from dekomopt.report.geography import (
    Geography,
    map_caption,
    region_centres,
    region_neighbours,
    regions_on_map,
)

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "dekomopt-report",
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
}
"""Fixed style: text stays text (searchable, small), ids are stable between runs."""

PALETTE: tuple[tuple[str, str], ...] = (
    ("#77aadd", ""),
    ("#eedd88", ""),
    ("#ee8866", "///"),
    ("#44bb99", "..."),
    ("#ffaabb", "\\\\\\"),
    ("#bbcc33", "xxx"),
    ("#aaaa00", "---"),
    ("#dddddd", "+++"),
    ("#99ddff", "|||"),
    ("#cc6677", "ooo"),
    ("#117733", "///"),
    ("#882255", "..."),
    ("#332288", "\\\\\\"),
    ("#999933", "xxx"),
    ("#aa4499", "---"),
)
"""Fills from Paul Tol's "light" and "muted" schemes (readable for colour-blind readers), with
a hatch from the third on so that regions differ in greyscale print too; labels sit on white."""
OWNERS_COLOUR = "#4477aa"
PARTNERS_COLOUR = "#ee7733"
NO_REGION_COLOUR = "#f4f4f4"

_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_STYLE = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def region_colours(
    proposal: Proposal, geography: Geography | None = None
) -> dict[str, tuple[str, str]]:
    """Region → ``(fill, hatch)``, the same in every figure of one report; no two regions
    share both, so the legend names each region.

    Each region in turn takes the least used fill that no neighbour on the map (see
    :func:`region_neighbours`) has: with up to ``len(PALETTE)`` regions every region has its
    own fill; with more, regions that share a fill are never neighbours and differ by hatch.
    """
    regions = _region_order(proposal)
    graph = region_neighbours(geography) if geography is not None else nx.Graph()
    fill_of: dict[str, int] = {}
    uses = [0] * len(PALETTE)
    for region in regions:
        taken = {fill_of[n] for n in graph.adj.get(region, ()) if n in fill_of}
        free = [i for i in range(len(PALETTE)) if i not in taken] or list(range(len(PALETTE)))
        fill_of[region] = min(free, key=lambda i: (uses[i], i))
        uses[fill_of[region]] += 1
    colours = {}
    seen = [0] * len(PALETTE)
    for region in regions:
        index = fill_of[region]
        colours[region] = _fill(index, seen[index])
        seen[index] += 1
    return colours


_EXTRA_HATCHES = ("ooo", "***", "|||", "OOO", "...", "xxx")


def _fill(index: int, repeat: int) -> tuple[str, str]:
    """Fill number ``index`` of the palette, the ``repeat``-th time it is used: its own hatch
    first, then other hatches."""
    fill, hatch = PALETTE[index]
    if repeat == 0:
        return fill, hatch
    others = [h for h in _EXTRA_HATCHES if h != hatch]
    return fill, others[(repeat - 1) % len(others)]


def svg_from_figure(fig: Figure, prefix: str, label: str) -> str:
    """``fig`` as an ``<svg>`` element for inlining in HTML.

    The XML prolog, doctype, metadata and matplotlib's global ``<style>`` are removed; every
    id and reference to it gets ``prefix`` so several figures can share one page; the fixed
    size is replaced by CSS scaling.
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = _PROLOG.sub("", buffer.getvalue())
    svg = _METADATA.sub("", svg)
    svg = _STYLE.sub("", svg)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    label_attr = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'{head} class="figure-svg" role="img" aria-label="{label_attr}">{rest}'.strip()


def _region_order(proposal: Proposal) -> list[str]:
    return [str(r) for r in proposal.regions["region"]]


def _path(polygon: list[list[tuple[float, float]]]) -> Path:
    return Path.make_compound_path(
        *(Path(ring, closed=False) for ring in polygon if len(ring) >= 3)
    )


_LABEL_PAD = 3.5
"""Display units kept free around every label."""
_DIRECTIONS = tuple(
    (round(math.cos(math.radians(a)), 3), round(math.sin(math.radians(a)), 3))
    for a in (
        90,
        0,
        180,
        270,
        45,
        135,
        315,
        225,
        67.5,
        22.5,
        157.5,
        112.5,
        337.5,
        292.5,
        202.5,
        247.5,
    )
)


def _place_labels(
    fig: Figure,
    ax: Axes,
    labels: list[tuple[str, tuple[float, float], dict]],
) -> None:
    """Annotate each ``(text, (x, y), style)`` near its point without two labels overlapping.

    Candidate spots spiral out from the point in sixteen directions; the first spot whose box
    (with a margin) meets no placed label and no other labelled point and stays inside the
    axes wins. A label set away from its point gets a thin leader line. When no spot is free
    the one meeting the fewest others is kept.
    """
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax.apply_aspect()  # the data-to-page transform as drawn, with the map's aspect
    frame = ax.get_window_extent(renderer)
    anchors = [ax.transData.transform((x, y)) for _, (x, y), _ in labels]
    points = [Bbox.from_bounds(px - 4, py - 4, 8, 8) for px, py in anchors]
    placed: list[Bbox] = []
    for index, (label, (x, y), style) in enumerate(labels):
        annotation = ax.annotate(
            label,
            (x, y),
            xytext=(0, 6),
            textcoords="offset points",
            zorder=5,
            arrowprops={"arrowstyle": "-", "color": "#333333", "linewidth": 0.6},
            gid=f"label-{index}",
            **style,
        )
        if annotation.arrow_patch is not None:
            annotation.arrow_patch.set_gid(f"label-{index}-leader")
        obstacles = [box for i, box in enumerate(points) if i != index]
        best: tuple[int, float, float, float] | None = None
        for radius in _RADII:
            for dx, dy in _DIRECTIONS:
                _aim(annotation, dx, dy, radius)
                box = _text_box(annotation, renderer)
                inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
                if not inside:
                    continue
                clashes = 2 * sum(box.overlaps(o) for o in placed) + sum(
                    box.overlaps(o) for o in obstacles
                )
                if best is None or clashes < best[0]:
                    best = (clashes, dx, dy, radius)
                if clashes == 0:
                    break
            if best is not None and best[0] == 0:
                break
        _, dx, dy, distance = best if best is not None else (0, 0.0, 1.0, 6.0)
        _aim(annotation, dx, dy, distance)
        placed.append(_text_box(annotation, renderer))
        if distance <= 12 and annotation.arrow_patch is not None:
            annotation.arrow_patch.set_visible(False)


def _text_box(annotation: Annotation, renderer: RendererBase) -> Bbox:
    """The label's text with its white box, without the leader line."""
    annotation.update_positions(renderer)
    return Text.get_window_extent(annotation, renderer).padded(_LABEL_PAD)


_RADII = (6, 12, 18, 26, 36, 48, 62, 78, 96, 120, 150, 190, 240)
"""Distances (points) from a label's point to try, nearest first."""


def _aim(annotation: Annotation, dx: float, dy: float, radius: float) -> None:
    """Put ``annotation`` at ``radius`` points from its point in direction ``(dx, dy)``."""
    annotation.set_position((dx * radius, dy * radius))
    annotation.set_horizontalalignment(
        "center" if abs(dx) < 0.3 else ("left" if dx > 0 else "right")
    )
    annotation.set_verticalalignment("center" if abs(dy) < 0.3 else ("bottom" if dy > 0 else "top"))


def hatch_colour(fill: str) -> str:
    """Hatch lines that show on ``fill``: white on a dark fill, dark grey on a light one."""
    red, green, blue = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else "#555555"


def spread_points(
    points: dict[str, tuple[float, float]], radius: float, aspect: float = 1.0
) -> dict[str, tuple[float, float]]:
    """``points`` (id → ``(lat, lon)``), those nearer each other than ``radius`` (degrees of
    longitude; latitude scaled by ``aspect``) set apart on a circle of ``radius`` around their
    middle, so that each marker shows."""
    groups: list[list[str]] = []
    for key in sorted(points):
        lat, lon = points[key]
        group = next(
            (
                g
                for g in groups
                if abs(points[g[0]][0] - lat) * aspect < radius
                and abs(points[g[0]][1] - lon) < radius
            ),
            None,
        )
        if group is None:
            groups.append([key])
        else:
            group.append(key)
    out = dict(points)
    for members in groups:
        if len(members) < 2:
            continue
        lat = sum(points[k][0] for k in members) / len(members)
        lon = sum(points[k][1] for k in members) / len(members)
        for k, key in enumerate(members):
            angle = math.pi / 2 + 2 * math.pi * k / len(members)
            out[key] = (lat + radius * math.sin(angle) / aspect, lon + radius * math.cos(angle))
    return out


def map_svg(
    proposal: Proposal,
    geography: Geography,
    lang: str,
    colours: dict[str, tuple[str, str]] | None = None,
) -> str:
    """Municipalities coloured by region, partner campuses, lines from region centre to partner.

    Each municipality is one path with id ``fig-map-mun-<kommunenummer>``; the legend (id
    ``fig-map-legend``) sits to the right of the map; no two labels overlap; each label and
    its leader line have ids starting ``fig-map-label-`` (a narrow page hides them and shows
    the report's own legend).
    """
    regions = _region_order(proposal)
    colours = colours or region_colours(proposal, geography)
    names = dict(
        zip(
            proposal.partners["partner_id"].astype(str),
            proposal.partners["partner_name"],
            strict=True,
        )
    )
    centres = region_centres(geography)
    lats = [lat for polys in geography.polygons.values() for p in polys for _, lat in p[0]]
    lons = [lon for polys in geography.polygons.values() for p in polys for lon, _ in p[0]]
    mean_lat = sum(lats) / len(lats) if lats else 60.0
    aspect = 1 / math.cos(math.radians(mean_lat))
    span = ((max(lats) - min(lats)) * aspect / (max(lons) - min(lons))) if lats else 1.0
    with matplotlib.rc_context(RC):
        width = 7.5
        fig = Figure(figsize=(width, max(4.0, min(9.0, 0.72 * width * span + 0.6))))
        ax = fig.add_axes((0.0, 0.0, 0.72, 1.0))
        for code in sorted(geography.polygons):
            region = geography.owner_region.get(code)
            fill, hatch = (
                colours.get(region, (NO_REGION_COLOUR, ""))
                if region
                else (
                    NO_REGION_COLOUR,
                    "",
                )
            )
            outline = Path.make_compound_path(*(_path(p) for p in geography.polygons[code]))
            ax.add_patch(
                PathPatch(
                    outline,
                    facecolor=fill,
                    edgecolor="white",
                    hatchcolor=hatch_colour(fill),
                    linewidth=0.4,
                    hatch=hatch or None,
                    gid=f"mun-{code}",
                )
            )
        spread = 0.02 * (max(lons) - min(lons)) if lons else 0.01  # about a marker and a half
        campuses = spread_points(geography.partner_points, spread, aspect)
        for region, partner in geography.edges:
            if region in centres and partner in campuses:
                (lon0, lat0), (lat1, lon1) = centres[region], campuses[partner]
                ax.plot([lon0, lon1], [lat0, lat1], color="#333333", linewidth=0.9, alpha=0.7)
        for lat, lon in campuses.values():
            ax.plot(
                [lon],
                [lat],
                marker="s",
                markersize=6,
                color="black",
                markeredgecolor="white",
                markeredgewidth=0.8,
                linestyle="none",
            )
        for region in regions:
            if region in centres:
                lon, lat = centres[region]
                ax.plot([lon], [lat], marker="o", markersize=4, color="#333333")
        ax.set_aspect(aspect)
        if lats:
            # room in the sea around the coast for labels that cannot sit on their region
            pad_x, pad_y = 0.12 * (max(lons) - min(lons)), 0.05 * (max(lats) - min(lats))
            ax.set_xlim(min(lons) - pad_x, max(lons) + pad_x)
            ax.set_ylim(min(lats) - pad_y, max(lats) + pad_y)
        ax.set_axis_off()
        box = {
            "boxstyle": "round,pad=0.2",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.85,
        }
        labels: list[tuple[str, tuple[float, float], dict]] = []
        for region in regions:
            if region in centres:
                style = {"fontweight": "bold", "fontsize": 8, "bbox": box}
                labels.append((region, centres[region], style))
        for partner, (lat, lon) in sorted(campuses.items()):
            style = {"fontsize": 7, "fontstyle": "italic", "bbox": box}
            labels.append((str(names.get(partner, partner)), (lon, lat), style))
        _place_labels(fig, ax, labels)
        handles: list[Artist] = [
            Patch(
                facecolor=colours[r][0],
                hatch=colours[r][1] or None,
                edgecolor="white",
                hatchcolor=hatch_colour(colours[r][0]),
                label=r,
            )
            for r in regions_on_map(geography, list(regions))
        ]
        if geography.partner_points:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="s",
                    color="black",
                    linestyle="none",
                    label=text("legend_partner", lang),
                )
            )
        legend = fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.74, 1.0),
            frameon=False,
            fontsize=8,
        )
        legend.set_gid("legend")
        return svg_from_figure(fig, "fig-map", text(map_caption(geography), lang))


def _kroner_axis(axis: XAxis) -> None:
    """Norwegian numbers on a kroner axis, few enough ticks that they never run together."""
    axis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v)))


def owners_differ(proposal: Proposal) -> bool:
    """Whether the kroner per årsverk of the owners that take part differ by more than 1 %
    (else one bar per region says it all)."""
    owners = owner_table(proposal, "nb")
    values = owners.loc[(owners["teacher_fte"] > 0) & in_key(owners, "nb"), "nok_per_fte"]
    values = values.astype(float)
    return bool(len(values)) and float(values.max() - values.min()) > 0.01 * float(values.max())


def _hbars(ax: Axes, labels: list[str]) -> None:
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()


def per_fte_svg(
    proposal: Proposal, lang: str, colours: dict[str, tuple[str, str]] | None = None
) -> str:
    """Kroner per teacher FTE (the report's one measure, partners' share included).

    One bar per region; below it one bar per owner, in region order, only when the owners'
    values differ (under a pure FTE key every owner of a region gets the same).
    """
    regions = _region_order(proposal)
    colours = colours or region_colours(proposal)
    region_rows = region_table(proposal, lang)
    owners = owner_table(proposal, lang)
    owners = owners[(owners["teacher_fte"] > 0) & in_key(owners, lang)]
    values = owners["nok_per_fte"].astype(float)
    n = len(owners) if owners_differ(proposal) else 0
    with matplotlib.rc_context(RC):
        height = 0.8 + 0.28 * len(regions) + (0.6 + 0.17 * n if n else 0)
        fig = Figure(figsize=(7.5, height), layout="constrained")
        grid = fig.add_gridspec(
            2 if n else 1, 1, height_ratios=[len(regions) + 1, n + 2] if n else [1]
        )
        top = fig.add_subplot(grid[0])
        bars = top.barh(
            range(len(regions)),
            region_rows["nok_per_fte"].astype(float).fillna(0),
            color=[colours[r][0] for r in regions],
            edgecolor="#333333",
            linewidth=0.5,
        )
        for bar, region in zip(bars, regions, strict=True):
            fill, hatch = colours[region]
            bar.set_hatch(hatch or None)
            bar.set_hatchcolor(hatch_colour(fill))
        _hbars(top, regions)
        top.set_xlabel(text("axis_nok_per_fte", lang))
        _kroner_axis(top.xaxis)
        if n:
            bottom = fig.add_subplot(grid[1])
            bottom.barh(
                range(n),
                values.fillna(0),
                color=[colours.get(str(r), (NO_REGION_COLOUR, ""))[0] for r in owners["region"]],
                edgecolor="#333333",
                linewidth=0.5,
            )
            _hbars(bottom, [str(name) for name in owners["owner_name"]])
            bottom.tick_params(axis="y", labelsize=7)
            bottom.set_xlabel(text("axis_nok_per_fte", lang))
            _kroner_axis(bottom.xaxis)
        return svg_from_figure(fig, "fig-perfte", text("fig_per_fte", lang))


def split_svg(proposal: Proposal, lang: str) -> str:
    """Stacked horizontal bars per region: the owners' part, then the partners' part."""
    regions = _region_order(proposal)
    owners = pd.to_numeric(proposal.regions["owners_nok"]).astype(float)
    partners = pd.to_numeric(proposal.regions["partners_nok"]).astype(float)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.5, 1.2 + 0.3 * len(regions)), layout="constrained")
        ax = fig.add_subplot()
        ax.barh(
            range(len(regions)), owners, color=OWNERS_COLOUR, label=text("col_owners_nok", lang)
        )
        ax.barh(
            range(len(regions)),
            partners,
            left=owners,
            color=PARTNERS_COLOUR,
            hatch="///",
            edgecolor="white",
            label=text("col_partners_nok", lang),
        )
        _hbars(ax, regions)
        ax.set_xlabel(text("axis_amount", lang))
        _kroner_axis(ax.xaxis)
        ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
        return svg_from_figure(fig, "fig-split", text("fig_split", lang))
