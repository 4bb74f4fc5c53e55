"""Readers for the CSV files a scenario names (structure, needs, co-financing, last year)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd

from dekomopt.errors import ScenarioError


def read_csv_file(
    path: Path, key: str, columns: dict[str, type], *, optional: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Read a small UTF-8 CSV with exactly the named columns (``optional`` ones may be absent).

    ``key`` is the scenario key that named the file; every error names the file, the row or
    column, and what is wrong. Numbers must be finite and not negative.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(path, key, "file not found") from None
    except OSError as exc:
        raise ScenarioError(path, key, f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, f"byte {exc.start}", "file is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ScenarioError(path, "header", "file is empty")
    header = [h.strip() for h in header]
    required = [c for c in columns if c not in optional]
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h not in columns]
    if missing or unknown or len(set(header)) != len(header):
        expected = ",".join(columns)
        raise ScenarioError(
            path, "header", f"expected columns {expected}, found {','.join(header)}"
        )
    rows: list[dict[str, object]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise ScenarioError(
                path, f"row {number}", f"has {len(cells)} cells, the header has {len(header)}"
            )
        row: dict[str, object] = {}
        for name, cell in zip(header, cells, strict=True):
            cell = cell.strip()
            kind = columns[name]
            if kind is str:
                if not cell:
                    raise ScenarioError(path, f"row {number} column {name}", "is empty")
                row[name] = cell
                continue
            try:
                value = float(cell)
            except ValueError:
                raise ScenarioError(
                    path, f"row {number} column {name}", f"'{cell}' is not a number"
                ) from None
            if not math.isfinite(value) or value < 0:
                raise ScenarioError(
                    path, f"row {number} column {name}", f"{cell} must be a number ≥ 0"
                )
            row[name] = value
        rows.append(row)
    if not rows:
        raise ScenarioError(path, key, "no data rows")
    return pd.DataFrame(rows, columns=header)
