"""Every county and Statsforvalter office: init, validate and propose run as written; the
totals are exact to the krone and every scope's graph is one component with its links."""

from __future__ import annotations

import json
import re

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


def _check_balance(printed: str, region_fte: dict[str, float]) -> list[str]:
    """The regions ``init`` says are off its band; every other region is inside the band it
    prints, or is printed as built around a municipality above it."""
    if len(region_fte) == 1:
        assert "one region" in printed
        return []
    band = re.search(r"within ±(\d+) % of the target ([\d.]+) \(([\d.]+)–([\d.]+)\)", printed)
    assert band, printed
    low, high = float(band.group(3)), float(band.group(4))
    around = set(re.findall(r"^  (.+?): [\d.]+ FTE, around ", printed, re.M))
    outside = re.findall(r"^  (.+?): [\d.]+ FTE, outside the band", printed, re.M)
    for region, fte in region_fte.items():
        inside = low - 0.05 <= fte <= high + 0.05
        assert inside or region in around or region in outside, (region, fte, printed)
        assert not (inside and region in outside)
    return outside


@pytest.mark.parametrize("scope", SCOPES)
def test_init_validates_and_proposes_exact_to_the_krone(tmp_path, capsys, scope):
    path = _init(tmp_path, scope)
    printed = capsys.readouterr().out
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
    # balanced: every region inside the printed band, or said not to be (at most one)
    region_fte = county.owners.groupby("region")["teacher_fte"].sum().to_dict()
    assert len(_check_balance(printed, region_fte)) <= 1
    proposal = propose(loaded, county=county)
    assert int(proposal.allocation["amount_nok"].sum()) == proposal.budget_nok == 10_000_000
    assert int(proposal.regions["amount_nok"].sum()) == proposal.budget_nok
    imputed = county.owners["fte_imputed"].any()
    counted = re.compile(r"\b\d+ of \d+\b.*\bimputed\b", re.I)
    assert imputed == any(counted.search(str(c)) for c in proposal.caveats)
    capsys.readouterr()


@pytest.mark.parametrize("scope", ["Troms og Finnmark", "Troms", "Trøndelag"])
def test_init_regions_are_comparable_beside_a_city_that_stands_alone(tmp_path, capsys, scope):
    """No small region next to many-times larger ones: apart from a region around a
    municipality too large to share (Tromsø, Trondheim), the smallest suggested region holds
    at least 60 % of the largest's teacher FTE (what a ±25 % band allows), and a second run
    writes the same table."""
    path = _init(tmp_path, scope)
    printed = capsys.readouterr().out
    table = (tmp_path / "starter-regions.csv").read_bytes()
    county = build_county(load_scenario(path))
    region_fte = county.owners.groupby("region")["teacher_fte"].sum()
    assert _check_balance(printed, region_fte.to_dict()) == []
    around = set(re.findall(r"^  (.+?): [\d.]+ FTE, around ", printed, re.M))
    assert len(around) == 1
    others = region_fte.drop(list(around))
    assert others.min() >= 0.6 * others.max(), region_fte
    assert region_fte[list(around)].iloc[0] > others.max()
    (tmp_path / "again").mkdir()
    _init(tmp_path / "again", scope)
    assert (tmp_path / "again" / "starter-regions.csv").read_bytes() == table


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
