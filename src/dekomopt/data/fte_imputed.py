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

from functools import cache

import pandas as pd

from dekomopt.data.register import load_municipalities, resolve_county
from dekomopt.data.tables import read_table
from dekomopt.errors import DataError

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


@cache
def _latest_totals() -> pd.DataFrame:
    """Per pre-2020 county: latest school year with all three owner rows; all, public, private."""
    frame = read_table(COUNTY_TOTALS)
    rows = []
    wanted = set(PRE2020_COUNTY_NUMBERS.values())
    for county, group in frame[frame["county_pre2020"].isin(wanted)].groupby("county_pre2020"):
        pivot = group.pivot_table(index="school_year", columns="eierform", values="value")
        complete = pivot.dropna(subset=[c for c in (ALL_OWNERS, PUBLIC, PRIVATE) if c in pivot])
        if not {ALL_OWNERS, PUBLIC, PRIVATE} <= set(pivot.columns) or complete.empty:
            continue
        year = max(complete.index)
        source = group.loc[
            (group["school_year"] == year) & (group["eierform"] == ALL_OWNERS), "source"
        ].iloc[0]
        rows.append(
            {
                "county_pre2020": county,
                "school_year": year,
                "all": float(complete.at[year, ALL_OWNERS]),
                "public": float(complete.at[year, PUBLIC]),
                "private": float(complete.at[year, PRIVATE]),
                "source": source,
            }
        )
    return pd.DataFrame(rows).set_index("county_pre2020")


@cache
def _feeding_counties() -> dict[str, tuple[str, ...]]:
    """2024 code → the pre-2020 counties its 2019 units lay in."""
    frame = read_table(CROSSWALK_2019)
    out: dict[str, set[str]] = {}
    for old, new in frame[["code_2019", "code_2024"]].values:
        prefix = old[:2]
        if prefix not in PRE2020_COUNTY_NUMBERS:
            raise DataError(CROSSWALK_2019, f"code_2019 {old}", "no 2019 county of that number")
        out.setdefault(new, set()).add(PRE2020_COUNTY_NUMBERS[prefix])
    return {code: tuple(sorted(names)) for code, names in out.items()}


@cache
def _counted_to() -> dict[str, str]:
    """2024 code → the one pre-2020 county whose ratio it takes (see the module text)."""
    register = load_municipalities().set_index("kommunenummer")
    out: dict[str, str] = {}
    for code, names in _feeding_counties().items():
        if len(names) == 1:
            out[code] = names[0]
            continue
        county = str(register.at[code, "county"])
        if county not in names:
            raise DataError(
                CROSSWALK_2019, f"code_2024 {code}", f"fed by {', '.join(names)}, none is {county}"
            )
        out[code] = county
    return out


def mixed_municipalities() -> dict[str, tuple[str, ...]]:
    """2024 codes formed from 2019 units of more than one pre-2020 county."""
    return {code: names for code, names in _feeding_counties().items() if len(names) > 1}


@cache
def county_ratios() -> pd.DataFrame:
    """Per pre-2020 county: FTE per 2024 inhabitant (all owners and public only), its year,
    the population it is spread over, and the source."""
    totals = _latest_totals()
    register = load_municipalities().set_index("kommunenummer")
    counted = _counted_to()
    missing = sorted(set(register.index) - set(counted))
    if missing:
        raise DataError(CROSSWALK_2019, "code_2024", f"no 2019 unit for {', '.join(missing)}")
    population: dict[str, int] = {}
    for code, name in counted.items():
        population[name] = population.get(name, 0) + int(register.at[code, "population"])
    frame = totals.copy()
    frame["population_2024"] = pd.Series(population)
    if frame["population_2024"].isna().any():
        bad = ", ".join(frame.index[frame["population_2024"].isna()])
        raise DataError(COUNTY_TOTALS, "county_pre2020", f"no 2024 municipality fed by {bad}")
    frame["ratio_all"] = frame["all"] / frame["population_2024"]
    frame["ratio_public"] = frame["public"] / frame["population_2024"]
    return frame


def imputed_teacher_fte(
    county: str | int, exclude_private: bool
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The county's municipalities with imputed FTEs (columns as :func:`teacher_fte`) and the
    warnings that describe the imputation."""
    name, _ = resolve_county(county)
    ratios = county_ratios()
    counted = _counted_to()
    feeding = _feeding_counties()
    column = "ratio_public" if exclude_private else "ratio_all"
    rows = []
    used: set[str] = set()
    for row in load_municipalities(name).itertuples(index=False):
        source = counted[row.kommunenummer]
        if source not in ratios.index:
            raise DataError(COUNTY_TOTALS, "county_pre2020", f"no total for {source}")
        used.add(source)
        ratio = float(ratios.at[source, column])
        fte = ratio * int(row.population)
        owners = "public schools" if exclude_private else "all owners"
        method = (
            f"imputed: {source} {ratios.at[source, 'school_year']} total ({owners}) per 2024 "
            f"inhabitant {ratio:.6f} × 2024 population {int(row.population)}"
        )
        others = [p for p in feeding[row.kommunenummer] if p != source]
        if others:
            method += f" (part of it lay in {', '.join(others)} before 2020)"
        sources = (source,)
        rows.append(
            {
                "kommunenummer": row.kommunenummer,
                "name": row.name,
                "population": int(row.population),
                "teacher_fte_observed": 0.0,
                "teacher_fte_imputed": fte,
                "teacher_fte": fte,
                "imputed": True,
                "estimated": True,
                "method": method,
                "ownership": "imputed",
                "school_year": "; ".join(
                    sorted({str(ratios.at[p, "school_year"]) for p in sources})
                ),
                "source": " ; ".join(sorted({str(ratios.at[p, "source"]) for p in sources})),
                "components": " + ".join(sources),
            }
        )
    table = pd.DataFrame(rows)
    years = ", ".join(sorted({str(ratios.at[p, "school_year"]) for p in used}))
    private = sum(float(ratios.at[p, "private"]) for p in used)
    warnings = [
        f"{name}: no per-municipality teacher FTEs are bundled; all {len(table)} values are "
        f"IMPUTED from the pre-2020 county totals (Skoleporten, {years}) shared by 2024 "
        "population. Point owners.fte_source at your own figures to replace them.",
        "Imputed FTEs assume teachers per inhabitant are even within a pre-2020 county; school "
        "years and the population year (2024) differ.",
    ]
    if exclude_private:
        warnings.append(
            f"Private schools left out: the imputation uses the public-school totals (private "
            f"schools of {', '.join(sorted(used))} had {private:.1f} FTEs)."
        )
    else:
        warnings.append(
            f"Imputed figures include private schools (all owners); the private schools of "
            f"{', '.join(sorted(used))} had {private:.1f} FTEs."
        )
    return table, tuple(warnings)


def private_fte_pre2020(pre2020_counties: tuple[str, ...]) -> tuple[float, str, str]:
    """``(fte, school_year, source)`` of the private schools of some pre-2020 counties."""
    ratios = county_ratios()
    rows = ratios.loc[list(pre2020_counties)]
    return (
        float(rows["private"].sum()),
        "; ".join(sorted(set(rows["school_year"]))),
        " ; ".join(sorted(set(rows["source"]))),
    )


def pre2020_counties_of(county: str | int) -> tuple[str, ...]:
    """The pre-2020 counties whose 2019 units make up the 2024 county."""
    codes = load_municipalities(resolve_county(county)[0])["kommunenummer"]
    feeding = _feeding_counties()
    return tuple(sorted({p for code in codes for p in feeding[code]}))
