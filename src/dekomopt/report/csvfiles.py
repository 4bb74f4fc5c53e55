"""CSV files in the dialect the reader's program opens: plain, or Norwegian Excel's."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

CsvDialect = Literal["plain", "excel-nb"]
CSV_DIALECTS: tuple[str, ...] = ("plain", "excel-nb")
"""``plain``: comma, decimal point, UTF-8, LF (for programs). ``excel-nb``: semicolon, decimal
comma, UTF-8 with BOM, CRLF — what Norwegian Excel opens correctly by double-click."""


def write_table(frame: pd.DataFrame, path: str | Path, dialect: str = "plain") -> Path:
    """Write ``frame`` (no index) to ``path`` as CSV in ``dialect`` and return the path."""
    out = Path(path)
    if dialect == "excel-nb":
        frame.to_csv(
            out, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    elif dialect == "plain":
        frame.to_csv(out, index=False, lineterminator="\n")
    else:
        raise ValueError(f"unknown CSV dialect {dialect!r}; choose one of {CSV_DIALECTS}")
    return out
