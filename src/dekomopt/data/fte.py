"""Teacher FTEs (lærerårsverk) for the 2024 municipalities, from pre-2020 figures.

The only per-municipality figures found are Skoleporten's "Årsverk for undervisningspersonale"
for the pre-2020 municipalities (Rogaland 2019-20; Hordaland and Sogn og Fjordane 2018-19;
Nordland partly, 2018-19 and 2019-20). They are carried to the 2024 municipalities through the
2020 crosswalk:

* merges add up; a split sends ``value × share`` to each part (shares are population shares);
* an empty share (a border adjustment whose population is unknown) contributes 0;
* parts going to a municipality outside the county (Hornindal → Volda) leave the county.

Where a pre-2020 unit has no figure (22 of Nordland's 44), the 2024 municipality's FTEs are
imputed by a county ratio estimator (see :func:`teacher_fte`). Every imputed value carries
``imputed=True`` and a ``method`` (a :class:`~dekomopt.notes.Note`, or several
:class:`~dekomopt.notes.Joined`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from dekomopt.data.crosswalk import CROSSWALK, PRE2020_COUNTIES, load_crosswalk
from dekomopt.data.fte_imputed import imputed_teacher_fte, private_fte_2024
from dekomopt.data.register import load_municipalities, resolve_county
from dekomopt.data.tables import read_table
from dekomopt.errors import DataError
from dekomopt.notes import FieldValue, Joined, Note, note

SCHOOL_STATS = "school_stats.csv"
ALL_OWNERS = "alle eigarformer"
PUBLIC = "offentlege skolar"
PRIVATE = "private skolar"


@dataclass(frozen=True)
class FteTable:
    """Teacher FTEs per 2024 municipality with the data warnings that apply to them."""

    county: str
    table: pd.DataFrame
    warnings: tuple[Note, ...]
    imputation_ratio: float | None
    """FTE per inhabitant (2024 population) used for imputation; None when nothing imputed."""


@dataclass
class _Record:
    """What the crosswalk brings to one 2024 municipality."""

    observed: float = 0.0
    missing: bool = False
    base: bool = True
    years: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)
    parts: list[str] = field(default_factory=list)


def _pre2020_county(name: str) -> str:
    return name.replace("(pre-2020 county)", "").strip()


@cache
def _observed_units() -> pd.DataFrame:
    """Pre-2020 municipal teacher FTEs, each matched to exactly one crosswalk unit."""
    stats = read_table(SCHOOL_STATS)
    rows = stats[(stats["level"] == "kommune") & (stats["indicator"] == "teacher_fte")].copy()
    rows["old_county"] = rows["county_in_source"].map(_pre2020_county)
    units = load_crosswalk().drop_duplicates("old_kommunenummer")
    merged = rows.merge(
        units[["old_kommunenummer", "old_name", "old_county"]],
        left_on=["area_name_in_source", "old_county"],
        right_on=["old_name", "old_county"],
        how="left",
        validate="many_to_one",
    )
    unmatched = merged[merged["old_kommunenummer"].isna()]
    if len(unmatched):
        names = ", ".join(unmatched["area_name_in_source"])
        raise DataError(SCHOOL_STATS, "area_name_in_source", f"not in {CROSSWALK}: {names}")
    doubled = merged[merged["old_kommunenummer"].duplicated()]
    if len(doubled):
        names = ", ".join(doubled["old_name"])
        raise DataError(SCHOOL_STATS, "area_name_in_source", f"two teacher_fte rows for: {names}")
    if (merged["value"] < 0).any():
        raise DataError(SCHOOL_STATS, "value", "negative teacher FTE")
    return merged[["old_kommunenummer", "old_name", "old_county", "school_year", "eierform",
                   "value", "source"]]  # fmt: skip


def pre2020_teacher_fte(county: str | int) -> pd.DataFrame:
    """Observed pre-2020 teacher FTEs of the units that lay in ``county`` (one row per unit)."""
    name, _ = resolve_county(county)
    frame = _observed_units()
    return frame[frame["old_county"].isin(PRE2020_COUNTIES[name])].reset_index(drop=True)


def _county_owner_totals(county: str) -> pd.DataFrame:
    stats = read_table(SCHOOL_STATS)
    rows = stats[
        (stats["level"] == "fylke")
        & (stats["indicator"] == "teacher_fte")
        & (stats["area_name_in_source"].map(_pre2020_county).isin(PRE2020_COUNTIES[county]))
    ]
    if set(rows["eierform"]) != {PUBLIC, PRIVATE}:
        raise DataError(SCHOOL_STATS, "eierform", f"{county}: need public and private totals")
    return rows


def private_school_fte(county: str | int) -> tuple[float, str, str]:
    """``(fte, school_year, source)``: private schools' teacher FTEs, summed over the
    pre-2020 counties of ``county`` (Vestland = Hordaland + Sogn og Fjordane); for the counties
    without bundled municipal figures, apportioned by population
    (:func:`~dekomopt.data.fte_imputed.private_fte_2024`)."""
    name, _ = resolve_county(county)
    if name not in PRE2020_COUNTIES:
        return private_fte_2024(name)
    rows = _county_owner_totals(name)
    private = rows[rows["eierform"] == PRIVATE]
    return (
        float(private["value"].sum()),
        "; ".join(sorted(set(private["school_year"]))),
        " ; ".join(sorted(set(private["source"]))),
    )


def public_share(county: str | int) -> float:
    """The county's public / (public + private) teacher FTEs (county totals, pre-2020 units)."""
    name, _ = resolve_county(county)
    rows = _county_owner_totals(name)
    public = rows.loc[rows["eierform"] == PUBLIC, "value"].sum()
    return float(public / rows["value"].sum())


