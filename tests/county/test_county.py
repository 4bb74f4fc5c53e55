"""The county model on the real bundled data."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from dekomopt.county import build_county
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module", params=["rogaland-2025", "vestland-2026", "nordland-2026"])
def county(request):
    return build_county(load_scenario(ROOT / f"{request.param}.toml"))


def test_adjacency_connected_only_with_sea_links(county):
    assert nx.is_connected(county.adjacency_graph(("land", "sea")))
    land = county.adjacency_graph(("land",))
    # islands (Kvitsøy, Utsira, Bømlo, Værøy …) reach the rest only over sea links
    assert not nx.is_connected(land)


def test_every_partnership_edge_has_positive_distance(county):
    edges = [d for _, _, d in county.graph.edges(data=True) if d["kind"] == "partnership"]
    assert edges and all(d["km"] > 0 for d in edges)
    assert len(edges) == len(county.edges)


def test_graph_holds_membership_for_every_owner(county):
    g = county.graph
    for owner, region in zip(county.owners["owner_id"], county.owners["region"], strict=True):
        assert g.edges[("owner", owner), ("region", region)]["kind"] == "membership"
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"owner", "region", "partner"}


def test_owner_points_are_finite_for_municipalities(county):
    municipal = county.owners[county.owners["owner_kind"] == "municipality"]
    assert np.isfinite(municipal[["lat", "lon"]].to_numpy()).all()


def test_rogaland_regions_and_distances():
    county = build_county(load_scenario(ROOT / "rogaland-2025.toml"))
    members = county.region_members()
    assert set(members["NORD"]) == {"1106", "1146", "1149", "1135", "1134", "1160", "1151", "1145"}
    assert "1122" in members["SØR"] and "1144" in members["MIDT"]
    assert members["Friskolane"] == ("private-network",)
    assert county.n_imputed == 0
    edges = county.edges.set_index(["region", "partner_id"])["km"]
    # Haugesund campus is in NORD: it must be nearer to NORD than UiS in Stavanger
    assert edges["NORD", "HVL-Haugesund"] < edges["NORD", "UiS-Ullandhaug"]
    assert 10 < edges["MIDT", "UiS-Ullandhaug"] < 40


def test_nordland_imputed_values_are_flagged():
    county = build_county(load_scenario(ROOT / "nordland-2026.toml"))
    imputed = county.owners[county.owners["fte_imputed"]]
    assert len(imputed) == 20
    assert imputed["fte_method"].map(str).str.contains("ratio").all()
