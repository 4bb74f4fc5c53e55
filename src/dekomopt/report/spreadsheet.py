"""The forum spreadsheet: one sheet per table, totals as formulas, provenance alongside."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dekomopt.proposal import Proposal
from dekomopt.report.catalogue import check_language, has_message, text
from dekomopt.formats import format_fte, format_nok, format_percent, is_missing
from dekomopt.report.rules_text import rule_name, rule_sentences, rule_unit
from dekomopt.report.summary import (
    caveat_lines,
    check_proposal,
    column,
    flags,
    provenance_rows,
    recipient_names,
    summarise,
)

NOK_FORMAT = '#,##0" kr"'
"""Whole kroner; Excel shows its locale's thousands separator (a space in Norwegian)."""
CHANGE_FORMAT = '+#,##0" kr";-#,##0" kr";0" kr"'
FTE_FORMAT = "#,##0.0"
SHARE_FORMAT = "0.0%"
SHEETS = ("summary", "regions", "owners", "partners", "rules", "sources")
"""Sheet order; names come from the catalogue (``sheet_<key>``)."""

_BOLD = Font(bold=True)
_WIDTH_CAP = 70

Cell = tuple[object, str | None]
"""A value and its number format (None = general)."""


def sheet_names(lang: str) -> dict[str, str]:
    """Sheet key → sheet name in ``lang``."""
    return {key: text(f"sheet_{key}", lang) for key in SHEETS}


