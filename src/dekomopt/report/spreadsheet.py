"""The forum spreadsheet: one sheet per table, totals as formulas, provenance alongside."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.worksheet import Worksheet

from dekomopt.formats import format_fte, format_nok, format_percent, is_missing
from dekomopt.proposal import Proposal
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
)
from dekomopt.report.notes import in_language
from dekomopt.report.rules_text import bound_text, partners_of, rule_name, rule_sentences
from dekomopt.report.summary import (
    caveat_lines,
    check_proposal,
    provenance_rows,
    summarise,
)

NOK_FORMAT = '#,##0" kr"'
"""Whole kroner; Excel shows its locale's thousands separator (a space in Norwegian)."""
CHANGE_FORMAT = '+#,##0" kr";-#,##0" kr";0" kr"'
FTE_FORMAT = "#,##0.0"
SHARE_FORMAT = "0.0%"
SHEETS = ("summary", "regions", "owners", "partners", "allocation", "rules", "sources")
"""Sheet order; names come from the catalogue (``sheet_<key>``)."""

_BOLD = Font(bold=True)
_WIDTH_CAP = 70

Cell = tuple[object, str | None]
"""A value and its number format (None = general)."""


class Formula(str):
    """A cell formula (``=SUM(…)``); every other string is written as text, even one that
    starts with ``=``."""


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
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"  # text stays text, even "==" or "=x"
            if number_format:
                cell.number_format = number_format
            if not isinstance(value, Formula) and len(row) == len(headers):
                # a note row (one cell under a wider table) runs over; it does not set widths
                widths[c - 1] = max(widths[c - 1], len(_shown(value, number_format)))
    for c, width in enumerate(widths, start=1):
        # the margin leaves room for totals, which are formulas and wider than their parts
        ws.column_dimensions[get_column_letter(c)].width = min(width + 4, _WIDTH_CAP)
    ws.freeze_panes = "A2"


def _yes_no(flag: object, lang: str) -> str:
    return text("yes" if bool(flag) else "no", lang)


def _sum(letter: str, n: int) -> Formula:
    return Formula(f"=SUM({letter}2:{letter}{n + 1})" if n else "=0")


_FORMATS = {
    "nok": NOK_FORMAT,
    "cap": NOK_FORMAT,
    "change": CHANGE_FORMAT,
    "fte": FTE_FORMAT,
    "share": SHARE_FORMAT,
    "text": None,
}


def _column_sheet(
    ws: Worksheet,
    columns: tuple[Column, ...],
    frame: pd.DataFrame,
    lang: str,
    base: str,
    note: str | None = None,
) -> int:
    """Every column of ``columns`` from ``frame``, then the totals row (and ``note`` in the
    row below it); returns the totals row.

    A ``key_sum`` total counts the rows in the key (:func:`~dekomopt.report.columns.in_key`:
    ``SUMIF`` over ``participates`` when some owner does not take part), as the HTML does.
    """
    letters = {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    rows: list[list[Cell]] = []
    for _, record in frame.iterrows():
        cells: list[Cell] = []
        for c in columns:
            value = record[c.key]
            if c.kind == "cap" and is_missing(value):
                cells.append((text("no_cap", lang), None))
            else:
                cells.append((value, _FORMATS[c.kind]))
        rows.append(cells)
    n = len(rows)
    t = n + 2
    total: list[Cell] = []
    for c in columns:
        if c.total == "sum" and frame[c.key].notna().all():
            total.append((_sum(letters[c.key], n), _FORMATS[c.kind]))
        elif c.total == "key_sum" and not in_key(frame, lang).all():
            taking_part, summed = letters["participates"], letters[c.key]
            yes = text("yes", lang).replace('"', '""')
            formula = (
                f'=SUMIF({taking_part}2:{taking_part}{n + 1},"{yes}",{summed}2:{summed}{n + 1})'
            )
            total.append((Formula(formula if n else "=0"), _FORMATS[c.kind]))
        elif c.total == "key_sum":
            total.append((_sum(letters[c.key], n), _FORMATS[c.kind]))
        elif c.total == "per_fte":
            fte, amount = letters["teacher_fte"], letters[base]
            total.append((Formula(f"=IF({fte}{t}=0,0,{amount}{t}/{fte}{t})"), NOK_FORMAT))
        else:
            total.append(("", None))
    total[0] = (text("total", lang), None)
    rows.append(total)
    if note is not None:
        rows.append([(note, None)])
    _fill(ws, [text(c.label, lang) for c in columns], rows)
    return t


ALLOCATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("region", "col_region"),
    ("recipient_type", "col_recipient_type"),
    ("recipient_id", "col_recipient_id"),
    ("recipient_name", "col_recipient"),
    ("theme", "col_theme"),
    ("sector", "col_sector"),
    ("amount_nok", "col_amount"),
)
"""The allocation sheet: one row per recipient, theme and sector, as allocation.csv."""


