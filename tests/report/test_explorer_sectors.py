"""The what-if explorer shows the sector split wherever a lever moves kroner between sectors."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from dekomopt.county import build_county
from dekomopt.formats import format_nok
from dekomopt.proposal import propose
from dekomopt.report import render_html
from dekomopt.report.explorer import build_explorer
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_kindergarten_options_show_each_regions_sector_split():
    scenario = load_scenario(ROOT / "scenarios" / "rogaland-2026.toml")
    county = build_county(scenario)
    base = propose(scenario, county=county)
    explorer = build_explorer(
        scenario, base, county=county, levers=("kindergarten_share",), steps=(-0.1, 0.0, 0.1)
    )
    soup = BeautifulSoup(render_html(base, "nb", explorer=explorer), "html.parser")
    kindergarten_totals = []
    for point in explorer.points:
        assert point.proposal is not None
        panel = soup.find(id=f"whatif-kindergarten_share-{round(point.value * 1000)}")
        table = panel.find("h3", string="Fordeling på sektor").find_next("table")
        total = [td.get_text() for td in table.select("tfoot td")]
        allocation = point.proposal.allocation
        kindergarten = int(
            allocation.loc[allocation["sector"] == "kindergarten", "amount_nok"].sum()
        )
        school = int(allocation.loc[allocation["sector"] == "school", "amount_nok"].sum())
        assert total[1:3] == [format_nok(school), format_nok(kindergarten)]
        assert format_nok(kindergarten) in panel.select_one(".whatif-summary").get_text()
        kindergarten_totals.append(kindergarten)
    # a 10-point step moves about a tenth of the budget between the sectors
    low, own, high = kindergarten_totals
    assert high - own > 0.05 * base.budget_nok and own - low > 0.05 * base.budget_nok
