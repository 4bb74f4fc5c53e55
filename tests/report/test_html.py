import re
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from dekomopt.allocation.mga import Search
from dekomopt.errors import DataError, DekomoptError
from dekomopt.formats import format_nok, format_percent
from dekomopt.report import LANGUAGES, REPORT_FILENAMES, render_html, write_report


@pytest.fixture(scope="module")
def documents(proposal, geography):
    return {lang: render_html(proposal, lang, geography) for lang in LANGUAGES}


def _rows(soup: BeautifulSoup, section: str) -> list[list[str]]:
    return [
        [cell.get_text() for cell in tr.find_all("td")]
        for tr in soup.select(f"section#{section} tbody tr")
    ]


def _row_with(rows: list[list[str]], name: str) -> list[str]:
    matches = [row for row in rows if name in row or any(c.startswith(name + " ") for c in row)]
    assert len(matches) == 1, f"{name!r} in {len(matches)} rows"
    return matches[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_recipient_appears_with_its_amount(documents, proposal, lang):
    soup = BeautifulSoup(documents[lang], "html.parser")
    regions = _rows(soup, "regions")
    for _, r in proposal.regions.iterrows():
        assert format_nok(r["amount_nok"]) in _row_with(regions, r["region"])
    owners = _rows(soup, "owners")
    for _, o in proposal.owners.iterrows():
        row = _row_with(owners, o["owner_name"])
        assert format_nok(o["amount_nok"]) in row
        assert o["owner_id"] in row
    partners = _rows(soup, "partners")
    for _, p in proposal.partners.iterrows():
        assert format_nok(p["amount_nok"]) in _row_with(partners, p["partner_name"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_summary_shows_budget_and_shares_against_bounds(documents, proposal, lang):
    summary = BeautifulSoup(documents[lang], "html.parser").select_one("section#summary")
    shown = summary.get_text()
    for amount in (proposal.budget_total_nok, proposal.budget_nok, proposal.set_asides[0][1]):
        assert format_nok(amount)[1:] in shown  # set-asides carry a minus sign
    assert format_percent(0.5) in shown  # partner share and its R3 bound
    assert format_percent(0.2) in shown  # special-education share
    assert format_percent(0.15) in shown  # R5 bound


def test_names_are_kept_exactly(documents):
    soup = BeautifulSoup(documents["nb"], "html.parser")
    owners = soup.select_one("section#owners").get_text()
    for name in ("Hå", "Tysvær", "Kvitsøy", "Bjerkreim", "Friskolane i Rogaland"):
        assert name in owners
    assert "Høgskulen på Vestlandet" in soup.select_one("section#partners").get_text()


def test_languages_differ(documents):
    heading = {
        lang: BeautifulSoup(doc, "html.parser").select_one("section#owners h2").get_text()
        for lang, doc in documents.items()
    }
    assert heading == {"nb": "Skoleeiere", "nn": "Skuleeigarar", "en": "School owners"}
    assert '<html lang="nn">' in documents["nn"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_external_references(documents, lang):
    document = documents[lang]
    soup = BeautifulSoup(document, "html.parser")
    external = [
        tag
        for tag in soup.find_all(True)
        for attr in ("src", "href", "xlink:href", "data")
        if re.match(r"\s*(https?:)?//", str(tag.get(attr, "")))
    ]
    assert external == []
    assert soup.find("link") is None
    assert soup.find("script") is None
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", document)
    assert "<?xml" not in document


def test_svg_ids_are_unique_across_the_page(documents):
    soup = BeautifulSoup(documents["nb"], "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert len(soup.find_all("svg")) == 3
    for ref in re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", documents["nb"]):
        target = ref[0] or ref[1]
        assert soup.find(id=target) is not None, target


def test_map_is_an_inline_svg_first_after_the_title(documents, geography):
    soup = BeautifulSoup(documents["nb"], "html.parser")
    figure = soup.find(id="map")
    assert figure is not None and figure.find("svg") is not None
    drawn = {
        tag["id"].removeprefix("fig-map-mun-") for tag in figure.select('[id^="fig-map-mun-"]')
    }
    assert drawn == set(geography.polygons)  # one outline per municipality
    first_section = soup.find("section")
    assert first_section.find(id="map") is figure


def test_without_geography_the_map_is_replaced_by_a_note(proposal):
    soup = BeautifulSoup(render_html(proposal, "en"), "html.parser")
    assert soup.find(id="map") is None
    assert "no geography was given" in soup.select_one("section#map-section").get_text()


def test_print_stylesheet(documents):
    css = BeautifulSoup(documents["nb"], "html.parser").find("style").get_text()
    media = css[css.index("@media print") :]
    assert "break-before: page" in media
    assert "break-inside: avoid" in media
    assert "background: none" in media


@pytest.mark.parametrize("lang", LANGUAGES)
def test_illustrative_banner_only_when_flagged(documents, illustrative_proposal, lang):
    assert BeautifulSoup(documents[lang], "html.parser").select(".banner") == []
    flagged = BeautifulSoup(render_html(illustrative_proposal, lang), "html.parser")
    banner = flagged.select_one("header .banner")
    assert banner is not None
    assert ("ILLUSTRATIVE" if lang == "en" else "ILLUSTRASJON") in banner.get_text()


def test_only_structure_flag_names_the_structure(proposal):
    soup = BeautifulSoup(
        render_html(replace(proposal, structure_illustrative=True), "nb"), "html.parser"
    )
    banner = soup.select_one(".banner").get_text()
    assert "Regioninndelingen" in banner
    assert "Budsjettet" not in banner


def test_alternatives_section_only_when_given(documents, illustrative_proposal):
    assert BeautifulSoup(documents["nb"], "html.parser").find(id="alternatives") is None
    soup = BeautifulSoup(render_html(illustrative_proposal, "nb"), "html.parser")
    section = soup.find(id="alternatives")
    alt = illustrative_proposal.alternatives[0]
    words = section.get_text()
    # what moved: the kroner as the CLI states them, and each recipient's change
    assert f"Flytter {format_nok(alt.moved_nok)} mellom mottakere" in words
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in section.find_all("tr")]
    owner, partner = alt.recipients["recipient_name"]
    changed = {row[2]: row[-1] for row in rows if len(row) == 6}
    assert changed[owner] == format_nok(12_345, signed=True)
    assert changed[partner] == format_nok(-12_345, signed=True)
    # the region's owner/partner split beside the proposal's, though its total is unchanged
    region = alt.regions.iloc[0]
    split = next(row for row in rows if row and row[0] == region["region"])
    assert split[1:5] == [
        format_nok(region[k])
        for k in ("proposal_owners_nok", "owners_nok", "proposal_partners_nok", "partners_nok")
    ]
    assert split[6] == format_nok(0, signed=True)


def test_alternatives_section_says_why_none_were_found(proposal):
    search = Search(asked=3, found=0, tried=16, min_moved_nok=159_892, slack_nok=0.0)
    none_found = replace(proposal, alternatives_search=search)
    for lang, words in (
        ("nb", "Bare 0 av 3 alternativer: av de 16 søkeretningene"),
        ("nn", "Berre 0 av 3 alternativ: av dei 16 søkjeretningane"),
        ("en", "Only 0 of 3 alternatives: of the 16 directions tried"),
    ):
        soup = BeautifulSoup(render_html(none_found, lang), "html.parser")
        text = soup.find(id="alternatives").get_text()
        assert words in text and format_nok(159_892) in text
        assert soup.select_one('a[href="#alternatives"]') is not None


def _rule_items(soup: BeautifulSoup, rule_id: str) -> list[str]:
    """The outcome sentences under a rule's heading: its one paragraph, or the listed rows of
    a rule with a table (those that bind or are not met)."""
    out = []
    for node in soup.find(id=f"rule-{rule_id}").find_next_siblings():
        if node.name == "h3":
            break
        if node.name == "ul":
            out += [li.get_text() for li in node.find_all("li")]
        elif node.name == "p" and not {"note", "requirement"} & set(node.get("class") or []):
            out.append(node.get_text())
    return out


def _rule_table(soup: BeautifulSoup, rule_id: str) -> list[list[str]]:
    table = soup.find(id=f"rule-{rule_id}").find_next("table")
    return [[td.get_text() for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]


def test_rules_in_plain_words(documents, proposal):
    soup = BeautifulSoup(documents["nn"], "html.parser")
    assert soup.find(id="rule-R3").get_text() == "Minstedel til UH-partnarar (R3)"
    (r3,) = _rule_items(soup, "R3")
    partners = int(proposal.partners["amount_nok"].sum())
    assert f"verdien er {format_nok(partners)}" in r3
    assert f"minst {format_nok(0.5 * proposal.budget_nok)}" in r3
    assert f"Minstedelen til UH-partnarar er {format_percent(0.5)}" in r3
    assert f"Å løysa opp kravet med {format_nok(0.01 * proposal.budget_nok)} ville senka" in r3
    assert "med 5,2 kr, 0,0013 kr per lærarårsverk." in r3
    (r5,) = _rule_items(soup, "R5")
    assert "ikkje bindande" in r5
    (r1,) = _rule_items(soup, "R1")
    assert "1\u00a0000\u00a0kr" in r1 and "0,81" in r1  # shadow price per krone × 1 000 kr
    r4 = _rule_table(soup, "R4")
    assert len(r4) == 2  # one table row per owner with a cap, named, never by row id
    assert r4[0][0] == "Sola" and not any("R4_cofin" in cell for row in r4 for cell in row)
    assert [row[3] for row in r4] == ["ja", "ja"]
    assert "2 rader: 2 oppfylte, 0 bindande." in soup.select_one("section#rules").get_text()


def test_unmet_rule_is_flagged(proposal):
    rules = tuple(replace(r, met=False) if r.rule == "R5" else r for r in proposal.rules)
    soup = BeautifulSoup(render_html(replace(proposal, rules=rules), "en"), "html.parser")
    assert "NOT met" in _rule_items(soup, "R5")[0]
    assert "NOT met" in soup.select_one("section#summary").get_text()


def test_imputed_fte_is_marked_and_explained(documents):
    soup = BeautifulSoup(documents["nb"], "html.parser")
    rows = soup.select("section#owners tbody tr")
    marked = [tr for tr in rows if tr.select(".imputed")]
    assert [tr.find_all("td")[2].get_text() for tr in marked] == ["Friskolane i Rogaland"]
    caveats = soup.select_one("section#caveats").get_text()
    assert "anslått for Friskolane i Rogaland" in caveats
    assert "Lærerårsverk for Friskolane er anslått ut fra elevtall." in caveats


def test_provenance_is_shown(documents, proposal):
    text = BeautifulSoup(documents["en"], "html.parser").select_one("section#provenance").get_text()
    for value in (
        "scenarios/rogaland_2025.toml",
        "3f2a" * 16,
        "HiGHS",
        "1.7.2",
        "1 June 2025",
    ):
        assert value in text
    assert "Data version: municipalities.csv" in text


def test_write_report_names_the_file_per_language(proposal, geography, tmp_path):
    for lang in LANGUAGES:
        path = write_report(proposal, tmp_path / lang, lang, geography)
        assert path.name == REPORT_FILENAMES[lang]
        assert path.read_text(encoding="utf-8") == render_html(proposal, lang, geography)
    assert REPORT_FILENAMES == {"nb": "rapport.html", "nn": "rapport.html", "en": "report.html"}


def test_output_is_deterministic(proposal, geography, documents):
    assert render_html(proposal, "nb", geography) == documents["nb"]


def test_bad_input_is_named(proposal):
    with pytest.raises(DataError, match="owners: missing column.*amount_nok"):
        render_html(replace(proposal, owners=proposal.owners.drop(columns="amount_nok")), "nb")
    with pytest.raises(DekomoptError, match="language"):
        render_html(proposal, "sv")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_set_aside_is_named_in_the_readers_language(proposal, lang, tmp_path):
    from openpyxl import load_workbook

    from dekomopt.report import write_spreadsheet
    from dekomopt.scenario.schema import LocalText

    names = {"nb": "midler (bm)", "nn": "midlar (nn)", "en": "funds (en)"}
    amount = proposal.set_asides[0][1]
    named = replace(proposal, set_asides=((LocalText(names), amount),))
    summary = BeautifulSoup(render_html(named, lang), "html.parser").select_one("section#summary")
    workbook = load_workbook(write_spreadsheet(named, tmp_path / "forslag.xlsx", lang))
    cells = " ".join(str(c.value) for row in workbook.worksheets[0].iter_rows() for c in row)
    for shown in (summary.get_text(), cells):
        assert names[lang] in shown
        assert not [n for other, n in names.items() if other != lang and n in shown]


def test_the_page_has_its_own_map_legend_for_a_narrow_window(documents, proposal):
    soup = BeautifulSoup(documents["nn"], "html.parser")
    items = soup.select("#map ul.map-legend li")
    names = [li.get_text() for li in items]
    assert names[: len(proposal.regions)] == [str(r) for r in proposal.regions["region"]]
    assert all("background" in li.find("span")["style"] for li in items[: len(names) - 1])
    assert "@media screen and (max-width: 600px)" in documents["nn"]
