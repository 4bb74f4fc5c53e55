"""What-if explorer: the full proposal for each value of the forum's main levers, in the page.

:func:`build_explorer` solves the scenario again for a grid of values of each lever (UH
minimum, special-education share, kindergarten share where the regime has it) with
:func:`dekomopt.proposal.propose`, every point a real solve with every rule met, or an
infeasible point with the rules that conflict. :func:`explorer_section` writes every point's
summary, region, owner and partner tables into the HTML with a small inline script that shows
the point the reader picks: offline, no server.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dekomopt.county import County
from dekomopt.errors import InfeasibleError
from dekomopt.formats import format_nok, format_percent
from dekomopt.proposal import Proposal
from dekomopt.report.catalogue import text
from dekomopt.report.rules_text import partners_of
from dekomopt.scenario import Scenario

LEVERS: tuple[str, ...] = ("uh_share_min", "special_ed_share_min", "kindergarten_share")
"""The rules the forum debates, as ``[rules]`` keys."""
STEPS: tuple[float, ...] = (-0.10, -0.05, 0.0, 0.05, 0.10)
"""Grid around the scenario's value, in shares (percentage points / 100)."""


@dataclass(frozen=True)
class WhatIfPoint:
    """One lever value: its proposal, or the conflicting rules when none exists."""

    lever: str
    value: float
    proposal: Proposal | None
    conflicts: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class Explorer:
    """The scenario's own proposal and the grid points of every lever it has."""

    base: Proposal
    base_values: dict[str, float]
    points: tuple[WhatIfPoint, ...]


def lever_grid(value: float, steps: Sequence[float] = STEPS) -> tuple[float, ...]:
    """``value`` and the steps around it, kept within 0–1, rounded to whole per mille."""
    grid = sorted({round(min(1.0, max(0.0, value + step)), 3) for step in steps})
    return tuple(grid)


def build_explorer(
    scenario: Scenario,
    base: Proposal,
    *,
    county: County | None = None,
    levers: Sequence[str] = LEVERS,
    steps: Sequence[float] = STEPS,
) -> Explorer:
    """Solve ``scenario`` for each grid value of each lever it sets (``base`` is its own
    proposal, reused for the scenario's values).

    Every point is solved against the same last year as ``base`` (its regions' and owners'
    ``previous_nok``, however ``base`` got them), so each point's change from last year is
    known where the proposal's is, and the stability rule sees the same reference.
    """
    from dekomopt.proposal import propose

    last_year = _last_year(scenario, base)
    rules = scenario.spec.rules
    values = {lever: getattr(rules, lever) for lever in levers}
    values = {k: float(v) for k, v in values.items() if v is not None}
    points = []
    for lever, own in values.items():
        for value in lever_grid(own, steps):
            if abs(value - own) < 1e-12:
                points.append(WhatIfPoint(lever, value, base))
                continue
            variant = scenario.with_changes(rules={lever: value})
            try:
                proposal = propose(variant, county=county, **last_year)
            except InfeasibleError as exc:
                points.append(WhatIfPoint(lever, value, None, tuple(exc.conflicts), str(exc)))
                continue
            points.append(WhatIfPoint(lever, value, proposal))
    return Explorer(base, values, tuple(points))


def _last_year(scenario: Scenario, base: Proposal) -> dict[str, Any]:
    """``base``'s last year as :func:`~dekomopt.proposal.propose` takes it: the regions'
    amounts, their total (the scenario's ``previous_total_nok`` where it sets one), and the
    owners' amounts; empty when ``base`` has no last year."""
    regions = base.regions
    if "previous_nok" not in regions or regions["previous_nok"].isna().any():
        return {}
    previous = regions["previous_nok"].to_numpy(float)
    stated = scenario.spec.budget.previous_total_nok
    owners = base.owners
    last = "previous_amount_nok"
    known = owners[last].notna() if last in owners else None
    return {
        "previous": previous,
        "previous_total_nok": stated if stated is not None else int(round(previous.sum())),
        "previous_owners": None
        if known is None or not known.any()
        else pd.Series(
            owners.loc[known, last].to_numpy(float),
            index=owners.loc[known, "owner_id"].astype(str),
        ),
    }


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _point_id(point: WhatIfPoint) -> str:
    return f"whatif-{point.lever}-{round(point.value * 1000)}"


