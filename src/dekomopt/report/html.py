"""The forum report as one self-contained HTML file: inline CSS, inline SVG, no external links."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from dekomopt.allocation.outcome import RuleCheck
from dekomopt.formats import (
    DASH,
    format_fte,
    format_nok,
    format_percent,
    is_missing,
)
from dekomopt.proposal import Proposal
from dekomopt.proposal.folder import REPORT_FILENAMES
from dekomopt.report.catalogue import check_language, has_message, text
from dekomopt.report.columns import (
    ALTERNATIVE_REGION_COLUMNS,
    OWNER_COLUMNS,
    PARTNER_COLUMNS,
    PER_FTE_BASE,
    RECIPIENT_CHANGE_COLUMNS,
    REGION_COLUMNS,
    Column,
    in_key,
    key_fte_note,
    owner_table,
    partner_table,
    recipient_change_table,
    region_table,
    sorted_owners,
)
from dekomopt.report.explorer import Explorer, explorer_section
from dekomopt.report.figures import (
    hatch_colour,
    map_svg,
    owners_differ,
    per_fte_svg,
    region_colours,
    split_svg,
)
from dekomopt.report.geography import Geography, map_caption, regions_on_map
from dekomopt.report.notes import in_language
from dekomopt.report.rules_text import partners_of, rule_name, rule_sentences, subject_rows
from dekomopt.report.summary import (
    Summary,
    bound_share,
    caveat_lines,
    check_proposal,
    column,
    direction_words,
    flags,
    known_total,
    provenance_rows,
    regime_name,
    scenario_title,
    shortfall_words,
    summarise,
)

"""File name of the report per language."""

CSS = """
:root { --ink: #1d1d1d; --muted: #5a5a5a; --rule: #c9c9c9; --warn: #8a1c1c;
  --column: 1100px; --gutter: 1.5rem; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
  max-width: var(--column); margin: 0 auto; padding: var(--gutter); line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem;
  margin-top: 2.2rem; }
.subtitle { color: var(--muted); margin-top: 0; }
.banner { border: 3px solid var(--warn); color: var(--warn); background: #fdeeee;
  padding: 0.6rem 1rem; font-weight: bold; margin: 1rem 0; }
