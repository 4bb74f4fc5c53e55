"""The county model on the real bundled data."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from dekomopt.allocation.keys import draws_of
from dekomopt.allocation.problem import THEMES
from dekomopt.county import allocation_problem, build_county
from dekomopt.notes import ENTRY_WORDS, Note
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


def test_partial_needs_are_said_per_region_and_theme(tmp_path):
    """R11: a region's theme is capped only when all its taking-part owners reported a need;
    where some did and others did not, a note names the region, the theme and both groups.
    A region whose owners all reported (or none did) has no note; an owner that does not
    take part is not one that failed to report."""
    scenario_path = tmp_path / "r.toml"
    text = (ROOT / "rogaland-2025.toml").read_text(encoding="utf-8")
    text = text.replace(
        'private_network_region = "Friskolane"',
        'private_network_region = "Friskolane"\nneeds = "needs.csv"\nnon_participating = ["1124"]',
    )
    scenario_path.write_text(text, encoding="utf-8")
    base = build_county(load_scenario(ROOT / "rogaland-2025.toml")).owners
    midt = [o for o in base.loc[base["region"] == "MIDT", "owner_id"] if o != "1124"]
    assert len(midt) > 2
    rows = [f"{o},special_ed,100" for o in midt]  # every taking-part MIDT owner: capped
    rows += ["1103,general,1000", "1108,general,2000", "private-network,general,5"]
    text = "owner,theme,need_nok\n" + "\n".join(rows) + "\n"
    (tmp_path / "needs.csv").write_text(text, encoding="utf-8")
    scenario = load_scenario(scenario_path)
    county = build_county(scenario)
    partial = [
        w for w in county.warnings if isinstance(w, Note) and w.message_id == "note_needs_partial"
    ]
    theme_of = {ENTRY_WORDS[t]: t for t in THEMES}  # the note's theme in words, per id
    said = {(n.fields["region"], theme_of[n.fields["theme"]]) for n in partial}
    assert said == {("MIDT", "general"), ("SØR", "general")}
    midt_note = next(n for n in partial if n.fields["region"] == "MIDT")
    assert midt_note.fields["reported"] == "Stavanger (1103)"
    missing = str(midt_note.fields["missing"])
    assert "Sola (1124)" not in missing  # not taking part
    assert missing.count("(") == len(midt) - 1
    assert "needs.csv" in str(midt_note) and "do not cap the region" in str(midt_note)
    # the note says what the LP does: no cap where it speaks, a cap where it is silent
    problem = allocation_problem(scenario, county)
    needs = draws_of(problem).needs[0]
    regions = list(problem.region_ids)
    for region, theme in said:
        assert np.isinf(needs[regions.index(region), THEMES.index(theme)])
    assert needs[regions.index("MIDT"), THEMES.index("special_ed")] == 100 * len(midt)
    assert needs[regions.index("Friskolane"), THEMES.index("general")] == 5
