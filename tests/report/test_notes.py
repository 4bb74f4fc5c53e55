"""The data layer's notes: every message in the catalogue, every note kind read in nb and nn.

The notes are collected from real scopes: the bundled scenarios, ``dekomopt init`` starters
whose figures are imputed, a planner's own files, the bundled teacher FTEs of every county
and the region-list check.
"""

from __future__ import annotations

import ast
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dekomopt import data
from dekomopt.cli import main
from dekomopt.county import build_county
from dekomopt.county.national import split_national
from dekomopt.data.regionlist import check_region_list
from dekomopt.notes import NOTE_MESSAGES, Dialect, Joined, Note, note
from dekomopt.proposal import propose, write_proposal
from dekomopt.report.catalogue import LANGUAGES, MESSAGES
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "dekomopt"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


def _fields(template: str) -> set[tuple[str, str]]:
    """A template's fields with their format specs."""
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name}


def _ids_made_in_source() -> set[str]:
    """Every message id a note is made with in the package (``note("…")``/``Note("…")``,
    either id of a conditional)."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("note", "Note")
                and node.args
            ):
                found |= {
                    c.value
                    for c in ast.walk(node.args[0])
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                }
    return found


def test_every_note_message_is_in_the_catalogue_in_three_languages_with_the_same_fields():
    made = _ids_made_in_source()
    assert len(made) > 40
    dialect_parts = {i for i in NOTE_MESSAGES if i.startswith("dialect_")}
    assert made | dialect_parts == set(NOTE_MESSAGES)  # every message is used, none unknown
    for message_id in made | dialect_parts:
        languages = MESSAGES[message_id]
        assert set(languages) == set(LANGUAGES), message_id
        shapes = {lang: _fields(languages[lang]) for lang in LANGUAGES}
        assert shapes["nb"] == shapes["nn"] == shapes["en"], message_id


def test_no_report_message_shares_an_id_with_a_note():
    tree = ast.parse((SRC / "report" / "catalogue.py").read_text(encoding="utf-8"))
    literal = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "MESSAGES"
    )
    assert isinstance(literal, ast.Dict)
    own = {k.value for k in literal.keys if isinstance(k, ast.Constant)}
    assert own and not own & set(NOTE_MESSAGES)


def test_a_note_is_made_only_with_its_message_fields():
    with pytest.raises(ValueError, match="unknown note message"):
        Note("note_no_such_message", {})
    with pytest.raises(ValueError, match="takes fields"):
        note("note_border", old="1111 Sokndal")
    split = note("part_share_to", share=0.5, dest="1108 Sandnes")
    assert split == note("part_share_to", share=0.5, dest="1108 Sandnes")
    assert len({split, note("part_share_to", share=0.5, dest="1108 Sandnes")}) == 1


# the notes of real scopes ------------------------------------------------------------------


def _nested(value: object) -> Iterator[Note]:
    """``value`` and every note inside it."""
    if isinstance(value, Note):
        yield value
        for inner in value.fields.values():
            yield from _nested(inner)
    elif isinstance(value, Joined):
        for item in (*value.items, value.separator):
            yield from _nested(item)


def _county_notes(scenario_path: Path) -> list[Note]:
    county = build_county(load_scenario(scenario_path))
    notes: list[object] = [*county.warnings, *county.owners["fte_method"]]
    for record in county.input_files:
        notes += [record.describe(), *record.notes]
    return [n for value in notes for n in _nested(value)]


def _starter(tmp: Path, scope: str) -> Path:
    path = tmp / f"{scope.lower()}.toml"
    assert main(["init", scope, "--out", str(path)]) == 0
    return path


def _own_files(tmp: Path, exclude_private: bool) -> Path:
    """Rogaland 2026 with the planner's FTE file (two municipalities missing, the bundled
    figures used for them), a kindergarten staff file and one owner's need (the other owners
    of its region report none); without ``exclude_private``, the
    region of the municipalities the source leaves out is given without a reason."""
    bundled = build_county(load_scenario(ROOT / "scenarios" / "rogaland-2026.toml")).owners
    municipal = bundled[bundled["owner_kind"] == "municipality"]
    fte = "".join(
        f"{c},{v:.1f}\n"
        for c, v in zip(municipal["owner_id"][2:], municipal["teacher_fte"][2:], strict=True)
    )
    (tmp / "fte.csv").write_text("kommunenummer,teacher_fte\n" + fte, encoding="utf-8")
    staff = "".join(
        f"{c},{v / 2:.1f}\n"
        for c, v in zip(municipal["owner_id"], municipal["teacher_fte"], strict=True)
    )
    (tmp / "barnehage.csv").write_text("kommunenummer,kindergarten_fte\n" + staff, "utf-8")
    first = municipal["owner_id"].iloc[0]  # one owner of a region of several reports a need
    (tmp / "needs.csv").write_text(f"owner,theme,need_nok\n{first},general,50000\n", "utf-8")
    text = (ROOT / "scenarios" / "rogaland-2026.toml").read_text(encoding="utf-8")
    text = text.replace(
        "[owners]\nprivate_network = true",
        '[owners]\nprivate_network = true\nfte_source = "fte.csv"\nfte_missing = "bundled"\n'
        f'exclude_private = {str(exclude_private).lower()}\nkindergarten_fte = "barnehage.csv"\n'
        'needs = "needs.csv"',
    )
    if not exclude_private:
        text = "\n".join(line for line in text.splitlines() if not line.startswith("reason ="))
    path = tmp / f"rogaland-own-files-{exclude_private}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _bundled_fte_notes() -> list[Note]:
    notes: list[object] = []
    for county in data.counties():
        for exclude_private in (False, True):
            table = data.teacher_fte(county, exclude_private=exclude_private)
            notes += [*table.warnings, *table.table["method"]]
    return [n for value in notes for n in _nested(value)]


def _region_list_notes() -> list[Note]:
    """The findings of two region lists (errors end the check in English lines: made here)."""
    findings = [
        *check_region_list(
            {"NORD": ["Forsand", "Sandnes", "Sandnes"], "SØR": ["Time. Hå.", "strand,,"]},
            county="Rogaland",
        ).findings,
        *check_region_list({"NORD": ["Forsand"]}, county="Rogaland").findings,
    ]
    errors = [
        note("note_unknown_municipality", name="Nowhere", region="NORD", closest="Sola, Sauda"),
        note("note_listed_in_regions", name="Strand", code="1130",
             regions=Joined(("NORD", "SØR"), note("word_and"))),
    ]  # fmt: skip
    return [n for value in [*(f.message for f in findings), *errors] for n in _nested(value)]


def _previous_notes(tmp: Path) -> list[Note]:
    """Where last year's amounts came from: ``--previous`` over ``budget.previous``, the
    caller's amounts, and the earlier year of a plan."""
    path = ROOT / "scenarios" / "nordland-2026.toml"
    first = propose(load_scenario(path))
    amounts = first.regions.set_index("region")["amount_nok"]
    previous = tmp / "previous.csv"
    rows = "".join(f"{r},{int(a)}\n" for r, a in amounts.items())
    previous.write_text("region,amount_nok\n" + rows, encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace(
        "[budget]\n", f'[budget]\nprevious = "{previous.as_posix()}"\n', 1
    )
    (tmp / "nordland-previous.toml").write_text(text, encoding="utf-8")
    county = build_county(load_scenario(tmp / "nordland-previous.toml"), previous=str(previous))
    notes = [n for w in county.warnings for n in _nested(w)]
    values = amounts.to_numpy(float)
    for year in (None, 2026):
        later = propose(
            load_scenario(path),
            year=2027,
            previous=values,
            previous_total_nok=int(values.sum()),
            previous_year=year,
        )
        notes += [n for c in later.caveats for n in _nested(c)]
    return notes


@pytest.fixture(scope="module")
def real_notes(tmp_path_factory) -> dict[str, Note]:
    """One note of each kind met in real scopes: message id → the note."""
    tmp = tmp_path_factory.mktemp("notes")
    own = [_own_files(tmp, exclude_private) for exclude_private in (True, False)]
    paths = [*SCENARIOS, _starter(tmp, "Agder"), _starter(tmp, "Innlandet"), *own]
    notes = [n for path in paths for n in _county_notes(path)]
    notes += _bundled_fte_notes() + _region_list_notes()
    for path in (ROOT / "scenarios" / "nordland-2026.toml", own[0]):
        proposal = propose(load_scenario(path))
        notes += [n for c in proposal.caveats for n in _nested(c)]
        if proposal.key_note is not None:
            notes.append(proposal.key_note)
    notes += _previous_notes(tmp)
    offices = "".join(f"{name},{1000 + 10 * i}\n" for i, name in enumerate(data.counties()))
    (tmp / "offices.csv").write_text("county,teacher_fte\n" + offices, encoding="utf-8")
    for table in (None, tmp / "offices.csv"):
        split = split_national(1_000_000, fte_file=table)
        notes += [n for c in split.caveats for n in _nested(c)]
    # made by hand: repairs no bundled or starter file needs, files read another way
    notes += [
        note("national_export", indicator="Antall lærerårsverk", year="2024-25", path="u.csv"),
        note("national_table", path="offices.csv", year="2024-25", rows=10),
        note("file_codes_padded"),
        note("file_other_counties", n=3),
        note("file_other_county"),
        note("dialect_sheet", sheet="'Ark1'"),
        # a planner's file beside imputed figures, scenario keys that may be mistakes
        note("note_fte_missing_bundled_one", path="fte.csv", names="4201 Risør"),
        note("note_fte_imputed_rest", county="Agder", n=22, total=25, path="f.csv", years="2019"),
        note("note_fte_imputed_one", county="Agder", total=25, path="f.csv", years="2019"),
        note("note_regime_after", years="2026, 2027"),
        note("note_regime_before", years="2025"),
        note("note_extra_owner_alone", name="Steiner", id="sb", region="Saltn", closest="Salten"),
        note("note_rounding_unit_coarse", unit=500_000, percent=24.3, region="Region Arendal",
             share=20.61, budget=10_000_000, year="2026", amount=2_061_476),
        # the kroner a rounding unit leaves over
        note("note_rounding_remainder", budget=30_000_001, unit=7, remainder=3,
             recipient="HVL Haugesund", region="NORD", theme=note("theme_special_ed"),
             sector=note("sector_kindergarten"), amount=3_175_973),
        note("theme_general"),
        note("theme_special_ed"),
        note("sector_school"),
        note("sector_kindergarten"),
    ]  # fmt: skip
    notes += _sensitivity_notes()
    return {n.message_id: n for n in notes}


def _sensitivity_notes() -> list[Note]:
    """Why a metric of a sensitivity run has no indices, why a draw has no allocation."""
    from dekomopt.simulation import sobol
    from dekomopt.simulation.reasons import NO_GRANT, SET_ASIDES_TAKE_ALL

    y = np.array([np.nan, 1.0, np.nan, 2.0])
    samples = np.array([[0.9], [0.1], [0.8], [0.2]])
    notes = [
        sobol._no_indices(metric, y, np.zeros(4, bool), samples, ["uh_share_min"])
        for metric in sobol.METRICS
    ]
    notes += [
        sobol._no_indices("theil_net", y, np.ones(4, bool), samples, ["uh_share_min"]),
        sobol._no_indices("theil_net", y, np.ones(4, bool), samples[::-1], ["uh_share_min"]),
        sobol._no_indices("other", y, np.zeros(4, bool), np.zeros((4, 1)), ["uh_share_min"]),
        sobol._no_indices("gini_net", np.full(4, np.nan), np.zeros(4, bool), samples, ["x"]),
        sobol._no_indices("gini_net", np.ones(4), np.zeros(4, bool), samples, ["x"]),
        sobol._no_indices("gini_net", np.arange(4.0), np.zeros(4, bool), samples, ["x"], 2.0),
        sobol._index_note({"S1": 0.5, "S1_conf": 0.5, "ST": 0.5, "ST_conf": 0.0}),
        note("sens_no_run_solved"),
        note("sens_not_solved", n=3, runs=1024),
        SET_ASIDES_TAKE_ALL,
        NO_GRANT,
    ]
    return [n for value in notes for n in _nested(value)]


def test_the_real_scopes_meet_every_note_kind(real_notes):
    dialect_parts = {i for i in NOTE_MESSAGES if i.startswith("dialect_")} - {"dialect_sheet"}
    assert set(NOTE_MESSAGES) - dialect_parts - set(real_notes) == set()


def _english_words() -> set[str]:
    """Words of the English notes that no Norwegian note uses."""

    def words(lang: str) -> set[str]:
        return {
            w.lower()
            for template in NOTE_MESSAGES.values()
            for w in re.findall(r"[^\W\d_]+", re.sub(r"\{[^}]*\}", " ", template[lang]))
        }

    return words("en") - words("nb") - words("nn")


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_note_kind_reads_in_norwegian(real_notes, lang):
    english = _english_words()
    assert {"the", "share", "imputed", "teacher", "schools", "figures"} <= english
    for message_id, found in real_notes.items():
        shown = found.in_language(lang)
        words = re.sub(r"\S*[\w-][._]\w\S*|SHA-256 [0-9a-f]+", " ", shown)  # keys, files, sums
        left = {w for w in re.findall(r"[^\W\d_]+", words) if w.lower() in english}
        assert left == set(), (message_id, shown)
        assert re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", shown) == [], (message_id, shown)


def test_dialects_read_in_norwegian():
    dialect = Dialect("semicolon-separated, decimal comma, UTF-8 with BOM; sheet 'Ark1'")
    assert dialect.in_language("nn") == "semikolonseparert, desimalkomma, UTF-8 med BOM; ark 'Ark1'"
    assert str(dialect) == dialect.text


def test_the_english_text_is_the_english_reports_with_the_packages_numbers(real_notes):
    ratio = real_notes["note_imputation_ratio"]
    english = str(ratio)
    assert english == ratio.in_language("en")
    assert re.search(r"Imputation ratio: \d+,\d{3} FTE per 1000 inhabitants", english)
    assert re.search(r"\(\d{1,3}(\u00a0\d{3})+\)", english)  # grouped by no-break spaces
    assert not re.search(r"\d{5}", english)  # no ungrouped population
    joined = Joined((real_notes["part_share_to"], "x"), note("word_and"))
    assert str(joined) == joined.in_language("en") == "0,5 to Hamarøy 1875 and x"


@pytest.mark.parametrize("message_id", ["method_county_total", "method_ratio"])
def test_the_imputation_ratio_has_one_precision_in_every_output(real_notes, message_id):
    """FTE per 1000 inhabitants to exactly 3 decimals, trailing zeros kept, in the English
    text (CSV, provenance, CLI) and in the report's three languages alike; the FTE it
    explains is that figure × the population to within the last decimal's rounding."""
    method = real_notes[message_id]
    per_1000, population = method.fields["per_1000"], method.fields["population"]
    assert isinstance(per_1000, float) and isinstance(population, int)
    digits = f"{per_1000:.3f}".replace(".", ",")
    assert f"{digits} FTE per 1000 inhabitants" in str(method)
    for lang in ("nb", "nn", "en"):
        assert f"{digits} " in method.in_language(lang)
    for value in (10.86, 10.0):  # a trailing zero is shown, not dropped
        exact = Note(message_id, {**method.fields, "per_1000": value})
        shown = f"{value:.3f}".replace(".", ",")
        assert shown in str(exact) and shown in exact.in_language("nb")


def test_owners_csv_and_report_show_the_same_imputation_ratio(tmp_path, capsys):
    """An all-imputed starter: each imputed owner's ratio reads the same digits in
    owners.csv and in the report, and ratio × population gives its teacher FTEs."""
    path = _starter(tmp_path, "Agder")
    assert (
        main(["propose", str(path), "--report", "--lang", "nb", "--out", str(tmp_path / "o")]) == 0
    )
    capsys.readouterr()
    owners = pd.read_csv(tmp_path / "o" / "owners.csv", dtype={"owner_id": str})
    html = (tmp_path / "o" / "rapport.html").read_text(encoding="utf-8")
    imputed = owners[owners["fte_imputed"]]
    assert len(imputed) == len(owners) > 0
    for method, fte in zip(imputed["fte_method"], imputed["teacher_fte"], strict=True):
        found = re.search(
            r"(\d+,\d+) FTE per 1000 inhabitants × (\d{1,3}(?:\u00a0\d{3})*) inhabitants", method
        )
        assert found, method
        per_1000, grouped = found[1], found[2]
        population = int(grouped.replace("\u00a0", ""))
        assert len(per_1000.split(",")[1]) == 3
        ratio = float(per_1000.replace(",", "."))
        assert abs(ratio * population / 1000 - fte) <= 0.0005 * population / 1000
        norwegian = f"{per_1000} lærerårsverk per 1000 innbyggere × {grouped}"
        assert norwegian in html


def test_provenance_json_holds_each_caveat_as_its_english_text(tmp_path):
    proposal = propose(load_scenario(ROOT / "scenarios" / "vestland-2026.toml"))
    write_proposal(proposal, tmp_path)
    stored = json.loads((tmp_path / "provenance.json").read_text(encoding="utf-8"))
    assert stored["caveats"] == [str(c) for c in proposal.caveats]
    assert any(c.startswith("Input file owners") or "Vestland" in c for c in stored["caveats"])
    owners = pd.read_csv(tmp_path / "owners.csv", dtype={"owner_id": str})
    methods = owners["fte_method"].fillna("")
    assert set(methods) == {str(m) for m in proposal.owners["fte_method"]}
