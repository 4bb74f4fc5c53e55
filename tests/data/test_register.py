"""Register, adjacency, campuses, polygons and distances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dekomopt.data import (
    haversine_km,
    load_adjacency,
    load_campuses,
    load_municipalities,
    load_polygons,
    polygons_contain,
    resolve_county,
)
from dekomopt.errors import DataError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Rogaland", ("Rogaland", 11)),
        ("rogaland", ("Rogaland", 11)),
        (11, ("Rogaland", 11)),
        ("11", ("Rogaland", 11)),
        ("46", ("Vestland", 46)),
        ("Vestland", ("Vestland", 46)),
        ("18", ("Nordland", 18)),
        ("Nordland", ("Nordland", 18)),
    ],
)
def test_resolve_county(given, expected):
    assert resolve_county(given) == expected


def test_unknown_county_names_value_and_known_counties():
    with pytest.raises(DataError, match=r"'Atlantis'.*Oslo \(03\).*Rogaland \(11\).*Finnmark"):
        resolve_county("Atlantis")


def test_register_counts_and_codes():
    frame = load_municipalities()
    assert len(frame) == 357
    assert frame["kommunenummer"].str.fullmatch(r"\d{4}").all()
    counts = {c: len(load_municipalities(c)) for c in ("Rogaland", "Vestland", "Nordland")}
    assert counts == {"Rogaland": 23, "Vestland": 43, "Nordland": 41}
    assert load_municipalities(11)["population"].sum() == 499_417  # SOURCES.md check figure
    assert frame["population"].sum() == 5_550_203  # national sum in SOURCES.md


def test_point_is_interior_point_exactly_where_centroid_outside():
    frame = load_municipalities()
    outside = frame[~frame["centroid_inside_municipality"]]
    assert len(outside) == 30  # national SOURCES.md: 30 municipalities
    assert (outside["point_basis"] == "interior_point").all()
    assert (outside["point_lat"] == outside["lat_interior"]).all()
    inside = frame[frame["centroid_inside_municipality"]]
    assert (inside["point_basis"] == "polygon_centroid").all()
    assert (inside["point_lat"] == inside["lat"]).all()
    bodo = frame.set_index("kommunenummer").loc["1804"]
    assert bodo["point_basis"] == "interior_point"


@pytest.mark.parametrize("county", ["Rogaland", "Vestland", "Nordland"])
def test_points_inside_and_centroid_flags_agree_with_polygons(county):
    polygons = load_polygons(county)
    frame = load_municipalities(county)
    assert set(polygons) == set(frame["kommunenummer"])
    for code, lat, lon, plat, plon, flag in frame[
        ["kommunenummer", "lat", "lon", "point_lat", "point_lon", "centroid_inside_municipality"]
    ].values:
        assert polygons_contain(polygons[code], plon, plat), code
        assert polygons_contain(polygons[code], lon, lat) == flag, code


def test_point_in_polygon_on_hand_made_square_with_hole():
    square = [[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]]
    hole = [(1.0, 1.0), (1.0, 3.0), (3.0, 3.0), (3.0, 1.0), (1.0, 1.0)]
    assert polygons_contain([square], 0.5, 0.5)
    assert not polygons_contain([square], 5.0, 0.5)
    assert not polygons_contain([[square[0], hole]], 2.0, 2.0)
    assert polygons_contain([[square[0], hole]], 3.5, 2.0)


def test_haversine_meridian_arc_is_radius_times_angle():
    # two degrees of latitude along one meridian: R * 2 * pi / 180
    assert haversine_km(58.0, 5.0, 60.0, 5.0) == pytest.approx(222.3901604670658, abs=1e-9)


def test_haversine_stavanger_bergen():
    # Stavanger 58.9700 N 5.7331 E, Bergen 60.3913 N 5.3221 E. Worked by hand:
    # dphi = 1.4213 deg, dlam = -0.4110 deg; h = sin^2(dphi/2) + cos(phi1)cos(phi2)sin^2(dlam/2)
    # = 1.53849e-4 + 0.51529*0.49516*1.28663e-5 = 1.57132e-4; d = 2R asin(sqrt h) = 159.716 km.
    # The spherical law of cosines gives the same distance (159.71578473506864).
    d = haversine_km(58.97, 5.7331, 60.3913, 5.3221)
    assert d == pytest.approx(159.716, abs=0.001)
    assert d == pytest.approx(159.71578473506864, abs=1e-6)


def test_haversine_is_vectorised_and_symmetric():
    lat1 = np.array([58.97, 60.3913, 67.28])
    lon1 = np.array([5.7331, 5.3221, 14.40])
    out = haversine_km(lat1[:, None], lon1[:, None], lat1[None, :], lon1[None, :])
    assert out.shape == (3, 3)
    assert np.allclose(np.diag(out), 0.0)
    assert np.allclose(out, out.T)
    assert math.isclose(haversine_km(0, 0, 0, 180), math.pi * 6371.0088)


def test_adjacency_filters():
    every = load_adjacency(kinds=("land", "point", "sea"), within_county=False)
    assert len(every) == 782  # 738 land, 12 point, 32 sea (national SOURCES.md)
    assert every["kind"].value_counts().to_dict() == {"land": 738, "sea": 32, "point": 12}
    assert (every["a"] < every["b"]).all()
    assert "point" not in set(load_adjacency(within_county=False)["kind"])
    rogaland = load_adjacency("Rogaland")
    assert (rogaland["a"].str[:2] == "11").all() and (rogaland["b"].str[:2] == "11").all()
    crossing = load_adjacency("Rogaland", within_county=False)
    assert len(crossing) > len(rogaland)
    three = load_adjacency(kinds=("land", "point", "sea"), within_county=False)
    three = three[
        three["a"].str[:2].isin(["11", "46", "18"]) & three["b"].str[:2].isin(["11", "46", "18"])
    ]
    assert len(three) == 168  # the bundled three-county file was an exact subset
    assert set(load_adjacency("Nordland", kinds=("sea",))["kind"]) == {"sea"}
    with pytest.raises(DataError, match="kind"):
        load_adjacency(kinds=("air",))


def test_campuses():
    active = load_campuses()
    every = load_campuses(active_only=False)
    assert len(every) == 16 and len(active) == 14
    assert every["partner_id"].is_unique
    assert "UiS-Ullandhaug" in set(active["partner_id"])
    assert "HVL-Foerde" in set(active["partner_id"])
    assert "Nord-Nesna" not in set(active["partner_id"])
    assert (active["kind"] == "uh").all()


def test_data_versions_are_short_sha256_of_every_bundled_file():
    import hashlib
    from importlib.resources import files

    from dekomopt.data import data_versions

    versions = data_versions()
    assert "README.md" not in versions and "municipalities.csv" in versions
    raw = files("dekomopt.data").joinpath("files", "municipalities.csv").read_bytes()
    assert versions["municipalities.csv"] == hashlib.sha256(raw).hexdigest()[:16]
    assert all(len(v) == 16 for v in versions.values())