def method_of(methods: list[Note]) -> FieldValue:
    """An owner's ``method`` cell: "" for none, the note, or the notes joined by ``; ``."""
    if not methods:
        return ""
    return methods[0] if len(methods) == 1 else Joined(tuple(methods), "; ")


def teacher_fte(county: str | int, exclude_private: bool = False) -> FteTable:
    """Teacher FTEs per 2024 municipality of ``county``, observed part and imputed part.

    Rogaland, Vestland and Nordland have bundled municipal figures (below); every other
    county's figures are imputed from its pre-2020 county totals
    (:mod:`dekomopt.data.fte_imputed`), every row flagged ``imputed``.

    Columns: kommunenummer, name, population, teacher_fte_observed, teacher_fte_imputed,
    teacher_fte, imputed, estimated, method, ownership, school_year, source, components.

    Imputation (only where a pre-2020 unit feeding the municipality has no figure): the
    county ratio r = Σ FTE / Σ 2024 population over the county's *base* municipalities (all
    feeding units observed, all with all-owner figures); the municipality's total is
    estimated as r × its 2024 population and the imputed part is that minus its observed
    part (floored at 0).

    ``exclude_private`` multiplies every all-owner figure (observed or imputed) by the
    county's public/(public+private) FTE ratio so the private schools' network is not counted
    twice. That is an estimate: it sets ``estimated`` and is named in ``method``, but it
    does not set ``imputed`` (which means "no figure was observed").
    """
    name, number = resolve_county(county)
    if name not in PRE2020_COUNTIES:
        table, notes = imputed_teacher_fte(name, exclude_private)
        return FteTable(name, table, notes, None)
    register = load_municipalities(name).set_index("kommunenummer")
    crosswalk = load_crosswalk(name)
    observed = pre2020_teacher_fte(name).set_index("old_kommunenummer")
    factor = public_share(name) if exclude_private else 1.0

    records = {code: _Record() for code in register.index.tolist()}
    for old, old_name, new, share in crosswalk[
        ["old_kommunenummer", "old_name", "new_kommunenummer", "share"]
    ].values:
        if new not in records:
            continue  # the part left the county
        record = records[new]
        label = f"{old} {old_name}"
        if math.isnan(share):
            record.parts.append(f"{label} ×0 (empty share: border adjustment, population unknown)")
            continue
        if old not in observed.index:
            record.parts.append(f"{label} ×{share:.3f} (no figure)")
            record.missing = True
            record.base = False
            continue
        unit = observed.loc[old]
        eierform, school_year = str(unit["eierform"]), str(unit["school_year"])
        scale = factor if eierform == ALL_OWNERS else 1.0
        record.observed += float(unit["value"]) * share * scale
        record.years.add(school_year)
        record.sources.add(str(unit["source"]))
        record.owners.add(eierform)
        record.parts.append(f"{label} ×{share:.3f}")
        if eierform != ALL_OWNERS:
            record.base = False

    populations = dict(
        zip(register.index.tolist(), register["population"].astype(int).tolist(), strict=True)
    )
    names = dict(zip(register.index.tolist(), register["name"].astype(str).tolist(), strict=True))
    base = [c for c, r in records.items() if r.base]
    ratio = math.nan
    if any(r.missing for r in records.values()):
        base_population = sum(populations[c] for c in base)
        if not base or base_population <= 0:
            raise DataError(SCHOOL_STATS, "teacher_fte", f"{name}: no base for imputation")
        # the ratio is computed on unscaled all-owner figures, the scaling applied after
        ratio = sum(records[c].observed for c in base) / factor / base_population

    rows = []
    for code, record in records.items():
        population = populations[code]
        obs = record.observed
        methods = []
        imputed_part = 0.0
        if record.missing:
            imputed_part = max(0.0, ratio * population * factor - obs)
            if obs > 0:
                methods.append(note("method_ratio_observed", per_1000=1000 * ratio,
                                    population=population, observed=obs))  # fmt: skip
            else:
                methods.append(note("method_ratio", per_1000=1000 * ratio, population=population))
        if exclude_private and (ALL_OWNERS in record.owners or record.missing):
            methods.append(note("method_private_removed", factor=factor))
        owners = sorted(record.owners) + (["imputed"] if record.missing else [])
        rows.append({
            "kommunenummer": code,
            "name": names[code],
            "population": population,
            "teacher_fte_observed": obs,
            "teacher_fte_imputed": imputed_part,
            "teacher_fte": obs + imputed_part,
            "imputed": record.missing,
            "estimated": bool(methods),
            "method": method_of(methods),
            "ownership": "; ".join(owners),
            "school_year": "; ".join(sorted(record.years)),
            "source": " ; ".join(sorted(record.sources)),
            "components": " + ".join(record.parts),
        })  # fmt: skip
    table = pd.DataFrame(rows)
    if not (table["teacher_fte"] > 0).all():
        zero = ", ".join(table.loc[table["teacher_fte"] <= 0, "name"])
        raise DataError(SCHOOL_STATS, "teacher_fte", f"{name}: no FTEs for {zero}")
    warnings = _warnings(name, number, table, crosswalk, observed, exclude_private)
    if not math.isnan(ratio):
        base_population = int(register.loc[base, "population"].sum())
        warnings += (
            note(
                "note_imputation_ratio",
                per_1000=1000 * ratio,
                n=len(base),
                population=base_population,
            ),
        )
    return FteTable(name, table, warnings, None if math.isnan(ratio) else ratio)


