"""The reports of the bundled scenarios, as the forum gets them: language, numbers, browser, print.

Browser checks run in the system Chromium driven by Playwright (no download, no network).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from dekomopt.cli import main
from dekomopt.county import build_county
from dekomopt.data import load_polygons
from dekomopt.data.register import load_adjacency
from dekomopt.report import geography_from_proposal
from dekomopt.report.geography import region_neighbours
from dekomopt.scenario import load_scenario

SCENARIOS = ("rogaland-2026", "vestland-2026", "nordland-2026")
ROOT = Path(__file__).resolve().parents[2]
ENGLISH = (
    "county",
    "ratio",
    "estimate",
    "inhabitant",
    "illustrative",
    "assumption",
    "scenario",
    "python",
    "private-network",
    "the",
    "was",
    "found",
    "teacher",
    "imputed",
    "share",
    "population",
    "private",
    "schools",
    "owners",
    "partners",
    "structure",
    "budget",
    "rounding",
    "largest_remainder",
    "scenario_name",
    "year",
)
"""English words that must not appear in a Norwegian report (whole words, any case)."""
A4_PRINT_WIDTH_PX = 703
"""A4 (210 mm) less the print margins (2 × 12 mm) at 96 px per inch."""


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """``(scenario, lang)`` → folder with the report written by ``dekomopt report``."""
    out = {}
    for name in SCENARIOS:
        for lang in ("nb", "nn"):
            folder = tmp_path_factory.mktemp(f"{name}-{lang}")
            scenario = ROOT / "scenarios" / f"{name}.toml"
            assert main(["report", str(scenario), "--out", str(folder), "--lang", lang]) == 0
            out[name, lang] = folder
    return out


def _visible_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text(" ")


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_norwegian_reports_have_no_english_and_no_decimal_point(reports, name, lang):
    text = _visible_text(reports[name, lang] / "rapport.html")
    found = {
        word: [
            m.group(0) for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I)
        ]
        for word in ENGLISH
    }
    assert {w: hits for w, hits in found.items() if hits} == {}
    # a decimal point between digits (versions such as 1.16.0 and the clock, kl. 23.40, aside)
    clockless = re.sub(r"kl\. \d{2}\.\d{2}", "", text)
    decimals = re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", clockless)
    assert decimals == []


def test_the_date_is_norwegian(reports):
    text = _visible_text(reports["vestland-2026", "nb"] / "rapport.html")
    assert re.search(r"\d{1,2}\. (januar|februar|mars|april|mai|juni|juli|august|september|"
                     r"oktober|november|desember) \d{4}", text)  # fmt: skip
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)


def test_sources_have_no_duplicate_rows(reports):
    soup = BeautifulSoup(
        (reports["vestland-2026", "nn"] / "rapport.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    rows = [
        tuple(td.get_text(" ", strip=True) for td in tr.find_all("td"))
        for tr in soup.select("section#provenance tbody tr")
    ]
    labels = [r[0] for r in rows]
    assert len(labels) == len(set(labels))
    assert "Friskulane i Vestland" in soup.select_one("section#owners").get_text()


def _amounts(panel, header: str = "Beløp") -> list[int]:
    """The region amounts (column ``header``) of the first table in ``panel`` that has it."""

    def headers_of(table) -> list[str]:
        return [th.get_text(strip=True) for th in table.select("thead th")]

    table = next(t for t in panel.find_all("table") if header in headers_of(t))
    headers = headers_of(table)
    column = headers.index(header)
    return [
        int(re.sub(r"\D", "", tr.find_all("td")[column].get_text()))
        for tr in table.select("tbody tr")
    ]


def test_every_what_if_point_adds_up_to_the_budget(reports):
    soup = BeautifulSoup(
        (reports["vestland-2026", "nb"] / "rapport.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    budget = int(
        re.sub(r"\D", "", soup.select_one("section#regions tfoot td.num:nth-of-type(4)").get_text())
    )
    panels = soup.select("#explorer .whatif-panel")
    options = soup.select("#whatif-select option")
    assert len(panels) == len(options) >= 10
    feasible = [p for p in panels if p.find("table")]
    assert len(feasible) >= 10
    seen = set()
    for panel in feasible:
        amounts = _amounts(panel)
        assert sum(amounts) == budget, panel["id"]
        owners = _amounts(panel, "Til skoleeiere")
        partners = _amounts(panel, "Til partnere")
        assert sum(owners) + sum(partners) == budget, panel["id"]
        seen.add(tuple(owners))
    assert len(seen) > 1  # the levers change how each region's amount is shared
    for panel in panels:
        if not panel.find("table"):
            assert re.search(r"R\d+", panel.get_text())  # an infeasible point names its rules


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not on PATH")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


_MAP_GEOMETRY = """
() => {
  const box = (r) => ({x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
  const svg = document.querySelector('#map svg');
  const texts = [...svg.querySelectorAll('text')].map((t) => ({
    text: t.textContent, ...box(t.getBoundingClientRect())}));
  const fills = [...svg.querySelectorAll('[id^="fig-map-mun-"]')].map((g) => {
    const path = g.tagName === 'path' ? g : g.querySelector('path');
    return {id: g.id, fill: getComputedStyle(path).fill};
  });
  const land = [...svg.querySelectorAll('[id^="fig-map-mun-"]')].map(
    (g) => box(g.getBoundingClientRect()));
  const legend = box(svg.querySelector('[id="fig-map-legend"]').getBoundingClientRect());
  return {texts, fills, land, legend};
}
"""


def _overlap(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_map_in_the_browser(browser, reports, name, lang):
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    page.goto((reports[name, lang] / "rapport.html").as_uri())
    geometry = page.evaluate(_MAP_GEOMETRY)
    page.close()
    texts = [t for t in geometry["texts"] if t["text"].strip()]
    assert len(texts) > 5
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(texts)
        for b in texts[i + 1 :]
        if _overlap(a, b)
    ]
    assert clashes == []
    # neighbours never share a fill: land borders from the bundled adjacency, and the map's own
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    county = build_county(scenario)
    region_of = dict(
        zip(county.owners["owner_id"].astype(str), county.owners["region"], strict=False)
    )
    fill_of_region: dict[str, set[str]] = {}
    for item in geometry["fills"]:
        code = item["id"].split("-")[3]
        fill_of_region.setdefault(region_of[code], set()).add(item["fill"])
    assert all(len(f) == 1 for f in fill_of_region.values()), fill_of_region
    fill = {r: next(iter(f)) for r, f in fill_of_region.items()}
    land = load_adjacency(county.name, kinds=("land",))
    pairs = {
        (region_of[a], region_of[b])
        for a, b in zip(land["a"], land["b"], strict=True)
        if a in region_of and b in region_of and region_of[a] != region_of[b]
    }
    from dekomopt.proposal import propose

    proposal = propose(scenario, county=county)
    geography = geography_from_proposal(proposal, load_polygons(county.name))
    pairs |= set(region_neighbours(geography).edges)
    assert pairs
    assert [(a, b) for a, b in pairs if fill[a] == fill[b]] == []
    # the legend stands beside the map
    assert not any(_overlap(geometry["legend"], box) for box in geometry["land"])
    labels = {t["text"] for t in texts}
    for partner in county.partners["partner_name"]:
        assert partner in labels


_TABLE_WIDTHS = """
() => [...document.querySelectorAll('table')]
  .filter((t) => t.offsetParent !== null)
  .map((t) => ({id: t.closest('section').id, width: t.getBoundingClientRect().width,
                scroll: t.scrollWidth}))
"""


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_table_fits_the_a4_print_width(browser, reports, name, lang):
    page = browser.new_page(viewport={"width": A4_PRINT_WIDTH_PX, "height": 1000})
    page.emulate_media(media="print")
    page.goto((reports[name, lang] / "rapport.html").as_uri())
    widths = page.evaluate(_TABLE_WIDTHS)
    body = page.evaluate("() => document.body.getBoundingClientRect().width")
    page.close()
    assert body <= A4_PRINT_WIDTH_PX
    assert widths
    too_wide = [w for w in widths if max(w["width"], w["scroll"]) > body + 0.5]
    assert too_wide == []


@pytest.mark.parametrize("width", [800, 480])
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_narrow_window_scrolls_wide_tables_in_their_own_box(browser, reports, name, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((reports[name, "nn"] / "rapport.html").as_uri())
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.table-wrap')].filter((b) => b.offsetParent)"
        ".map((b) => ({box: b.getBoundingClientRect().right, table: b.scrollWidth}))"
    )
    page.close()
    assert page_width <= width
    assert boxes
    assert all(b["box"] <= width for b in boxes)


_TABLE_BOXES = """
() => [...document.querySelectorAll('.table-wrap')].filter((b) => b.offsetParent).map((b) => ({
  id: b.closest('section').id, left: b.getBoundingClientRect().left,
  right: b.getBoundingClientRect().right, client: b.clientWidth, scroll: b.scrollWidth}))
"""


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_table_is_whole_in_a_desktop_window(browser, reports, name, width):
    """No table needs scrolling at desktop widths: a table wider than the text column takes
    the window's width, inside the window."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((reports[name, "nb"] / "rapport.html").as_uri())
    boxes = page.evaluate(_TABLE_BOXES)
    page.close()
    assert boxes
    assert [b for b in boxes if b["scroll"] > b["client"] + 1] == []
    assert [b for b in boxes if b["left"] < 0 or b["right"] > width] == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_phone_keeps_the_page_width_and_a_readable_map_legend(browser, reports, name):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((reports[name, "nb"] / "rapport.html").as_uri())
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    select = page.evaluate(
        "() => document.getElementById('whatif-select').getBoundingClientRect().right"
    )
    legend = page.evaluate(
        "() => [...document.querySelectorAll('#map ul.map-legend li')]"
        ".filter((li) => li.offsetParent).map((li) => ({text: li.textContent,"
        " size: parseFloat(getComputedStyle(li).fontSize)}))"
    )
    map_texts = page.evaluate(
        "() => [...document.querySelectorAll('#map svg text')]"
        ".map((t) => t.getBoundingClientRect().height).filter((h) => h > 0)"
    )
    page.close()
    assert page_width <= 390
    assert select <= 390
    assert legend and all(item["size"] >= 12 for item in legend)
    assert [t for t in map_texts if t < 10] == []  # the map's own small labels are hidden
    soup = BeautifulSoup((reports[name, "nb"] / "rapport.html").read_text("utf-8"), "html.parser")
    regions = [row.find("td").get_text() for row in soup.select("section#regions tbody tr")]
    shown = {item["text"] for item in legend}
    owners = load_scenario(ROOT / "scenarios" / f"{name}.toml").spec.owners
    no_area = {owners.private_network_region} if owners.private_network else set()
    assert shown >= set(regions) - no_area  # the map's legend: the regions it draws
    assert not shown & no_area  # a private-school network has no area on the map


def test_what_if_control_changes_the_region_amounts(browser, reports):
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    page.goto((reports["vestland-2026", "nb"] / "rapport.html").as_uri())
    shown = "() => [...document.querySelectorAll('#explorer .whatif-panel')].filter(p => !p.hidden)"
    visible = page.evaluate(shown + ".map(p => p.id)")
    assert len(visible) == 1
    before = page.inner_text(f"#{visible[0]} table")
    options = page.evaluate(
        "() => [...document.querySelectorAll('#whatif-select option')].map(o => o.value)"
    )
    other = next(o for o in options if o != visible[0] and "uh_share_min" in o)
    page.select_option("#whatif-select", other)
    after_ids = page.evaluate(shown + ".map(p => p.id)")
    after = page.inner_text(f"#{other} table")
    page.close()
    assert after_ids == [other]
    assert after != before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_workbook_opens_clean_in_libreoffice(reports, tmp_path):
    workbook = reports["vestland-2026", "nb"] / "forslag.xlsx"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheets = sorted(tmp_path.glob("forslag-*.csv"))
    assert len(sheets) >= 7
    for sheet in sheets:
        content = sheet.read_text(encoding="utf-8")
        assert "Err:" not in content and "#NAME?" not in content, sheet.name
    regions = next(s for s in sheets if s.stem.endswith("Regioner")).read_text(encoding="utf-8")
    budget = load_scenario(ROOT / "scenarios" / "vestland-2026.toml").spec.budget.total_nok
    total = next(line for line in regions.splitlines() if line.startswith("Sum,")).split(",")
    assert float(total[3]) == budget  # the amount column, computed by LibreOffice
    assert float(total[4]) + float(total[5]) == budget  # to owners + to partners
    summary = next(s for s in sheets if s.stem.endswith("Sammendrag")).read_text(encoding="utf-8")
    values = [row.split(",")[-1] for row in summary.splitlines()[1:]]
    assert values.count(str(budget)) >= 3  # before set-asides, to distribute, distributed


@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("chromium") is None,
    reason="needs chromium and pdftotext",
)
def test_pdf_holds_every_owner_and_amount(tmp_path):
    scenario = ROOT / "scenarios" / "rogaland-2026.toml"
    assert main(["report", str(scenario), "--out", str(tmp_path), "--pdf"]) == 0
    pdf = tmp_path / "rapport.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    soup = BeautifulSoup((tmp_path / "rapport.html").read_text(encoding="utf-8"), "html.parser")
    for tr in soup.select("section#owners tbody tr"):
        cells = [td.get_text(" ", strip=True).replace("\u00a0", " ") for td in tr.find_all("td")]
        name, amount = cells[2], cells[5]
        for word in name.split():
            assert word in flat, name
        assert amount in flat, (name, amount)
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert int(re.search(r"Pages:\s+(\d+)", pages.stdout).group(1)) >= 3


@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("chromium") is None,
    reason="needs chromium and pdftotext",
)
@pytest.mark.parametrize(("lang", "name"), [("nb", "rapport"), ("en", "report")])
def test_pdf_prints_each_total_once_under_the_reports_name(tmp_path, lang, name):
    """A table's total row is printed once, at its end, not at the foot of every page; the
    PDF takes the HTML's name."""
    scenario = ROOT / "scenarios" / "vestland-2026.toml"
    args = ["report", str(scenario), "--lang", lang, "--out", str(tmp_path), "--pdf"]
    assert main([*args, "--no-explorer"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [f"{name}.pdf"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    soup = BeautifulSoup((tmp_path / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    for section in ("regions", "owners", "partners"):
        cells = soup.select(f"section#{section} tfoot td")
        total = " ".join(td.get_text(strip=True) for td in cells if td.get_text(strip=True))
        pattern = r"\s+".join(re.escape(part) for part in total.replace("\u00a0", " ").split())
        found = re.findall(pattern, text.replace("\u00a0", " "))
        assert len(found) == 1, (section, total, len(found))


@pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("chromium") is None,
    reason="needs chromium and pdftotext",
)
@pytest.mark.parametrize(("name", "lang"), [("rogaland-2026", "nn"), ("vestland-2026", "nb")])
def test_no_pdf_page_ends_with_a_heading(tmp_path, name, lang):
    """Every heading is printed on the page of what follows it (alternatives and rule tables
    included)."""
    scenario = ROOT / "scenarios" / f"{name}.toml"
    args = ["report", str(scenario), "--lang", lang, "--out", str(tmp_path), "--pdf"]
    assert main([*args, "--alternatives", "3", "--no-explorer"]) == 0
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "rapport.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    soup = BeautifulSoup((tmp_path / "rapport.html").read_text(encoding="utf-8"), "html.parser")
    headings = {h.get_text(" ", strip=True) for h in soup.select("h2, h3, h4")}
    assert len(headings) > 10
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"Side \d+ av \d+", line)]
        assert body[-1] not in headings, (number, body[-1])


SOURCE_WORDS = ("scope", "input", "files", "rows", "inhabitant", "public", "values", "university")
"""English words the provenance table and the init notes used to show."""


@pytest.fixture(scope="session")
def other_reports(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """nb and nn reports (no explorer) of the bundled scenarios outside :data:`SCENARIOS` and
    of a scenario ``dekomopt init`` writes."""
    root = tmp_path_factory.mktemp("other")
    assert main(["init", "Agder", "--out", str(root / "agder.toml")]) == 0
    scenarios = [p for p in (ROOT / "scenarios").glob("*.toml") if p.stem not in SCENARIOS]
    out = {}
    for scenario in [*scenarios, root / "agder.toml"]:
        for lang in ("nb", "nn"):
            folder = root / f"{scenario.stem}-{lang}"
            args = ["report", str(scenario), "--out", str(folder), "--lang", lang]
            assert main([*args, "--no-explorer"]) == 0
            out[scenario.stem, lang] = folder
    return out


def test_every_other_norwegian_report_has_no_english(other_reports):
    """Scenario keys (``owners.fte_source``, ``[partners]``), file names and the scenario's own
    partner names are the user's words and stay as written."""
    assert {name for name, _ in other_reports} >= {"rogaland-2025", "agder"}
    for (name, lang), folder in other_reports.items():
        text = _visible_text(folder / "rapport.html")
        partners = pd.read_csv(folder / "partners.csv")["partner_name"]
        for given in partners:
            text = text.replace(str(given), " ")
        found = sorted(
            {
                m.group(0)
                for word in (*ENGLISH, *SOURCE_WORDS)
                if word != "private"  # also Norwegian: "private skoler"
                for m in re.finditer(rf"(?<![\w.\[-]){word}(?![\w-]|\.\w)", text, re.I)
            }
        )
        assert found == [], (name, lang)
        assert "{'" not in text, (name, lang)  # no Python dict shown


def test_sources_list_each_input_file_readably(other_reports):
    soup = BeautifulSoup(
        (other_reports["agder", "nb"] / "rapport.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    rows = {
        tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text()
        for tr in soup.select("section#provenance tbody tr")
    }
    assert rows["Område"].startswith("Agder")
    files = {label: value for label, value in rows.items() if label.startswith("Inndatafil ")}
    assert files
    for value in files.values():
        assert re.search(r" \(\w+, .+; \d[\d\u00a0 ]* rader; SHA-256 [0-9a-f]{16}\)$", value)
    # populations in imputation methods are Norwegian numbers
    methods = " ".join(li.get_text() for li in soup.select("section#owners ul.methods li"))
    assert re.search(r"× \d{1,3}(\u00a0\d{3})+ innbyggere", methods)
