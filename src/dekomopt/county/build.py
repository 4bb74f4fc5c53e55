"""Build a :class:`County` from a scenario and the bundled data, checking every reference."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dekomopt import data
from dekomopt.county.model import OWNER_COLUMNS, County, OwnerNeeds, owner_partner_km
from dekomopt.county.rounding import rounding_unit_notes
from dekomopt.errors import DataError, ScenarioError
from dekomopt.notes import ENTRY_WORDS, Dialect, FieldValue, Note, note
from dekomopt.scenario.files import (
    TABLES,
    InputFile,
    Problems,
    ReadTable,
    code_in_scope,
    is_udir_export,
    read_scenario_table,
    read_table_into,
    read_udir_export,
    sha256_of,
    split_sheet,
)
from dekomopt.scenario.load import Scenario, parse_scenario
from dekomopt.scenario.previous import PreviousAmounts, read_previous_into
from dekomopt.scenario.schema import Partners


def _num(value: Any) -> float:
    """A table cell as a float (pandas types cells loosely)."""
    return float(value)


def _text(value: Any) -> str:
    return str(value)


def _problem(scenario: Scenario, key: str, message: str) -> ScenarioError:
    return ScenarioError(scenario.source, key, message)


def _scope(scenario: Scenario) -> data.Scope:
    meta = scenario.spec.scenario
    key = "scenario.county" if meta.county is not None else "scenario.office"
    try:
        if meta.county is not None:
            return data.resolve_scope(meta.county, kind="county")
        return data.resolve_scope(str(meta.office), kind="office")
    except DataError as exc:
        raise ScenarioError(scenario.source, key, exc.message) from None


def default_language(scenario: Scenario) -> str:
    """The report language a scenario gets unless one is asked for: the register's written
    language of its scope (bokmål for a neutral one)."""
    return data.report_language(_scope(scenario))


def _file(scenario: Scenario, given: str) -> tuple[Path, str, str | None]:
    """Path, path as given, and sheet: ``book.xlsx#Sheet`` names a sheet of a workbook."""
    path, sheet = split_sheet(Path(given))
    return scenario.resolve(str(path)), given, sheet


@dataclass(frozen=True)
class _OwnerTables:
    """The needs and co-financing tables as read and checked (None for a table not given)
    and the records of the files read."""

    records: list[InputFile]
    needs: OwnerNeeds | None
    cofinancing_capacity: dict[str, float] | None


def _other_tables(scenario: Scenario, scope: data.Scope, problems: Problems) -> _OwnerTables:
    """The needs and co-financing tables, each read once, with their owners and themes checked
    in the same pass as every other file (their rows are used only when ``problems`` stays
    empty)."""
    from dekomopt.allocation.problem import THEMES

    spec = scenario.spec
    owners = set(data.county_codes(scope)) | {extra.id for extra in spec.owners.extra}
    if spec.owners.private_network:
        owners.add("private-network")

    def owner(value: Any) -> str | None:
        return None if value in owners else f"'{value}' is no owner of this scenario"

    def theme(value: Any) -> str | None:
        return None if value in THEMES else f"unknown theme '{value}'; known: {', '.join(THEMES)}"

    def read(
        key: str,
        given: str,
        unique: tuple[str, ...],
        validators: dict[str, Callable[[Any], str | None]],
    ) -> ReadTable | None:
        path, shown, sheet = _file(scenario, given)
        return read_table_into(
            path, shown, TABLES[key], problems, sheet=sheet, unique=unique, validators=validators
        )

    records = []
    needs = None
    if spec.owners.needs is not None:
        table = read(
            "owners.needs", spec.owners.needs, ("owner", "theme"), {"owner": owner, "theme": theme}
        )
        if table is not None:
            records.append(table.record)
            frame = table.frame
            needs = OwnerNeeds(
                table.record.path,
                {
                    (str(o), str(t)): float(n)
                    for o, t, n in zip(
                        frame["owner"], frame["theme"], frame["need_nok"], strict=True
                    )
                },
            )
    capacity = None
    if spec.owners.cofinancing_capacity is not None:
        table = read(
            "owners.cofinancing_capacity",
            spec.owners.cofinancing_capacity,
            ("owner",),
            {"owner": owner},
        )
        if table is not None:
            records.append(table.record)
            frame = table.frame
            capacity = {
                str(o): float(c) for o, c in zip(frame["owner"], frame["capacity_nok"], strict=True)
            }
    return _OwnerTables(records, needs, capacity)


def _partial_needs(owners: pd.DataFrame, needs: OwnerNeeds) -> list[Note]:
    """R11 caps a region's theme only when every taking-part owner of the region reported a
    need for it: a note for each region and theme where some did and others did not (their
    needs then cap nothing). Owners as ``name (id)``, in the county's order."""
    from dekomopt.allocation.problem import THEMES

    reported = needs.reported()
    notes = []
    for region, members in owners[owners["participates"]].groupby("region", sort=False):
        ids, names = members["owner_id"].tolist(), members["owner_name"].tolist()
        for theme in THEMES:
            did = [f"{n} ({o})" for o, n in zip(ids, names, strict=True) if (o, theme) in reported]
            if did and len(did) < len(ids):
                not_did = [
                    f"{n} ({o})"
                    for o, n in zip(ids, names, strict=True)
                    if (o, theme) not in reported
                ]
                notes.append(
                    note(
                        "note_needs_partial",
                        region=str(region),
                        theme=ENTRY_WORDS[theme],
                        path=needs.path,
                        reported=", ".join(did),
                        missing=", ".join(not_did),
                    )
                )
    return notes


