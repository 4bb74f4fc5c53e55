"""The forum report as one self-contained HTML file: inline CSS, inline SVG, no external links."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from dekomopt.proposal import Proposal
from dekomopt.report.catalogue import check_language, has_message, text
from dekomopt.report.figures import map_svg, per_fte_svg, split_svg
from dekomopt.report.geography import Geography
from dekomopt.formats import DASH, format_fte, format_nok, format_percent, is_missing
from dekomopt.report.rules_text import rule_name, rule_sentences
from dekomopt.report.summary import (
    Summary,
    bound_share,
    caveat_lines,
    check_proposal,
    column,
    flags,
    known_total,
    provenance_rows,
    recipient_names,
    summarise,
)

REPORT_FILENAMES: dict[str, str] = {"nb": "rapport.html", "nn": "rapport.html", "en": "report.html"}
"""File name of the report per language."""

CSS = """
:root { --ink: #1d1d1d; --muted: #5a5a5a; --rule: #c9c9c9; --warn: #8a1c1c; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
  max-width: 1100px; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem;
  margin-top: 2.2rem; }
.subtitle { color: var(--muted); margin-top: 0; }
.banner { border: 3px solid var(--warn); color: var(--warn); background: #fdeeee;
  padding: 0.6rem 1rem; font-weight: bold; margin: 1rem 0; }
