import re

import matplotlib
from bs4 import BeautifulSoup

from dekomopt.report import geography_from_proposal
from dekomopt.report.columns import owner_table
from dekomopt.report.figures import (
    NO_REGION_COLOUR,
    map_svg,
    per_fte_svg,
    region_colours,
    split_svg,
)
from dekomopt.report.geography import Geography, region_centres


def test_map_colours_regions_and_draws_partnerships(proposal, geography):
    svg = map_svg(proposal, geography, "nb")
    soup = BeautifulSoup(svg, "html.parser")
    assert soup.find("svg")["class"] == ["figure-svg"]
    text = soup.get_text(" ")
    for label in ("NORD", "MIDT", "SØR", "Universitetet i Stavanger", "Høgskulen på Vestlandet"):
        assert label in text
    fills = set(re.findall(r"fill(?::\s*|=\")(#[0-9a-f]{6})", svg))  # hatched: a pattern's rect
    colours = region_colours(proposal, geography)
    assert {colours[r][0] for r in ("NORD", "MIDT", "SØR")} <= fills
    assert NO_REGION_COLOUR not in fills  # every Rogaland municipality belongs to a region


def test_region_centres_lie_in_their_region():
    square = [[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]]
    far = [[(10.0, 0.0), (11.0, 0.0), (11.0, 1.0), (10.0, 1.0), (10.0, 0.0)]]
    geography = Geography(polygons={"a": [square], "b": [far]}, owner_region={"a": "X", "b": "X"})
    lon, lat = region_centres(geography)["X"]
    # area-weighted: the 2×2 square weighs four times the 1×1 one
    assert abs(lon - (4 * 1.0 + 1 * 10.5) / 5) < 1e-9
    assert abs(lat - (4 * 1.0 + 1 * 0.5) / 5) < 1e-9


def test_geography_from_proposal_uses_its_regions_and_partners(proposal, geography):
    built = geography_from_proposal(proposal, geography.polygons, geography.partner_points)
    assert built.owner_region == geography.owner_region  # the private owner has no polygon
    assert sorted(built.edges) == sorted(geography.edges)


def test_ids_are_prefixed_per_figure(proposal, geography):
    svgs = {
        "fig-map": map_svg(proposal, geography, "en"),
        "fig-perfte": per_fte_svg(proposal, "en"),
        "fig-split": split_svg(proposal, "en"),
    }
    for prefix, svg in svgs.items():
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert ids and all(i.startswith(prefix + "-") for i in ids)
        refs = re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", svg)
        assert all((a or b) in ids for a, b in refs)
        assert not svg.startswith("<?xml") and "<!DOCTYPE" not in svg
        assert "<metadata>" not in svg and "<style" not in svg


def test_figures_are_deterministic_and_leave_global_state_alone(proposal, geography):
    before = dict(matplotlib.rcParams)
    first = (
        per_fte_svg(proposal, "nn"),
        split_svg(proposal, "nn"),
        map_svg(proposal, geography, "nn"),
    )
    second = (
        per_fte_svg(proposal, "nn"),
        split_svg(proposal, "nn"),
        map_svg(proposal, geography, "nn"),
    )
    assert first == second
    assert dict(matplotlib.rcParams) == before


def test_charts_name_every_owner_and_region(proposal):
    text = BeautifulSoup(per_fte_svg(proposal, "nb"), "html.parser").get_text(" ")
    owners = owner_table(proposal, "nb")
    values = owners.loc[owners["teacher_fte"] > 0, "nok_per_fte"]
    differ = values.max() - values.min() > 0.01 * values.max()
    for name in list(proposal.regions["region"]) + (list(owners["owner_name"]) if differ else []):
        assert name in text
    assert "kr per årsverk" in text


def test_a_map_of_many_regions_has_distinct_neighbours_and_no_overlapping_labels(
    proposal, geography, monkeypatch
):
    """Every Rogaland municipality its own region: over 20 regions on one map."""
    from dataclasses import replace

    import matplotlib.text as mtext
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from dekomopt.report import figures
    from dekomopt.report.geography import region_neighbours

    codes = sorted(geography.polygons)
    many = Geography(
        polygons=geography.polygons,
        owner_region={code: f"R{code}" for code in codes},
        partner_points=geography.partner_points,
    )
    regions = replace(proposal, regions=pd.DataFrame({"region": [f"R{c}" for c in codes]}))
    assert len(codes) > 20
    colours = figures.region_colours(regions, many)
    graph = region_neighbours(many)
    assert graph.number_of_edges() > len(codes)
    assert [(a, b) for a, b in graph.edges if colours[a][0] == colours[b][0]] == []

    boxes = []
    place = figures._place_labels

    def measured(fig, ax, labels):
        place(fig, ax, labels)
        renderer = FigureCanvasAgg(fig).get_renderer()
        for artist in ax.get_children():
            if isinstance(artist, mtext.Annotation):
                boxes.append(figures._text_box(artist, renderer))

    monkeypatch.setattr(figures, "_place_labels", measured)
    figures.map_svg(regions, many, "nb", colours)
    assert len(boxes) == len(codes) + len(geography.partner_points)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_each_region_has_its_own_colour(proposal, geography):
    from dataclasses import replace

    import pandas as pd

    from dekomopt.report.figures import PALETTE

    colours = region_colours(proposal, geography)
    assert len(set(colours.values())) == len(colours)
    # as many regions as Vestland (13): a fill of its own each, no map needed
    names = [f"Region {i}" for i in range(13)]
    thirteen = replace(proposal, regions=pd.DataFrame({"region": names}))
    fills = [fill for fill, _ in region_colours(thirteen).values()]
    assert len(set(fills)) == 13 <= len(PALETTE)
    # more regions than fills: fill and hatch together still name each region
    many = replace(proposal, regions=pd.DataFrame({"region": [f"R{i}" for i in range(40)]}))
    pairs = list(region_colours(many).values())
    assert len(set(pairs)) == 40


