"""What the map needs: municipality polygons, which region each belongs to, partner campuses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from dekomopt.proposal import Proposal

Ring = list[tuple[float, float]]
"""Closed ring of ``(lon, lat)`` points."""
Polygon = list[Ring]
"""Outer ring first, then holes."""


@dataclass(frozen=True)
class Geography:
    """Map input for one county.

    ``polygons``: kommunenummer → polygons (rings of ``(lon, lat)``, as GeoJSON);
    ``owner_region``: kommunenummer → region id; ``partner_points``: partner id → ``(lat, lon)``;
    ``edges``: ``(region, partner_id)`` partnerships drawn as lines.
    """

    polygons: dict[str, list[Polygon]]
    owner_region: dict[str, str] = field(default_factory=dict)
    partner_points: dict[str, tuple[float, float]] = field(default_factory=dict)
    edges: tuple[tuple[str, str], ...] = ()


def geography_from_proposal(
    proposal: Proposal,
    polygons: dict[str, list[Polygon]],
    partner_points: dict[str, tuple[float, float]] | None = None,
) -> Geography:
    """A :class:`Geography` whose regions and partnerships are the proposal's own.

    Owners map to their ``region`` column; edges come from each partner's ``regions`` column.
    """
    owner_region = {
        str(owner_id): str(region)
        for owner_id, region in zip(
            proposal.owners["owner_id"], proposal.owners["region"], strict=True
        )
        if str(owner_id) in polygons
    }
    edges: list[tuple[str, str]] = []
    if "regions" in proposal.partners.columns:
        for partner_id, served in zip(
            proposal.partners["partner_id"], proposal.partners["regions"], strict=True
        ):
            for region in str(served).split(","):
                if region.strip():
                    edges.append((region.strip(), str(partner_id)))
    return Geography(
        polygons=polygons,
        owner_region=owner_region,
        partner_points=dict(partner_points or {}),
        edges=tuple(edges),
    )


def _ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    points = np.asarray(ring, dtype=float)
    x, y = points[:, 0], points[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y2 - x2 * y
    area = cross.sum() / 2
    if area == 0:
        return 0.0, float(x.mean()), float(y.mean())
    return (
        abs(area),
        float(((x + x2) * cross).sum() / (6 * area)),
        float(((y + y2) * cross).sum() / (6 * area)),
    )


def region_centres(geography: Geography) -> dict[str, tuple[float, float]]:
    """Region → ``(lon, lat)`` area-weighted centroid of its municipalities' outer rings."""
    sums: dict[str, list[float]] = {}
    for code, region in geography.owner_region.items():
        for polygon in geography.polygons.get(code, []):
            area, cx, cy = _ring_area_centroid(polygon[0])
            acc = sums.setdefault(region, [0.0, 0.0, 0.0])
            acc[0] += area
            acc[1] += area * cx
            acc[2] += area * cy
    return {region: (sx / a, sy / a) for region, (a, sx, sy) in sums.items() if a > 0}


def map_caption(geography: Geography) -> str:
    """The catalogue key of the map's caption, naming only what the map draws: the regions,
    then the partners' campuses (those with a place), then the partnerships (lines from a
    region with an area to a placed campus)."""
    centres = region_centres(geography)
    placed = geography.partner_points
    if any(r in centres and p in placed for r, p in geography.edges):
        return "fig_map"
    return "fig_map_campuses" if placed else "fig_map_regions"


def regions_on_map(geography: Geography, regions: list[str]) -> list[str]:
    """The ``regions`` the map draws an area for, in their order: a region of owners with no
    municipality (a private-school network) has none, so the map's legend leaves it out."""
    centres = region_centres(geography)
    return [region for region in regions if region in centres]


NEAR_KM = 5.0
"""Regions closer than this (across a border or a strait) count as neighbours on the map."""


def region_neighbours(geography: Geography, near_km: float = NEAR_KM) -> nx.Graph:
    """The regions as a graph; an edge joins two regions whose municipalities lie within
    ``near_km`` of each other (sharing a border, or facing each other across a strait)."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(set(geography.owner_region.values())))
    points, labels = [], []
    for code, region in geography.owner_region.items():
        for polygon in geography.polygons.get(code, []):
            ring = np.asarray(polygon[0], dtype=float)
            points.append(ring)
            labels.append(np.full(len(ring), region, dtype=object))
    if not points:
        return graph
    xy = np.concatenate(points)
    names = np.concatenate(labels)
    mean_lat = math.radians(float(xy[:, 1].mean()))
    km = np.column_stack([xy[:, 0] * 111.32 * math.cos(mean_lat), xy[:, 1] * 110.57])
    pairs = cKDTree(km).query_pairs(near_km, output_type="ndarray")
    for a, b in {(names[i], names[j]) for i, j in pairs if names[i] != names[j]}:
        graph.add_edge(a, b)
    return graph