.banner p { margin: 0.2rem 0; }
nav ol { columns: 2; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0; font-size: 0.9rem; }
.table-wrap { overflow-x: auto; }
.table-wrap > table { margin: 0.4rem 0; }
@media screen {
  /* A table wider than the text column may use the window's width (centred, a gutter from
     each edge); one wider than the window scrolls in its own box, with a shadow on the side
     where more of it is. */
  .table-wrap { margin-inline: min(0px, (100% - (100vw - 2 * var(--gutter))) / 2);
    background:
      linear-gradient(to right, #fff 40%, rgba(255, 255, 255, 0)) left / 2rem 100% no-repeat local,
      linear-gradient(to left, #fff 40%, rgba(255, 255, 255, 0)) right / 2rem 100% no-repeat local,
      radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, 0.3), rgba(0, 0, 0, 0))
        left / 0.9rem 100% no-repeat scroll,
      radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.3), rgba(0, 0, 0, 0))
        right / 0.9rem 100% no-repeat scroll; }
  .table-wrap > table { width: min(var(--column), 100%); margin-inline: auto; }
  .table-wrap.rule-wrap { margin-inline: 0; }
}
#provenance td { overflow-wrap: anywhere; }
.print-only { display: none; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; }
th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th, td { overflow-wrap: break-word; }
#rules table, #rules ul { margin: 0.4rem 0 0.8rem; }
#rules table { width: auto; min-width: 50%; max-width: 100%; font-size: 0.85rem; }
#rules h3 { margin: 1rem 0 0.3rem; font-size: 1.05rem; }
.whatif-control select { font-size: 1rem; padding: 0.2rem; max-width: 100%; }
.whatif-summary { font-weight: bold; }
ul.methods { margin: 0.2rem 0 0.6rem; columns: 2; font-size: 0.8rem; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
tr.inactive td { color: var(--muted); }
.not-met { color: var(--warn); font-weight: bold; }
.imputed { color: var(--warn); font-weight: bold; }
.note { color: var(--muted); font-size: 0.85rem; }
td .note { font-size: 0.9em; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: 0.9rem; }
svg.figure-svg { width: 100%; height: auto; display: block; }
svg.figure-svg * { stroke-linejoin: round; stroke-linecap: butt; }
#map svg.figure-svg { max-width: 760px; margin: 0 auto; }
ul.map-legend { display: none; list-style: none; padding: 0; margin: 0.4rem 0;
  font-size: 0.9rem; }
ul.map-legend li { display: inline-flex; align-items: center; margin: 0 1rem 0.3rem 0; }
.swatch { display: inline-block; width: 1.6rem; height: 1rem; margin-right: 0.4rem;
  border: 1px solid #fff; outline: 1px solid var(--rule); }
.swatch.partner { width: 0.7rem; height: 0.7rem; background: #000; outline: none; }
@media screen and (max-width: 600px) {
  /* On a phone the map's own labels and legend would be a few pixels high: the map shows
     the regions' fills, and the legend below it is the page's text. */
  #map [id^="fig-map-label-"], #map [id="fig-map-legend"] { display: none; }
  ul.map-legend { display: block; }
  .whatif-control label { display: block; }
  th, td { padding: 0.25rem 0.3rem; }
}
code { font-size: 0.85rem; word-break: break-all; }
@media print {
  @page { size: A4 portrait; margin: 18mm 12mm 16mm 12mm; }
  body { max-width: none; padding: 0; font-size: 9pt; }
  table { font-size: 7.5pt; }
  th, td { padding: 0.15rem 0.25rem; }
  #owners table { font-size: 6.8pt; }
  #owners th, #owners td { padding: 0.15rem; }
  .table-wrap { overflow: visible; margin-inline: 0; }
  .print-only { display: block; }
  h2, h3, h4 { break-after: avoid-page; page-break-after: avoid; }
  h2 + *, h3 + *, h4 + * { break-before: avoid-page; page-break-before: avoid; }
  h3 + p, h3 + p + p, #rules p.requirement, #rules p.note {
    break-after: avoid-page; page-break-after: avoid; }
  p + .table-wrap, p + table { break-before: avoid-page; page-break-before: avoid; }
  section.page { break-before: auto; }
  section#summary, section#rules, section#caveats { break-before: page; }
  #explorer { display: none; }
  figure svg.figure-svg { max-height: 235mm; width: auto; max-width: 100%; margin: 0 auto; }
  #map svg.figure-svg { max-height: 160mm; }
  #rules section, #rules li, #rules .rule { break-inside: avoid; }
  #rules table { break-inside: avoid; }
  * { background: none !important; box-shadow: none !important; }
  nav { display: none; }
  h2 { break-after: avoid; }
  table { page-break-inside: auto; }
  tr, td, th { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tfoot { display: table-row-group; }
  figure { break-inside: avoid; }
  .banner { border-width: 2px; }
}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(
    headers: Iterable[tuple[str, bool]],
    rows: Iterable[tuple[Iterable[tuple[str, bool]], str]],
    footer: Iterable[tuple[str, bool]] | None = None,
) -> str:
    """A table of already-escaped cells ``(html, is_number)``; rows are ``(cells, css_class)``."""

    def cells(items: Iterable[tuple[str, bool]], tag: str) -> str:
        return "".join(f"<{tag}{' class=num' if num else ''}>{body}</{tag}>" for body, num in items)

    head = f"<thead><tr>{cells(headers, 'th')}</tr></thead>"
    body = "".join(
        f"<tr{f' class={cls}' if cls else ''}>{cells(row, 'td')}</tr>" for row, cls in rows
    )
    foot = f'<tfoot><tr class="total">{cells(footer, "td")}</tr></tfoot>' if footer else ""
    return f'<div class="table-wrap"><table>{head}<tbody>{body}</tbody>{foot}</table></div>'


def _section(section_id: str, title: str, body: str, page_break: bool = True) -> str:
    cls = ' class="page"' if page_break else ""
    return f'<section id="{section_id}"{cls}><h2>{_e(title)}</h2>{body}</section>'


def _banner(proposal: Proposal, lang: str) -> str:
    lines = []
    if proposal.structure_illustrative:
        lines.append(text("banner_structure", lang))
    if proposal.budget_illustrative:
        lines.append(text("banner_budget", lang))
    if not lines:
        return ""
    body = "".join(f"<p>{_e(line)}</p>" for line in [text("banner_illustrative", lang), *lines])
    return f'<div class="banner illustrative" role="alert">{body}</div>'


def _map_section(
    proposal: Proposal,
    geography: Geography | None,
    lang: str,
    colours: dict[str, tuple[str, str]],
) -> str:
    if geography is None:
        body = f'<p class="note">{_e(text("fig_map_missing", lang))}</p>'
    else:
        body = (
            f'<figure id="map">{map_svg(proposal, geography, lang, colours)}'
            f"{_map_legend(proposal, geography, lang, colours)}"
            f"<figcaption>{_e(text(map_caption(geography), lang))}</figcaption></figure>"
        )
    return _section("map-section", text("sec_map", lang), body, page_break=False)


_HATCH_CSS = {
    "/": "repeating-linear-gradient(-45deg, {c} 0 1px, transparent 1px 4px)",
    "\\": "repeating-linear-gradient(45deg, {c} 0 1px, transparent 1px 4px)",
    "-": "repeating-linear-gradient(0deg, {c} 0 1px, transparent 1px 4px)",
    "|": "repeating-linear-gradient(90deg, {c} 0 1px, transparent 1px 4px)",
    "x": "repeating-linear-gradient(45deg, {c} 0 1px, transparent 1px 4px), "
    "repeating-linear-gradient(-45deg, {c} 0 1px, transparent 1px 4px)",
    "+": "repeating-linear-gradient(0deg, {c} 0 1px, transparent 1px 4px), "
    "repeating-linear-gradient(90deg, {c} 0 1px, transparent 1px 4px)",
}
"""The map's hatches as CSS for the page's own legend; dots, rings and stars as dots."""
_DOTS_CSS = "radial-gradient(circle, {c} 0 1px, transparent 1.5px) 0 0 / 4px 4px"


def _swatch_style(fill: str, hatch: str) -> str:
    """A legend swatch's CSS: the region's fill and, in the hatch's colour, its hatch."""
    if not hatch:
        return f"background: {fill}"
    pattern = _HATCH_CSS.get(hatch[0], _DOTS_CSS).format(c=hatch_colour(fill))
    return f"background: {pattern}, {fill}"


def _map_legend(
    proposal: Proposal,
    geography: Geography,
    lang: str,
    colours: dict[str, tuple[str, str]],
) -> str:
    """The map's legend as page text, shown where the page is too narrow for the map's own
    labels and legend to be read: the fill of each region the map draws, and the partners'
    marker."""
    regions = regions_on_map(geography, [str(r) for r in proposal.regions["region"]])
    items = [
        f'<li><span class="swatch" style="{_e(_swatch_style(*colours[region]))}"></span>'
        f"{_e(region)}</li>"
        for region in regions
        if region in colours
    ]
    if geography.partner_points:
        items.append(
            f'<li><span class="swatch partner"></span>{_e(text("legend_partner", lang))}</li>'
        )
    return f'<ul class="map-legend">{"".join(items)}</ul>'


def _share_row(
    label: str, share: float, rule_id: str, proposal: Proposal, lang: str
) -> list[tuple[str, bool]]:
    """Share, the rule's bound as a share of the budget, and whether every row of it is met."""
    rows = [r for r in proposal.rules if r.rule == rule_id]
    if not rows:
        return [
            (_e(label), False),
            (format_percent(share), True),
            (_e(text("no_rule", lang)), False),
            ("", False),
        ]
    bound = bound_share(rows, proposal.budget_nok)
    bounds = DASH if bound is None else text("bound_min", lang, bound=format_percent(bound))
    met = all(r.met for r in rows)
    status = text("status_met" if met else "status_not_met", lang)
    status_html = _e(status) if met else f'<span class="not-met">{_e(status)}</span>'
    return [
        (_e(label), False),
        (format_percent(share), True),
        (_e(bounds), False),
        (status_html, False),
    ]


def _summary_section(proposal: Proposal, summary: Summary, lang: str) -> str:
    words = text(partners_of(proposal), lang)
    rows = [[(_e(text("row_budget_total", lang)), False), (format_nok(summary.budget_total), True)]]
    for name, amount in summary.set_asides:
        rows.append(
            [
                (_e(text("row_set_aside", lang, name=in_language(name, lang))), False),
                (format_nok(-amount, signed=True), True),
            ]
        )
    rows += [
        [(_e(text("row_budget", lang)), False), (format_nok(summary.budget), True)],
        [(_e(text("row_owners_total", lang)), False), (format_nok(summary.owners_total), True)],
        [
            (_e(text("row_partners_total", lang, partners=words)), False),
            (format_nok(summary.partners_total), True),
        ],
    ]
    if len(summary.sector_totals) > 1:
        for sector, amount in summary.sector_totals:
            label = text(f"sector_{sector}", lang) if has_message(f"sector_{sector}") else sector
            rows.append(
                [(_e(text("row_sector", lang, sector=label)), False), (format_nok(amount), True)]
            )
    amounts = _table(
        [(_e(text("col_item", lang)), False), (_e(text("col_amount", lang)), True)],
        [(row, "") for row in rows],
        [(_e(text("row_distributed", lang)), False), (format_nok(summary.distributed), True)],
    )
    shares = _table(
        [
            (_e(text("col_item", lang)), False),
            (_e(text("col_share", lang)), True),
            (_e(text("col_bound", lang)), False),
            (_e(text("col_status", lang)), False),
        ],
        [
            (
                _share_row(
                    text("row_partner_share", lang, partners=words),
                    summary.partner_share,
                    "R3",
                    proposal,
                    lang,
                ),
                "",
            ),
            (
                _share_row(
                    text("row_special_ed_share", lang),
                    summary.special_ed_share,
                    "R5",
                    proposal,
                    lang,
                ),
                "",
            ),
        ],
    )
    return _section("summary", text("sec_summary", lang), amounts + shares, page_break=True)


def _cell(value: object, kind: str, lang: str) -> tuple[str, bool]:
    """One escaped cell in the column's kind: text, kroner, change, FTE, share or capacity."""
    if kind == "text":
        return _e("" if is_missing(value) else value), False
    if kind == "nok":
        return format_nok(value), True
    if kind == "change":
        return format_nok(value, signed=True), True
    if kind == "fte":
        return format_fte(value), True
    if kind == "share":
        return format_percent(value), True
    if kind == "cap":
        return (_e(text("no_cap", lang)) if is_missing(value) else format_nok(value)), True
    raise ValueError(f"unknown column kind {kind!r}")


def _total(col: Column, frame: pd.DataFrame, base: str, lang: str) -> tuple[str, bool]:
    """The totals row's cell of ``col`` (see :data:`~dekomopt.report.columns.Total`)."""
    key = in_key(frame, lang)
    if col.total == "sum":
        return _cell(known_total(frame[col.key]), col.kind, lang)
    if col.total == "key_sum":
        return _cell(known_total(frame.loc[key, col.key]), col.kind, lang)
    if col.total == "per_fte":
        fte = float(frame.loc[key, "teacher_fte"].sum())
        return _cell(float(frame[base].sum()) / fte if fte else None, col.kind, lang)
    return ("", col.kind != "text")


def column_table(
    columns: Sequence[Column],
    frame: pd.DataFrame,
    lang: str,
    *,
    per_fte_base: str = "amount_nok",
    row_classes: Sequence[str] | None = None,
    marks: Mapping[tuple[int, str], str] | None = None,
) -> str:
    """A table of the HTML columns of ``columns`` from ``frame``, with the totals row.

    ``marks`` adds already-escaped HTML after a cell's value (row position, column key).
    """
    shown = [c for c in columns if c.html]
    headers = [(_e(text(c.label, lang)), c.kind != "text") for c in shown]
    rows = []
    for i, row in enumerate(frame[[c.key for c in shown]].to_dict("records")):
        cells = []
        for c in shown:
            body, num = _cell(row[c.key], c.kind, lang)
            cells.append((body + (marks or {}).get((i, c.key), ""), num))
        rows.append((cells, row_classes[i] if row_classes else ""))
    footer = [_total(c, frame, per_fte_base, lang) for c in shown]
    footer[0] = (_e(text("total", lang)), False)
    return _table(headers, rows, footer)


def _key_fte_paragraph(proposal: Proposal, lang: str) -> str:
    """What a table's FTE total counts, when an owner does not take part."""
    note = key_fte_note(proposal, lang)
    return "" if note is None else f'<p class="note key-fte">{_e(note)}</p>'


def _regions_section(proposal: Proposal, lang: str) -> str:
    frame = region_table(proposal, lang)
    body = column_table(REGION_COLUMNS, frame, lang, per_fte_base=PER_FTE_BASE["regions"])
    body += f'<p class="note">{_e(text("nok_per_fte_note", lang))}</p>'
    body += _key_fte_paragraph(proposal, lang)
    return _section("regions", text("sec_regions", lang), body)


def _owners_section(proposal: Proposal, lang: str) -> str:
    owners = sorted_owners(proposal)
    frame = owner_table(proposal, lang)
    imputed = flags(owners, "fte_imputed", False).to_numpy()
    participates = flags(owners, "participates", True).to_numpy()
    star = '<span class="imputed" title="{}">*</span>'.format(_e(text("col_imputed", lang)))
    marks = {(i, "teacher_fte"): star for i in range(len(frame)) if imputed[i]}
    note = f' <span class="note">({_e(text("not_participating", lang))})</span>'
    marks |= {(i, "owner_name"): note for i in range(len(frame)) if not participates[i]}
    classes = ["" if p else "inactive" for p in participates]
    body = column_table(
        OWNER_COLUMNS,
        frame,
        lang,
        per_fte_base=PER_FTE_BASE["owners"],
        row_classes=classes,
        marks=marks,
    )
    body += f'<p class="note">{_e(text("nok_per_fte_note", lang))}</p>'
    body += _key_fte_paragraph(proposal, lang)
    region_changes = column(proposal.regions, "change_from_previous_nok", None)
    changes = frame["change_from_previous_nok"]
    if not all(is_missing(v) for v in region_changes) and changes.isna().all():
        body += f'<p class="note">{_e(text("owners_change_unknown", lang))}</p>'
    if imputed.any():
        methods = column(owners, "fte_method", "")[imputed]
        names = frame.loc[imputed, "owner_name"]
        lines = "".join(
            f"<li>{_e(name)}: {_e(in_language(method, lang))}</li>"
            for name, method in zip(names, methods, strict=True)
        )
        intro = "* " + text("imputed_methods_intro", lang)
        body += f'<div class="note"><p>{_e(intro)}</p><ul class="methods">{lines}</ul></div>'
    return _section("owners", text("sec_owners", lang), body)


def _partners_section(proposal: Proposal, lang: str) -> str:
    body = column_table(PARTNER_COLUMNS, partner_table(proposal, lang), lang)
    return _section("partners", text("sec_partners", lang), body)


def _figures_section(proposal: Proposal, lang: str, colours: dict[str, tuple[str, str]]) -> str:
    same = "" if owners_differ(proposal) else " " + _e(text("fig_per_fte_same", lang))
    body = (
        f'<figure id="per-fte">{per_fte_svg(proposal, lang, colours)}'
        f"<figcaption>{_e(text('fig_per_fte', lang))}{same}</figcaption></figure>"
        f'<figure id="split">{split_svg(proposal, lang)}'
        f"<figcaption>{_e(text('fig_split', lang))}</figcaption></figure>"
    )
    return _section("figures", text("sec_figures", lang), body)


def _rules_section(proposal: Proposal, lang: str) -> str:
    """Per rule: its name, what it asks in plain words, and each of its rows' outcome (the
    same met and binding as the CLI, the workbook and rules.json)."""

    rules = proposal.rules
    intro = text(
        "rules_intro",
        lang,
        met=sum(r.met for r in rules),
        total=len(rules),
        binding=sum(r.binding for r in rules),
    )
    groups: dict[str, list[RuleCheck]] = {}
    for rule in rules:
        groups.setdefault(rule.rule, []).append(rule)
    parts = [f"<p>{_e(intro)}</p>"]
    partners = partners_of(proposal)
    words = text(partners, lang)
    for rule_id, rows in groups.items():
        parts.append(
            f'<h3 id="rule-{_e(rule_id)}">{_e(rule_name(rows[0], lang, partners=partners))}</h3>'
        )
        if has_message(f"rule_{rule_id}_asks"):
            asks = text(f"rule_{rule_id}_asks", lang, partners=words)
            parts.append(f'<p class="requirement">{_e(asks)}</p>')
        if len(rows) > 1:
            counts = text(
                "rules_group",
                lang,
                rows=len(rows),
                met=sum(r.met for r in rows),
                binding=sum(r.binding for r in rows),
            )
            parts.append(f'<p class="note">{_e(counts)}</p>')
        if len(rows) == 1:
            cls = "" if rows[0].met else ' class="not-met"'
            sentences = " ".join(_e(s) for s in rule_sentences(rows[0], lang, partners=partners))
            parts.append(f"<p{cls}>{sentences}</p>")
            continue
        # A rule with a row per region, owner or partner: a small table, and in words only
        # the rows that bind or are not met.
        columns = (
            ("col_subject", ""),
            ("col_result", ' class="num"'),
            ("col_requirement", ""),
            ("col_met", ""),
            ("col_binding", ""),
            ("col_slack", ' class="num"'),
        )
        header = "".join(f"<th{cls}>{_e(text(key, lang))}</th>" for key, cls in columns)
        body = ""
        for subject, value, requirement, met, binding, slack in subject_rows(
            rows, lang, partners=partners
        ):
            yes_no = (text("yes" if met else "no", lang), text("yes" if binding else "no", lang))
            cells = (subject, value, requirement, *yes_no, slack)
            row_cls = "" if met else ' class="not-met"'
            body += f"<tr{row_cls}>" + "".join(
                f"<td{cls}>{_e(cell)}</td>" for (_, cls), cell in zip(columns, cells, strict=True)
            )
            body += "</tr>"
        parts.append(
            f'<div class="table-wrap rule-wrap"><table class="rule-table"><tr>{header}</tr>{body}'
            "</table></div>"
        )
        notable = [r for r in rows if r.binding or not r.met]
        items = []
        for rule in notable:
            cls = "" if rule.met else ' class="not-met"'
            sentences = " ".join(_e(s) for s in rule_sentences(rule, lang, partners=partners))
            items.append(f"<li{cls}>{sentences}</li>")
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
    return _section("rules", text("sec_rules", lang), "".join(parts))


def _alternatives_section(proposal: Proposal, lang: str) -> str:
    """Per alternative: the kroner it moves (as the CLI states them), each region's owner and
    partner amounts beside the proposal's, and every recipient whose amount changes."""
    parts = [f"<p>{_e(text('alternatives_intro', lang))}</p>"]
    fewer = shortfall_words(proposal.alternatives_search, lang)
    if fewer:
        parts.append(f"<p>{_e(fewer)}</p>")
    for n, alternative in enumerate(proposal.alternatives, start=1):
        moved = text(
            "alternative_moved",
            lang,
            moved=format_nok(alternative.moved_nok),
            nearest=format_nok(alternative.nearest_nok),
        )
        direction = text(
            "alternative_direction", lang, direction=direction_words(alternative.direction, lang)
        )
        parts.append(
            f'<h3 id="alternative-{n}">{_e(text("alternative_heading", lang, n=n))}</h3>'
            f"<p>{_e(moved)} {_e(direction)}</p>"
            f"<h4>{_e(text('alternative_regions', lang))}</h4>"
            + column_table(
                ALTERNATIVE_REGION_COLUMNS,
                region_table(proposal, lang, alternative.regions),
                lang,
                per_fte_base=PER_FTE_BASE["regions"],
            )
            + f"<h4>{_e(text('alternative_recipients', lang))}</h4>"
        )
        changed = recipient_change_table(alternative, proposal, lang)
        if changed.empty:
            parts.append(f"<p>{_e(text('alternative_none_moved', lang))}</p>")
        else:
            parts.append(column_table(RECIPIENT_CHANGE_COLUMNS, changed, lang))
    return _section("alternatives", text("sec_alternatives", lang), "".join(parts))


def _caveats_section(proposal: Proposal, lang: str) -> str:
    lines = caveat_lines(proposal, lang)
    if proposal.structure_illustrative:
        lines.insert(0, text("banner_structure", lang))
    if proposal.budget_illustrative:
        lines.insert(0, text("banner_budget", lang))
    body = (
        "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>"
        if lines
        else f"<p>{_e(text('no_caveats', lang))}</p>"
    )
    return _section("caveats", text("sec_caveats", lang), body)


def _provenance_section(proposal: Proposal, lang: str) -> str:
    rows = [
        ([(_e(label), False), (_e(value), False)], "")
        for label, value in provenance_rows(proposal, lang)
    ]
    headers = [(_e(text("col_key", lang)), False), (_e(text("col_value", lang)), False)]
    return _section("provenance", text("sec_provenance", lang), _table(headers, rows))


def render_html(
    proposal: Proposal,
    lang: str = "nb",
    geography: Geography | None = None,
    *,
    explorer: Explorer | None = None,
) -> str:
    """The complete report as an HTML string (see :func:`write_report`)."""
    check_language(lang)
    check_proposal(proposal)
    summary = summarise(proposal)
    name = scenario_title(proposal, lang)
    title = text("title", lang, year=proposal.year, county=proposal.county)
    colours = region_colours(proposal, geography)
    sections = [
        _map_section(proposal, geography, lang, colours),
        _summary_section(proposal, summary, lang),
        _regions_section(proposal, lang),
        _owners_section(proposal, lang),
        _partners_section(proposal, lang),
    ]
    if explorer is not None:
        sections.append(explorer_section(explorer, proposal, lang))
    sections += [_figures_section(proposal, lang, colours), _rules_section(proposal, lang)]
    if proposal.alternatives or proposal.alternatives_search:
        sections.append(_alternatives_section(proposal, lang))
    sections += [
        _caveats_section(proposal, lang),
        _provenance_section(proposal, lang),
    ]
    contents = "".join(
        f'<li><a href="#{sid}">{_e(text(key, lang))}</a></li>'
        for sid, key in [
            ("summary", "sec_summary"),
            ("regions", "sec_regions"),
            ("owners", "sec_owners"),
            ("partners", "sec_partners"),
            *([("explorer", "sec_explorer")] if explorer is not None else []),
            ("figures", "sec_figures"),
            ("rules", "sec_rules"),
            *(
                [("alternatives", "sec_alternatives")]
                if proposal.alternatives or proposal.alternatives_search
                else []
            ),
            ("caveats", "sec_caveats"),
            ("provenance", "sec_provenance"),
        ]
    )
    subtitle = text("subtitle", lang, scenario=name, regime=regime_name(proposal.regime, lang))
    running = _css_string(f"{title} · {name}")
    page_css = (
        f"@page {{ @top-left {{ content: {running}; {_MARGIN_FONT} }}"
        f" @bottom-right {{ content: {_css_string(text('page', lang) + ' ')} counter(page)"
        f" {_css_string(' ' + text('page_of', lang) + ' ')} counter(pages); {_MARGIN_FONT} }} }}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}\n{page_css}</style>\n</head>\n<body>\n"
        f'<header><h1>{_e(title)}</h1><p class="subtitle">{_e(subtitle)}</p>'
        f"{_banner(proposal, lang)}{_pdf_explorer_note(explorer, lang)}</header>\n"
        + "\n".join(sections[:1])
        + f"\n<nav><h2>{_e(text('contents', lang))}</h2><ol>{contents}</ol></nav>\n"
        + "\n".join(sections[1:])
        + "\n</body>\n</html>\n"
    )


def _pdf_explorer_note(explorer: Explorer | None, lang: str) -> str:
    """For print only: the what-if explorer is in the HTML file, not on paper."""
    if explorer is None:
        return ""
    note = text(
        "pdf_explorer_note", lang, section=text("sec_explorer", lang), file=REPORT_FILENAMES[lang]
    )
    return f'<p class="print-only note" id="pdf-explorer-note">{_e(note)}</p>'


_MARGIN_FONT = 'font: 8pt "DejaVu Sans", Arial, sans-serif; color: #5a5a5a;'
"""Running header and page numbers: page margin boxes do not inherit the body's font."""


def _css_string(value: str) -> str:
    """``value`` as a CSS string literal."""
    escaped = "".join(c if c.isalnum() or c in " .,:;()-%" else f"\\{ord(c):x} " for c in value)
    return f'"{escaped}"'


def write_report(
    proposal: Proposal,
    out_dir: str | Path,
    lang: str = "nb",
    geography: Geography | None = None,
    *,
    explorer: Explorer | None = None,
) -> Path:
    """Write the report to ``out_dir`` and return its path.

    The file is ``rapport.html`` (nb, nn) or ``report.html`` (en): UTF-8, self-contained (inline
    CSS, SVG and script, no external references), with a print stylesheet for A4 (running
    header, page numbers). Without ``geography`` the map is replaced by a note; ``explorer``
    adds the what-if section.
    """
    document = render_html(proposal, lang, geography, explorer=explorer)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / REPORT_FILENAMES[lang]
    path.write_text(document, encoding="utf-8")
    return path
