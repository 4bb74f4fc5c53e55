"""The region-list check against the 2024 register."""

from __future__ import annotations

import pytest

from dekomopt.data import (
    check_region_list,
    parse_source_region_list,
    region_list_from_csv,
    rogaland_source_structure,
)
from dekomopt.errors import DataError


def test_real_rogaland_list_findings_exactly():
    result = rogaland_source_structure()
    summary = [(f.kind, f.region, f.text, f.kommunenummer, f.severity) for f in result.findings]
    assert summary == [
        ("duplicate", "NORD", "Karmøy", ("1149",), "warning"),
        ("cleaned", "SØR", "sandnes,,", ("1108",), "warning"),
        ("split_entry", "SØR", "Time. Hå.", ("1121", "1119"), "warning"),
        ("dissolved", "SØR", "Forsand", ("1108", "1130"), "warning"),
        ("unassigned", None, "Gjesdal", ("1122",), "warning"),
        ("unassigned", None, "Kvitsøy", ("1144",), "warning"),
        ("unassigned", None, "Bokn", ("1145",), "warning"),
    ]
    dissolved = result.of_kind("dissolved")[0]
    message = str(dissolved.message)
    assert "0,865" in message and "0,135" in message  # the package's number format
    assert "adds no new municipality" in message
    assert all("\n" not in str(f.message) for f in result.findings)


def test_real_rogaland_membership():
    result = rogaland_source_structure()
    assert result.county == "Rogaland"
    assert dict(result.regions) == {
        "NORD": ("1106", "1146", "1149", "1135", "1134", "1160", "1151"),
        "MIDT": ("1103", "1124", "1127", "1130", "1133"),
        "SØR": ("1108", "1120", "1121", "1119", "1101", "1112", "1114", "1111"),
    }
    listed = [c for codes in result.regions.values() for c in codes]
    assert len(listed) == len(set(listed)) == 20  # 23 minus Gjesdal, Kvitsøy, Bokn


def test_parse_keeps_entries_as_printed():
    text = "• Region SØR med kommunane sandnes,, Forsand, Time. Hå. Eigersund og Sokndal."
    assert parse_source_region_list(text) == {
        "SØR": ["sandnes,,", "Forsand", "Time. Hå. Eigersund", "Sokndal"]
    }
    with pytest.raises(DataError, match="no line"):
        parse_source_region_list("nothing here")


def test_strict_mode_lists_every_problem_one_line_each():
    with pytest.raises(DataError) as info:
        rogaland_source_structure(strict=True)
    lines = str(info.value).splitlines()[1:]
    assert len(lines) == 7
    assert all(line.startswith("seed_000_rogaland_regions.txt: ") for line in lines)
    assert "region NORD: duplicate: Karmøy" in lines[0]
    assert "region SØR: cleaned: 'sandnes,,'" in lines[1]
    assert "county Rogaland: unassigned: Bokn (1145)" in lines[6]


def test_unknown_name_is_an_error_with_closest_names():
    regions = {"A": ["Stavanger", "Gjesdahl"], "B": ["Sola"]}
    with pytest.raises(DataError) as info:
        check_region_list(regions, source="mine.csv")
    assert (
        "mine.csv: region A: unknown: unknown municipality 'Gjesdahl' in region A; "
        "closest register names: Gjesdal, Suldal, Sokndal"
    ) in str(info.value)


def test_municipality_in_two_regions_is_an_error():
    with pytest.raises(DataError, match=r"Sola \(1124\) listed in regions A and B"):
        check_region_list({"A": ["Sola"], "B": ["Sola"]}, county=11)


def test_dissolved_successor_not_listed_joins_the_region():
    result = check_region_list({"A": ["Forsand", "Sandnes"]}, county="Rogaland")
    assert result.regions["A"] == ("1108", "1130")
    assert "adds Strand to region A" in str(result.of_kind("dissolved")[0].message)


def test_clean_list_has_only_unassigned_findings_and_county_is_inferred():
    result = check_region_list({"X": ["Bergen", "Askøy"]})
    assert result.county == "Vestland"
    assert {f.kind for f in result.findings} == {"unassigned"}
    assert len(result.findings) == 41


def test_csv_form_of_rogaland():
    regions = region_list_from_csv("Rogaland")
    assert regions["SØR"].count("Time. Hå.") == 1
    result = check_region_list(regions, source="competence_regions.csv")
    kinds = [f.kind for f in result.findings]
    assert kinds == [
        "cleaned",
        "split_entry",
        "dissolved",
        "unassigned",
        "unassigned",
        "unassigned",
    ]
