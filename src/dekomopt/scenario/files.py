"""Readers for every table a scenario names, in the formats planners have them.

Each table is described as data (:data:`TABLES`: column, type, unit, description) and checked
on read. Accepted formats, detected from the file itself:

* CSV, comma separated with a decimal point, or semicolon separated with a decimal comma
  (Norwegian Excel); UTF-8 with or without a byte-order mark; LF or CRLF line ends; an Excel
  ``sep=`` first line; spaces or no-break spaces as thousands separators (``62 225,8``);
* ``.xlsx`` workbooks (the first sheet, or the sheet the scenario names), read with openpyxl;
* the Udir statistikkportalen export (UTF-16, tab separated, ``sep=`` line, one row per unit
  with ``EnhetNivaa`` 1–4, columns like ``2023-24.Alle kjønn.Alle eierformer.Antall
  lærerårsverk``), for the teacher-FTE table: municipality rows (EnhetNivaa 3) of one school
  year and indicator.

A bad file raises :class:`FileProblems` with one line per problem (file, row, column, what is
wrong, what was expected), every problem up to :data:`MAX_PROBLEMS`. Nothing is dropped
silently: a row is read or it is an error. What was read travels as an :class:`InputFile`
record (path as given, sha256, format and dialect, rows read) into every output.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from dekomopt.errors import ScenarioError
from dekomopt.notes import Dialect, Note, note

MAX_PROBLEMS = 50
"""At most this many problem lines are printed for one read; a last line says how many more."""


@dataclass(frozen=True)
class Column:
    """One column of a scenario table. ``kind``: code (4-digit kommunenummer), text, number."""

    name: str
    kind: str
    unit: str
    description: str
    required: bool = True
    minimum: float | None = 0.0
    pattern: str | None = None
    """A text cell must match this regular expression (e.g. a school year)."""
    whole: bool = False
    """A number must be whole (kroner): ``6000000.7`` is refused, never rounded."""


@dataclass(frozen=True)
class TableSpec:
    """A table a scenario can name: its key, its columns and what one row means."""

    key: str
    columns: tuple[Column, ...]
    row: str
    open: bool = False
    """Other columns are allowed and not read (a proposal's own regions.csv or
    allocation.csv, read back as last year's amounts)."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _code(description: str = "2024 municipality code (kommunenummer)") -> Column:
    return Column("kommunenummer", "code", "", description)


def _year_and_source() -> tuple[Column, Column]:
    """The optional columns of a teacher-FTE table: its school year and its source."""
    return (
        Column(
            "school_year",
            "text",
            "",
            "a school year such as 2023-24",
            required=False,
            pattern=r"\d{4}-\d{2}",
        ),
        Column("source", "text", "", "where the figure comes from", required=False),
    )


TABLES: dict[str, TableSpec] = {
    spec.key: spec
    for spec in (
        TableSpec(
            "structure.csv",
            (
                _code(),
                Column("region", "text", "", "competence region of the municipality"),
                Column("name", "text", "", "municipality name (for reading only)", required=False),
            ),
            "one municipality and its region",
        ),
        TableSpec(
            "owners.fte_source",
            (
                _code(),
                Column("teacher_fte", "number", "årsverk", "teacher FTEs (lærerårsverk)"),
                *_year_and_source(),
            ),
            "one municipality's teacher FTEs",
        ),
        TableSpec(
            "owners.kindergarten_fte",
            (
                _code(),
                Column("kindergarten_fte", "number", "årsverk", "kindergarten staff FTEs"),
                Column("year", "text", "", "year of the figure", required=False),
                Column("source", "text", "", "where the figure comes from", required=False),
            ),
            "one municipality's kindergarten staff (årsverk)",
        ),
        TableSpec(
            "owners.needs",
            (
                Column("owner", "text", "", "owner id (kommunenummer or extra owner id)"),
                Column("theme", "text", "", "general or special_ed"),
                Column("need_nok", "number", "NOK", "reported need"),
            ),
            "one owner's need for one theme",
        ),
        TableSpec(
            "owners.cofinancing_capacity",
            (
                Column("owner", "text", "", "owner id (kommunenummer or extra owner id)"),
                Column("capacity_nok", "number", "NOK", "what the owner can co-finance"),
            ),
            "one owner's co-financing capacity",
        ),
        TableSpec(
            "budget.previous",
            (
                Column("region", "text", "", "competence region"),
                Column("amount_nok", "number", "NOK", "last year's allocation", whole=True),
            ),
            "one region's allocation last year (or a proposal's regions.csv: other columns "
            "are not read)",
            open=True,
        ),
        TableSpec(
            "budget.previous (allocation.csv)",
            (
                Column("region", "text", "", "competence region"),
                Column("recipient_type", "text", "", "owner or partner", pattern="owner|partner"),
                Column("recipient_id", "text", "", "owner or partner id"),
                Column("theme", "text", "", "the theme", required=False),
                Column("sector", "text", "", "the sector", required=False),
                Column("amount_nok", "number", "NOK", "last year's amount", whole=True),
            ),
            "one recipient's kroner for one theme and sector last year (a proposal's "
            "allocation.csv; other columns are not read)",
            open=True,
        ),
        TableSpec(
            "national --fte",
            (
                Column(
                    "county",
                    "text",
                    "",
                    "a county by name or number (2024, or the 2020–2023 county it was part of)",
                    required=False,
                ),
                Column(
                    "office",
                    "text",
                    "",
                    "a Statsforvalter office (short or full name)",
                    required=False,
                ),
                Column("teacher_fte", "number", "årsverk", "teacher FTEs (lærerårsverk)"),
                *_year_and_source(),
            ),
            "one county's (or one office's) teacher FTEs; a column county or office",
        ),
        TableSpec(
            "partners.extra_csv",
            (
                Column("id", "text", "", "partner id, as partners.eligible names it"),
                Column("name", "text", "", "the partner's name"),
                Column("kind", "text", "", "uh, fagskole or other", pattern="uh|fagskole|other"),
                Column(
                    "kommunenummer",
                    "code",
                    "",
                    "the campus's municipality (2024 kommunenummer); empty: location unknown",
                    required=False,
                ),
                Column("source", "text", "", "where the partner comes from", required=False),
            ),
            "one partner and the municipality of its campus",
        ),
        TableSpec(
            "partners.capacity_csv",
            (
                Column("partner", "text", "", "partner id"),
                Column("capacity_nok", "number", "NOK", "what the partner can take on"),
            ),
            "one partner's capacity",
        ),
    )
}
"""Every table a scenario can name, by the scenario key that names it."""


@dataclass(frozen=True)
class InputFile:
    """A file a result was computed from: what provenance and the report say about it."""

    key: str
    """The scenario key (or command option) that named it."""
    path: str
    """The path as the scenario gives it."""
    sha256: str
    format: str
    """csv, xlsx, udir-export or json-stat."""
    dialect: str
    """How it was read, e.g. "semicolon, decimal comma, UTF-8 with BOM, CRLF"."""
    rows_read: int
    notes: tuple[Note, ...] = ()
    """Repairs made while reading (e.g. a 3-digit code padded to 4), one per kind."""

    def record(self) -> dict[str, object]:
        """The entry of ``input_files`` in every ``provenance.json`` (propose, national,
        simulate, structures): key, path as given, sha256, format, dialect, rows read, notes
        (the notes as records: JSON writers store their English text)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def describe(self) -> Note:
        """One line for a report: ``key: path (format, dialect; N rows; sha256 …)``."""
        return note(
            "input_file",
            key=self.key,
            path=self.path,
            format=self.format,
            dialect=Dialect(self.dialect),
            rows=self.rows_read,
            sha256=self.sha256[:16],
        )


class FileProblems(ScenarioError):
    """Every problem found in one or more files, one line each (capped at MAX_PROBLEMS).

    ``source`` is the file of the first problem."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(
                f"... and {len(problems) - MAX_PROBLEMS} more problems (the first "
                f"{MAX_PROBLEMS} are shown)"
            )
        self._lines = shown
        super().__init__(source or shown[0].split(": ", 1)[0], "", shown[0])

    def lines(self) -> list[str]:
        return list(self._lines)

    def __str__(self) -> str:
        return "\n".join(self._lines)