def test_campuses_at_one_place_are_set_apart():
    from dekomopt.report.figures import spread_points

    # Bergen's campuses lie within a few km: one spot on a county map
    points = {
        "HVL Kronstad": (60.3690, 5.3500),
        "UiB": (60.3870, 5.3220),
        "NLA": (60.4050, 5.3280),
        "Stord": (59.8, 5.5),
    }
    spread = spread_points(points, 0.1)
    assert spread["Stord"] == points["Stord"]
    moved = [spread[k] for k in ("HVL Kronstad", "UiB", "NLA")]
    middle = (sum(p[0] for p in moved) / 3, sum(p[1] for p in moved) / 3)
    for i, (lat, lon) in enumerate(moved):
        assert abs(((lat - middle[0]) ** 2 + (lon - middle[1]) ** 2) ** 0.5 - 0.1) < 1e-9
        for other in moved[i + 1 :]:
            assert ((lat - other[0]) ** 2 + (lon - other[1]) ** 2) ** 0.5 > 0.15


def test_map_labels_can_be_hidden_by_id(proposal, geography):
    """Every label's text sits in a group whose id starts ``fig-map-label-`` (a narrow page
    hides them and shows its own legend)."""
    soup = BeautifulSoup(map_svg(proposal, geography, "nb"), "html.parser")
    groups = soup.select('[id^="fig-map-label-"]')
    labelled = {g.get_text(" ").strip() for g in groups}
    for label in ("NORD", "MIDT", "SØR", "Universitetet i Stavanger"):
        assert label in labelled


def _drawn_map(monkeypatch, proposal, geography):
    """The report map's matplotlib figure, drawn, as ``map_svg`` hands it to the SVG writer."""
    import dekomopt.report.figures as figures

    drawn = {}
    write = figures.svg_from_figure

    def keep(fig, prefix, label):
        svg = write(fig, prefix, label)
        fig.canvas.draw()
        drawn["fig"] = fig
        return svg

    monkeypatch.setattr(figures, "svg_from_figure", keep)
    map_svg(proposal, geography, "nb")
    return drawn["fig"]


def _wide_geography(proposal):
    """Troms og Finnmark (the widest scope) with the proposal's regions cut west to east."""
    from dekomopt.data import load_polygons

    polygons = load_polygons("Troms og Finnmark")
    regions = list(proposal.regions["region"])
    codes = sorted(polygons, key=lambda c: min(x for x, _ in polygons[c][0][0]))
    owner_region = {c: regions[i * len(regions) // len(codes)] for i, c in enumerate(codes)}
    return Geography(
        polygons=polygons,
        owner_region=owner_region,
        partner_points={"UiS": (69.68, 18.97), "HVL": (70.66, 23.68)},
        edges=((regions[0], "UiS"), (regions[-1], "HVL")),
    )


def test_map_legend_covers_no_municipality_and_no_label(monkeypatch, proposal, geography):
    """On a compact county and the widest scope, the legend's box, as drawn, overlaps no
    municipality's box and no label, and lies inside the saved figure."""
    for scope in (geography, _wide_geography(proposal)):
        fig = _drawn_map(monkeypatch, proposal, scope)
        renderer = fig.canvas.get_renderer()
        legend = fig.legends[0].get_window_extent(renderer)
        ax = fig.axes[0]
        shapes = [p.get_window_extent(renderer) for p in ax.patches]
        assert len(shapes) == len(scope.polygons)
        labels = [t.get_window_extent(renderer) for t in ax.texts]
        assert labels
        assert not [s for s in shapes + labels if legend.overlaps(s)]
        assert fig.bbox.x0 <= legend.x0 and legend.x1 <= fig.bbox.x1
        assert fig.bbox.y0 <= legend.y0 and legend.y1 <= fig.bbox.y1
