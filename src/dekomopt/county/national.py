"""The first stage of the scheme: a national pot split between the 10 Statsforvalter offices.

Udir shared the national grant between the offices "basert på antall lærerårsverk" (2017).
:func:`split_national` does that, exact to the krone: each office gets the whole-krone floor of
its FTE share, and the kroner left over go one each to the largest remainders (ties: the
bundled office order). FTEs are taken in tenths, so the arithmetic is exact integers.

The figures are the bundled Skoleporten office sums (pre-2020 counties; 2014-15 to 2019-20), or
the user's own file: the county rows (EnhetNivaa 2) of a Udir statistikkportalen export, or a
plain table (``TABLES["national --fte"]``: a column ``county`` or ``office``, and
``teacher_fte``) in any format the scenario tables take. Every 2024 county must be counted
exactly once (by its own row, its 2020–2023 county's row, or its office's row).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from dekomopt import data
from dekomopt.data.tables import read_table
from dekomopt.errors import DataError
from dekomopt.notes import Note, note
from dekomopt.scenario.files import (
    TABLES,
    InputFile,
    Problems,
    is_udir_export,
    read_table_into,
    read_udir_export,
    split_sheet,
)

OFFICE_SUMS = "teacher_fte_statsforvalter_pre2020_derived.csv"


@dataclass(frozen=True)
class NationalSplit:
    """One national pot shared between the offices; ``table`` has office, counties,
    teacher_fte, share, amount_nok (int). ``amount_nok`` sums to ``total_nok``."""

    total_nok: int
    school_year: str
    """The school year of the figures; "" when the user's table does not state one."""
    table: pd.DataFrame
    input_files: tuple[InputFile, ...]
    caveats: tuple[Note, ...]