def _previous(
    scenario: Scenario, previous: str | None, regions: tuple[str, ...], problems: Problems
) -> tuple[PreviousAmounts | None, list[Note]]:
    """Last year's amounts: from ``previous`` (``propose --previous``, a path relative to the
    working folder) when given, else from ``budget.previous`` (relative to the scenario);
    the warning that says which one is used when both are given. ``regions`` empty: the
    structure could not be read, so the file's regions are not checked against it."""
    budget = scenario.spec.budget
    if previous is not None:
        replaced = []
        if budget.previous is not None:
            replaced = [note("note_previous_replaced", given=previous, file=budget.previous)]
        read = read_previous_into(previous, "--previous", problems, regions=regions)
        return read, replaced
    if budget.previous is None:
        return None, []
    read = read_previous_into(
        budget.previous,
        "budget.previous",
        problems,
        regions=regions,
        base=scenario.base_dir,
        total_nok=budget.previous_total_nok,
    )
    return read, []


def _in_scope(scope: data.Scope) -> dict[str, Callable[[Any], str | None]]:
    """Validators for a table's ``kommunenummer`` column: in the scope, or an error naming
    the code and its county."""
    register = data.load_municipalities()
    county_of = {
        code: f"{county} ({int(number):02d})"
        for code, county, number in register[["kommunenummer", "county", "county_number"]].values
    }
    return {"kommunenummer": code_in_scope(data.county_codes(scope), scope.label, county_of)}


def _read_per_municipality(
    path: Path, shown: str, key: str, sheet: str | None, scope: data.Scope, problems: Problems
) -> ReadTable | None:
    """Read scenario table ``key``: one row per municipality, each code once and in ``scope``;
    its problems go to ``problems`` (see :func:`read_table_into`)."""
    return read_table_into(
        path,
        shown,
        TABLES[key],
        problems,
        sheet=sheet,
        unique=("kommunenummer",),
        validators=_in_scope(scope),
    )


def _structure(
    scenario: Scenario, scope: data.Scope, register: pd.DataFrame, problems: Problems
) -> tuple[dict[str, list[str]], list[Note], list[InputFile]]:
    """Region → kommunenummer as the scenario gives it, the register findings, files read."""
    spec = scenario.spec.structure
    names = dict(zip(register["kommunenummer"], register["name"], strict=True))
    warnings: list[Note] = []
    records: list[InputFile] = []
    if spec.source is not None:
        if scope.name != "Rogaland":
            raise _problem(
                scenario, "structure.source", f"'{spec.source}' is Rogaland's, not {scope.name}'s"
            )
        try:
            check = data.rogaland_source_structure(strict=spec.strict)
        except DataError as exc:
            raise ScenarioError(scenario.source, "structure.source", str(exc)) from None
        warnings += [f.message for f in check.findings if f.kind != "unassigned"]
        regions = {r: list(codes) for r, codes in check.regions.items()}
    elif spec.csv is not None:
        path, shown, sheet = _file(scenario, spec.csv)
        before = len(problems.lines)
        read = _read_per_municipality(path, shown, "structure.csv", sheet, scope, problems)
        if read is None:
            return {}, warnings, records
        records.append(read.record)
        named = read.given("kommunenummer")
        if spec.unassigned.action == "error" and named:
            for code in register["kommunenummer"]:
                if code not in named:
                    problems.add(shown, "", _missing_line(code, names[code], scope, "region"))
        if len(problems.lines) > before:
            return {}, warnings, records
        regions = {}
        first_row: dict[str, tuple[str, int]] = {}
        for code, region, row in zip(
            read.frame["kommunenummer"], read.frame["region"], read.frame["row"], strict=True
        ):
            regions.setdefault(region, []).append(code)
            same, at = first_row.setdefault(region.casefold(), (region, row))
            if same != region:
                problems.add(
                    shown,
                    f"row {row}",
                    f"region '{region}' differs from region '{same}' (row {at}) only in case; "
                    "write one name for one region (or a name of its own for a new region)",
                )
        if len(problems.lines) > before:
            return {}, warnings, records
    else:
        regions = {r: list(codes) for r, codes in (spec.regions or {}).items()}
    before = len(problems.lines)

    def wrong(key: str, message: str) -> None:
        problems.add(scenario.source, key, message)

    seen: dict[str, str] = {}
    for region, codes in regions.items():
        for code in codes:
            if code not in names:
                where = data.county_of_code(code)
                wrong(
                    f"structure region {region}",
                    f"{code} is no municipality of {scope.label}"
                    + (f" but of {where}" if where else " (unknown code)"),
                )
            elif code in seen and seen[code] != region:
                wrong(
                    f"structure region {region}",
                    f"{code} {names[code]} is in both {seen[code]} and {region}",
                )
            else:
                seen[code] = region
    regions = {r: list(dict.fromkeys(codes)) for r, codes in regions.items()}
    missing = [c for c in register["kommunenummer"] if c not in seen]
    assign = spec.unassigned.assign
    for code, region in assign.items():
        key = f"structure.unassigned.assign.{code}"
        if code not in names:
            wrong(key, f"no municipality of {scope.label}")
        elif code in seen:
            wrong(key, f"{names[code]} is already in region {seen[code]}")
        elif region not in regions:
            wrong(key, f"unknown region '{region}'")
    if missing and spec.unassigned.action == "error":
        listed = ", ".join(f"{c} {names[c]}" for c in missing)
        wrong("structure", f"municipalities in no region: {listed}")
    else:
        left = [c for c in missing if c not in assign]
        if left:
            listed = ", ".join(f"{c} {names[c]}" for c in left)
            wrong("structure.unassigned.assign", f"no region given for {listed}")
    if len(problems.lines) > before:
        return {}, warnings, records
    for code in missing:
        regions[assign[code]].append(code)
        assigned: dict[str, FieldValue] = {
            "name": names[code],
            "code": code,
            "region": assign[code],
        }
        if spec.unassigned.reason:
            assigned["reason"] = spec.unassigned.reason
        warnings.append(
            Note("note_assigned_because" if spec.unassigned.reason else "note_assigned", assigned)
        )
    return regions, warnings, records


