"""Last year's amounts: the one reader of ``budget.previous`` and of ``propose --previous``.

A file of last year's amounts is one of

* a table ``region,amount_nok`` (one row per region), or a proposal's own ``regions.csv``
  (its other columns are not read);
* a proposal's own ``allocation.csv`` (one row per recipient, theme and sector; a region's
  amount is the sum of its rows, an owner's the sum of its owner rows),

in every format and dialect the scenario's tables take (:mod:`dekomopt.scenario.files`):
comma or semicolon CSV (so the ``--csv-dialect excel-nb`` output too), ``.xlsx``, spaces as
thousands separators. Amounts are whole kroner ≥ 0; a fraction is refused, never rounded.
Every region of the scenario needs an amount, and every region named must be one of the
scenario's. Each problem is one line naming the file, the row and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dekomopt.errors import ScenarioError
from dekomopt.scenario.files import (
    TABLES,
    InputFile,
    Problems,
    ReadTable,
    _header_problems,
    check_table,
    split_file,
    split_sheet,
)

REGION_TABLE = "budget.previous"
RECIPIENT_TABLE = "budget.previous (allocation.csv)"


_NOT_A_WORKBOOK = (
    "sheet '{sheet}' has no column {missing}: last year's amounts are read from a proposal's "
    "regions.csv or allocation.csv (either CSV dialect), or a sheet with columns region, "
    "amount_nok; not from the report's workbook (forslag.xlsx, proposal.xlsx), whose columns "
    "are named in the reader's language"
)
"""The one line for a workbook sheet that is no table of last year's amounts."""


_EXPECTED = (
    "last year's amounts are read from a proposal's regions.csv or allocation.csv, or a table "
    "with columns region, amount_nok (one row per region)"
)
_OTHER_TABLES = {
    "owner_id": f"one row per owner (a proposal's owners.csv?), not per region; {_EXPECTED}",
    "partner_id": f"one row per partner (a proposal's partners.csv?), not per region; {_EXPECTED}",
}
"""A table of the proposal's with a column of one of these is not last year's amounts."""


@dataclass(frozen=True)
class PreviousAmounts:
    """Last year's kroner as read from one file.

    ``region_nok``: whole kroner per region, in the order of the regions asked for;
    ``owner_nok``: owner id → its own kroner (an allocation.csv only; None for a region
    table); ``record``: the file as read (``key`` says which option or scenario key named
    it); ``total_nok``: last year's total for the stability rule (R10).
    """

    region_nok: np.ndarray
    owner_nok: pd.Series | None
    record: InputFile
    total_nok: int


def read_previous_into(
    given: str,
    key: str,
    problems: Problems,
    *,
    regions: tuple[str, ...],
    base: Path | None = None,
    total_nok: int | None = None,
) -> PreviousAmounts | None:
    """Read last year's amounts from ``given`` (a path as the user wrote it, relative to
    ``base`` when given, else to the working folder; ``book.xlsx#Sheet`` names a sheet).

    ``regions`` are the scenario's regions; empty when they could not be read (then the
    regions of the file are not checked). Every problem goes to ``problems`` and the result
    is None; ``total_nok`` (the scenario's ``previous_total_nok``) defaults to the sum of the
    file's amounts.
    """
    path, sheet = split_sheet(Path(given))
    if base is not None:
        path = (base / path).resolve()
    try:
        table, digest = split_file(path, given, key, sheet)
    except ScenarioError as exc:
        problems.extend(exc)
        return None
    per_recipient = "recipient_type" in table.header
    other = next((c for c in _OTHER_TABLES if c in table.header and not per_recipient), None)
    if other is not None:
        problems.add(given, "header", _OTHER_TABLES[other])
        return None
    spec = replace(TABLES[RECIPIENT_TABLE if per_recipient else REGION_TABLE], key=key)
    known = set(regions)

    def region(value: Any) -> str | None:
        if not known or value in known:
            return None
        return f"unknown region '{value}'; the scenario's regions: {', '.join(regions)}"

    unique: tuple[str, ...] = ("region",)
    if per_recipient:
        unique = ("region", "recipient_type", "recipient_id", "theme", "sector")
    before = len(problems.lines)
    header_ok = _header_problems(spec, table.header, given, Problems())
    absent = [name for name in spec.required if name not in table.header]
    if table.format == "xlsx" and absent and not table.sheets_with(spec.required):
        text = _NOT_A_WORKBOOK.format(sheet=table.sheet, missing=", ".join(absent))
        problems.add(given, "header", text)
        return None
    frame, notes = check_table(
        table, spec, given, problems=problems, unique=unique, validators={"region": region}
    )
    record = InputFile(key, given, digest, table.format, table.dialect, len(frame), notes)
    read = ReadTable(frame, record, table, header_ok)
    named = read.given("region")
    if known and named:
        for missing in regions:
            if missing not in named:
                problems.add(given, "column region", f"no amount for region {missing}; add its row")
    if len(problems.lines) > before:
        return None
    amounts = frame["amount_nok"].astype(float).groupby(frame["region"].astype(str)).sum()
    order = list(regions) if known else list(amounts.index)
    owner_nok = None
    if per_recipient:
        owners = frame[frame["recipient_type"] == "owner"]
        owner_nok = owners["amount_nok"].astype(float).groupby(owners["recipient_id"]).sum()
    total = int(amounts.sum()) if total_nok is None else total_nok
    return PreviousAmounts(amounts.reindex(order).to_numpy(float), owner_nok, record, total)
