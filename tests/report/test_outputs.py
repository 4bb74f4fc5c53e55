"""Free text per language, CSV dialects, owners' change from last year, text cells."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from dekomopt.notes import Joined, note
from dekomopt.report import sheet_names, write_spreadsheet
from dekomopt.report.csvfiles import write_table
from dekomopt.scenario.schema import LocalText, ScenarioMeta


def _meta(**fields):
    return ScenarioMeta(
        **{"name": "x", "county": "Rogaland", "regime": "dekom", "year": 2026, **fields}
    )


def test_free_text_per_language_or_as_written():
    meta = _meta(
        assumptions=({"nb": "Budsjettet", "nn": "Budsjettet nn", "en": "The budget"}, "Som skrevet")
    )
    translated, plain = meta.assumptions
    assert isinstance(translated, LocalText)
    assert translated.in_language("nn") == "Budsjettet nn"
    assert translated.in_language("en") == "The budget"
    assert str(translated) == "The budget"  # command line and JSON
    assert plain.in_language("nb") == "Som skrevet"
    partial = _meta(description={"nb": "Bare bokmål"}).description
    assert partial.in_language("nn") == "Bare bokmål"


@pytest.mark.parametrize("bad", [{"de": "Haushalt"}, {}, {"nb": 3}, 12, {"nb": "ok", "sv": "nej"}])
def test_free_text_rejects_what_is_not_text(bad):
    with pytest.raises(ValidationError):
        _meta(description=bad)


def test_a_scenario_round_trips_its_free_text():
    meta = _meta(name={"nb": "Navn", "nn": "Namn", "en": "Name"})
    again = ScenarioMeta.model_validate(meta.model_dump(mode="python"))
    assert again.name.in_language("nn") == "Namn"
    with pytest.raises(ValidationError):
        _meta(name={"nb": " "}).name  # noqa: B018


def test_data_notes_in_the_readers_language():
    parts = Joined(
        (
            note("part_share_to", share=0.91, dest="Sogndal 4640"),
            note("part_share_to", share=0.09, dest="Høyanger 4638"),
        )
    )
    split = note("note_split", old="1418 Balestrand", parts=parts)
    assert str(split) == (  # the English text, numbers in the package's format
        "1418 Balestrand was split by population share (0,91 to Sogndal 4640, 0,09 to "
        "Høyanger 4638); a population share is not a teacher share."
    )
    shown = split.in_language("nn")
    assert shown.startswith("1418 Balestrand vart delt etter del av innbyggjarane")
    assert "0,91 til Sogndal 4640" in shown
    reason = LocalText({"nb": "forutsetning", "en": "assumption"})
    assigned = note("note_assigned_because", name="Bokn", code="1145", region="NORD", reason=reason)
    assert str(assigned).endswith("assigned to NORD (assumption)")
    assert assigned.in_language("nb").endswith("lagt til NORD (forutsetning)")
    method = Joined(
        (
            note("method_ratio", per_1000=12.6001, population=10618),
            note("method_private_removed", factor=0.96049),
        ),
        "; ",
    )
    assert str(method) == (
        "county ratio estimate: 12,600 FTE per 1000 inhabitants × 2024 population 10\u00a0618; "
        "private schools removed: all-owner figures × 0,9605 (county public/(public+private) "
        "FTE ratio, estimate)"
    )
    assert "12,600 lærerårsverk per 1000 innbyggere" in method.in_language("nb")
    assert "10\u00a0618" in method.in_language("nb")


def test_excel_nb_csv_opens_in_norwegian_excel(tmp_path):
    frame = pd.DataFrame({"owner_id": ["0301", "1103"], "teacher_fte": [12.5, 3.0], "n": [1, 2]})
    path = write_table(frame, tmp_path / "t.csv", "excel-nb")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "owner_id;teacher_fte;n",
        "0301;12,5;1",
        "1103;3,0;2",
    ]
    assert b"\r\n" in raw
    plain = write_table(frame, tmp_path / "p.csv").read_text(encoding="utf-8")
    assert plain.splitlines()[1] == "0301,12.5,1"


def test_text_that_starts_with_equals_stays_text(proposal, tmp_path):
    rules = tuple(replace(r, sense="==") if i == 0 else r for i, r in enumerate(proposal.rules))
    odd = pd.DataFrame(proposal.owners).assign(owner_name="=Sola")
    path = write_spreadsheet(
        type(proposal)(**{**proposal.__dict__, "rules": rules, "owners": odd}),
        tmp_path / "w.xlsx",
        "nb",
    )
    wb = load_workbook(path)
    names = sheet_names("nb")
    owners = wb[names["owners"]]
    assert owners["C2"].value == "=Sola" and owners["C2"].data_type == "s"
    assert wb.calculation.fullCalcOnLoad
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert cell.value.startswith(("=SUM(", "=SUMIF(", "=IF(", "='", "=B", "=0")), (
                        cell.value
                    )


def test_an_infeasible_what_if_point_names_the_conflicting_rules(proposal):
    from bs4 import BeautifulSoup

    from dekomopt.report.explorer import Explorer, WhatIfPoint, explorer_section, lever_grid

    explorer = Explorer(
        proposal,
        {"uh_share_min": 0.5},
        (
            WhatIfPoint("uh_share_min", 0.5, proposal),
            WhatIfPoint("uh_share_min", 0.6, None, ("R3", "R9"), "infeasible"),
        ),
    )
    soup = BeautifulSoup(explorer_section(explorer, proposal, "nn"), "html.parser")
    panels = soup.select(".whatif-panel")
    assert [p.has_attr("hidden") for p in panels] == [False, True]
    assert "R3, R9" in panels[1].get_text()
    assert "umogleg" in soup.select("option")[1].get_text()
    assert soup.select_one("option[selected]")["value"] == panels[0]["id"]
    assert lever_grid(0.05) == (0.0, 0.05, 0.1, 0.15)
    assert lever_grid(0.5) == (0.4, 0.45, 0.5, 0.55, 0.6)


def test_propose_writes_excel_csv_files_on_request(tmp_path):
    from pathlib import Path

    from dekomopt.cli import main

    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2026.toml"
    assert (
        main(["propose", str(scenario), "--out", str(tmp_path), "--csv-dialect", "excel-nb"]) == 0
    )
    for name in ("allocation.csv", "regions.csv", "owners.csv", "partners.csv"):
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw, name
    regions = pd.read_csv(tmp_path / "regions.csv", sep=";", decimal=",", encoding="utf-8-sig")
    allocation = pd.read_csv(
        tmp_path / "allocation.csv", sep=";", decimal=",", encoding="utf-8-sig"
    )
    assert regions["teacher_fte"].dtype == float
    assert int(allocation["amount_nok"].sum()) == int(regions["amount_nok"].sum())
    assert "." not in (tmp_path / "regions.csv").read_text(encoding="utf-8-sig").split("\n")[1]


def test_the_what_if_section_states_the_values_it_offers(proposal):
    """A share at 0 gets three grid values, not five: the page says which ones it offers."""
    from bs4 import BeautifulSoup

    from dekomopt.formats import format_percent
    from dekomopt.report.explorer import Explorer, WhatIfPoint, explorer_section, lever_grid

    grid = lever_grid(0.0)
    assert grid == (0.0, 0.05, 0.1)
    explorer = Explorer(
        proposal,
        {"special_ed_share_min": 0.0},
        tuple(WhatIfPoint("special_ed_share_min", v, proposal) for v in grid),
    )
    soup = BeautifulSoup(explorer_section(explorer, proposal, "nb"), "html.parser")
    stated = soup.select_one(".whatif-values").get_text()
    offered = [o.get_text() for o in soup.select("option")]
    assert len(offered) == len(grid)
    assert ", ".join(format_percent(v) for v in grid) in stated
    assert "fem" not in soup.get_text().lower()