def _panel(point: WhatIfPoint, base: Proposal, lang: str) -> str:
    """One point's tables; where the scenario has kindergartens, each region's kroner by
    sector with the kindergarten kroner's change from ``base`` (the scenario's own value)."""
    from dekomopt.report.columns import (
        OWNER_COLUMNS,
        PARTNER_COLUMNS,
        PER_FTE_BASE,
        REGION_COLUMNS,
        SECTOR_COLUMNS,
        has_sectors,
        owner_table,
        partner_table,
        region_table,
        sector_table,
    )
    from dekomopt.report.html import column_table
    from dekomopt.report.summary import summarise

    if point.proposal is None:
        rules = ", ".join(point.conflicts) or text("unknown", lang)
        return f'<p class="not-met">{_e(text("whatif_infeasible", lang, rules=rules))}</p>'
    proposal = point.proposal
    summary = summarise(proposal)
    facts = text(
        "whatif_summary",
        lang,
        owners=format_nok(summary.owners_total),
        partners=format_nok(summary.partners_total),
        total=format_nok(summary.distributed),
        group=text(partners_of(proposal), lang),
        uh=format_percent(summary.partner_share),
        special=format_percent(summary.special_ed_share),
    )
    sectors = ""
    if has_sectors(proposal) or has_sectors(base):
        totals = dict(summary.sector_totals)
        kindergarten = totals.get("kindergarten", 0)
        facts += " " + text(
            "whatif_sector_summary",
            lang,
            school=format_nok(totals.get("school", 0)),
            kindergarten=format_nok(kindergarten),
            share=format_percent(kindergarten / summary.distributed if summary.distributed else 0),
        )
        sectors = f"<h3>{_e(text('whatif_sectors', lang))}</h3>" + column_table(
            SECTOR_COLUMNS, sector_table(proposal, base), lang
        )
    met = all(r.met for r in proposal.rules)
    status = text("whatif_all_met" if met else "whatif_not_all_met", lang)
    return (
        f'<p class="whatif-summary">{_e(facts)} {_e(status)}</p>'
        + sectors
        + f"<h3>{_e(text('sec_regions', lang))}</h3>"
        + column_table(
            REGION_COLUMNS,
            region_table(proposal, lang),
            lang,
            per_fte_base=PER_FTE_BASE["regions"],
        )
        + f"<h3>{_e(text('sec_owners', lang))}</h3>"
        + column_table(
            OWNER_COLUMNS,
            owner_table(proposal, lang),
            lang,
            per_fte_base=PER_FTE_BASE["owners"],
        )
        + f"<h3>{_e(text('sec_partners', lang))}</h3>"
        + column_table(PARTNER_COLUMNS, partner_table(proposal, lang), lang)
    )


SCRIPT = """
(function () {
  var select = document.getElementById("whatif-select");
  function show() {
    var panels = document.querySelectorAll("#explorer .whatif-panel");
    for (var i = 0; i < panels.length; i++) {
      panels[i].hidden = panels[i].id !== select.value;
    }
  }
  select.addEventListener("change", show);
  show();
})();
"""
"""Shows the chosen point's panel; the page works (showing the scenario's own) without it."""


def _values_sentence(explorer: Explorer, lang: str) -> str:
    """The lever values the page offers, each lever's in order: the grid as solved, so the
    sentence holds where a step would leave 0–100 % and fewer values are offered."""
    words = text(partners_of(explorer.base), lang)
    levers = [
        text(
            "whatif_lever_values",
            lang,
            lever=text(f"lever_{lever}", lang, partners=words),
            values=", ".join(format_percent(p.value) for p in explorer.points if p.lever == lever),
        )
        for lever in explorer.base_values
    ]
    return text("whatif_values", lang, values="; ".join(levers))


def explorer_section(explorer: Explorer, proposal: Proposal, lang: str) -> str:
    """The what-if section: a choice of lever value and one panel per point."""
    groups, panels = [], []
    base_id = ""
    words = text(partners_of(explorer.base), lang)
    for lever in explorer.base_values:
        options = []
        for point in (p for p in explorer.points if p.lever == lever):
            own = abs(point.value - explorer.base_values[lever]) < 1e-12
            pid = _point_id(point)
            if own and not base_id:
                base_id = pid
            label = text(
                "whatif_option",
                lang,
                lever=text(f"lever_{lever}", lang, partners=words),
                value=format_percent(point.value),
            )
            if own:
                label += " – " + text("whatif_scenario_value", lang)
            if point.proposal is None:
                label += " – " + text("whatif_option_infeasible", lang)
            selected = " selected" if own and pid == base_id else ""
            options.append(f'<option value="{pid}"{selected}>{_e(label)}</option>')
            panels.append(
                f'<div class="whatif-panel" id="{pid}"{"" if pid == base_id else " hidden"}>'
                f"{_panel(point, explorer.base, lang)}</div>"
            )
        name = text(f"lever_{lever}", lang, partners=words)
        groups.append(f'<optgroup label="{_e(name)}">{"".join(options)}</optgroup>')
    body = (
        f"<p>{_e(text('whatif_intro', lang))}</p>"
        f'<p class="whatif-values">{_e(_values_sentence(explorer, lang))}</p>'
        f'<p class="whatif-control"><label for="whatif-select">'
        f"{_e(text('whatif_choose', lang))}</label> "
        f'<select id="whatif-select">{"".join(groups)}</select></p>'
        + "".join(panels)
        + f"<script>{SCRIPT}</script>"
    )
    return (
        f'<section id="explorer" class="page"><h2>{_e(text("sec_explorer", lang))}</h2>'
        f"{body}</section>"
    )
