"""No legend of a structures map covers a municipality, for wide and narrow scopes alike."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Polygon

from dekomopt.data import load_polygons
from dekomopt.structures.figures import MapPanel, draw_structure_maps, map_frame

SCOPES = ("Troms og Finnmark", "Nordland", "Vestland", "Innlandet", "Rogaland", "Agder")
TWO_PANELS = ("Innlandet", "Agder")
"""Scopes drawn with today's map and one alternative (one row), the others with four panels."""


def _groups(order: np.ndarray, k: int) -> np.ndarray:
    """Labels 0..k-1 cutting ``order`` (a ranking of the nodes) into k runs."""
    labels = np.empty(len(order), dtype=int)
    labels[np.argsort(order, kind="stable")] = np.arange(len(order)) * k // len(order)
    return labels


@pytest.fixture(scope="module", params=SCOPES)
def drawn(request):
    polygons = load_polygons(request.param)
    nodes = sorted(polygons)
    centre = np.array([np.asarray(polygons[n][0][0], dtype=float).mean(axis=0) for n in nodes])
    today = _groups(centre[:, 0], 8)
    others = ((1, 6),) if request.param in TWO_PANELS else ((1, 6), (0, 9), (1, 10))
    panels = [MapPanel("today", today)] + [
        MapPanel(f"alternative {k}\nfound by search", _groups(centre[:, axis], k))
        for axis, k in others
    ]
    fig = draw_structure_maps(
        polygons,
        nodes,
        panels,
        [f"Region number {r} (many municipalities)" for r in range(8)],
        np.ones(len(nodes)),
        {n: f"Municipality {n}" for n in nodes},
        lang="en",
    )
    yield request.param, fig
    plt.close(fig)


def test_no_legend_covers_a_municipality(drawn):
    """Every legend's box, as drawn, overlaps no municipality's box in any panel, no title
    and no other legend, and lies inside the figure."""
    scope, fig = drawn
    renderer = fig.canvas.get_renderer()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert len(legends) == (2 if scope in TWO_PANELS else 4)
    shapes = [
        p.get_window_extent(renderer)
        for ax in fig.axes
        for p in ax.patches
        if isinstance(p, Polygon)
    ]
    titles = [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_title()]
    assert len(shapes) > 4 * 20
    boxes = [legend.get_window_extent(renderer) for legend in legends]
    for i, box in enumerate(boxes):
        assert fig.bbox.containsx(box.x0) and fig.bbox.containsx(box.x1), scope
        assert fig.bbox.containsy(box.y0) and fig.bbox.containsy(box.y1), scope
        covered = [s for s in shapes + titles if box.overlaps(s)]
        assert not covered, f"{scope}: legend {i} covers {len(covered)} shapes"
        assert not any(box.overlaps(other) for other in boxes[i + 1 :]), scope


def test_maps_keep_their_shape_and_panels_do_not_overlap(drawn):
    """Each map is drawn with latitude scaled by 1 / cos(mean latitude), the scope's own
    height over width, every municipality inside it; no panel's map or title overlaps
    another's."""
    scope, fig = drawn
    polygons = load_polygons(scope)
    frame = map_frame(polygons, sorted(polygons))
    boxes = []
    for ax in fig.axes:
        box = ax.get_window_extent()
        assert box.height / box.width == pytest.approx(frame.height / frame.width, rel=0.01)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        assert (y1 - y0) * frame.aspect / (x1 - x0) == pytest.approx(box.height / box.width)
        assert x0 <= frame.x[0] and frame.x[1] <= x1 and y0 <= frame.y[0] and frame.y[1] <= y1
        boxes += [box, ax.title.get_window_extent()]
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 2 - i % 2 :]), scope


def test_every_region_of_a_panel_has_its_own_colour():
    """Vestland's 13 regions (and an alternative with 15) each get a colour no other region of
    the panel has, in the map and in the legend."""
    polygons = load_polygons("Vestland")
    nodes = sorted(polygons)
    centre = np.array([np.asarray(polygons[n][0][0], dtype=float).mean(axis=0) for n in nodes])
    panels = [
        MapPanel("today", _groups(centre[:, 1], 13)),
        MapPanel("more", _groups(centre[:, 0], 15)),
    ]
    fig = draw_structure_maps(
        polygons,
        nodes,
        panels,
        [f"R{r}" for r in range(13)],
        np.ones(len(nodes)),
        {n: n for n in nodes},
        lang="en",
    )
    try:
        for ax, panel in zip(fig.axes, panels, strict=False):
            handles = ax.get_legend().legend_handles
            colours = {tuple(h.get_facecolor()) for h in handles}
            assert len(handles) == len(colours) == int(panel.labels.max()) + 1
            filled = {tuple(p.get_facecolor()) for p in ax.patches if isinstance(p, Polygon)}
            assert filled == colours
    finally:
        plt.close(fig)