@dataclass(frozen=True)
class _BundledFte:
    """The bundled teacher FTEs of a scope: one row per municipality, the caveats of each
    county's figures, and each county's municipalities (to count what a caveat covers)."""

    table: pd.DataFrame
    warnings: list[tuple[str, Note]]
    """(county, caveat) for every caveat of the bundled figures."""
    codes: dict[str, list[str]]

    def caveats(self) -> list[Note]:
        return [warning for _, warning in self.warnings]

    def caveats_beside(self, missing: list[str], path: str) -> list[Note]:
        """The caveats when only the municipalities ``missing`` from the planner's file
        (``path``) take the bundled figure: the counts of imputed values are theirs."""
        out = []
        for county, warning in self.warnings:
            codes = [c for c in self.codes[county] if c in set(missing)]
            imputed = [c for c in codes if bool(self.table.at[c, "imputed"])]
            if warning.message_id == "note_all_imputed":
                if imputed:
                    one = len(imputed) == 1
                    fields = {k: v for k, v in warning.fields.items() if k != "n"}
                    fields |= {"total": len(self.codes[county]), "path": path}
                    if not one:
                        fields["n"] = len(imputed)
                    out.append(Note("note_fte_imputed_one" if one else "note_fte_imputed_rest",
                                    fields))  # fmt: skip
            elif warning.message_id == "note_imputed_municipalities":
                if imputed:
                    names = ", ".join(str(self.table.at[c, "name"]) for c in imputed)
                    total = len(self.codes[county])
                    out.append(note(warning.message_id, n=len(imputed), total=total, names=names))
            else:
                out.append(warning)
        return out


def _bundled_fte(scope: data.Scope, exclude_private: bool) -> _BundledFte:
    tables: list[pd.DataFrame] = []
    warnings: list[tuple[str, Note]] = []
    codes: dict[str, list[str]] = {}
    for county, _ in scope.counties:
        bundled = data.teacher_fte(county, exclude_private=exclude_private)
        tables.append(bundled.table)
        warnings += [(county, warning) for warning in bundled.warnings]
        codes[county] = list(bundled.table["kommunenummer"])
    table = pd.concat(tables, ignore_index=True).set_index("kommunenummer")
    table["fallback"] = False
    return _BundledFte(table, warnings, codes)


def _other_counties(n: int) -> Note:
    """The note of a file whose ``n`` rows of municipalities of other counties were left out."""
    return note("file_other_county") if n == 1 else note("file_other_counties", n=n)


def _missing_line(code: str, name: str, scope: data.Scope, what: str, fix: str = "") -> str:
    """The problem line of a municipality of the scope that a complete table lacks."""
    fix = fix or "add its row"
    return f"municipality {code} {name} of {scope.label} is missing (no {what}); {fix}"


FTE_MISSING_FIX = (
    'add its row, or set owners.fte_missing = "bundled" to use the bundled figure (flagged)'
)


@dataclass(frozen=True)
class _UserFte:
    """The planner's teacher FTEs as read: good rows by kommunenummer, the file's record and
    every municipality code the file names (good rows or not). A file that names none (no
    data rows, a header without the column) is not also reported as missing every one."""

    table: pd.DataFrame
    record: InputFile
    named: frozenset[str]


def _user_fte(scenario: Scenario, scope: data.Scope, problems: Problems) -> _UserFte | None:
    """kommunenummer → teacher_fte, school_year, source from the planner's file; every
    problem of its rows goes to ``problems``. None when the file cannot be read at all."""
    owners = scenario.spec.owners
    path, shown, sheet = _file(scenario, owners.fte_source)
    key = "owners.fte_source"
    codes = data.county_codes(scope)
    try:
        if path.suffix.lower() == ".json":
            raw = path.read_bytes() if path.is_file() else b""
            user = data.read_jsonstat(path).rename(columns={"value": "teacher_fte"})
            user["school_year"] = user["time"]
            user["row"] = 0
            outside = int((~user["kommunenummer"].isin(codes)).sum())
            user = user[user["kommunenummer"].isin(codes)]
            notes = (_other_counties(outside),) if outside else ()
            record = InputFile(key, shown, sha256_of(raw), "json-stat", "JSON-stat 2.0",
                               len(user), notes)  # fmt: skip
            named = frozenset(user["kommunenummer"])
        elif path.is_file() and sheet is None and is_udir_export(path.read_bytes()):
            frame, record = read_udir_export(
                path,
                shown,
                key,
                school_year=owners.fte_school_year,
                indicator=owners.fte_indicator,
                owner_form=owners.fte_owner_form,
                problems=problems,
            )
            user = frame.rename(columns={"code": "kommunenummer", "value": "teacher_fte"})
            named = frozenset(user["kommunenummer"])
            known = set(data.load_municipalities()["kommunenummer"])
            unknown = user[~user["kommunenummer"].isin(known)]
            check = _in_scope(scope)["kommunenummer"]
            for code, row in unknown[["kommunenummer", "row"]].values:
                problems.add(shown, f"row {row}, column Kommunekode", str(check(code)))
            outside = int((~user["kommunenummer"].isin(codes)).sum()) - len(unknown)
            user = user[user["kommunenummer"].isin(codes) & user["teacher_fte"].notna()]
            if outside:
                record = replace(
                    record, rows_read=len(user),
                    notes=(_other_counties(outside),),
                )  # fmt: skip
        else:
            read = _read_per_municipality(path, shown, key, sheet, scope, problems)
            if read is None:
                return None
            user, record, named = read.frame, read.record, frozenset(read.given("kommunenummer"))
    except ScenarioError as exc:
        problems.extend(exc)
        return None
    except DataError as exc:
        problems.extend(ScenarioError(exc.source, exc.field, exc.message, exc.problems[1:]))
        return None
    user = user.copy()
    if "source" not in user.columns or (user["source"] == "").all():
        user["source"] = shown
    user["source"] = user["source"].where(user["source"] != "", shown)
    return _UserFte(user.set_index("kommunenummer"), record, named)


