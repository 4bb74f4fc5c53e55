"""Malformed scenarios and the files they name: one clear line naming file and field, exit 2."""

from __future__ import annotations

import pytest

from dekomopt.cli import main
from dekomopt.county import allocation_problem, build_county
from dekomopt.errors import ScenarioError
from dekomopt.scenario import load_scenario


def _load_all(path):
    scenario = load_scenario(path)
    return allocation_problem(scenario, build_county(scenario))


def _sub(old: str, new: str):
    def mutate(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return mutate


def _structure_csv(content: str | None):
    def mutate(text: str) -> str:
        start = text.index("regions = {")
        end = text.index("\n", start)
        return text[:start] + 'csv = "regions.csv"' + text[end:]

    return mutate if content is None else (mutate, content)


def _add(table: str, line: str):
    return _sub(f"[{table}]\n", f"[{table}]\n{line}\n")


CASES = [
    # (id, mutation, extra files, expected field text, expected words in message)
    (
        "wrong type budget",
        _sub("total_nok = 1_000_000", 'total_nok = "lots"'),
        {},
        "budget.total_nok",
        "integer",
    ),
    (
        "float budget",
        _sub("total_nok = 1_000_000", "total_nok = 1000000.5"),
        {},
        "budget.total_nok",
        "integer",
    ),
    (
        "negative budget",
        _sub("total_nok = 1_000_000", "total_nok = -5"),
        {},
        "budget.total_nok",
        "greater than 0",
    ),
    ("unknown key", _add("rules", "uh_shar_min = 0.4"), {}, "rules.uh_shar_min", "unknown key"),
    ("unknown table", lambda t: t + "\n[rulez]\nx = 1\n", {}, "rulez", "unknown key"),
    (
        "share above 1",
        _sub("uh_share_min = 0.5", "uh_share_min = 1.5"),
        {},
        "rules.uh_share_min",
        "less than or equal to 1",
    ),
    (
        "share below 0",
        _sub("cofinancing_share = 0.3", "cofinancing_share = -0.1"),
        {},
        "rules.cofinancing_share",
        "greater than or equal to 0",
    ),
    (
        "share as string",
        _sub("uh_share_min = 0.5", 'uh_share_min = "50%"'),
        {},
        "rules.uh_share_min",
        "number",
    ),
    (
        "set-asides over 1",
        _add("budget", 'set_asides = [{name = "a", share = 0.7}, {name = "b", share = 0.6}]'),
        {},
        "budget",
        "more than 1",
    ),
    (
        "set-aside both",
        _add("budget", 'set_asides = [{name = "a", share = 0.1, amount_nok = 5}]'),
        {},
        "budget.set_asides.0",
        "exactly one",
    ),
    (
        "set-aside name empty in one language",
        _add("budget", 'set_asides = [{name = {nb = "a", nn = " "}, share = 0.1}]'),
        {},
        "budget.set_asides.0",
        "non-empty name",
    ),
    (
        "key weights sum",
        _add("rules", "key_weights = { fte = 0.7, distance = 0.7 }"),
        {},
        "rules.key_weights",
        "add to",
    ),
    ("missing key", _sub('regime = "dekom"\n', ""), {}, "scenario.regime", "required"),
    (
        "bad regime",
        _sub('regime = "dekom"', 'regime = "dekom-2030"'),
        {},
        "scenario.regime",
        "dekom",
    ),
    (
        "kindergarten in dekom",
        _add("rules", "kindergarten_share = 0.3"),
        {},
        "kindergarten_share",
        "school only",
    ),
    (
        "2026 without kindergarten",
        _sub('regime = "dekom"', 'regime = "kollektiv-2026"'),
        {},
        "kindergarten_share",
        "required",
    ),
    (
        "unknown county",
        _sub('county = "Rogaland"', 'county = "Atlantis"'),
        {},
        "scenario.county",
        "Atlantis",
    ),
    (
        "unknown municipality",
        _sub('"1106", "1146"', '"1106", "9999"'),
        {},
        "structure region NORD",
        "9999",
    ),
    (
        "municipality of other county",
        _sub('"1106", "1146"', '"1106", "4601"'),
        {},
        "structure region NORD",
        "4601",
    ),
    (
        "malformed kommunenummer",
        _sub('"1106", "1146"', '"1106", "11x6"'),
        {},
        "structure.regions.NORD",
        "pattern",
    ),
    (
        "duplicate membership",
        _sub('MIDT = ["1103"', 'MIDT = ["1106", "1103"'),
        {},
        "structure region MIDT",
        "both NORD and MIDT",
    ),
    ("empty region", _sub("MIDT = [", "EMPTY = [], MIDT = ["), {}, "structure", "empty"),
    ("unassigned municipality", _sub(', "1122"]', "]"), {}, "structure", "1122 Gjesdal"),
    (
        "two structure sources",
        _add("structure", 'csv = "regions.csv"'),
        {},
        "structure",
        "exactly one",
    ),
    (
        "unknown partner",
        _sub('"HVL-Haugesund"]', '"HVL-Haugsund"]'),
        {},
        "partners.eligible[1]",
        "unknown partner",
    ),
    (
        "capacity of non-eligible",
        _add("partners", 'capacity_nok = { "UiB-Nygaardshoeyden" = 1.0 }'),
        {},
        "partners.capacity_nok.UiB-Nygaardshoeyden",
        "not an eligible",
    ),
    (
        "non-participant unknown",
        _add("owners", 'non_participating = ["Oslo"]'),
        {},
        "owners.non_participating[0]",
        "no owner",
    ),
    (
        "rounding unit zero",
        _add("rules", "rounding_unit_nok = 0"),
        {},
        "rules.rounding_unit_nok",
        "greater than or equal to 1",
    ),
    (
        "stability above 1",
        _add("rules", "stability_max_change = 2.0"),
        {},
        "rules.stability_max_change",
        "less than or equal to 1",
    ),
    ("bad scope", _add("rules", 'uh_scope = "country"'), {}, "rules.uh_scope", "county"),
    (
        "boolean as string",
        _sub("private_network = true", 'private_network = "yes"'),
        {},
        "owners.private_network",
        "boolean",
    ),
    ("structure csv missing", _structure_csv(None), {}, "structure.csv", "file not found"),
    (
        "structure csv bad header",
        _structure_csv("kommune,region\n1106,NORD\n"),
        {},
        "header",
        "missing column 'kommunenummer'; expected kommunenummer, region",
    ),
    (
        "structure csv twice",
        _structure_csv("kommunenummer,region\n1106,NORD\n1106,MIDT\n"),
        {},
        "row 3",
        "kommunenummer 1106 is also on row 2, which gives a different region 'MIDT' here, "
        "'NORD' there",
    ),
    (
        "needs file missing",
        _add("owners", 'needs = "needs.csv"'),
        {},
        "owners.needs",
        "file not found",
    ),
    (
        "needs bad header",
        _add("owners", 'needs = "needs.csv"'),
        {"needs.csv": "owner,topic,need_nok\n1106,general,5\n"},
        "header",
        "missing column 'theme'; expected owner, theme, need_nok",
    ),
    (
        "needs negative",
        _add("owners", 'needs = "needs.csv"'),
        {"needs.csv": "owner,theme,need_nok\n1106,general,-5\n"},
        "row 2, column need_nok",
        "≥ 0",
    ),
    (
        "needs not a number",
        _add("owners", 'needs = "needs.csv"'),
        {"needs.csv": "owner,theme,need_nok\n1106,general,many\n"},
        "row 2, column need_nok",
        "not a number",
    ),
    (
        "needs unknown theme",
        _add("owners", 'needs = "needs.csv"'),
        {"needs.csv": "owner,theme,need_nok\n1106,maths,5\n"},
        "column theme",
        "unknown theme 'maths'",
    ),
    (
        "needs unknown owner",
        _add("owners", 'needs = "needs.csv"'),
        {"needs.csv": "owner,theme,need_nok\n0301,general,5\n"},
        "column owner",
        "0301",
    ),
    (
        "needs not utf-8",
        _add("owners", 'needs = "needs.csv"'),
        {"needs.csv": "owner,theme,need_nok\n1106,général,5\n".encode("latin-1")},
        "byte",
        "not UTF-8",
    ),
    (
        "needs ragged row",
        _add("owners", 'needs = "needs.csv"'),
        {"needs.csv": "owner,theme,need_nok\n1106,general\n"},
        "row 2",
        "2 fields",
    ),
    (
        "cofinancing empty",
        _add("owners", 'cofinancing_capacity = "cap.csv"'),
        {"cap.csv": "owner,capacity_nok\n"},
        "owners.cofinancing_capacity",
        "no data rows",
    ),
    (
        "previous unknown region",
        _add("budget", 'previous = "prev.csv"'),
        {"prev.csv": "region,amount_nok\nNORD,1\nMIDT,1\nSOR,1\nWEST,1\nFriskolane,1\n"},
        "column region",
        "WEST",
    ),
    (
        "previous missing region",
        _add("budget", 'previous = "prev.csv"'),
        {"prev.csv": "region,amount_nok\nNORD,1\n"},
        "column region",
        "no amount",
    ),
    (
        "previous total without file",
        _add("budget", "previous_total_nok = 5"),
        {},
        "budget",
        "previous",
    ),
    (
        "fte csv bad header",
        _add("owners", 'fte_source = "fte.csv"'),
        {"fte.csv": "kommune,fte\n1106,3\n"},
        "header",
        "",
    ),
    (
        "fte csv negative",
        _add("owners", 'fte_source = "fte.csv"'),
        {"fte.csv": "kommunenummer,teacher_fte\n1106,-3\n"},
        "teacher_fte",
        "",
    ),
    (
        "special challenge unknown region",
        _add("rules", "special_challenges = { WEST = 1.0 }"),
        {},
        "rules.special_challenges.WEST",
        "unknown region",
    ),
    (
        "edge to unknown region",
        _sub(
            'edges = "nearest"',
            'edges = { WEST = ["UiS-Ullandhaug"], NORD = ["UiS-Ullandhaug"],'
            ' MIDT = ["UiS-Ullandhaug"], SOR = ["UiS-Ullandhaug"],'
            ' Friskolane = ["UiS-Ullandhaug"] }',
        ),
        {},
        "partners.edges.WEST",
        "unknown region",
    ),
    (
        "region without partner",
        _sub('edges = "nearest"', 'edges = { NORD = ["UiS-Ullandhaug"] }'),
        {},
        "partners.edges",
        "has no partner",
    ),
    (
        "year out of range",
        _sub("year = 2025", "year = 1990"),
        {},
        "scenario.year",
        "greater than or equal to 2017",
    ),
]


def _normalise(case):
    name, mutate, files, field, words = case
    if isinstance(mutate, tuple):
        mutate, content = mutate
        files = {**files, "regions.csv": content}
    return pytest.param(mutate, files, field, words, id=name)


@pytest.mark.parametrize(("mutate", "files", "field", "words"), [_normalise(c) for c in CASES])
def test_bad_scenario_is_one_line_naming_file_and_field(
    write, base_text, capsys, mutate, files, field, words
):
    path = write(mutate(base_text), files)
    with pytest.raises(ScenarioError) as info:
        _load_all(path)
    first = info.value.lines()[0]
    assert field in first
    assert words in first
    assert "\n" not in first
    assert info.value.source.endswith((".toml", ".csv"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Traceback" not in err
    assert field in err.splitlines()[0]


def test_base_scenario_is_valid(write, base_text):
    problem = _load_all(write(base_text))
    assert problem.budget_nok == 1_000_000
    assert problem.n_owners == 24


def test_missing_file_and_directory(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: file not found" in capsys.readouterr().err
    assert main(["validate", str(tmp_path)]) == 2
    assert "directory" in capsys.readouterr().err


def test_not_utf8_and_not_toml(write, tmp_path, capsys):
    bad = tmp_path / "latin.toml"
    bad.write_bytes('[scenario]\nname = "Bømlo"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[scenario\nname = 1\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.toml" in err and "not valid TOML" in err


def test_several_problems_one_line_each(write, base_text):
    text = base_text.replace("uh_share_min = 0.5", "uh_share_min = 2").replace(
        "total_nok = 1_000_000", "total_nok = -1"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(text))
    lines = info.value.lines()
    assert len(lines) == 2
    assert any("budget.total_nok" in line for line in lines)
    assert any("rules.uh_share_min" in line for line in lines)
