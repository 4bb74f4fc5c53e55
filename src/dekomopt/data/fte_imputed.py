"""Teacher FTEs for the counties without bundled municipal figures: a stated imputation.

For 12 of the 15 counties no per-municipality teacher FTE was found. What is bundled is each
pre-2020 county's Skoleporten total ("Årsverk for undervisningspersonale", all owners, public
and private apart) up to 2019-20. Every 2024 municipality of such a county gets

    imputed FTE = r × its 2024 population,   r = F_P / Σ 2024 population fed only by P,

where P is the pre-2020 county its 2019 units lay in (SSB code list, 2019 → 2024 crosswalk),
F_P that county's latest all-owner total, and the sum runs over the 2024 municipalities
counted to P. Six municipalities were formed from units of two pre-2020 counties (Asker,
Aurskog-Høland, Drammen, Volda, Heim, Tjeldsund); each is counted to the pre-2020 county that
bears its 2024 county's name (the 2019 populations that would split it are not bundled), so the
other county's ratio is spread over fewer inhabitants than its total came from. Every value is
flagged ``imputed=True`` with the method; school years (≤ 2019-20) and the population year
(2024) differ.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import pandas as pd

from dekomopt.data.register import load_municipalities, resolve_county
from dekomopt.data.tables import read_table
from dekomopt.errors import DataError
from dekomopt.notes import FieldValue, Note, note

COUNTY_TOTALS = "teacher_fte_county_pre2020_all.csv"
CROSSWALK_2019 = "municipality_crosswalk_2019_2024_all.csv"
ALL_OWNERS = "alle eigarformer"
PUBLIC = "offentlege skolar"
PRIVATE = "private skolar"

PRE2020_COUNTY_NUMBERS: dict[str, str] = {
    "01": "Østfold", "02": "Akershus", "03": "Oslo", "04": "Hedmark", "05": "Oppland",
    "06": "Buskerud", "07": "Vestfold", "08": "Telemark", "09": "Aust-Agder",
    "10": "Vest-Agder", "11": "Rogaland", "12": "Hordaland", "14": "Sogn og Fjordane",
    "15": "Møre og Romsdal", "18": "Nordland", "19": "Troms", "20": "Finnmark",
    "50": "Trøndelag",
}  # fmt: skip
"""The 2019 county numbers (SSB KLASS 104, county division of 2019): the first two digits of a
2019 municipality code."""


@dataclass(frozen=True)
class CountyTotal:
    """One pre-2020 county's latest Skoleporten teacher FTEs and the 2024 population (of the
    2024 municipalities counted to it) they are spread over."""

    county: str
    school_year: str
    all_owners: float
    public: float
    private: float
    source: str
    population_2024: int = 0

    def ratio(self, exclude_private: bool) -> float:
        """FTE per 2024 inhabitant: public schools only, or all owners."""
        return (self.public if exclude_private else self.all_owners) / self.population_2024


def _latest_totals() -> dict[str, CountyTotal]:
    """Per pre-2020 county: latest school year with all three owner rows."""
    frame = read_table(COUNTY_TOTALS)
    wanted = set(PRE2020_COUNTY_NUMBERS.values())
    out: dict[str, CountyTotal] = {}
    for county in sorted(wanted):
        rows = frame[frame["county_pre2020"] == county]
        values: dict[tuple[str, str], tuple[float, str]] = {
            (str(year), str(owner)): (float(value), str(source))
            for year, owner, value, source in rows[
                ["school_year", "eierform", "value", "source"]
            ].itertuples(index=False)
        }
        years = sorted(
            {y for y, _ in values if all((y, o) in values for o in (ALL_OWNERS, PUBLIC, PRIVATE))}
        )
        if not years:
            raise DataError(COUNTY_TOTALS, "county_pre2020", f"{county}: no complete school year")
        year = years[-1]
        out[county] = CountyTotal(
            county,
            year,
            values[year, ALL_OWNERS][0],
            values[year, PUBLIC][0],
            values[year, PRIVATE][0],
            values[year, ALL_OWNERS][1],
        )
    return out


@cache
def _feeding_counties() -> dict[str, tuple[str, ...]]:
    """2024 code → the pre-2020 counties its 2019 units lay in."""
    frame = read_table(CROSSWALK_2019)
    out: dict[str, set[str]] = {}
    for old, new in zip(frame["code_2019"].tolist(), frame["code_2024"].tolist(), strict=True):
        prefix = old[:2]
        if prefix not in PRE2020_COUNTY_NUMBERS:
            raise DataError(CROSSWALK_2019, f"code_2019 {old}", "no 2019 county of that number")
        out.setdefault(new, set()).add(PRE2020_COUNTY_NUMBERS[prefix])
    return {code: tuple(sorted(names)) for code, names in out.items()}


@cache
def _counted_to() -> dict[str, str]:
    """2024 code → the one pre-2020 county whose ratio it takes (see the module text)."""
    _, _, county_of = _register()
    out: dict[str, str] = {}
    for code, names in _feeding_counties().items():
        if len(names) == 1:
            out[code] = names[0]
            continue
        county = county_of[code]
        if county not in names:
            raise DataError(
                CROSSWALK_2019, f"code_2024 {code}", f"fed by {', '.join(names)}, none is {county}"
            )
        out[code] = county
    return out


def mixed_municipalities() -> dict[str, tuple[str, ...]]:
    """2024 codes formed from 2019 units of more than one pre-2020 county."""
    return {code: names for code, names in _feeding_counties().items() if len(names) > 1}


def _register() -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """2024 code → population, name and county name."""
    frame = load_municipalities()
    codes = [str(c) for c in frame["kommunenummer"].tolist()]
    return (
        dict(zip(codes, (int(p) for p in frame["population"].tolist()), strict=True)),
        dict(zip(codes, (str(n) for n in frame["name"].tolist()), strict=True)),
        dict(zip(codes, (str(c) for c in frame["county"].tolist()), strict=True)),
    )


@cache
def county_ratios() -> dict[str, CountyTotal]:
    """Per pre-2020 county: its latest totals and the 2024 population they are spread over."""
    totals = _latest_totals()
    population, _, _ = _register()
    counted = _counted_to()
    missing = sorted(set(population) - set(counted))
    if missing:
        raise DataError(CROSSWALK_2019, "code_2024", f"no 2019 unit for {', '.join(missing)}")
    spread: dict[str, int] = {}
    for code, name in counted.items():
        spread[name] = spread.get(name, 0) + population[code]
    empty = sorted(set(totals) - set(spread))
    if empty:
        raise DataError(
            COUNTY_TOTALS, "county_pre2020", f"no 2024 municipality fed by {', '.join(empty)}"
        )
    return {name: replace(total, population_2024=spread[name]) for name, total in totals.items()}


def imputed_teacher_fte(
    county: str | int, exclude_private: bool
) -> tuple[pd.DataFrame, tuple[Note, ...]]:
    """The county's municipalities with imputed FTEs (columns as :func:`teacher_fte`) and the
    warnings that describe the imputation."""
    name, _ = resolve_county(county)
    ratios = county_ratios()
    counted = _counted_to()
    feeding = _feeding_counties()
    population, names, _ = _register()
    owners = note("owners_public" if exclude_private else "owners_all")
    rows = []
    used: set[str] = set()
    for code in sorted(load_municipalities(name)["kommunenummer"].tolist()):
        total = ratios[counted[code]]
        used.add(total.county)
        ratio = total.ratio(exclude_private)
        fte = ratio * population[code]
        figures: dict[str, FieldValue] = {
            "county": total.county,
            "year": total.school_year,
            "owners": owners,
            "per_1000": 1000 * ratio,
            "population": population[code],
        }
        others = [p for p in feeding[code] if p != total.county]
        if others:
            method = Note("method_county_total_elsewhere", {**figures, "others": ", ".join(others)})
        else:
            method = Note("method_county_total", figures)
        rows.append(
            {
                "kommunenummer": code,
                "name": names[code],
                "population": population[code],
                "teacher_fte_observed": 0.0,
                "teacher_fte_imputed": fte,
                "teacher_fte": fte,
                "imputed": True,
                "estimated": True,
                "method": method,
                "ownership": "imputed",
                "school_year": total.school_year,
                "source": total.source,
                "components": total.county,
            }
        )
    table = pd.DataFrame(rows)
    years = ", ".join(sorted({ratios[p].school_year for p in used}))
    private = sum(ratios[p].private for p in used)
    counties = ", ".join(sorted(used))
    warnings = [
        note("note_all_imputed", county=name, n=len(table), years=years),
        note("note_imputation_assumes"),
        note(
            "note_imputation_public" if exclude_private else "note_imputation_all_owners",
            counties=counties,
            fte=private,
        ),
    ]
    return table, tuple(warnings)


def private_fte_2024(county: str | int) -> tuple[float, str, str]:
    """``(fte, school_year, source)``: the private schools' teacher FTEs of a 2024 county,
    estimated as each pre-2020 county's private total × the share of its 2024 population
    (of the municipalities counted to it) that lives in the county."""
    name, _ = resolve_county(county)
    ratios = county_ratios()
    counted = _counted_to()
    population, _, _ = _register()
    living: dict[str, int] = {}
    for code in load_municipalities(name)["kommunenummer"].tolist():
        source = counted[str(code)]
        living[source] = living.get(source, 0) + population[str(code)]
    totals = [ratios[p] for p in sorted(living)]
    return (
        sum(t.private * living[t.county] / t.population_2024 for t in totals),
        "; ".join(sorted({t.school_year for t in totals})),
        " ; ".join(sorted({t.source for t in totals})),
    )