def _fte(
    scenario: Scenario, scope: data.Scope, problems: Problems
) -> tuple[pd.DataFrame, list[Note], list[InputFile]]:
    """Teacher FTEs per 2024 municipality with imputation/fallback flags, and the caveats
    that apply to the figures used. A municipality missing from the planner's file is a
    problem (unless ``owners.fte_missing = "bundled"``), reported with the file's own."""
    owners = scenario.spec.owners
    found = _bundled_fte(scope, owners.exclude_private)
    bundled = found.table
    if owners.fte_source in ("bundled", "crosswalk"):
        return bundled, found.caveats(), []
    before = len(problems.lines)
    read = _user_fte(scenario, scope, problems)
    if read is None:
        return bundled, [], []
    user, record = read.table, read.record
    shown = record.path
    missing = [c for c in bundled.index if c not in read.named]
    if owners.fte_missing == "error" and read.named:
        for code in missing:
            name = _text(bundled.at[code, "name"])
            problems.add(shown, "", _missing_line(code, name, scope, "figure", FTE_MISSING_FIX))
    if len(problems.lines) > before:
        return bundled, [], [record]
    table = bundled.copy()
    known = user.index
    table.loc[known, "teacher_fte"] = user["teacher_fte"].astype(float)
    table.loc[known, "imputed"] = False
    table.loc[known, "method"] = ""
    table.loc[known, "source"] = user["source"].astype(str)
    table.loc[known, "school_year"] = user["school_year"].astype(str)
    warnings = [
        note("note_fte_file", path=shown, format=record.format, dialect=Dialect(record.dialect))
    ]
    if owners.exclude_private:
        warnings.append(note("note_fte_file_as_given", path=shown))
    if missing:
        table.loc[missing, "fallback"] = True
        fallback = {
            code: note("method_fallback_of", path=shown, method=method)
            if method
            else note("method_fallback", path=shown)
            for code, method in table.loc[missing, "method"].items()
        }
        table["method"] = pd.Series(
            [fallback.get(code, method) for code, method in table["method"].items()],
            index=table.index,
            dtype=object,
        )
        names = ", ".join(f"{c} {_text(table.at[c, 'name'])}" for c in missing)
        if len(missing) == 1:
            warnings.append(note("note_fte_missing_bundled_one", path=shown, names=names))
        else:
            warnings.append(
                note("note_fte_missing_bundled", n=len(missing), path=shown, names=names)
            )
        warnings += found.caveats_beside(missing, shown)
    return table, warnings, [record]


def _kindergarten(
    scenario: Scenario, scope: data.Scope, problems: Problems
) -> tuple[pd.Series | None, list[InputFile]]:
    given = scenario.spec.owners.kindergarten_fte
    if given is None:
        return None, []
    path, shown, sheet = _file(scenario, given)
    read = _read_per_municipality(path, shown, "owners.kindergarten_fte", sheet, scope, problems)
    if read is None:
        return None, []
    named = read.given("kommunenummer")
    register = data.load_municipalities(scope)
    for code, name in register[["kommunenummer", "name"]].values:
        if named and code not in named:
            problems.add(shown, "", _missing_line(code, name, scope, "kindergarten staff figure"))
    return read.frame.set_index("kommunenummer")["kindergarten_fte"], [read.record]


