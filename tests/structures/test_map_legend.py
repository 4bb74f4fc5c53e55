"""No legend of a structures map covers a municipality, for wide and narrow scopes alike."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Polygon

from dekomopt.data import load_polygons
from dekomopt.structures.figures import MapPanel, draw_structure_maps, map_aspect

SCOPES = ("Troms og Finnmark", "Nordland", "Vestland", "Innlandet", "Rogaland", "Agder")


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
    panels = [MapPanel("today", today)] + [
        MapPanel(f"alternative {k}", _groups(centre[:, axis], k))
        for axis, k in ((1, 6), (0, 9), (1, 10))
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
    assert len(legends) == 4
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


def test_maps_keep_their_shape(drawn):
    """Each map is drawn with latitude scaled by 1 / cos(mean latitude): its panel's height
    over width is the scope's own."""
    scope, fig = drawn
    polygons = load_polygons(scope)
    _, shape = map_aspect(polygons, sorted(polygons))
    ax = fig.axes[0]
    box = ax.get_window_extent()
    assert box.height / box.width == pytest.approx(shape, rel=0.02)


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
