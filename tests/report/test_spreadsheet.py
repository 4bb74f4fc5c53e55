import re

import pytest
from openpyxl import load_workbook

from dekomopt.report import LANGUAGES, sheet_names, write_spreadsheet
from dekomopt.report.catalogue import text
from dekomopt.report.columns import owner_table

_SUM = re.compile(r"SUM\((?:'([^']+)'!)?([A-Z]+)(\d+):([A-Z]+)(\d+)\)")
_REF = re.compile(r"(?:'([^']+)'!)?\b([A-Z]{1,2})(\d+)\b")
_SUMIF = re.compile(r'SUMIF\(([A-Z]+\d+:[A-Z]+\d+),"([^"]*)",([A-Z]+\d+:[A-Z]+\d+)\)')
_IF = re.compile(r"IF\(([^,]+)=0,([^,]+),([^)]+)\)")


def evaluate(workbook, sheet: str, coordinate: str) -> float:
    """A cell's value, evaluating the formula subset the spreadsheet uses (SUM, SUMIF, refs, + - /,
    IF)."""
    value = workbook[sheet][coordinate].value
    if not (isinstance(value, str) and value.startswith("=")):
        return value or 0

    def span(m: re.Match) -> str:
        target = m.group(1) or sheet
        column = m.group(2)
        assert column == m.group(4), "sums run down one column"
        rows = range(int(m.group(3)), int(m.group(5)) + 1)
        return repr(sum(evaluate(workbook, target, f"{column}{r}") for r in rows))

    def sumif(m: re.Match) -> str:
        (test, wanted, summed) = (m.group(1), m.group(2), m.group(3))
        (c0, r0, _, r1), (s0, q0, _, _) = (
            re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", part).groups() for part in (test, summed)
        )
        total = 0.0
        for offset in range(int(r1) - int(r0) + 1):
            if str(workbook[sheet][f"{c0}{int(r0) + offset}"].value).lower() == wanted.lower():
                total += evaluate(workbook, sheet, f"{s0}{int(q0) + offset}")
        return repr(total)

    expression = _SUMIF.sub(sumif, value[1:])
    expression = _SUM.sub(span, expression)
    expression = _REF.sub(
        lambda m: repr(evaluate(workbook, m.group(1) or sheet, m.group(2) + m.group(3))), expression
    )
    expression = _IF.sub(r"((\2) if (\1) == 0 else (\3))", expression)
    return eval(expression, {"__builtins__": {}})


def _letter_of(ws, label: str) -> str:
    """The column letter of the header ``label`` (exactly one)."""
    letters = [cell.column_letter for cell in ws[1] if cell.value == label]
    assert len(letters) == 1, label
    return letters[0]


def _row_of(ws, label: str) -> int:
    rows = [cell.row for cell in ws["A"] if cell.value == label]
    assert len(rows) == 1, label
    return rows[0]