def _owners(
    scenario: Scenario,
    scope: data.Scope,
    regions: dict[str, list[str]],
    register: pd.DataFrame,
    fte: pd.DataFrame,
    kindergarten: pd.Series | None,
) -> tuple[pd.DataFrame, list[Note]]:
    spec = scenario.spec.owners
    warnings: list[Note] = []
    reg = register.set_index("kommunenummer")
    rows = []
    for region, codes in regions.items():
        for code in codes:
            f = fte.loc[code]
            rows.append(
                {
                    "owner_id": code,
                    "owner_name": reg.at[code, "name"],
                    "owner_kind": "municipality",
                    "region": region,
                    "teacher_fte": _num(f["teacher_fte"]),
                    "fte_imputed": bool(f["imputed"]),
                    "fte_fallback": bool(f["fallback"]),
                    "fte_method": f["method"],
                    "fte_school_year": str(f["school_year"]),
                    "fte_source": str(f["source"]),
                    "kindergarten_fte": (
                        float(kindergarten[code]) if kindergarten is not None else np.nan
                    ),
                    "lat": _num(reg.at[code, "point_lat"]),
                    "lon": _num(reg.at[code, "point_lon"]),
                }
            )
    if spec.private_network:
        total = 0.0
        years: list[str] = []
        sources: list[str] = []
        for county, _ in scope.counties:
            fte_c, year_c, source_c = data.private_school_fte(county)
            total += fte_c
            years.append(year_c)
            sources.append(source_c)
        private_fte, private_year = total, "; ".join(sorted(set(years)))
        rows.append(
            {
                "owner_id": "private-network",
                "owner_name": f"Friskolane i {scope.name}",
                "owner_kind": "private",
                "region": spec.private_network_region,
                "teacher_fte": float(private_fte),
                "fte_imputed": False,
                "fte_fallback": False,
                "fte_method": "",
                "fte_school_year": private_year,
                "fte_source": " ; ".join(sorted(set(sources))),
                "kindergarten_fte": np.nan,
                "lat": np.nan,
                "lon": np.nan,
            }
        )
    for extra in spec.extra:
        rows.append(
            {
                "owner_id": extra.id,
                "owner_name": extra.name,
                "owner_kind": extra.kind,
                "region": extra.region,
                "teacher_fte": extra.teacher_fte,
                "fte_imputed": False,
                "fte_fallback": False,
                "fte_method": "",
                "fte_school_year": "",
                "fte_source": extra.source,
                "kindergarten_fte": np.nan,
                "lat": np.nan,
                "lon": np.nan,
            }
        )
    owners = pd.DataFrame(rows)
    owners["participates"] = ~owners["owner_id"].isin(spec.non_participating)
    if owners.loc[owners["participates"], "teacher_fte"].sum() <= 0:
        raise _problem(scenario, "owners.non_participating", "no participating owner has teachers")
    return owners[list(OWNER_COLUMNS)], warnings


def _partner_capacity(
    scenario: Scenario, problems: Problems
) -> tuple[dict[str, float], list[InputFile]]:
    spec = scenario.spec.partners
    if spec.capacity_csv is None:
        return dict(spec.capacity_nok), []
    path, shown, sheet = _file(scenario, spec.capacity_csv)
    try:
        frame, record = read_scenario_table(
            path,
            shown,
            TABLES["partners.capacity_csv"],
            sheet=sheet,
            unique=("partner",),
            validators={"partner": lambda pid: _capacity_partner(spec, pid)},
        )
    except ScenarioError as exc:
        problems.extend(exc)
        return dict(spec.capacity_nok), []
    capacity = dict(spec.capacity_nok)
    capacity.update(zip(frame["partner"], frame["capacity_nok"].astype(float), strict=True))
    return capacity, [record]


def _capacity_partner(spec: Partners, pid: str) -> str | None:
    if pid not in spec.eligible:
        return f"'{pid}' is not an eligible partner ({', '.join(spec.eligible)})"
    if pid in spec.capacity_nok:
        return f"'{pid}' also has partners.capacity_nok"
    return None


@dataclass(frozen=True)
class _PartnerPlace:
    """A partner the scenario describes itself, with its place (NaN: unknown)."""

    name: str
    kind: str
    lat: float
    lon: float
    location: str
    key: str
    """Where the scenario gives it (for error messages)."""


def _place(code: str | None, lat: float | None, lon: float | None) -> tuple[float, float, str]:
    """A partner's point and how it was found: its campus municipality's point, the given
    coordinate, or unknown (NaN)."""
    if code:
        register = data.load_municipalities().set_index("kommunenummer")
        row = register.loc[code]
        where = f"point of {code} {row['name']} (campus municipality)"
        return _num(row["point_lat"]), _num(row["point_lon"]), where
    if lat is not None and lon is not None:
        return float(lat), float(lon), "coordinate given in the scenario"
    return np.nan, np.nan, "unknown"


def _extra_partners(
    scenario: Scenario, problems: Problems
) -> tuple[dict[str, _PartnerPlace], list[InputFile]]:
    """The partners of ``partners.extra`` and ``partners.extra_csv``, by id, with their
    places; an unknown campus municipality or an id given twice is a problem."""
    spec = scenario.spec.partners
    known = set(data.load_municipalities()["kommunenummer"])
    extra: dict[str, _PartnerPlace] = {}
    for i, partner in enumerate(spec.extra):
        key = f"partners.extra[{i}]"
        code = partner.kommunenummer
        if code is not None and code not in known:
            wrong = f"{code} is no 2024 municipality (unknown code)"
            problems.add(scenario.source, f"{key}.kommunenummer", wrong)
            code = None  # still a partner, so that naming it elsewhere is no second problem
        if partner.id in extra:
            problems.add(scenario.source, f"{key}.id", f"partner '{partner.id}' given twice")
            continue
        lat, lon, where = _place(code, partner.lat, partner.lon)
        extra[partner.id] = _PartnerPlace(partner.name, partner.kind, lat, lon, where, key)
    if spec.extra_csv is None:
        return extra, []
    path, shown, sheet = _file(scenario, spec.extra_csv)

    def code_known(code: Any) -> str | None:
        return None if code in known else f"{code} is no 2024 municipality (unknown code)"

    def new_id(pid: Any) -> str | None:
        return f"partner '{pid}' is also in partners.extra" if pid in extra else None

    read = read_table_into(
        path,
        shown,
        TABLES["partners.extra_csv"],
        problems,
        sheet=sheet,
        unique=("id",),
        validators={"kommunenummer": code_known, "id": new_id},
    )
    if read is None:
        return extra, []
    for row in read.frame.itertuples(index=False):
        lat, lon, where = _place(str(row.kommunenummer or "") or None, None, None)
        extra[str(row.id)] = _PartnerPlace(
            str(row.name), str(row.kind), lat, lon, where, f"{shown} row {row.row}"
        )
    return extra, [read.record]


