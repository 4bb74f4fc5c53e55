"""CSV files in the dialect the reader's program opens: plain, or Norwegian Excel's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import pandas as pd

CsvDialect = Literal["plain", "excel-nb"]
CSV_DIALECTS: tuple[str, ...] = ("plain", "excel-nb")
"""``plain``: comma, decimal point, UTF-8, LF (for programs). ``excel-nb``: semicolon, decimal
comma, UTF-8 with BOM, CRLF — what Norwegian Excel opens correctly by double-click."""


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is read by a spreadsheet as a formula."""


def excel_text(value: object) -> object:
    """A text cell as Excel must open it to show the text as written, as the workbook stores
    it: digits only (a kommunenummer such as 0301) as the text formula ``="0301"`` (else Excel
    reads the number 301); text starting like a formula (``=1+1``) after an apostrophe, which
    Excel takes as "text follows". Other values unchanged. The scenario reader undoes both
    (:func:`~dekomopt.scenario.files.cell_as_written`)."""
    if not isinstance(value, str) or not value:
        return value
    if re.fullmatch("[0-9]+", value):
        return f'="{value}"'
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_table(frame: pd.DataFrame, path: str | Path, dialect: str = "plain") -> Path:
    """Write ``frame`` (no index) to ``path`` as CSV in ``dialect`` and return the path.

    ``excel-nb`` writes every text cell as :func:`excel_text` states (ids stay text, nothing
    is run as a formula); ``plain`` writes the cells as they are."""
    out = Path(path)
    if dialect == "excel-nb":
        text = frame.select_dtypes(include=["object", "string"]).columns
        frame = frame.assign(**{c: frame[c].map(excel_text) for c in text})
        frame.to_csv(
            out, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    elif dialect == "plain":
        frame.to_csv(out, index=False, lineterminator="\n")
    else:
        raise ValueError(f"unknown CSV dialect {dialect!r}; choose one of {CSV_DIALECTS}")
    return out
