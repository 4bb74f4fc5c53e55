"""Every county and Statsforvalter office: init, validate and propose run as written; the
totals are exact to the krone and every scope's graph is one component with its links."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from dekomopt.cli import main
from dekomopt.county import build_county
from dekomopt.data import counties, offices, resolve_office
from dekomopt.proposal import propose
from dekomopt.scenario import load_scenario

SCOPES = list(counties()) + [f"office:{resolve_office(o).office}" for o in offices()]


def _init(tmp_path, scope: str):
    name = scope.removeprefix("office:")
    out = tmp_path / "starter.toml"
    assert main(["init", name, "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("scope", SCOPES)
def test_init_validates_and_proposes_exact_to_the_krone(tmp_path, capsys, scope):
    path = _init(tmp_path, scope)
    text = path.read_text(encoding="utf-8")
    assert ("office = " in text) == scope.startswith("office:")
    assert "ILLUSTRATIVE" in text and "CHOICE" in text
    assert main(["validate", str(path)]) == 0
    loaded = load_scenario(path)
    county = build_county(loaded)
    regions = (tmp_path / "starter-regions.csv").read_text(encoding="utf-8").splitlines()
    assert len(regions) - 1 == len(county.owners)  # every municipality listed once
    # the suggested regions are contiguous on the scope's land + sea graph
    graph = county.adjacency_graph(("land", "sea"))
    assert nx.number_connected_components(graph) == 1
    for members in county.region_members().values():
        assert nx.is_connected(graph.subgraph(members))
    proposal = propose(loaded, county=county)
    assert int(proposal.allocation["amount_nok"].sum()) == proposal.budget_nok == 10_000_000
    assert int(proposal.regions["amount_nok"].sum()) == proposal.budget_nok
    imputed = county.owners["fte_imputed"].any()
    assert imputed == any("IMPUTED" in str(c) for c in proposal.caveats)
    capsys.readouterr()


@pytest.mark.parametrize("scope", ["office:Statsforvalteren i Troms og Finnmark", "Agder"])
def test_report_of_a_scope_draws_its_map(tmp_path, capsys, scope):
    path = _init(tmp_path, scope)
    out = tmp_path / "out"
    assert main(["report", str(path), "--out", str(out)]) == 0
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "<svg" in html or "<img" in html
    provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["input_files"][0]["path"] == "starter-regions.csv"
    capsys.readouterr()