def _partners(
    scenario: Scenario,
    capacity: dict[str, float],
    extra: dict[str, _PartnerPlace],
    problems: Problems,
) -> pd.DataFrame:
    """The eligible partners with their places; every unknown or repeated id is a problem."""
    spec = scenario.spec.partners
    campuses = data.load_campuses(active_only=True)
    known = {
        row.partner_id: _PartnerPlace(
            f"{row.institution_short} {row.campus}",
            "uh",
            _num(row.lat),
            _num(row.lon),
            f"bundled campus ({row.coord_basis})",
            "bundled",
        )
        for row in campuses.itertuples(index=False)
    }
    bundled = sorted(map(str, known))
    dekom = scenario.spec.scenario.regime == "dekom"
    for pid, partner in extra.items():
        if pid in known:
            problems.add(scenario.source, partner.key, f"'{pid}' is a bundled campus id")
        if dekom and partner.kind != "uh":
            problems.add(
                scenario.source,
                f"{partner.key}.kind" if partner.key.startswith("partners.") else partner.key,
                f"'{pid}' is a {partner.kind} partner: in the dekom regime (up to "
                f"{LAST_DEKOM_YEAR}) the partners are universities and university colleges "
                '(kind "uh"); other partners are the kollektiv-2026 regime\'s',
            )
        known[pid] = partner
    rows = []
    for i, pid in enumerate(spec.eligible):
        if pid not in known:
            problems.add(
                scenario.source,
                f"partners.eligible[{i}]",
                f"unknown partner '{pid}'; bundled campuses: {', '.join(bundled)}; give others "
                "in partners.extra or partners.extra_csv",
            )
            continue
        place = known[pid]
        rows.append(
            {
                "partner_id": pid,
                "partner_name": place.name,
                "partner_kind": place.kind,
                "lat": place.lat,
                "lon": place.lon,
                "location": place.location,
                "capacity_nok": float(capacity.get(pid, np.nan)),
            }
        )
    if len(set(spec.eligible)) != len(spec.eligible):
        problems.add(scenario.source, "partners.eligible", "a partner is listed twice")
    for pid in spec.capacity_nok:
        if pid not in spec.eligible:
            problems.add(scenario.source, f"partners.capacity_nok.{pid}", "not an eligible partner")
    if isinstance(spec.edges, dict):
        for region, pids in spec.edges.items():
            for pid in pids:
                if pid not in spec.eligible:
                    problems.add(
                        scenario.source,
                        f"partners.edges.{region}",
                        f"'{pid}' is not an eligible partner",
                    )
    return pd.DataFrame(rows)


def _owner_references(
    scenario: Scenario, scope: data.Scope, regions: set[str], problems: Problems
) -> None:
    """Every owner and region the scenario names by id exists: ``owners.non_participating``,
    the owners of ``uncertainty.participation_by_owner`` and the regions of
    ``partners.edges`` (``regions`` empty: the structure could not be read, so edges are not
    checked against it). One line per unknown id."""
    spec = scenario.spec
    listed = list(data.county_codes(scope))
    if spec.owners.private_network:
        listed.append("private-network")
    listed += [extra.id for extra in spec.owners.extra]
    twice = [o for o in dict.fromkeys(listed) if listed.count(o) > 1]
    if twice:
        problems.add(scenario.source, "owners.extra", f"owner id used twice: {', '.join(twice)}")
    owners = set(listed)
    first: dict[str, int] = {}
    for i, owner in enumerate(spec.owners.non_participating):
        where = f"owners.non_participating[{i}]"
        if owner not in owners:
            problems.add(scenario.source, where, f"'{owner}' is no owner")
        elif owner in first:
            problems.add(
                scenario.source, where, f"'{owner}' is listed twice (also [{first[owner]}])"
            )
        first.setdefault(owner, i)
    for owner in spec.uncertainty.participation_by_owner:
        if owner not in owners:
            problems.add(
                scenario.source,
                f"uncertainty.participation_by_owner.{owner}",
                f"'{owner}' is no owner of this scenario",
            )
    if spec.scenario.regime == "kollektiv-2026":
        for i, extra in enumerate(spec.owners.extra):
            if extra.kind == "county":
                problems.add(
                    scenario.source,
                    f"owners.extra[{i}].kind",
                    f"'{extra.id}': the county is no owner in the kollektiv-2026 regime",
                )
    edges = spec.partners.edges
    if isinstance(edges, dict) and regions:
        for region in edges:
            if region not in regions:
                problems.add(scenario.source, f"partners.edges.{region}", "unknown region")
        spelled = {region.casefold(): region for region in sorted(regions, reverse=True)}
        for region in sorted(regions):
            if not edges.get(region) and spelled[region.casefold()] == region:
                problems.add(scenario.source, "partners.edges", f"region {region} has no partner")