@pytest.fixture(scope="module", params=LANGUAGES)
def workbook(request, proposal, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / f"forslag_{request.param}.xlsx"
    assert write_spreadsheet(proposal, path, request.param) == path
    return request.param, load_workbook(path)


def test_sheet_names(workbook):
    lang, wb = workbook
    assert wb.sheetnames == list(sheet_names(lang).values())


def test_totals_are_formulas_equal_to_the_budget(workbook, proposal):
    lang, wb = workbook
    names = sheet_names(lang)
    allocation = proposal.allocation
    owner_total = int(allocation.loc[allocation.recipient_type == "owner", "amount_nok"].sum())
    partner_total = int(allocation.loc[allocation.recipient_type == "partner", "amount_nok"].sum())
    expected = {
        "regions": ("D", proposal.budget_nok),
        "owners": (_letter_of(wb[names["owners"]], text("col_amount", lang)), owner_total),
        "partners": ("D", partner_total),
    }
    for key, (letter, amount) in expected.items():
        ws = wb[names[key]]
        total_row = ws.max_row
        formula = ws[f"{letter}{total_row}"].value
        assert re.fullmatch(rf"=SUM\({letter}2:{letter}{total_row - 1}\)", formula), formula
        assert evaluate(wb, names[key], f"{letter}{total_row}") == amount
    summary = wb[names["summary"]]
    values = {
        cell.value: evaluate(wb, names["summary"], f"B{cell.row}") for cell in summary["A"][1:]
    }
    formulas = [cell.value for cell in summary["B"] if str(cell.value).startswith("=")]
    assert any(f"'{names['owners']}'!" in f for f in formulas)
    assert any(f"'{names['partners']}'!" in f for f in formulas)
    budget_row = 2 + len(proposal.set_asides) + 2
    assert summary[f"B{budget_row}"].value.startswith("=")
    assert evaluate(wb, names["summary"], f"B{budget_row}") == proposal.budget_nok
    assert list(values.values()).count(proposal.budget_nok) == 2  # to distribute, distributed
    assert owner_total in values.values() and partner_total in values.values()
    assert 0 in values.values()  # the difference row
    assert owner_total + partner_total == proposal.budget_nok


def test_amounts_are_numbers_matching_the_allocation(workbook, proposal):
    lang, wb = workbook
    ws = wb[sheet_names(lang)["owners"]]
    allocation = proposal.allocation
    expected = (
        allocation[allocation.recipient_type == "owner"].groupby("recipient_id")["amount_nok"].sum()
    )
    seen = {}
    h = _letter_of(ws, text("col_amount", lang))
    for row in range(2, ws.max_row):
        owner_id, amount = ws[f"B{row}"].value, ws[f"{h}{row}"].value
        assert isinstance(amount, int)
        assert ws[f"{h}{row}"].number_format == '#,##0" kr"'
        seen[owner_id] = amount
    assert seen == {k: int(v) for k, v in expected.items()}
    names = [ws[f"C{row}"].value for row in range(2, ws.max_row)]
    assert names == list(owner_table(proposal, lang)["owner_name"])


def _shown_length(value: object) -> int:
    """Characters a cell needs: text as is, whole kroner grouped and followed by " kr"."""
    if isinstance(value, str):
        return 0 if value.startswith("=") else len(value)
    return len(f"{value:,} kr") if isinstance(value, int) else 0


def test_layout_frozen_header_and_widths(workbook):
    lang, wb = workbook
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold
        for column in ws.iter_cols(min_row=1, max_row=ws.max_row):
            letter = column[0].column_letter
            needed = max(_shown_length(c.value) for c in column)
            assert ws.column_dimensions[letter].width >= min(needed, 66), (ws.title, letter)


def test_sources_hold_provenance_and_caveats(workbook, proposal):
    lang, wb = workbook
    ws = wb[sheet_names(lang)["sources"]]
    values = [ws[f"B{row}"].value for row in range(2, ws.max_row + 1)]
    assert "scenarios/rogaland_2025.toml" in values
    assert "3f2a" * 16 in values
    assert proposal.caveats[0] in values


def test_rules_sheet_has_sentences(workbook, proposal):
    lang, wb = workbook
    ws = wb[sheet_names(lang)["rules"]]
    rules = [ws[f"A{row}"].value for row in range(2, ws.max_row + 1)]
    assert rules == ["R1", "R3", "R4", "R4", "R5", "R9"]
    assert ws["B4"].value == "R4_cofin_1124"
    assert "Sola" in ws["K4"].value
    assert ws["D3"].value == proposal.partners["amount_nok"].sum()
    assert ws["D3"].number_format == '#,##0" kr"'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_workbook_kroner_per_fte_agrees_when_an_owner_does_not_take_part(left_out, lang, tmp_path):
    _, proposal = left_out
    owners = proposal.owners
    key_fte = float(owners.loc[owners["participates"].astype(bool), "teacher_fte"].sum())
    path = write_spreadsheet(proposal, tmp_path / "forslag.xlsx", lang)
    wb = load_workbook(path)
    names = sheet_names(lang)
    found = {}
    for key in ("regions", "owners"):
        ws = wb[names[key]]
        headers = [c.value for c in ws[1]]
        row = next(c.row for c in ws["A"] if c.value == text("total", lang))
        fte_col = headers.index(text("col_fte", lang)) + 1
        per_col = headers.index(text("col_nok_per_fte_total", lang)) + 1
        fte = evaluate(wb, names[key], ws.cell(row=row, column=fte_col).coordinate)
        per = evaluate(wb, names[key], ws.cell(row=row, column=per_col).coordinate)
        found[key] = (fte, per)
        assert fte == pytest.approx(key_fte)
        assert per == pytest.approx(proposal.budget_nok / key_fte)
        assert "Sandefjord" in str(ws.cell(row=row + 1, column=1).value)
    assert found["regions"] == pytest.approx(found["owners"])


def test_rules_sheet_states_the_requirement_in_words(workbook, proposal):
    """The requirement column says "minst …", "høyst …", "lik …" as the report does, never a
    raw operator an Excel reader cannot read."""
    from dekomopt.report.rules_text import bound_text

    lang, wb = workbook
    ws = wb[sheet_names(lang)["rules"]]
    headers = [c.value for c in ws[1]]
    column = headers.index(text("col_requirement", lang)) + 1
    shown = [ws.cell(row=row, column=column).value for row in range(2, ws.max_row + 1)]
    assert shown == [bound_text(r, lang) for r in proposal.rules]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c in ("==", "<=", ">=")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_owners_sheet_gives_each_imputed_owners_method(proposal, lang, tmp_path):
    """Every imputed owner's row names its method in the reader's language, in the words of the
    report's list of imputed owners (owners.csv: the same note in English, numbers plain);
    every other owner reads "–", also one whose figure carries a method without being
    imputed."""
    from dataclasses import replace

    from dekomopt.notes import Joined, note

    owners = proposal.owners.copy()
    ratio = note("method_ratio", per_1000=12.634, population=1886)
    both = Joined((ratio, note("method_private_removed", factor=0.9605)), "; ")
    scaled = note("method_private_removed", factor=0.9605)
    owners["fte_imputed"] = [i < 2 for i in range(len(owners))]
    owners["fte_method"] = [ratio, both] + [scaled] * (len(owners) - 2)
    imputed = dict(zip(owners["owner_id"], (ratio, both), strict=False))
    path = write_spreadsheet(replace(proposal, owners=owners), tmp_path / "w.xlsx", lang)
    ws = load_workbook(path)[sheet_names(lang)["owners"]]
    header = [cell.value for cell in ws[1]]
    assert header.index(text("col_imputation_method", lang)) == (
        header.index(text("col_imputed", lang)) + 1
    )
    rows = [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in ws.iter_rows(min_row=2, max_row=ws.max_row - 1)
    ]
    assert len(rows) == len(owners)
    shown = {r[text("col_owner_id", lang)]: r[text("col_imputation_method", lang)] for r in rows}
    for owner_id, method in shown.items():
        if owner_id in imputed:
            assert method == imputed[owner_id].in_language(lang)
        else:
            assert method == "–", (owner_id, method)
    said = {imputed[o].in_language(lang) for o in imputed}
    assert said == {m for m in shown.values() if m != "–"} and len(said) == 2
    if lang != "en":
        assert not any(str(m) in said for m in imputed.values())  # not the English words