def _plain(value: object) -> object:
    """Spreadsheet-safe value: NaN/None → empty, numpy scalars → Python."""
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _shown(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if number_format in (NOK_FORMAT, CHANGE_FORMAT):
        return format_nok(value, signed=number_format == CHANGE_FORMAT)
    if number_format == FTE_FORMAT:
        return format_fte(value)
    if number_format == SHARE_FORMAT:
        return format_percent(value)
    return str(value)


def _fill(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """Header row, data rows, frozen header, column widths that fit the longest shown value."""
    widths = [len(h) for h in headers]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = _BOLD
    for r, row in enumerate(rows, start=2):
        for c, (value, number_format) in enumerate(row, start=1):
            value = _plain(value)
            cell = ws.cell(row=r, column=c, value=value)
            if number_format:
                cell.number_format = number_format
            if not (isinstance(value, str) and value.startswith("=")):
                widths[c - 1] = max(widths[c - 1], len(_shown(value, number_format)))
    for c, width in enumerate(widths, start=1):
        # the margin leaves room for totals, which are formulas and wider than their parts
        ws.column_dimensions[get_column_letter(c)].width = min(width + 4, _WIDTH_CAP)
    ws.freeze_panes = "A2"


def _kind(kind: object, lang: str) -> str:
    return text(f"kind_{kind}", lang) if has_message(f"kind_{kind}") else str(kind)


def _yes_no(flag: object, lang: str) -> str:
    return text("yes" if bool(flag) else "no", lang)


def _sum(letter: str, n: int) -> str:
    return f"=SUM({letter}2:{letter}{n + 1})" if n else "=0"


def _regions(ws: Worksheet, proposal: Proposal, lang: str) -> int:
    regions = proposal.regions
    previous = column(regions, "previous_nok", None)
    change = column(regions, "change_nok", None)
    rows: list[list[Cell]] = [
        [
            (r["region"], None),
            (float(r["teacher_fte"]), FTE_FORMAT),
            (float(r["key_share"]), SHARE_FORMAT),
            (int(r["amount_nok"]), NOK_FORMAT),
            (int(r["owners_nok"]), NOK_FORMAT),
            (int(r["partners_nok"]), NOK_FORMAT),
            (r["nok_per_fte"], NOK_FORMAT),
            (previous.loc[i], NOK_FORMAT),
            (change.loc[i], CHANGE_FORMAT),
        ]
        for i, r in regions.iterrows()
    ]
    n = len(rows)
    t = n + 2
    rows.append(
        [
            (text("total", lang), None),
            (_sum("B", n), FTE_FORMAT),
            (_sum("C", n), SHARE_FORMAT),
            (_sum("D", n), NOK_FORMAT),
            (_sum("E", n), NOK_FORMAT),
            (_sum("F", n), NOK_FORMAT),
            (f"=IF(B{t}=0,0,D{t}/B{t})", NOK_FORMAT),
            (_sum("H", n), NOK_FORMAT),
            (_sum("I", n), CHANGE_FORMAT),
        ]
    )
    headers = [
        text(k, lang)
        for k in (
            "col_region",
            "col_fte",
            "col_key_share",
            "col_amount",
            "col_owners_nok",
            "col_partners_nok",
            "col_nok_per_fte",
            "col_previous",
            "col_change",
        )
    ]
    _fill(ws, headers, rows)
    return t


def _owners(ws: Worksheet, proposal: Proposal, lang: str) -> int:
    owners = proposal.owners
    imputed = flags(owners, "fte_imputed", False)
    participates = flags(owners, "participates", True)
    kinds = column(owners, "owner_kind", "")
    cofinancing = column(owners, "cofinancing_nok", None)
    change = column(owners, "change_nok", None)
    rows: list[list[Cell]] = [
        [
            (str(o["region"]), None),
            (str(o["owner_id"]), None),
            (str(o["owner_name"]), None),
            (_kind(kinds.loc[i], lang), None),
            (float(o["teacher_fte"]), FTE_FORMAT),
            (_yes_no(imputed.loc[i], lang), None),
            (_yes_no(participates.loc[i], lang), None),
            (int(o["amount_nok"]), NOK_FORMAT),
            (o["nok_per_fte"], NOK_FORMAT),
            (change.loc[i], CHANGE_FORMAT),
            (cofinancing.loc[i], NOK_FORMAT),
        ]
        for i, o in owners.iterrows()
    ]
    n = len(rows)
    rows.append(
        [(text("total", lang), None)]
        + [("", None)] * 3
        + [(_sum("E", n), FTE_FORMAT), ("", None), ("", None), (_sum("H", n), NOK_FORMAT)]
        + [("", None), (_sum("J", n), CHANGE_FORMAT), (_sum("K", n), NOK_FORMAT)]
    )
    headers = [
        text(k, lang)
        for k in (
            "col_region",
            "col_owner_id",
            "col_owner",
            "col_kind",
            "col_fte",
            "col_imputed",
            "col_participates",
            "col_amount",
            "col_nok_per_fte",
            "col_change",
            "col_cofinancing",
        )
    ]
    _fill(ws, headers, rows)
    return n + 2


def _partners(ws: Worksheet, proposal: Proposal, lang: str) -> int:
    partners = proposal.partners
    kinds = column(partners, "partner_kind", "")
    capacity = column(partners, "capacity_nok", None)
    served = column(partners, "regions", "")
    rows: list[list[Cell]] = [
        [
            (str(p["partner_id"]), None),
            (str(p["partner_name"]), None),
            (_kind(kinds.loc[i], lang), None),
            (int(p["amount_nok"]), NOK_FORMAT),
            (capacity.loc[i], NOK_FORMAT),
            (str(served.loc[i]).replace(",", ", "), None),
        ]
        for i, p in partners.iterrows()
    ]
    n = len(rows)
    rows.append([(text("total", lang), None), ("", None), ("", None), (_sum("D", n), NOK_FORMAT)])
    headers = [
        text(k, lang)
        for k in (
            "col_partner_id",
            "col_partner",
            "col_kind",
            "col_amount",
            "col_capacity",
            "col_serves",
        )
    ]
    _fill(ws, headers, rows)
    return n + 2


def _rules(ws: Worksheet, proposal: Proposal, lang: str) -> None:
    def number(value: object) -> object:
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    names = recipient_names(proposal)
    rows: list[list[Cell]] = []
    for r in proposal.rules:
        amount_format = NOK_FORMAT if rule_unit(r) == "nok" else None
        rows.append(
            [
                (str(r.get("rule", "")), None),
                (str(r.get("name", "")), None),
                (rule_name(r, lang), None),
                (number(r.get("value")), amount_format),
                (number(r.get("bound")), amount_format),
                (str(r.get("sense") or ""), None),
                (_yes_no(r.get("met"), lang), None),
                (_yes_no(r.get("binding"), lang), None),
                (number(r.get("slack")), amount_format),
                (number(r.get("shadow_price")), None),
                (" ".join(rule_sentences(r, lang, names)), None),
            ]
        )
    headers = [
        text(k, lang)
        for k in (
            "col_rule",
            "col_row",
            "col_name",
            "col_value",
            "col_bound",
            "col_sense",
            "col_met",
            "col_binding",
            "col_slack",
            "col_shadow_price",
            "col_explanation",
        )
    ]
    _fill(ws, headers, rows)


def _sources(ws: Worksheet, proposal: Proposal, lang: str) -> None:
    rows: list[list[Cell]] = [[(k, None), (v, None)] for k, v in provenance_rows(proposal, lang)]
    rows += [[(text("prov_caveat", lang), None), (c, None)] for c in caveat_lines(proposal, lang)]
    _fill(ws, [text("col_key", lang), text("col_value", lang)], rows)


def _summary(ws: Worksheet, proposal: Proposal, lang: str, ref: Callable[[str, str], str]) -> None:
    summary = summarise(proposal)
    rows: list[list[Cell]] = [
        [(text("row_budget_total", lang), None), (summary.budget_total, NOK_FORMAT)]
    ]
    for name, amount in summary.set_asides:
        rows.append([(text("row_set_aside", lang, name=name), None), (amount, NOK_FORMAT)])
    k = len(summary.set_asides)
    asides = f"=SUM(B3:B{k + 2})" if k else "=0"
    base = k + 3  # row of the set-asides total
    rows += [
        [(text("row_set_asides_total", lang), None), (asides, NOK_FORMAT)],
        [(text("row_budget", lang), None), (f"=B2-B{base}", NOK_FORMAT)],
        [(text("row_owners_total", lang), None), (ref("owners", "H"), NOK_FORMAT)],
        [(text("row_partners_total", lang), None), (ref("partners", "D"), NOK_FORMAT)],
        [(text("row_distributed", lang), None), (f"=B{base + 2}+B{base + 3}", NOK_FORMAT)],
        [(text("row_difference", lang), None), (f"=B{base + 4}-B{base + 1}", CHANGE_FORMAT)],
        [
            (text("row_partner_share", lang), None),
            (f"=IF(B{base + 4}=0,0,B{base + 3}/B{base + 4})", SHARE_FORMAT),
        ],
        [(text("row_special_ed_share", lang), None), (summary.special_ed_share, SHARE_FORMAT)],
    ]
    _fill(ws, [text("col_item", lang), text("col_amount", lang)], rows)


def write_spreadsheet(proposal: Proposal, path: str | Path, lang: str = "nb") -> Path:
    """Write the proposal as an ``.xlsx`` workbook at ``path`` and return the path.

    Sheets (names per language): summary, regions, owners, partners, rules, sources. Amounts
    are numbers with a kroner format; every total is a ``SUM`` formula, and the summary's
    owner and partner totals refer to the total rows of those sheets.
    """
    check_language(lang)
    check_proposal(proposal)
    names = sheet_names(lang)
    workbook = Workbook()
    sheets = {key: workbook.create_sheet(names[key]) for key in SHEETS}
    workbook.remove(workbook.worksheets[0])
    totals = {
        "regions": _regions(sheets["regions"], proposal, lang),
        "owners": _owners(sheets["owners"], proposal, lang),
        "partners": _partners(sheets["partners"], proposal, lang),
    }
    _rules(sheets["rules"], proposal, lang)
    _sources(sheets["sources"], proposal, lang)

    def ref(key: str, letter: str) -> str:
        return f"='{names[key]}'!{letter}{totals[key]}"

    _summary(sheets["summary"], proposal, lang, ref)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out