def _extra_owner_regions(
    scenario: Scenario, regions: dict[str, list[str]], problems: Problems
) -> list[Note]:
    """An extra owner's region (``owners.extra``, ``owners.private_network_region``) that
    differs from a region of the structure only in case is a problem naming it; an extra owner
    alone in a region no other owner is in is a warning naming the closest regions."""
    import difflib

    owners = scenario.spec.owners
    named = [(f"owners.extra[{i}].region", extra.region) for i, extra in enumerate(owners.extra)]
    if owners.private_network:
        named.append(("owners.private_network_region", owners.private_network_region))
    by_case = {region.casefold(): region for region in regions}
    for key, region in named:
        same = by_case.get(region.casefold())
        if region not in regions and same is not None:
            problems.add(
                scenario.source,
                key,
                f"'{region}' differs from the structure's region '{same}' only in case; write "
                f"'{same}' (or a name of its own for a new region)",
            )
    out = []
    in_new = [region for _, region in named if region not in regions]
    for extra in owners.extra:
        if extra.region in regions or in_new.count(extra.region) > 1:
            continue
        closest = difflib.get_close_matches(extra.region, list(regions), n=3, cutoff=0.5)
        out.append(
            note(
                "note_extra_owner_alone",
                name=extra.name,
                id=extra.id,
                region=extra.region,
                closest=", ".join(closest or regions),
            )
        )
    return out


def _edges(
    scenario: Scenario, regions: tuple[str, ...], owners: pd.DataFrame, partners: pd.DataFrame
) -> pd.DataFrame:
    spec = scenario.spec.partners.edges
    km = owner_partner_km(owners, partners)
    fte = owners["teacher_fte"].to_numpy(float)
    rows = []
    for region in regions:
        mask = (owners["region"] == region).to_numpy()
        w = fte[mask] if fte[mask].sum() > 0 else np.ones(mask.sum())
        region_km = (km[mask] * w[:, None]).sum(axis=0) / w.sum()
        if spec == "nearest":
            if len(partners) > 1 and np.isnan(region_km).any():
                unknown = partners.loc[partners["lat"].isna(), "partner_id"]
                raise _problem(
                    scenario,
                    "partners.edges",
                    '"nearest" needs the place of every eligible partner; give the campus '
                    f"kommunenummer of {', '.join(unknown)} (partners.extra or extra_csv), or "
                    'name each region\'s partners (edges = { REGION = ["id"] }) or "all"',
                )
            chosen = [int(np.argmin(region_km))]
        elif spec == "all":
            chosen = list(range(len(partners)))
        else:
            ids = list(partners["partner_id"])
            chosen = [ids.index(pid) for pid in spec.get(region, ())]
            if not chosen:
                raise _problem(scenario, "partners.edges", f"region {region} has no partner")
        for p in chosen:
            rows.append(
                {
                    "region": region,
                    "partner_id": partners.at[p, "partner_id"],
                    "km": float(np.maximum(region_km[p], 0.1)),
                }
            )
    return pd.DataFrame(rows)


LAST_DEKOM_YEAR = 2025
"""The last year of the DEKOM scheme (regime ``dekom``); ``kollektiv-2026`` applies after it."""


def regime_year_notes(scenario: Scenario) -> list[Note]:
    """A warning when the scenario runs its regime in years outside the regime's own (the
    scenario's year or a year of ``budget.years``): ``dekom`` up to 2025, ``kollektiv-2026``
    from 2026."""
    spec = scenario.spec
    years = sorted({spec.scenario.year, *(y.year for y in spec.budget.years)})
    dekom = spec.scenario.regime == "dekom"
    outside = [y for y in years if (y > LAST_DEKOM_YEAR) == dekom]
    if not outside:
        return []
    shown = ", ".join(str(y) for y in outside)
    return [
        note("note_regime_after", years=shown) if dekom else note("note_regime_before", years=shown)
    ]


KINDERGARTEN_BY_SCHOOL_KEY = note("note_kindergarten_school_key")
"""The caveat of a 2026 budget without a kindergarten staff file."""


def kindergarten_by_staff(path: str) -> Note:
    """The caveat of a 2026 budget whose kindergarten part is keyed by the staff in ``path``."""
    return note("note_kindergarten_staff_key", path=path)


