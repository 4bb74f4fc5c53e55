"""The report's figures as inline SVG strings: map, kroner per FTE, owner/partner split.

Figures are drawn on bare :class:`~matplotlib.figure.Figure` objects inside a fixed
``rc_context`` (no pyplot, no global state), so the same proposal gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re

import matplotlib
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter

from dekomopt.proposal import Proposal
from dekomopt.report.catalogue import text
from dekomopt.report.geography import Geography, region_centres
from dekomopt.formats import format_number

RC = {
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

PALETTE = (
    "#8fbfe0",
    "#f2b880",
    "#9fd3a8",
    "#e3a6c8",
    "#d9d27c",
    "#b9a6e0",
    "#f0a0a0",
    "#a8dcd9",
    "#c8b89a",
    "#bcbcbc",
)
"""Light fills that keep black text and markers readable; cycles past ten regions."""
OWNERS_COLOUR = "#4c7fb3"
PARTNERS_COLOUR = "#e08a3c"
NO_REGION_COLOUR = "#eeeeee"

_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_STYLE = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')


def region_colours(regions: list[str]) -> dict[str, str]:
    """Region → fill colour, in the order given."""
    return {region: PALETTE[i % len(PALETTE)] for i, region in enumerate(regions)}


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


def map_svg(proposal: Proposal, geography: Geography, lang: str) -> str:
    """Municipalities coloured by region, partner campuses, lines from region centre to partner."""
    regions = _region_order(proposal)
    colours = region_colours(regions)
    names = dict(
        zip(
            proposal.partners["partner_id"].astype(str),
            proposal.partners["partner_name"],
            strict=True,
        )
    )
    centres = region_centres(geography)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.5, 7.5))
        ax = fig.add_subplot()
        patches, fills = [], []
        for code in sorted(geography.polygons):
            region = geography.owner_region.get(code)
            fill = colours.get(region, NO_REGION_COLOUR) if region else NO_REGION_COLOUR
            for polygon in geography.polygons[code]:
                patches.append(PathPatch(_path(polygon)))
                fills.append(fill)
        ax.add_collection(
            PatchCollection(patches, facecolors=fills, edgecolors="white", linewidths=0.4)
        )
        lats = [lat for polys in geography.polygons.values() for p in polys for _, lat in p[0]]
        # a box rather than a stroke halo: path effects would turn the text into outlines
        box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
        for region, partner in geography.edges:
            if region in centres and partner in geography.partner_points:
                (lon0, lat0), (lat1, lon1) = centres[region], geography.partner_points[partner]
                ax.plot([lon0, lon1], [lat0, lat1], color="#333333", linewidth=1.2, alpha=0.8)
        for partner, (lat, lon) in sorted(geography.partner_points.items()):
            ax.plot([lon], [lat], marker="s", markersize=7, color="black", linestyle="none")
            ax.annotate(
                str(names.get(partner, partner)),
                (lon, lat),
                xytext=(6, 4),
                textcoords="offset points",
                fontsize=8,
                bbox=box,
            )
        for region in regions:
            if region in centres:
                lon, lat = centres[region]
                ax.plot([lon], [lat], marker="o", markersize=5, color="#333333")
                ax.annotate(
                    region,
                    (lon, lat),
                    xytext=(0, 7),
                    textcoords="offset points",
                    ha="center",
                    fontweight="bold",
                    bbox=box,
                )
        mean_lat = sum(lats) / len(lats) if lats else 60.0
        ax.set_aspect(1 / math.cos(math.radians(mean_lat)))
        ax.autoscale_view()
        ax.set_axis_off()
        handles = [Patch(facecolor=colours[r], edgecolor="white", label=r) for r in regions]
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
        ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=8)
        return svg_from_figure(fig, "fig-map", text("fig_map", lang))


def _kroner_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v)))


def per_fte_svg(proposal: Proposal, lang: str) -> str:
    """Bars of kroner per teacher FTE: one per region (top), one per owner (bottom, by region)."""
    regions = _region_order(proposal)
    colours = region_colours(regions)
    order = {r: i for i, r in enumerate(regions)}
    owners = proposal.owners.assign(_order=proposal.owners["region"].astype(str).map(order))
    owners = owners.sort_values(["_order", "nok_per_fte"], kind="stable", na_position="last")
    n = len(owners)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.5, 2.6 + 0.2 * n), layout="constrained")
        grid = fig.add_gridspec(2, 1, height_ratios=[2.2, max(1.0, 0.2 * n)])
        top = fig.add_subplot(grid[0])
        top.bar(
            regions,
            proposal.regions["nok_per_fte"].astype(float).fillna(0),
            color=[colours[r] for r in regions],
            edgecolor="#333333",
            linewidth=0.5,
        )
        top.set_ylabel(text("axis_nok_per_fte", lang))
        _kroner_axis(top.yaxis)
        bottom = fig.add_subplot(grid[1])
        labels = [str(name) for name in owners["owner_name"]]
        bottom.barh(
            range(n),
            owners["nok_per_fte"].astype(float).fillna(0),
            color=[colours.get(str(r), NO_REGION_COLOUR) for r in owners["region"]],
            edgecolor="#333333",
            linewidth=0.5,
        )
        bottom.set_yticks(range(n), labels, fontsize=7)
        bottom.invert_yaxis()
        bottom.set_xlabel(text("axis_nok_per_fte", lang))
        _kroner_axis(bottom.xaxis)
        return svg_from_figure(fig, "fig-perfte", text("fig_per_fte", lang))


def split_svg(proposal: Proposal, lang: str) -> str:
    """Stacked bars per region: the owners' part below, the partners' part on top."""
    regions = _region_order(proposal)
    owners = pd.to_numeric(proposal.regions["owners_nok"]).astype(float)
    partners = pd.to_numeric(proposal.regions["partners_nok"]).astype(float)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.5, 3.4), layout="constrained")
        ax = fig.add_subplot()
        ax.bar(regions, owners, color=OWNERS_COLOUR, label=text("col_owners_nok", lang))
        ax.bar(
            regions,
            partners,
            bottom=owners,
            color=PARTNERS_COLOUR,
            label=text("col_partners_nok", lang),
        )
        ax.set_ylabel(text("axis_amount", lang))
        _kroner_axis(ax.yaxis)
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return svg_from_figure(fig, "fig-split", text("fig_split", lang))
