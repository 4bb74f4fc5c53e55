"""The report's tables over a real solve: one kroner per FTE with an owner that does not take
part, owners' rows that reconcile, the what-if points' change from last year, wide tables."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from dekomopt.formats import format_fte, format_nok
from dekomopt.proposal import propose
from dekomopt.report import LANGUAGES, render_html
from dekomopt.report.catalogue import text
from dekomopt.report.explorer import build_explorer, explorer_section
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _footer(soup: BeautifulSoup, section: str) -> dict[str, str]:
    """The totals row of the section's first table: header text → cell text."""
    table = soup.select_one(f"section#{section} table")
    headers = [th.get_text() for th in table.select("thead th")]
    cells = [td.get_text() for td in table.select("tfoot td")]
    return dict(zip(headers, cells, strict=True))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_kroner_per_fte_when_an_owner_does_not_take_part(left_out, lang):
    _, proposal = left_out
    owners = proposal.owners
    taking_part = owners["participates"].astype(bool)
    assert not taking_part.all()
    key_fte = float(owners.loc[taking_part, "teacher_fte"].sum())
    # the regions' FTEs are the key's, and the CLI's county kroner per FTE is the budget over them
    assert float(proposal.regions["teacher_fte"].sum()) == pytest.approx(key_fte)
    per_fte = format_nok(proposal.budget_nok / key_fte)
    soup = BeautifulSoup(render_html(proposal, lang), "html.parser")
    fte, nok_per_fte = text("col_fte", lang), text("col_nok_per_fte_total", lang)
    regions, owner_rows = _footer(soup, "regions"), _footer(soup, "owners")
    assert regions[fte] == owner_rows[fte] == format_fte(key_fte)
    assert regions[nok_per_fte] == owner_rows[nok_per_fte] == per_fte
    # each table says what its FTE total counts, naming the owner left out
    for section in ("regions", "owners"):
        note = soup.select_one(f"section#{section} p.key-fte").get_text()
        assert format_fte(key_fte) in note
        assert "Sandefjord" in note
        left = float(owners.loc[~taking_part, "teacher_fte"].sum())
        assert format_fte(left) in note


def test_every_owner_takes_part_no_note(left_out):
    scenario, _ = left_out
    proposal = propose(scenario.with_changes(owners={"non_participating": []}))
    soup = BeautifulSoup(render_html(proposal, "nb"), "html.parser")
    assert soup.select("p.key-fte") == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_owner_rows_reconcile_with_their_kroner_per_fte(left_out, lang):
    """Amount + partner part = total, and total / FTE is the kroner per FTE shown: every
    number needed is in the HTML table, with the workbook's and owners.csv's values."""
    _, proposal = left_out
    soup = BeautifulSoup(render_html(proposal, lang), "html.parser")
    table = soup.select_one("section#owners table")
    headers = [th.get_text() for th in table.select("thead th")]
    column = {
        key: headers.index(text(key, lang))
        for key in (
            "col_owner_id",
            "col_amount",
            "col_partner_part_nok",
            "col_amount_with_partners",
            "col_nok_per_fte_total",
        )
    }
    owners = proposal.owners.set_index(proposal.owners["owner_id"].astype(str))
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert len(rows) == len(owners)
    for row in rows:
        owner = owners.loc[row[column["col_owner_id"]]]
        assert row[column["col_amount"]] == format_nok(owner["amount_nok"])
        assert row[column["col_partner_part_nok"]] == format_nok(owner["partner_part_nok"])
        assert row[column["col_amount_with_partners"]] == format_nok(owner["total_nok"])
        assert owner["amount_nok"] + owner["partner_part_nok"] == owner["total_nok"]
        assert row[column["col_nok_per_fte_total"]] == format_nok(owner["nok_per_fte"])


def test_what_if_points_keep_last_year():
    """With last year given as ``--previous`` gives it, every what-if point has the proposal's
    last year, and the scenario's own point shows the main table's change."""
    scenario = load_scenario(ROOT / "scenarios" / "rogaland-2026.toml")
    first = propose(scenario)
    previous = first.regions["amount_nok"].to_numpy(float) * 0.9
    owners = pd.Series(
        first.owners["amount_nok"].to_numpy(float) * 0.9,
        index=first.owners["owner_id"].astype(str),
    )
    base = propose(
        scenario,
        previous=previous,
        previous_total_nok=int(round(previous.sum())),
        previous_owners=owners,
    )
    explorer = build_explorer(scenario, base, levers=("uh_share_min",), steps=(0.0, 0.05))
    assert len(explorer.points) == 2
    for point in explorer.points:
        assert point.proposal is not None
        assert np.allclose(point.proposal.regions["previous_nok"].to_numpy(float), previous)
        changes = point.proposal.regions["change_from_previous_nok"]
        assert changes.notna().all()
        assert point.proposal.owners["change_in_amount_nok"].notna().all()
    html = explorer_section(explorer, base, "nn")
    soup = BeautifulSoup(html, "html.parser")
    label = text("col_change", "nn")
    for point in explorer.points:
        panel = soup.find(id=f"whatif-uh_share_min-{round(point.value * 1000)}")
        table = panel.find("h3", string=text("sec_regions", "nn")).find_next("table")
        headers = [th.get_text() for th in table.select("thead th")]
        shown = [
            tr.find_all("td")[headers.index(label)].get_text() for tr in table.select("tbody tr")
        ]
        expected = point.proposal.regions["change_from_previous_nok"]
        assert shown == [format_nok(v, signed=True) for v in expected]
        assert "–" not in shown
    main = BeautifulSoup(render_html(base, "nn"), "html.parser")
    table = main.select_one("section#regions table")
    headers = [th.get_text() for th in table.select("thead th")]
    in_main = [
        tr.find_all("td")[headers.index(label)].get_text() for tr in table.select("tbody tr")
    ]
    own = soup.find(id="whatif-uh_share_min-500").find("h3", string=text("sec_regions", "nn"))
    table = own.find_next("table")
    assert [
        tr.find_all("td")[headers.index(label)].get_text() for tr in table.select("tbody tr")
    ] == in_main


def test_tables_scroll_in_their_own_box_on_screen_and_print_whole(proposal):
    document = render_html(proposal, "nb")
    soup = BeautifulSoup(document, "html.parser")
    for section in ("summary", "regions", "owners", "partners"):
        for table in soup.select(f"section#{section} table"):
            assert "table-wrap" in table.parent.get("class", [])
    css = soup.style.get_text()
    screen, _, print_css = css.partition("@media print")
    assert re.search(r"\.table-wrap\s*\{[^}]*overflow-x:\s*auto", screen)
    assert re.search(r"\.table-wrap\s*\{[^}]*overflow:\s*visible", print_css)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_says_the_explorer_is_in_the_html(left_out, lang):
    scenario, proposal = left_out
    explorer = build_explorer(scenario, proposal, levers=("uh_share_min",), steps=(0.0,))
    soup = BeautifulSoup(render_html(proposal, lang, explorer=explorer), "html.parser")
    note = soup.find(id="pdf-explorer-note")
    assert "print-only" in note["class"]
    assert text("sec_explorer", lang) in note.get_text()
    without = BeautifulSoup(render_html(proposal, lang), "html.parser")
    assert without.find(id="pdf-explorer-note") is None