def build_county(scenario: Scenario, previous: str | None = None) -> County:
    """The model of a scenario's county or office. Raises ScenarioError naming the key that
    is wrong; every problem of the files it names is raised at once (:class:`FileProblems`).

    ``previous`` (``propose --previous``, a path relative to the working folder) replaces the
    scenario's ``budget.previous`` as the file of last year's amounts."""
    scope = _scope(scenario)
    register = data.load_municipalities(scope)
    problems = Problems()
    regions, warnings, files = _structure(scenario, scope, register, problems)
    fte, fte_warnings, fte_files = _fte(scenario, scope, problems)
    kindergarten, kg_files = _kindergarten(scenario, scope, problems)
    capacity, capacity_files = _partner_capacity(scenario, problems)
    extra_partners, partner_files = _extra_partners(scenario, problems)
    named_regions = set(regions) | {extra.region for extra in scenario.spec.owners.extra}
    if scenario.spec.owners.private_network:
        named_regions.add(scenario.spec.owners.private_network_region)
    tables = _other_tables(scenario, scope, problems)
    other_files = tables.records
    asked = tuple(sorted(named_regions)) if regions else ()
    last_year, previous_notes = _previous(scenario, previous, asked, problems)
    _owner_references(scenario, scope, named_regions if regions else set(), problems)
    alone = _extra_owner_regions(scenario, regions, problems) if regions else []
    partners = _partners(scenario, capacity, extra_partners, problems)
    problems.raise_if_any()
    owners, owner_warnings = _owners(scenario, scope, regions, register, fte, kindergarten)
    region_ids = tuple(dict.fromkeys([*regions, *owners["region"]]))
    warnings += regime_year_notes(scenario) + alone + previous_notes
    if tables.needs is not None:
        warnings += _partial_needs(owners, tables.needs)
    if last_year is not None:
        amounts = dict(zip(asked, last_year.region_nok, strict=True))
        last_year = replace(last_year, region_nok=np.array([amounts[r] for r in region_ids]))
        other_files.append(last_year.record)
    unplaced = list(partners.loc[partners["lat"].isna(), "partner_id"])
    if unplaced:
        warnings.append(note("note_travel_unavailable", partners=", ".join(unplaced)))
    edges = _edges(scenario, region_ids, owners, partners)
    adjacency = data.load_adjacency(scope, within_county=True)
    placed = set(owners["owner_id"])
    adjacency = adjacency[adjacency["a"].isin(placed) & adjacency["b"].isin(placed)]
    if scenario.spec.scenario.regime == "kollektiv-2026":
        if kindergarten is None:
            warnings.append(KINDERGARTEN_BY_SCHOOL_KEY)
        else:
            warnings.append(kindergarten_by_staff(kg_files[0].path))
            none = owners.loc[owners["kindergarten_fte"].isna(), "owner_name"]
            if len(none):
                names = ", ".join(none)
                warnings.append(note("note_kindergarten_none", path=kg_files[0].path, names=names))
    structure = scenario.spec.structure
    county = County(
        name=scope.name,
        number=scope.number,
        regions=region_ids,
        owners=owners.reset_index(drop=True),
        partners=partners,
        edges=edges,
        adjacency=adjacency[["a", "b", "kind"]].reset_index(drop=True),
        warnings=tuple(dict.fromkeys(warnings + fte_warnings + owner_warnings)),
        structure_basis=structure.basis,
        structure_illustrative=structure.illustrative,
        scope=scope,
        input_files=tuple(
            files + fte_files + kg_files + capacity_files + partner_files + other_files
        ),
        previous=last_year,
        needs=tables.needs,
        cofinancing_capacity=tables.cofinancing_capacity,
    )
    coarse = rounding_unit_notes(scenario, county)
    return replace(county, warnings=county.warnings + tuple(coarse)) if coarse else county


_STAND_INS: dict[str, object] = {
    "scenario.year": 2025,
    "scenario.regime": "dekom",
    "budget.total_nok": 1,
    "rules.uh_share_min": 0.0,
    "rules.cofinancing_share": 0.0,
    "uncertainty.needs_nok_per_fte": 1.0,
}
"""Required keys that the county's files do not depend on: a key in error is given this value
while the files are checked, so that its error does not hide theirs (a regime in error is the
one that takes the scenario's kindergarten share, if it gives one)."""


_TABLE_STAND_INS: dict[str, dict[str, object]] = {
    "budget": {"total_nok": 1},
    "rules": {"uh_share_min": 0.0, "cofinancing_share": 0.0},
}
"""Required tables, given stand-ins for their required keys when missing or in error."""


_LEAF_STAND_INS: dict[str, object] = {"teacher_fte": 0.0}
"""Required keys of a list's items (``owners.extra[i]``) given this value when in error, so
that the item's other keys are still checked."""

_ROUNDS = 4
"""How often :func:`problems_despite` leaves out newly found keys in error and tries again."""


def _leave_out(document: dict[str, Any], fields: list[str]) -> bool:
    """Take the keys in error (``owners.extra.1.teacher_fte``) out of ``document``, or give
    them a stand-in; False when a key's table cannot be reached."""
    for field in fields:
        *parents, last = field.split(".")
        table: Any = document
        for key in parents:
            if isinstance(table, dict):
                table = table.setdefault(key, {})
            elif isinstance(table, list) and key.isdigit() and int(key) < len(table):
                table = table[int(key)]
            else:
                return False
        if not isinstance(table, dict):
            return False
        if field in _STAND_INS:
            table[last] = _STAND_INS[field]
        elif field in _TABLE_STAND_INS:
            table[last] = dict(_TABLE_STAND_INS[field])
        elif parents and last in _LEAF_STAND_INS:
            table[last] = _LEAF_STAND_INS[last]
        elif last in table:
            del table[last]
    if "scenario.regime" in fields:
        rules = document.get("rules")
        if isinstance(rules, dict) and "kindergarten_share" in rules:
            document["scenario"]["regime"] = "kollektiv-2026"
    return True


def problems_despite(error: ScenarioError) -> list[str]:
    """The problems found although the scenario file broke the schema (``error``): the keys
    in error are left out, so that they take their defaults (or a stand-in,
    :data:`_STAND_INS`), and the rest is validated again; a check that ran only once the
    others passed (one across tables) may then find more, whose keys are left out in turn
    (at most :data:`_ROUNDS` times), and the county is built from what remains, which checks
    the files the scenario names and the ids it uses. One line per problem not already in
    ``error``; empty when the rest does not make a scenario or is sound."""
    if error.document is None:
        return []
    document = copy.deepcopy(error.document)
    seen = set(error.lines())
    found: list[str] = []
    fields = [field for field, _ in error.problems]
    for _ in range(_ROUNDS):
        if not _leave_out(document, fields):
            return found
        try:
            spec = parse_scenario(document, error.source)
        except ScenarioError as more:
            new = [
                (field, line)
                for (field, _), line in zip(more.problems, more.lines(), strict=True)
                if line not in seen
            ]
            if not new:
                return found
            found += [line for _, line in new]
            seen |= {line for _, line in new}
            fields = [field for field, _ in new]
            continue
        try:
            build_county(Scenario(spec, Path(error.source).resolve(), "", error.source))
        except DataError as more:
            found += [line for line in more.lines() if line not in seen]
        return found
    return found