def _word(prefix: str, value: object, lang: str) -> str:
    message_id = f"{prefix}_{value}"
    return text(message_id, lang) if has_message(message_id) else str(value)


def _allocation(ws: Worksheet, proposal: Proposal, lang: str) -> int:
    rows: list[list[Cell]] = []
    for _, r in proposal.allocation.iterrows():
        rows.append(
            [
                (str(r["region"]), None),
                (_word("recipient", r["recipient_type"], lang), None),
                (str(r["recipient_id"]), None),
                (str(r["recipient_name"]), None),
                (_word("theme", r["theme"], lang), None),
                (_word("sector", r["sector"], lang), None),
                (int(r["amount_nok"]), NOK_FORMAT),
            ]
        )
    n = len(rows)
    rows.append([(text("total", lang), None)] + [("", None)] * 5 + [(_sum("G", n), NOK_FORMAT)])
    _fill(ws, [text(label, lang) for _, label in ALLOCATION_COLUMNS], rows)
    return n + 2


def _rules(ws: Worksheet, proposal: Proposal, lang: str) -> None:
    partners = partners_of(proposal)
    rows: list[list[Cell]] = [
        [
            (r.rule, None),
            (r.name, None),
            (rule_name(r, lang, partners=partners), None),
            (r.value, NOK_FORMAT),
            (r.bound, NOK_FORMAT),
            (bound_text(r, lang), None),
            (_yes_no(r.met, lang), None),
            (_yes_no(r.binding, lang), None),
            (r.slack, NOK_FORMAT),
            (r.shadow_price, None),
            (" ".join(rule_sentences(r, lang, partners=partners)), None),
        ]
        for r in proposal.rules
    ]
    headers = [
        text(k, lang)
        for k in (
            "col_rule",
            "col_row",
            "col_name",
            "col_value",
            "col_bound",
            "col_requirement",
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


def _letter(columns: tuple[Column, ...], key: str) -> str:
    """The sheet column letter of ``key`` among ``columns``."""
    return get_column_letter([c.key for c in columns].index(key) + 1)


def _summary(
    ws: Worksheet, proposal: Proposal, lang: str, ref: Callable[[str, str], Formula]
) -> None:
    summary = summarise(proposal)
    words = text(partners_of(proposal), lang)
    rows: list[list[Cell]] = [
        [(text("row_budget_total", lang), None), (summary.budget_total, NOK_FORMAT)]
    ]
    for name, amount in summary.set_asides:
        label = text("row_set_aside", lang, name=in_language(name, lang))
        rows.append([(label, None), (amount, NOK_FORMAT)])
    k = len(summary.set_asides)
    owners = _letter(OWNER_COLUMNS, "amount_nok")
    partners = _letter(PARTNER_COLUMNS, "amount_nok")
    asides = Formula(f"=SUM(B3:B{k + 2})" if k else "=0")
    base = k + 3  # row of the set-asides total
    rows += [
        [(text("row_set_asides_total", lang), None), (asides, NOK_FORMAT)],
        [(text("row_budget", lang), None), (Formula(f"=B2-B{base}"), NOK_FORMAT)],
        [(text("row_owners_total", lang), None), (ref("owners", owners), NOK_FORMAT)],
        [
            (text("row_partners_total", lang, partners=words), None),
            (ref("partners", partners), NOK_FORMAT),
        ],
        [(text("row_distributed", lang), None), (Formula(f"=B{base + 2}+B{base + 3}"), NOK_FORMAT)],
        [
            (text("row_difference", lang), None),
            (Formula(f"=B{base + 4}-B{base + 1}"), CHANGE_FORMAT),
        ],
        [
            (text("row_partner_share", lang, partners=words), None),
            (Formula(f"=IF(B{base + 4}=0,0,B{base + 3}/B{base + 4})"), SHARE_FORMAT),
        ],
        [(text("row_special_ed_share", lang), None), (summary.special_ed_share, SHARE_FORMAT)],
    ]
    _fill(ws, [text("col_item", lang), text("col_amount", lang)], rows)


def write_spreadsheet(
    proposal: Proposal,
    path: str | Path,
    lang: str = "nb",
) -> Path:
    """Write the proposal as an ``.xlsx`` workbook at ``path`` and return the path.

    Sheets (names per language): summary, regions, owners, partners, allocation (every table
    ``propose`` writes), two per near-optimal alternative in their order (its regions, its
    changed recipients), rules, sources. Columns are the
    report's (:mod:`dekomopt.report.columns`); amounts are numbers with a kroner format; every
    total is a formula and the summary's owner and partner totals refer to those sheets; the
    workbook asks to be recalculated on open; text is stored as text.
    """
    check_language(lang)
    check_proposal(proposal)
    names = sheet_names(lang)
    workbook = Workbook()
    sheets = {key: workbook.create_sheet(names[key]) for key in SHEETS}
    workbook.remove(workbook.worksheets[0])
    totals = {
        "regions": _column_sheet(
            sheets["regions"],
            REGION_COLUMNS,
            region_table(proposal, lang),
            lang,
            PER_FTE_BASE["regions"],
            key_fte_note(proposal, lang),
        ),
        "owners": _column_sheet(
            sheets["owners"],
            OWNER_COLUMNS,
            owner_table(proposal, lang),
            lang,
            PER_FTE_BASE["owners"],
            key_fte_note(proposal, lang),
        ),
        "partners": _column_sheet(
            sheets["partners"], PARTNER_COLUMNS, partner_table(proposal, lang), lang, "amount_nok"
        ),
        "allocation": _allocation(sheets["allocation"], proposal, lang),
    }
    position = SHEETS.index("rules")
    for i, alternative in enumerate(proposal.alternatives, start=1):
        ws = workbook.create_sheet(text("sheet_alternative", lang, n=i), index=position)
        _column_sheet(
            ws,
            ALTERNATIVE_REGION_COLUMNS,
            region_table(proposal, lang, alternative.regions),
            lang,
            PER_FTE_BASE["regions"],
        )
        ws = workbook.create_sheet(
            text("sheet_alternative_recipients", lang, n=i), index=position + 1
        )
        _column_sheet(
            ws,
            RECIPIENT_CHANGE_COLUMNS,
            recipient_change_table(alternative, proposal, lang),
            lang,
            "amount_nok",
        )
        position += 2
    _rules(sheets["rules"], proposal, lang)
    _sources(sheets["sources"], proposal, lang)

    def ref(key: str, letter: str) -> Formula:
        return Formula(f"='{names[key]}'!{letter}{totals[key]}")

    _summary(sheets["summary"], proposal, lang, ref)
    workbook.calculation = CalcProperties(fullCalcOnLoad=True)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out