@dataclass
class Problems:
    """Collects problem lines; :meth:`raise_if_any` raises them together."""

    lines: list[str] = field(default_factory=list)
    first_file: str = ""

    def add(self, file: str, where: str, message: str) -> None:
        self.first_file = self.first_file or file
        self.lines.append(f"{file}: {where}: {message}" if where else f"{file}: {message}")

    def extend(self, error: ScenarioError) -> None:
        self.first_file = self.first_file or error.source
        self.lines.extend(error.lines())

    def raise_if_any(self) -> None:
        if self.lines:
            raise FileProblems(self.lines, self.first_file)


_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$|^[+-]?[.,]\d+$")
_CODE = re.compile(r"^\d{4}$")
_SPACES = str.maketrans("", "", " \u00a0\u202f")


def parse_number(text: str, decimal: str) -> float:
    """A number as planners write it: ``2811.0``, ``2 811,0`` (space or no-break space as
    thousands separator) with ``decimal`` ("." or ",") the decimal mark. ValueError says why."""
    cell = text.strip()
    if not (_GROUPED.match(cell) or _PLAIN.match(cell)):
        raise ValueError(f"'{text}' is not a number")
    other = "," if decimal == "." else "."
    if other in cell:
        mark = "a decimal comma" if other == "," else "a decimal point"
        raise ValueError(
            f"'{text}' has {mark}, but this file uses "
            f"{'decimal points' if decimal == '.' else 'decimal commas'} (mixed dialect)"
        )
    value = float(cell.translate(_SPACES).replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(f"'{text}' is not a finite number")
    return value


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _read_bytes(path: Path, shown: str, key: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FileProblems([f"{shown}: {key}: file not found"], shown) from None
    except IsADirectoryError:
        raise FileProblems([f"{shown}: {key}: is a directory, not a file"], shown) from None
    except OSError as exc:
        raise FileProblems([f"{shown}: {key}: cannot be read ({exc.strerror})"], shown) from None


@dataclass(frozen=True)
class RawTable:
    """Cells as text, with the row number a user sees for each data row."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    format: str
    dialect: str
    decimal: str
    sheet: str = ""
    """The sheet read, for a workbook."""
    sheet_headers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Every sheet of a workbook with its first non-empty row (to point at the sheet that
    holds a table when another was read)."""

    def sheets_with(self, columns: tuple[str, ...]) -> list[str]:
        """The workbook's other sheets whose first row has all of ``columns``."""
        return [
            name
            for name, header in self.sheet_headers
            if name != self.sheet and set(columns) <= set(header)
        ]


def _utf16(raw: bytes) -> str | None:
    """The UTF-16 codec of ``raw`` (with a byte-order mark, or ASCII text with NUL bytes)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:200]
    if len(head) >= 4 and head.count(0) >= len(head) // 3:
        return "utf-16-le" if head[1] == 0 else "utf-16-be"
    return None


def _decode(raw: bytes, shown: str) -> tuple[str, str]:
    codec = _utf16(raw)
    if codec is not None:
        try:
            return raw.decode(codec), "UTF-16" + ("" if codec == "utf-16" else " without BOM")
        except UnicodeDecodeError as exc:
            raise FileProblems([f"{shown}: byte {exc.start}: damaged UTF-16 text"]) from None
    encoding = "UTF-8 with BOM" if raw.startswith(b"\xef\xbb\xbf") else "UTF-8"
    try:
        return raw.decode("utf-8-sig"), encoding
    except UnicodeDecodeError as exc:
        raise FileProblems(
            [
                f"{shown}: byte {exc.start}: not UTF-8 text (perhaps Windows-1252/Latin-1); "
                "expected UTF-8: in Excel choose 'CSV UTF-8', or save as .xlsx"
            ]
        ) from None


def _split_csv(raw: bytes, shown: str) -> RawTable:
    text, encoding = _decode(raw, shown)
    crlf = "\r\n" in text
    lines = text.splitlines()
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines):
        raise FileProblems([f"{shown}: file is empty; expected a header row and data rows"])
    line0 = lines[first].lstrip("\ufeff")
    sep_line = line0.startswith("sep=") and len(line0) <= 5
    header_line = first + 1 if sep_line else first
    if sep_line:
        delimiter = line0[4:5] or "\t"
    else:
        counts = {d: line0.count(d) for d in ("\t", ";", ",")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    if header_line >= len(lines):
        raise FileProblems([f"{shown}: file has no header row after the sep= line"])
    decimal = "." if delimiter == "," else ","
    body = "\n".join(lines[header_line:])
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    parsed = list(reader)
    header = [h.strip().strip("\ufeff") for h in parsed[0]]
    rows = [(header_line + i + 2, cells) for i, cells in enumerate(parsed[1:])]
    name = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    parts = [f"{name}-separated", f"decimal {'point' if decimal == '.' else 'comma'}", encoding]
    if crlf:
        parts.append("CRLF line ends")
    if sep_line:
        parts.append("sep= line")
    return RawTable(header, rows, "csv", ", ".join(parts), decimal)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return str(value)


def _split_xlsx(raw: bytes, shown: str, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        kind = type(exc).__name__
        raise FileProblems(
            [f"{shown}: not a readable .xlsx workbook ({kind}); expected an Excel file"]
        ) from None
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise FileProblems(
            [f"{shown}: sheet '{sheet}' does not exist; the workbook has: {', '.join(names)}"]
        )
    ws = book[sheet] if sheet is not None else book[names[0]]
    values = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    headers = tuple((name, _first_row(book[name])) for name in names)
    book.close()
    first = 0
    while first < len(values) and not any(c.strip() for c in values[first]):
        first += 1
    if first == len(values):
        raise FileProblems([f"{shown}: sheet '{ws.title}' is empty; expected a header row"])
    header = [h.strip() for h in values[first]]
    while header and not header[-1]:
        header.pop()
    rows = [(first + i + 2, cells[: len(header)] + [""] * (len(header) - len(cells)))
            for i, cells in enumerate(values[first + 1 :])]  # fmt: skip
    dialect = f"sheet '{ws.title}', cells as stored"
    return RawTable(header, rows, "xlsx", dialect, ".", ws.title, headers)


def _first_row(ws: Any) -> tuple[str, ...]:
    """The first non-empty row of a worksheet, stripped; empty for an empty sheet."""
    for row in ws.iter_rows(values_only=True):
        cells = tuple(_cell_text(v).strip() for v in row)
        if any(cells):
            return cells
    return ()


def is_udir_export(raw: bytes) -> bool:
    """Whether the bytes look like a Udir statistikkportalen export (``EnhetNivaa`` header)."""
    codec = _utf16(raw)
    try:
        text = raw[:4000].decode(codec or "utf-8-sig", errors="ignore")
    except LookupError:
        return False
    return "EnhetNivaa" in text


def split_file(path: Path, shown: str, key: str, sheet: str | None = None) -> tuple[RawTable, str]:
    """The file's header and rows as text, and its sha256. Format from the content/suffix."""
    raw = _read_bytes(path, shown, key)
    digest = sha256_of(raw)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _split_xlsx(raw, shown, sheet), digest
    if sheet is not None:
        raise FileProblems([f"{shown}: {key}: a sheet is named, but this is no .xlsx workbook"])
    if raw[:4] == b"PK\x03\x04":
        raise FileProblems([f"{shown}: is a workbook (zip) without the .xlsx suffix; rename it"])
    return _split_csv(raw, shown), digest


def _header_problems(spec: TableSpec, header: list[str], shown: str, problems: Problems) -> bool:
    """Add the header's problems; whether it had none."""
    before = len(problems.lines)
    seen = [h for h in header if h]
    for name in spec.required:
        if name not in seen:
            problems.add(
                shown, "header", f"missing column '{name}'; expected {', '.join(spec.names)}"
            )
    for name in seen:
        if name not in spec.names and not spec.open:
            problems.add(
                shown, "header", f"unknown column '{name}'; expected {', '.join(spec.names)}"
            )
    for name in {h for h in seen if seen.count(h) > 1}:
        problems.add(shown, "header", f"column '{name}' appears twice")
    return len(problems.lines) == before


def _fields(given: int, header: int) -> str:
    """What is wrong with a row of ``given`` cells under a header of ``header`` columns."""
    return f"has {given} field{'' if given == 1 else 's'} where the header has {header} columns"


def _sheet_problem(table: RawTable, spec: TableSpec, shown: str, problems: Problems) -> bool:
    """Whether the table is the first sheet of a workbook with several, read because no sheet
    was named, and lacks a required column: then one line says so, naming the workbook's
    sheets (and the sheet that has the columns, if one has) instead of a line per column."""
    missing = [name for name in spec.required if name not in table.header]
    named = shown.endswith(f"#{table.sheet}")
    if not missing or len(table.sheet_headers) < 2 or named:
        return False
    names = ", ".join(f"'{name}'" for name, _ in table.sheet_headers)
    fits = table.sheets_with(spec.required)
    other = next(name for name, _ in table.sheet_headers if name != table.sheet)
    where = (
        f"sheet '{fits[0]}' has them: name it as {shown}#{fits[0]}"
        if fits
        else f"name the sheet that holds the table, e.g. {shown}#{other}"
    )
    problems.add(
        shown,
        "header",
        f"sheet '{table.sheet}' has no column {', '.join(missing)} (expected "
        f"{', '.join(spec.names)}); the workbook's sheets are {names}; {where}",
    )
    return True


def check_table(
    table: RawTable,
    spec: TableSpec,
    shown: str,
    *,
    problems: Problems,
    unique: tuple[str, ...] = (),
    validators: Mapping[str, Callable[[Any], str | None]] | None = None,
) -> tuple[pd.DataFrame, tuple[Note, ...]]:
    """Typed rows of ``table`` against ``spec``; every problem goes to ``problems``.

    Codes must have 4 digits (a 3-digit code, as Excel leaves 0301, is padded and noted);
    numbers use the file's decimal mark and must not be below the column's minimum; ``unique``
    columns (together) may not repeat; ``validators`` map a column to a check of its parsed
    value that returns what is wrong (e.g. a code of another county), or None. Returns the
    frame (with a ``row`` column: the row number in the file) and the repairs made.
    """
    before = len(problems.lines)
    if _sheet_problem(table, spec, shown, problems) or not _header_problems(
        spec, table.header, shown, problems
    ):
        return pd.DataFrame(columns=[*spec.names, "row"]), ()
    columns = {c.name: c for c in spec.columns}
    index = {name: i for i, name in enumerate(table.header) if name in columns}
    notes: set[Note] = set()
    records: list[dict[str, object]] = []
    seen: dict[tuple[object, ...], dict[str, object]] = {}
    for number, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(table.header):
            problems.add(
                shown,
                f"row {number}",
                f"{_fields(len(cells), len(table.header))} (a separator or decimal mark of the "
                "other CSV dialect?)",
            )
            continue
        record: dict[str, object] = {"row": number}
        ok = True
        for name, i in index.items():
            column = columns[name]
            cell = cells[i].strip()
            where = f"row {number}, column {name}"
            if not cell:
                if column.required:
                    problems.add(shown, where, f"is empty; expected {column.description}")
                    ok = False
                record[name] = "" if column.kind != "number" else math.nan
                continue
            if column.kind == "code":
                if re.fullmatch(r"\d{3}", cell):
                    notes.add(note("file_codes_padded"))
                    cell = "0" + cell
                if not _CODE.match(cell):
                    problems.add(shown, where, f"'{cells[i]}' is not a 4-digit municipality code")
                    ok = False
                    continue
                record[name] = cell
            elif column.kind == "number":
                try:
                    value = parse_number(cell, table.decimal)
                except ValueError as exc:
                    problems.add(shown, where, f"{exc}; expected {column.description} in "
                                 f"{column.unit or 'units'}")  # fmt: skip
                    ok = False
                    continue
                if column.minimum is not None and value < column.minimum:
                    problems.add(
                        shown, where, f"{cell} is negative; expected a number ≥ {column.minimum:g}"
                    )
                    ok = False
                    continue
                if column.whole and not value.is_integer():
                    problems.add(
                        shown, where, f"{cell} is not whole kroner; expected {column.description} "
                        "in whole kroner (it is not rounded)"
                    )  # fmt: skip
                    ok = False
                    continue
                record[name] = value
            else:
                if column.pattern is not None and not re.fullmatch(column.pattern, cell):
                    problems.add(shown, where, f"'{cell}' is not {column.description}")
                    ok = False
                    continue
                record[name] = cell
            check = (validators or {}).get(name)
            if check is not None and name in record:
                wrong = check(record[name])
                if wrong:
                    problems.add(shown, where, wrong)
                    ok = False
        if not ok:
            continue
        if unique:
            key = tuple(record.get(u) for u in unique)
            if key in seen:
                problems.add(shown, f"row {number}", _duplicate(record, seen[key], unique))
                continue
            seen[key] = record
        records.append(record)
    if not records and len(problems.lines) == before:
        problems.add(shown, spec.key, "has a header but no data rows")
    frame = pd.DataFrame(records, columns=[*[n for n in spec.names if n in index], "row"])
    for name in spec.names:
        if name not in frame.columns:
            frame[name] = math.nan if columns[name].kind == "number" else ""
    return frame, tuple(sorted(notes, key=str))


def _duplicate(record: dict[str, object], first: dict[str, object], unique: tuple[str, ...]) -> str:
    """What is wrong with ``record``, whose ``unique`` columns repeat those of row ``first``:
    the repeated key, and each other column whose value the two rows give differently."""
    what = ", ".join(f"{u} {record.get(u)}" for u in unique)
    differ = [
        f"{name} '{_value(record[name])}' here, '{_value(first[name])}' there"
        for name in record
        if name not in (*unique, "row") and name in first and _differ(record[name], first[name])
    ]
    if not differ:
        return f"duplicate of row {first['row']} ({what})"
    return (
        f"{what} is also on row {first['row']}, which gives a different "
        + "; a different ".join(differ)
        + "; keep one of the two rows"
    )


def _value(value: object) -> object:
    """A cell's parsed value as a user wrote it: a whole number without ``.0``."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _differ(a: object, b: object) -> bool:
    both_missing = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return not both_missing and a != b


@dataclass(frozen=True)
class ReadTable:
    """A table as read: its good rows (``frame``), its record, and the file's cells."""

    frame: pd.DataFrame
    record: InputFile
    raw: RawTable
    header_ok: bool

    def given(self, column: str) -> set[str]:
        """Every non-empty cell of ``column`` in the file, good rows or not (3-digit
        municipality codes padded as :func:`check_table` pads them): what the file names, so
        that a row with a bad figure is reported as bad, not also as missing. Empty when the
        header is wrong (its rows cannot be read)."""
        if not self.header_ok or column not in self.raw.header:
            return set()
        i = self.raw.header.index(column)
        cells = {cells[i].strip() for _, cells in self.raw.rows if i < len(cells)}
        return {"0" + c if re.fullmatch(r"\d{3}", c) else c for c in cells if c}


def read_table_into(
    path: Path,
    shown: str,
    spec: TableSpec,
    problems: Problems,
    *,
    sheet: str | None = None,
    unique: tuple[str, ...] = (),
    validators: Mapping[str, Callable[[Any], str | None]] | None = None,
) -> ReadTable | None:
    """Read and check one scenario table (CSV in either dialect, or .xlsx), adding every
    problem to ``problems`` instead of raising, so that a caller can add what is missing from
    the file in the same pass. None when the file cannot be read as a table at all."""
    try:
        table, digest = split_file(path, shown, spec.key, sheet)
    except ScenarioError as exc:
        problems.extend(exc)
        return None
    header_ok = _header_problems(spec, table.header, shown, Problems())
    frame, notes = check_table(
        table, spec, shown, problems=problems, unique=unique, validators=validators
    )
    record = InputFile(spec.key, shown, digest, table.format, table.dialect, len(frame), notes)
    return ReadTable(frame, record, table, header_ok)


def read_scenario_table(
    path: Path,
    shown: str,
    spec: TableSpec,
    *,
    sheet: str | None = None,
    unique: tuple[str, ...] = (),
    validators: Mapping[str, Callable[[Any], str | None]] | None = None,
) -> tuple[pd.DataFrame, InputFile]:
    """Read and check one scenario table (CSV in either dialect, or .xlsx).

    Raises :class:`FileProblems` with every problem of the file, one line each.
    """
    problems = Problems()
    read = read_table_into(
        path, shown, spec, problems, sheet=sheet, unique=unique, validators=validators
    )
    problems.raise_if_any()
    assert read is not None  # a file that cannot be read is a problem, raised above
    return read.frame, read.record


def code_in_scope(
    scope_codes: Iterable[str], scope_label: str, county_of: Mapping[str, str]
) -> Callable[[Any], str | None]:
    """A validator: a code of another county, or an unknown code, is an error naming it (and
    its county)."""
    codes = set(scope_codes)

    def check(code: Any) -> str | None:
        if code in codes:
            return None
        if code in county_of:
            return f"{code} is a municipality of {county_of[code]}, not of {scope_label}"
        return f"{code} is no 2024 municipality (unknown code)"

    return check


@dataclass(frozen=True)
class UdirColumn:
    school_year: str
    gender: str
    owner_form: str
    indicator: str


DEFAULT_INDICATOR = "Antall lærerårsverk"
_UDIR_COLUMN = re.compile(r"^(\d{4}-\d{2})\.([^.]+)\.([^.]+)\.(.+)$")


def read_udir_export(
    path: Path,
    shown: str,
    key: str,
    *,
    level: int = 3,
    school_year: str | None = None,
    indicator: str = DEFAULT_INDICATOR,
    owner_form: str | None = None,
    problems: Problems | None = None,
) -> tuple[pd.DataFrame, InputFile]:
    """One indicator of one school year from a Udir statistikkportalen export.

    ``level`` 3 gives municipality rows (``kommunenummer`` from Kommunekode), level 2 county
    rows (``fylkenummer`` from Fylkekode). ``school_year`` defaults to the latest year that
    has the indicator; ``owner_form`` to "Alle eierformer" when the export has it, else the
    only owner form. An empty cell is a missing value: an error naming the row. Columns:
    code, name, value, school_year, row (the good rows).

    A file that is no readable export raises :class:`FileProblems`. Problems of single rows
    raise too, unless ``problems`` is given: then they are added to it (so a caller can add
    what is missing in the same pass), and a row whose figure is bad is returned with value
    NaN, so the caller knows the file names its unit.
    """
    raw = _read_bytes(path, shown, key)
    table = _split_csv(raw, shown)
    raise_rows = problems is None
    rows_to = Problems() if problems is None else problems
    problems = Problems()
    needed = ("EnhetNivaa", "Fylkekode", "Kommunekode", "Fylke", "Kommune")
    for name in needed:
        if name not in table.header:
            problems.add(
                shown,
                "header",
                f"missing column '{name}'; expected a Udir statistikkportalen export "
                "(EnhetNivaa, Fylkekode, Kommunekode, ...)",
            )
    problems.raise_if_any()
    measures: dict[int, UdirColumn] = {}
    for i, name in enumerate(table.header):
        match = _UDIR_COLUMN.match(name)
        if match:
            measures[i] = UdirColumn(*match.groups())
    wanted = {i: m for i, m in measures.items() if m.indicator == indicator}
    if not wanted:
        found = sorted({m.indicator for m in measures.values()})
        problems.add(shown, "header", f"no column for indicator '{indicator}'; the export has: "
                     f"{', '.join(found) or 'no year.gender.owner.indicator columns'}")  # fmt: skip
        any_years = sorted({m.school_year for m in measures.values()})
        if school_year is not None and any_years and school_year not in any_years:
            problems.add(shown, "header", f"no school year {school_year} for any indicator; the "
                         f"export has {', '.join(any_years)}")  # fmt: skip
        problems.raise_if_any()
    years = sorted({m.school_year for m in wanted.values()})
    year = school_year or years[-1]
    if year not in years:
        raise FileProblems(
            [f"{shown}: header: no school year {year} for '{indicator}'; the export has "
             f"{', '.join(years)}"]
        )  # fmt: skip
    forms = sorted({m.owner_form for m in wanted.values() if m.school_year == year})
    form = owner_form or ("Alle eierformer" if "Alle eierformer" in forms else None)
    if form is None and len(forms) == 1:
        form = forms[0]
    if form not in forms:
        raise FileProblems(
            [f"{shown}: header: owner form {form or '(none given)'!r} not in the export for "
             f"{year}; it has {', '.join(forms)}; set the owner form"]
        )  # fmt: skip
    genders = sorted(
        {m.gender for m in wanted.values() if (m.school_year, m.owner_form) == (year, form)}
    )
    gender = "Alle kjønn" if "Alle kjønn" in genders else genders[0]
    column = next(
        i
        for i, m in wanted.items()
        if (m.school_year, m.owner_form, m.gender) == (year, form, gender)
    )
    problems = rows_to
    col = {name: table.header.index(name) for name in needed}
    code_col = "Kommunekode" if level == 3 else "Fylkekode"
    name_col = "Kommune" if level == 3 else "Fylke"
    records = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(table.header):
            problems.add(shown, f"row {number}", _fields(len(cells), len(table.header)))
            continue
        if cells[col["EnhetNivaa"]].strip() != str(level):
            continue
        code = cells[col[code_col]].strip()
        where = f"row {number}, column {table.header[column]}"
        if code in seen:
            problems.add(shown, f"row {number}", f"{code_col} {code} repeats row {seen[code]}")
            continue
        seen[code] = number
        cell = cells[column].strip()
        value = math.nan
        if not cell:
            problems.add(shown, where, f"is empty (no figure for {code} in {year})")
        else:
            try:
                value = parse_number(cell, table.decimal)
            except ValueError as exc:
                problems.add(shown, where, f"{exc}; expected {indicator}")
        if math.isnan(value) and raise_rows:
            continue
        records.append((code, cells[col[name_col]].strip(), value, year, number))
    if not records and not seen:
        problems.add(shown, "", f"no rows with EnhetNivaa {level}")
    if raise_rows:
        problems.raise_if_any()
    frame = pd.DataFrame(records, columns=["code", "name", "value", "school_year", "row"])
    dialect = f"{table.dialect}; EnhetNivaa {level}, {year}, {gender}, {form}, '{indicator}'"
    read = int(frame["value"].notna().sum())
    return frame, InputFile(key, shown, sha256_of(raw), "udir-export", dialect, read)


def split_sheet(path: Path) -> tuple[Path, str | None]:
    """``book.xlsx#Sheet`` → (``book.xlsx``, ``"Sheet"``); any other path unchanged."""
    name = path.name
    if "#" in name:
        head, sheet = name.rsplit("#", 1)
        if head.lower().endswith((".xlsx", ".xlsm")):
            return path.with_name(head), sheet
    return path, None
