"""Municipality polygons (plain JSON, no GIS dependency) and great-circle distances."""

from __future__ import annotations

import json

import numpy as np
import numpy.typing as npt

from dekomopt.data.register import Scope, resolve_scope
from dekomopt.data.tables import data_file
from dekomopt.errors import DataError

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG arithmetic mean radius R1), used by :func:`haversine_km`."""

GEOJSON = "municipalities_2024.geojson"

Ring = list[tuple[float, float]]
Polygon = list[Ring]


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> np.ndarray:
    """Great-circle distance in km on a sphere of radius 6371.0088 km; numpy broadcasting."""
    phi1, lam1, phi2, lam2 = (
        np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2)
    )
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    )
    # rounding can push h a hair above 1 for antipodal points
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def load_polygons(county: str | int | Scope) -> dict[str, list[Polygon]]:
    """``kommunenummer`` → list of polygons, each a list of rings of ``(lon, lat)``.

    ``county`` is a county (name or number) or a Statsforvalter office (short or full name):
    the polygons of every municipality in it. The first ring of a polygon is its outer
    boundary, the others are holes (RFC 7946).
    """
    scope = county if isinstance(county, Scope) else resolve_scope(county)
    numbers = set(scope.numbers)
    with data_file(GEOJSON).open("r", encoding="utf-8") as handle:
        document = json.load(handle)
    result: dict[str, list[Polygon]] = {}
    for i, feature in enumerate(document.get("features", [])):
        try:
            code = feature["properties"]["kommunenummer"]
            geometry = feature["geometry"]
            kind, coordinates = geometry["type"], geometry["coordinates"]
        except (KeyError, TypeError):
            raise DataError(GEOJSON, f"features[{i}]", "needs properties and geometry") from None
        if int(code[:2]) not in numbers:
            continue
        if kind == "Polygon":
            coordinates = [coordinates]
        elif kind != "MultiPolygon":
            raise DataError(GEOJSON, f"features[{i}].geometry.type", f"unsupported {kind!r}")
        result[code] = [
            [[(float(x), float(y)) for x, y, *_ in ring] for ring in polygon]
            for polygon in coordinates
        ]
    if not result:
        raise DataError(GEOJSON, "features", f"no municipality of {scope.label}")
    return result


def _ring_contains(ring: Ring, lon: float, lat: float) -> bool:
    xs = np.array([p[0] for p in ring])
    ys = np.array([p[1] for p in ring])
    x2, y2 = np.roll(xs, -1), np.roll(ys, -1)
    crosses = (ys > lat) != (y2 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = xs + (lat - ys) * (x2 - xs) / (y2 - ys)
    return bool(np.count_nonzero(crosses & (lon < x_at)) % 2)


def polygons_contain(polygons: list[Polygon], lon: float, lat: float) -> bool:
    """Whether ``(lon, lat)`` lies inside one of ``polygons`` (outside its holes); ray casting."""
    for polygon in polygons:
        if _ring_contains(polygon[0], lon, lat) and not any(
            _ring_contains(hole, lon, lat) for hole in polygon[1:]
        ):
            return True
    return False