.banner p { margin: 0.2rem 0; }
nav ol { columns: 2; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; }
th { border-bottom: 2px solid var(--ink); }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid var(--ink); }
tr.inactive td { color: var(--muted); }
.not-met { color: var(--warn); font-weight: bold; }
.imputed { color: var(--warn); font-weight: bold; }
.note { color: var(--muted); font-size: 0.85rem; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: 0.9rem; }
svg.figure-svg { width: 100%; height: auto; display: block; }
svg.figure-svg * { stroke-linejoin: round; stroke-linecap: butt; }
#map svg.figure-svg { max-width: 760px; margin: 0 auto; }
code { font-size: 0.85rem; word-break: break-all; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { background: none !important; box-shadow: none !important; }
  nav { display: none; }
  section.page { break-before: page; }
  h2 { break-after: avoid; }
  table { page-break-inside: auto; }
  tr, td, th { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
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
    return f"<table>{head}<tbody>{body}</tbody>{foot}</table>"


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


def _map_section(proposal: Proposal, geography: Geography | None, lang: str) -> str:
    if geography is None:
        body = f'<p class="note">{_e(text("fig_map_missing", lang))}</p>'
    else:
        body = (
            f'<figure id="map">{map_svg(proposal, geography, lang)}'
            f"<figcaption>{_e(text('fig_map', lang))}</figcaption></figure>"
        )
    return _section("map-section", text("sec_map", lang), body, page_break=False)


def _share_row(
    label: str, share: float, rule_id: str, proposal: Proposal, lang: str
) -> list[tuple[str, bool]]:
    """Share, the rule's bound as a share of the budget, and whether every row of it is met."""
    rows = [r for r in proposal.rules if r.get("rule") == rule_id]
    if not rows:
        return [
            (_e(label), False),
            (format_percent(share), True),
            (_e(text("no_rule", lang)), False),
            ("", False),
        ]
    bound = bound_share(rows, proposal.budget_nok)
    bounds = DASH if bound is None else text("bound_min", lang, bound=format_percent(bound))
    met = all(bool(r.get("met")) for r in rows)
    status = text("status_met" if met else "status_not_met", lang)
    status_html = _e(status) if met else f'<span class="not-met">{_e(status)}</span>'
    return [
        (_e(label), False),
        (format_percent(share), True),
        (_e(bounds), False),
        (status_html, False),
    ]


def _summary_section(proposal: Proposal, summary: Summary, lang: str) -> str:
    rows = [[(_e(text("row_budget_total", lang)), False), (format_nok(summary.budget_total), True)]]
    for name, amount in summary.set_asides:
        rows.append(
            [
                (_e(text("row_set_aside", lang, name=name)), False),
                (format_nok(-amount, signed=True), True),
            ]
        )
    rows += [
        [(_e(text("row_budget", lang)), False), (format_nok(summary.budget), True)],
        [(_e(text("row_owners_total", lang)), False), (format_nok(summary.owners_total), True)],
        [(_e(text("row_partners_total", lang)), False), (format_nok(summary.partners_total), True)],
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
                    text("row_partner_share", lang), summary.partner_share, "R3", proposal, lang
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


def _regions_section(proposal: Proposal, lang: str) -> str:
    regions = proposal.regions
    rows = []
    for _, r in regions.iterrows():
        rows.append(
            (
                [
                    (_e(r["region"]), False),
                    (format_fte(r["teacher_fte"]), True),
                    (format_percent(r["key_share"]), True),
                    (format_nok(r["amount_nok"]), True),
                    (format_nok(r["owners_nok"]), True),
                    (format_nok(r["partners_nok"]), True),
                    (format_nok(r["nok_per_fte"]), True),
                    (format_nok(r.get("change_nok"), signed=True), True),
                ],
                "",
            )
        )
    total_fte = float(regions["teacher_fte"].sum())
    total = int(regions["amount_nok"].sum())
    footer = [
        (_e(text("total", lang)), False),
        (format_fte(total_fte), True),
        (format_percent(float(regions["key_share"].sum())), True),
        (format_nok(total), True),
        (format_nok(int(regions["owners_nok"].sum())), True),
        (format_nok(int(regions["partners_nok"].sum())), True),
        (format_nok(total / total_fte if total_fte else None), True),
        (format_nok(known_total(column(regions, "change_nok", None)), signed=True), True),
    ]
    headers = [
        (_e(text("col_region", lang)), False),
        (_e(text("col_fte", lang)), True),
        (_e(text("col_key_share", lang)), True),
        (_e(text("col_amount", lang)), True),
        (_e(text("col_owners_nok", lang)), True),
        (_e(text("col_partners_nok", lang)), True),
        (_e(text("col_nok_per_fte", lang)), True),
        (_e(text("col_change", lang)), True),
    ]
    return _section("regions", text("sec_regions", lang), _table(headers, rows, footer))


def _kind(kind: object, lang: str) -> str:
    message_id = f"kind_{kind}"
    return text(message_id, lang) if has_message(message_id) else str(kind)


def _sorted_owners(proposal: Proposal) -> pd.DataFrame:
    order = {str(r): i for i, r in enumerate(proposal.regions["region"])}
    position = proposal.owners["region"].astype(str).map(order).fillna(len(order))
    return proposal.owners.assign(_position=position).sort_values("_position", kind="stable")


def _owners_section(proposal: Proposal, lang: str) -> str:
    owners = _sorted_owners(proposal)
    imputed = flags(owners, "fte_imputed", False)
    participates = flags(owners, "participates", True)
    kinds = column(owners, "owner_kind", "")
    cofinancing = column(owners, "cofinancing_nok", None)
    changes = column(owners, "change_nok", None)
    rows = []
    for i, (index, o) in enumerate(owners.iterrows()):
        fte = format_fte(o["teacher_fte"])
        if imputed.iloc[i]:
            fte += '<span class="imputed" title="{}">*</span>'.format(_e(text("col_imputed", lang)))
        name = _e(o["owner_name"])
        if not participates.iloc[i]:
            name += f' <span class="note">({_e(text("not_participating", lang))})</span>'
        rows.append(
            (
                [
                    (_e(o["region"]), False),
                    (_e(o["owner_id"]), False),
                    (name, False),
                    (_e(_kind(kinds.loc[index], lang)), False),
                    (fte, True),
                    (format_nok(o["amount_nok"]), True),
                    (format_nok(o["nok_per_fte"]), True),
                    (format_nok(changes.loc[index], signed=True), True),
                    (format_nok(cofinancing.loc[index]), True),
                ],
                "" if participates.iloc[i] else "inactive",
            )
        )
    footer = [
        (_e(text("total", lang)), False),
        ("", False),
        ("", False),
        ("", False),
        (format_fte(float(owners["teacher_fte"].sum())), True),
        (format_nok(int(owners["amount_nok"].sum())), True),
        ("", True),
        (format_nok(known_total(changes), signed=True), True),
        (format_nok(known_total(cofinancing)), True),
    ]
    headers = [
        (_e(text(key, lang)), num)
        for key, num in [
            ("col_region", False),
            ("col_owner_id", False),
            ("col_owner", False),
            ("col_kind", False),
            ("col_fte", True),
            ("col_amount", True),
            ("col_nok_per_fte", True),
            ("col_change", True),
            ("col_cofinancing", True),
        ]
    ]
    body = _table(headers, rows, footer)
    if imputed.any():
        methods = sorted({str(m) for m in column(owners, "fte_method", "")[imputed] if str(m)})
        note = text("imputed_marker_note", lang, method=", ".join(methods) or DASH)
        body += f'<p class="note">{_e(note)}</p>'
    return _section("owners", text("sec_owners", lang), body)


def _partners_section(proposal: Proposal, lang: str) -> str:
    partners = proposal.partners
    kinds = column(partners, "partner_kind", "")
    capacity = column(partners, "capacity_nok", None)
    served = column(partners, "regions", "")
    rows = [
        (
            [
                (_e(p["partner_id"]), False),
                (_e(p["partner_name"]), False),
                (_e(_kind(kinds.loc[index], lang)), False),
                (format_nok(p["amount_nok"]), True),
                (
                    format_nok(capacity.loc[index])
                    if not is_missing(capacity.loc[index])
                    else _e(text("none", lang)),
                    True,
                ),
                (_e(str(served.loc[index]).replace(",", ", ")), False),
            ],
            "",
        )
        for index, p in partners.iterrows()
    ]
    footer = [
        (_e(text("total", lang)), False),
        ("", False),
        ("", False),
        (format_nok(int(partners["amount_nok"].sum())), True),
        ("", True),
        ("", False),
    ]
    headers = [
        (_e(text(key, lang)), num)
        for key, num in [
            ("col_partner_id", False),
            ("col_partner", False),
            ("col_kind", False),
            ("col_amount", True),
            ("col_capacity", True),
            ("col_serves", False),
        ]
    ]
    return _section("partners", text("sec_partners", lang), _table(headers, rows, footer))


def _figures_section(proposal: Proposal, lang: str) -> str:
    body = (
        f'<figure id="per-fte">{per_fte_svg(proposal, lang)}'
        f"<figcaption>{_e(text('fig_per_fte', lang))}</figcaption></figure>"
        f'<figure id="split">{split_svg(proposal, lang)}'
        f"<figcaption>{_e(text('fig_split', lang))}</figcaption></figure>"
    )
    return _section("figures", text("sec_figures", lang), body)


def _rules_section(proposal: Proposal, lang: str) -> str:
    """Per rule: its name, what it asks in plain words, and each of its rows' outcome (the
    same met and binding as the CLI, the workbook and rules.json)."""
    from dekomopt.allocation.rules import BY_ID

    rules = proposal.rules
    intro = text(
        "rules_intro",
        lang,
        met=sum(bool(r.get("met")) for r in rules),
        total=len(rules),
        binding=sum(bool(r.get("binding")) for r in rules),
    )
    names = recipient_names(proposal)
    groups: dict[str, list[Mapping]] = {}
    for rule in rules:
        groups.setdefault(str(rule.get("rule")), []).append(rule)
    parts = [f"<p>{_e(intro)}</p>"]
    for rule_id, rows in groups.items():
        parts.append(f'<h3 id="rule-{_e(rule_id)}">{_e(rule_name(rows[0], lang))}</h3>')
        if rule_id in BY_ID:
            parts.append(f"<p>{_e(BY_ID[rule_id].words[lang])}</p>")
        if len(rows) > 1:
            counts = text(
                "rules_group",
                lang,
                rows=len(rows),
                met=sum(bool(r.get("met")) for r in rows),
                binding=sum(bool(r.get("binding")) for r in rows),
            )
            parts.append(f'<p class="note">{_e(counts)}</p>')
        items = []
        for rule in rows:
            cls = "" if rule.get("met") else ' class="not-met"'
            sentences = " ".join(_e(s) for s in rule_sentences(rule, lang, names))
            items.append(f"<li{cls}>{sentences}</li>")
        parts.append(f"<ul>{''.join(items)}</ul>")
    return _section("rules", text("sec_rules", lang), "".join(parts))


def _alternatives_section(proposal: Proposal, lang: str) -> str:
    base = proposal.regions.set_index(proposal.regions["region"].astype(str))["amount_nok"]
    alternatives = [
        alt.set_index(alt["region"].astype(str))["amount_nok"] for alt in proposal.alternatives
    ]
    headers = [(_e(text("col_region", lang)), False), (_e(text("col_proposal", lang)), True)] + [
        (_e(text("col_alternative", lang, n=i + 1)), True) for i in range(len(alternatives))
    ]
    rows = []
    for region, amount in base.items():
        cells = [(_e(region), False), (format_nok(amount), True)]
        for alt in alternatives:
            other = alt.get(region)
            diff = None if is_missing(other) else float(other) - float(amount)
            cells.append(
                (
                    f"{format_nok(other)}<br>"
                    f'<span class="note">{format_nok(diff, signed=True)}</span>',
                    True,
                )
            )
        rows.append((cells, ""))
    body = f"<p>{_e(text('alternatives_intro', lang))}</p>" + _table(headers, rows)
    return _section("alternatives", text("sec_alternatives", lang), body)


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
        ([(_e(label), False), (f"<code>{_e(value)}</code>", False)], "")
        for label, value in provenance_rows(proposal, lang)
    ]
    headers = [(_e(text("col_key", lang)), False), (_e(text("col_value", lang)), False)]
    return _section("provenance", text("sec_provenance", lang), _table(headers, rows))


def render_html(proposal: Proposal, lang: str = "nb", geography: Geography | None = None) -> str:
    """The complete report as an HTML string (see :func:`write_report`)."""
    check_language(lang)
    check_proposal(proposal)
    summary = summarise(proposal)
    title = text("title", lang, year=proposal.year, county=proposal.county)
    sections = [
        _map_section(proposal, geography, lang),
        _summary_section(proposal, summary, lang),
        _regions_section(proposal, lang),
        _owners_section(proposal, lang),
        _partners_section(proposal, lang),
        _figures_section(proposal, lang),
        _rules_section(proposal, lang),
    ]
    if proposal.alternatives:
        sections.append(_alternatives_section(proposal, lang))
    sections += [_caveats_section(proposal, lang), _provenance_section(proposal, lang)]
    contents = "".join(
        f'<li><a href="#{sid}">{_e(text(key, lang))}</a></li>'
        for sid, key in [
            ("summary", "sec_summary"),
            ("regions", "sec_regions"),
            ("owners", "sec_owners"),
            ("partners", "sec_partners"),
            ("figures", "sec_figures"),
            ("rules", "sec_rules"),
            *([("alternatives", "sec_alternatives")] if proposal.alternatives else []),
            ("caveats", "sec_caveats"),
            ("provenance", "sec_provenance"),
        ]
    )
    subtitle = text("subtitle", lang, scenario=proposal.scenario_name, regime=proposal.regime)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{_e(title)}</h1><p class="subtitle">{_e(subtitle)}</p>'
        f"{_banner(proposal, lang)}</header>\n"
        + "\n".join(sections[:1])
        + f"\n<nav><h2>{_e(text('contents', lang))}</h2><ol>{contents}</ol></nav>\n"
        + "\n".join(sections[1:])
        + "\n</body>\n</html>\n"
    )


def write_report(
    proposal: Proposal, out_dir: str | Path, lang: str = "nb", geography: Geography | None = None
) -> Path:
    """Write the report to ``out_dir`` and return its path.

    The file is ``rapport.html`` (nb, nn) or ``report.html`` (en): UTF-8, self-contained (inline
    CSS and SVG, no external references), with a print stylesheet for PDF. Without
    ``geography`` the map is replaced by a note.
    """
    document = render_html(proposal, lang, geography)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / REPORT_FILENAMES[lang]
    path.write_text(document, encoding="utf-8")
    return path