def _warnings(
    county: str,
    number: int,
    table: pd.DataFrame,
    crosswalk: pd.DataFrame,
    observed: pd.DataFrame,
    exclude_private: bool,
) -> tuple[Note, ...]:
    years = ", ".join(sorted(set(observed["school_year"])))
    out = [note("note_fte_source", county=county, years=years)]
    for old, rows in crosswalk.groupby("old_kommunenummer", sort=False):
        old_name = rows["old_name"].iloc[0]
        known = rows.dropna(subset=["share"])
        gone = known[~known["new_kommunenummer"].str[:2].eq(str(number))]
        for new_code, new_name in rows.loc[
            rows["share"].isna(), ["new_kommunenummer", "new_name"]
        ].values:
            out.append(note("note_border", old=f"{old} {old_name}", new=f"{new_code} {new_name}"))
        if len(known) > 1:
            parts = tuple(
                note("part_share_to", share=float(s), dest=f"{n} {c}")
                for c, n, s in known[["new_kommunenummer", "new_name", "share"]].values
            )
            out.append(note("note_split", old=f"{old} {old_name}", parts=Joined(parts)))
        for new_code, new_name, share in gone[["new_kommunenummer", "new_name", "share"]].values:
            out.append(note("note_leaves", old=f"{old} {old_name}", share=float(share),
                            dest=f"{new_code} {new_name}", county=county))  # fmt: skip
    partial = observed[observed["eierform"] != ALL_OWNERS]
    if len(partial):
        out.append(note("note_partial_owners", n=len(partial), what=PUBLIC,
                        names=", ".join(partial["old_name"])))  # fmt: skip
    if table["imputed"].any():
        names = ", ".join(table.loc[table["imputed"], "name"])
        out.append(note("note_imputed_municipalities", n=int(table["imputed"].sum()),
                        total=len(table), names=names))  # fmt: skip
    private, year, _ = private_school_fte(county)
    if exclude_private:
        out.append(note("note_private_removed", year=year, fte=private))
    else:
        out.append(note("note_private_included", year=year, fte=private))
    return tuple(out)
