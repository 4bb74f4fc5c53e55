"""Every county and Statsforvalter office as a scope: register, polygons, graph, FTEs."""

from __future__ import annotations

import networkx as nx
import pytest

from dekomopt.data import (
    counties,
    load_adjacency,
    load_municipalities,
    load_polygons,
    offices,
    report_language,
    resolve_office,
    resolve_scope,
    teacher_fte,
)
from dekomopt.errors import DataError

COUNTIES = list(counties())
OFFICES = list(offices())

# components of each scope's graph with land borders and sea links (point contacts off):
# the sea links were added per county exactly so that each county is one component
COMPONENTS = {name: 1 for name in COUNTIES + OFFICES}
# with land borders alone (islands and exclaves make the rest)
LAND_ONLY = {
    "Oslo": 1, "Rogaland": 4, "Møre og Romsdal": 9, "Nordland": 9, "Østfold": 2,
    "Akershus": 2, "Buskerud": 1, "Innlandet": 1, "Vestfold": 1, "Telemark": 1, "Agder": 1,
    "Vestland": 10, "Trøndelag": 2, "Troms": 2, "Finnmark": 1,
}  # fmt: skip


def test_national_land_graph_has_29_components():
    # national SOURCES.md: "Land edges alone give 29 components nationally"
    graph = nx.Graph()
    graph.add_nodes_from(load_municipalities()["kommunenummer"])
    edges = load_adjacency(kinds=("land",), within_county=False)
    graph.add_edges_from(zip(edges["a"], edges["b"], strict=True))
    assert nx.number_connected_components(graph) == 29


def _components(scope: str, kinds: tuple[str, ...]) -> int:
    graph = nx.Graph()
    graph.add_nodes_from(load_municipalities(scope)["kommunenummer"])
    edges = load_adjacency(scope, kinds=kinds)
    graph.add_edges_from(zip(edges["a"], edges["b"], strict=True))
    return nx.number_connected_components(graph)


def test_fifteen_counties_ten_offices_357_municipalities():
    assert len(COUNTIES) == 15 and len(OFFICES) == 10
    per_office = sum(len(load_municipalities(resolve_office(o))) for o in OFFICES)
    per_county = sum(len(load_municipalities(c)) for c in COUNTIES)
    assert per_office == per_county == 357
    assert [c for c, _ in offices()["Vestfold og Telemark"]] == ["Vestfold", "Telemark"]
    assert len(offices()["Østfold, Buskerud, Oslo og Akershus"]) == 4


@pytest.mark.parametrize("scope", COUNTIES + OFFICES)
def test_each_scope_is_one_component_with_its_links(scope):
    assert _components(scope, ("land", "sea")) == COMPONENTS[scope]


@pytest.mark.parametrize("county", COUNTIES)
def test_land_borders_alone_leave_islands_apart(county):
    assert _components(county, ("land",)) == LAND_ONLY[county]


@pytest.mark.parametrize("scope", COUNTIES + OFFICES)
def test_polygons_cover_exactly_the_scope(scope):
    assert set(load_polygons(scope)) == set(load_municipalities(scope)["kommunenummer"])


@pytest.mark.parametrize(
    ("given", "kind", "name"),
    [
        ("agder", "county", "Agder"),
        ("42", "county", "Agder"),
        (3, "county", "Oslo"),
        ("Vestfold og Telemark", "office", "Vestfold og Telemark"),
        ("Statsforvalteren i Troms og Finnmark", "office", "Troms og Finnmark"),
        ("statsforvaltaren i vestland", "office", "Vestland"),
    ],
)
def test_resolve_scope(given, kind, name):
    scope = resolve_scope(given)
    assert (scope.kind, scope.name) == (kind, name)


def test_unknown_scope_names_counties_and_offices():
    with pytest.raises(DataError, match=r"'Atlantis'.*Agder \(42\).*Troms og Finnmark"):
        resolve_scope("Atlantis")


def test_report_language_follows_the_register():
    assert report_language("Vestland") == "nn"
    assert report_language("Oslo") == "nb"
    assert report_language("Agder") == "nb"


@pytest.mark.parametrize("county", COUNTIES)
def test_every_county_has_positive_ftes_and_flags_imputation(county):
    table = teacher_fte(county, exclude_private=True).table
    assert (table["teacher_fte"] > 0).all()
    bundled = county in ("Rogaland", "Vestland", "Nordland")
    if not bundled:
        assert table["imputed"].all()
        assert table["method"].map(str).str.startswith("imputed:").all()


def test_imputation_reproduces_the_county_total_where_no_municipality_is_shared():
    # Finnmark's 2024 municipalities all come from pre-2020 Finnmark and nothing else:
    # the imputed values add up to the 2019-20 all-owner total 1 165.5
    table = teacher_fte("Finnmark", exclude_private=False).table
    assert table["teacher_fte"].sum() == pytest.approx(1165.5, abs=1e-6)