def largest_remainder(total: int, weights: list[Fraction]) -> list[int]:
    """Whole units proportional to ``weights`` that add up to ``total`` exactly."""
    whole = sum(weights)
    if whole <= 0:
        raise ValueError("weights must add to more than 0")
    exact = [total * w / whole for w in weights]
    floors = [int(x) for x in exact]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def school_year(text: str) -> str:
    """A school year as the tables write it: ``2019`` or ``2019-20`` gives ``2019-20``.
    Raises ValueError saying what is wrong with any other text."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", text.strip())
    if match is None:
        raise ValueError(f"expected a school year such as 2019-20 or 2019, got {text!r}")
    following = f"{(int(match[1]) + 1) % 100:02d}"
    if match[2] is not None and match[2] != following:
        raise ValueError(f"{text!r} is no school year: {match[1]} is followed by {following}")
    return f"{match[1]}-{following}"


def bundled_school_years() -> list[str]:
    """The school years of the bundled office sums (``2014-15`` …), oldest first."""
    return sorted(set(read_table(OFFICE_SUMS)["school_year"]))


def _bundled(year: str | None) -> tuple[dict[str, Fraction], str, tuple[Note, ...]]:
    frame = read_table(OFFICE_SUMS)
    years = bundled_school_years()
    chosen = year or years[-1]
    if chosen not in years:
        raise DataError(OFFICE_SUMS, "school_year", f"no {chosen}; bundled: {', '.join(years)}")
    rows = frame[frame["school_year"] == chosen]
    fte = {
        data.office_short_name(name): Fraction(str(value))
        for name, value in rows[["statsforvalter_2024_name", "teacher_fte_sum"]].values
    }
    caveats = (note("national_bundled_fte", year=chosen), note("national_moved_units"))
    return fte, chosen, caveats


@dataclass(frozen=True)
class _Unit:
    """What one row of a county or office table counts: a 2024 county, a 2020–2023 county
    (the 2024 counties it became), or an office (all its counties)."""

    label: str
    counties: frozenset[int]
    office: str


def _county_units() -> dict[str, _Unit]:
    """County name (casefolded) or number → unit: the 15 counties of 2024 and the 2020–2023
    counties they were read from (30 Viken, 38 Vestfold og Telemark, 54 Troms og Finnmark)."""
    frame = read_table("counties_statsforvalter_2024.csv")
    units: dict[str, _Unit] = {}
    old: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for number, county, office, read_from in frame[
        ["county_number", "county", "statsforvalter", "orgnr_read_from_county"]
    ].values:
        short = data.office_short_name(office)
        unit = _Unit(f"{county} ({int(number):02d})", frozenset({int(number)}), short)
        units[str(int(number))] = units[str(county).casefold()] = unit
        old_number, old_name = str(read_from).split(" ", 1)
        old.setdefault((int(old_number), old_name), []).append((int(number), short))
    for (number, name), parts in old.items():
        if str(number) in units:
            continue
        offices = {office for _, office in parts}
        if len(offices) != 1:
            raise DataError("counties_statsforvalter_2024.csv", str(number), "two offices")
        unit = _Unit(f"{name} ({number:02d}, 2020–2023)", frozenset(n for n, _ in parts),
                     offices.pop())  # fmt: skip
        units[str(number)] = units[name.casefold()] = unit
    return units


def _office_units() -> dict[str, _Unit]:
    """Office short name (casefolded) → unit."""
    units: dict[str, _Unit] = {}
    for short, counties in data.offices().items():
        scope = data.resolve_office(short)
        units[short.casefold()] = _Unit(scope.office, frozenset(n for _, n in counties), short)
    return units


def _unit_key(text: str) -> str:
    """A county number without leading zeros, or a name casefolded (an office's title, in
    either written form, left off)."""
    text = text.strip()
    return str(int(text)) if text.isdigit() else data.office_short_name(text).casefold()


def _sum_by_office(
    rows: list[tuple[int, str, float]],
    by: str,
    shown: str,
    problems: Problems,
    column: str | None = None,
) -> dict[str, Fraction]:
    """Teacher FTEs per office from (row, county or office as written, FTE) rows, each 2024
    county counted once: a unit not known, a county counted twice and a county (or office)
    without a row are problems, one line each. Rows with a NaN figure (their problem already
    reported) still count as present."""
    units = _county_units() if by == "county" else _office_units()
    counted: dict[int, tuple[int, str]] = {}
    fte: dict[str, Fraction] = {}
    for row, written, value in rows:
        unit = units.get(_unit_key(written))
        if unit is None:
            expected = (
                "a 2024 county (name or number) or a 2020–2023 county"
                if by == "county"
                else f"a Statsforvalter office ({'; '.join(data.offices())})"
            )
            where = f"row {row}, column {column or by}"
            problems.add(shown, where, f"unknown {by} '{written}'; expected {expected}")
            continue
        twice = sorted(counted[n] for n in unit.counties if n in counted)
        if twice:
            first, label = twice[0]
            also = "" if label == unit.label else f" (as part of {label})"
            problems.add(shown, f"row {row}", f"{unit.label} is already counted in row {first}"
                         f"{also}; each county once")  # fmt: skip
            continue
        counted.update(dict.fromkeys(unit.counties, (row, unit.label)))
        if not math.isnan(value):
            fte[unit.office] = fte.get(unit.office, Fraction(0)) + Fraction(str(value))
    for office, counties in data.offices().items():
        if by == "office":
            if not any(n in counted for _, n in counties):
                problems.add(shown, "", f"no row for {data.resolve_office(office).office}")
            continue
        for name, number in counties:
            if number not in counted:
                problems.add(shown, "", f"no row for county {name} ({number:02d}) of "
                             f"{data.resolve_office(office).office}")  # fmt: skip
    return fte


def _from_export(
    path: Path, shown: str, year: str | None, indicator: str
) -> tuple[dict[str, Fraction], str, InputFile]:
    problems = Problems()
    frame, record = read_udir_export(
        path, shown, "--fte", level=2, school_year=year, indicator=indicator, problems=problems
    )
    rows = [(int(r), str(c), float(v)) for c, v, r in frame[["code", "value", "row"]].values]
    fte = _sum_by_office(rows, "county", shown, problems, "Fylkekode")
    problems.raise_if_any()
    return fte, str(frame["school_year"].iloc[0]), record


def _from_table(
    path: Path, shown: str, sheet: str | None, year: str | None
) -> tuple[dict[str, Fraction], str, InputFile]:
    """Teacher FTEs per office from a plain table of county (or office) → teacher_fte."""
    problems = Problems()
    spec = TABLES["national --fte"]
    read = read_table_into(path, shown, spec, problems, sheet=sheet)
    if read is None:
        problems.raise_if_any()
    assert read is not None
    header = read.raw.header
    by = [c for c in ("county", "office") if c in header]
    if len(by) != 1:
        problems.add(shown, "header", "give one column 'county' (name or number) or 'office' "
                     f"(short or full name), not {' and '.join(by) or 'neither'}")  # fmt: skip
        problems.raise_if_any()
    column = by[0]
    # Rows with a bad figure were reported by check_table; they still name their unit.
    good = {int(r): float(v) for r, v in read.frame[["row", "teacher_fte"]].values}
    i = header.index(column)
    rows = [
        (number, cells[i], good.get(number, math.nan))
        for number, cells in read.raw.rows
        if i < len(cells) and cells[i].strip()
    ]
    fte = _sum_by_office(rows, column, shown, problems) if rows else {}
    years = sorted({str(y) for y in read.frame["school_year"] if str(y)})
    if len(years) > 1:
        problems.add(shown, "column school_year", f"rows of several school years "
                     f"({', '.join(years)}); give one year")  # fmt: skip
    elif years and year is not None and years[0] != year:
        problems.add(shown, "column school_year", f"the file is for {years[0]}, --year asks "
                     f"for {year}")  # fmt: skip
    problems.raise_if_any()
    chosen = years[0] if years else (year or "")
    return fte, chosen, read.record


def split_national(
    total_nok: int,
    *,
    year: str | None = None,
    fte_file: Path | None = None,
    shown: str | None = None,
    indicator: str = "Antall lærerårsverk",
) -> NationalSplit:
    """Share ``total_nok`` between the 10 offices by teacher FTE, exact to the krone."""
    if total_nok <= 0:
        raise DataError("--total-nok", "--total-nok", f"must be a positive amount, got {total_nok}")
    files: tuple[InputFile, ...] = ()
    if fte_file is None:
        fte, chosen, caveats = _bundled(year)
    else:
        shown = shown or str(fte_file)
        fte_file, sheet = split_sheet(fte_file)
        if sheet is None and fte_file.is_file() and is_udir_export(fte_file.read_bytes()):
            fte, chosen, record = _from_export(fte_file, shown, year, indicator)
            caveats = (note("national_export", indicator=indicator, year=chosen, path=record.path),)
        else:
            fte, chosen, record = _from_table(fte_file, shown, sheet, year)
            summed = record.rows_read > len(fte)
            caveats = (
                note(
                    "national_table_summed" if summed else "national_table",
                    path=record.path,
                    year=chosen or note("year_not_stated"),
                    rows=record.rows_read,
                ),
            )
        files = (record,)
    offices = data.offices()
    names = list(offices)
    weights = [fte[name] for name in names]
    amounts = largest_remainder(total_nok, weights)
    whole = sum(weights)
    table = pd.DataFrame(
        {
            "office": [data.resolve_office(n).office for n in names],
            "counties": [", ".join(c for c, _ in offices[n]) for n in names],
            "teacher_fte": [float(w) for w in weights],
            "share": [float(w / whole) for w in weights],
            "amount_nok": pd.Series(amounts, dtype="int64"),
        }
    )
    caveats += (note("national_rule"),)
    return NationalSplit(total_nok, chosen, table, files, caveats)
