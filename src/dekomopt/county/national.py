"""The first stage of the scheme: a national pot split between the 10 Statsforvalter offices.

Udir shared the national grant between the offices "basert på antall lærerårsverk" (2017).
:func:`split_national` does that, exact to the krone: each office gets the whole-krone floor of
its FTE share, and the kroner left over go one each to the largest remainders (ties: the
bundled office order). FTEs are taken in tenths, so the arithmetic is exact integers.

The figures are the bundled Skoleporten office sums (pre-2020 counties; 2014-15 to 2019-20) or
the county rows (EnhetNivaa 2) of a Udir statistikkportalen export the user gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from dekomopt import data
from dekomopt.data.tables import read_table
from dekomopt.errors import DataError
from dekomopt.scenario.files import InputFile, Problems, read_udir_export

OFFICE_SUMS = "teacher_fte_statsforvalter_pre2020_derived.csv"


@dataclass(frozen=True)
class NationalSplit:
    """One national pot shared between the offices; ``table`` has office, counties,
    teacher_fte, share, amount_nok (int). ``amount_nok`` sums to ``total_nok``."""

    total_nok: int
    school_year: str
    table: pd.DataFrame
    input_files: tuple[InputFile, ...]
    caveats: tuple[str, ...]


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


def _bundled(year: str | None) -> tuple[dict[str, Fraction], str, tuple[str, ...]]:
    frame = read_table(OFFICE_SUMS)
    years = sorted(set(frame["school_year"]))
    chosen = year or years[-1]
    if chosen not in years:
        raise DataError(OFFICE_SUMS, "school_year", f"no {chosen}; bundled: {', '.join(years)}")
    rows = frame[frame["school_year"] == chosen]
    fte = {
        data.office_short_name(name): Fraction(str(value))
        for name, value in rows[["statsforvalter_2024_name", "teacher_fte_sum"]].values
    }
    caveats = (
        f"Teacher FTEs: bundled Skoleporten 'Årsverk for undervisningspersonale', all owners, "
        f"{chosen}, summed over the pre-2020 counties of each office (derived); not the "
        "statistikkportalen series 'Antall lærerårsverk'.",
        "Units that changed county in 2020 (Jevnaker, Lunner, Svelvik, Hornindal, Tjeldsund) "
        "count with their pre-2020 office.",
    )
    return fte, chosen, caveats


def _county_office() -> dict[int, str]:
    """County number (2024, and the 2020–2023 counties read in the bundled file) → office."""
    frame = read_table("counties_statsforvalter_2024.csv")
    out: dict[int, str] = {}
    for number, office, read_from in frame[
        ["county_number", "statsforvalter", "orgnr_read_from_county"]
    ].values:
        short = data.office_short_name(office)
        out[int(number)] = short
        old = int(str(read_from).split()[0])
        if out.get(old, short) != short:
            raise DataError("counties_statsforvalter_2024.csv", str(old), "two offices")
        out[old] = short
    return out


def _from_export(
    path: Path, shown: str, year: str | None, indicator: str
) -> tuple[dict[str, Fraction], str, InputFile]:
    frame, record = read_udir_export(
        path, shown, "--fte", level=2, school_year=year, indicator=indicator
    )
    offices = _county_office()
    problems = Problems()
    fte: dict[str, Fraction] = {}
    for code, name, value, row in frame[["code", "name", "value", "row"]].values:
        if not str(code).isdigit() or int(code) not in offices:
            problems.add(shown, f"row {row}, column Fylkekode", f"{code} {name} is no county")
            continue
        office = offices[int(code)]
        fte[office] = fte.get(office, Fraction(0)) + Fraction(str(value))
    for office in data.offices():
        if office not in fte:
            problems.add(shown, "", f"no county row (EnhetNivaa 2) for Statsforvalteren i {office}")
    problems.raise_if_any()
    return fte, str(frame["school_year"].iloc[0]), record


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
        fte, chosen, record = _from_export(fte_file, shown or str(fte_file), year, indicator)
        files = (record,)
        caveats = (
            f"Teacher FTEs: '{indicator}' {chosen} from {record.path} (county rows summed per "
            "office).",
        )
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
    caveats += ("Split by teacher FTE alone (the 2017 rule, 'basert på antall lærerårsverk').",)
    return NationalSplit(total_nok, chosen, table, files, caveats)
