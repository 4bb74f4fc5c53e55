"""The map's caption names only what the map draws, and its legend only the regions it draws
an area for."""

from __future__ import annotations

from dekomopt.report.catalogue import text
from dekomopt.report.geography import Geography, map_caption, regions_on_map

SQUARE = [[(5.0, 58.0), (6.0, 58.0), (6.0, 59.0), (5.0, 59.0), (5.0, 58.0)]]


def _geography(points=None, edges=()) -> Geography:
    return Geography(
        polygons={"1103": [SQUARE]},
        owner_region={"1103": "SOR", "private-network": "Friskolane"},
        partner_points=points or {},
        edges=tuple(edges),
    )


def test_caption_without_a_placed_partner_names_only_the_regions():
    geography = _geography(edges=[("SOR", "UH-partner")])
    assert map_caption(geography) == "fig_map_regions"
    caption = text(map_caption(geography), "nn")
    assert "partnarskapa" not in caption and "Regionane" in caption


def test_caption_names_campuses_and_partnerships_only_when_drawn():
    placed = {"UiS": (58.9, 5.7)}
    assert map_caption(_geography(placed)) == "fig_map_campuses"
    assert map_caption(_geography(placed, [("Friskolane", "UiS")])) == "fig_map_campuses"
    assert map_caption(_geography(placed, [("SOR", "UiS")])) == "fig_map"


def test_legend_leaves_out_a_region_with_no_area():
    assert regions_on_map(_geography(), ["SOR", "Friskolane"]) == ["SOR"]
