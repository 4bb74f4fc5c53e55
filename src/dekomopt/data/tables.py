"""Bundled tables described as data (column, type, unit, meaning) and checked when read.

Every reader in this package goes through :func:`read_table`, so a damaged or edited copy of a
bundled file fails with a :class:`~dekomopt.errors.DataError` naming the file, the row and the
column instead of producing a silently wrong number further on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

import pandas as pd

from dekomopt.errors import DataError

CODE4 = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Column:
    """One column of a bundled table: ``kind`` is str, code4, float, int or bool."""

    name: str
    kind: str
    required: bool
    unit: str
    description: str


def _c(name: str, kind: str, required: bool, unit: str, description: str) -> Column:
    return Column(name, kind, required, unit, description)


TABLES: dict[str, tuple[Column, ...]] = {
    "municipalities.csv": (
        _c("kommunenummer", "code4", True, "", "2024 municipality code"),
        _c("name", "str", True, "", "Norwegian name"),
        _c("name_official", "str", True, "", "Kartverket official name (incl. Sámi forms)"),
        _c("county", "str", True, "", "2024 county name"),
        _c("county_number", "int", True, "", "2024 county number"),
        _c("statsforvalter", "str", True, "", "Statsforvalter office (derived from the county)"),
        _c("admin_centre", "str", True, "", "administrative centre"),
        _c("population", "int", True, "persons", "population 2024-01-01 (SSB)"),
        _c("lat", "float", True, "degrees", "polygon centroid latitude (computed)"),
        _c("lon", "float", True, "degrees", "polygon centroid longitude (computed)"),
        _c("centroid_inside_municipality", "bool", True, "", "centroid inside own polygon"),
        _c("lat_interior", "float", False, "degrees", "interior point, where centroid outside"),
        _c("lon_interior", "float", False, "degrees", "interior point, where centroid outside"),
        _c("area_km2", "float", True, "km2", "area (Kartverket via norge-data)"),
        _c("written_language", "str", True, "", "Bokmål, Nynorsk or Nøytral (norge-data)"),
    ),
    "counties_statsforvalter_2024.csv": (
        _c("county_number", "int", True, "", "2024 county number"),
        _c("county", "str", True, "", "2024 county name"),
        _c("n_municipalities", "int", True, "", "municipalities in the county (derived)"),
        _c("population_2024_sum", "int", True, "persons", "population 2024-01-01 (derived)"),
        _c("statsforvalter", "str", True, "", "office receiving the grant (derived)"),
        _c("orgnr_read_from_county", "str", True, "", "2020-2023 county the office was read for"),
    ),
    "municipality_crosswalk_2019_2024_all.csv": (
        _c("code_2019", "code4", True, "", "2019 municipality code (SSB KLASS 131)"),
        _c("name_2019", "str", True, "", "2019 name"),
        _c("code_2024", "code4", True, "", "2024 code (largest area overlap, derived)"),
        _c("name_2024", "str", True, "", "2024 name"),
        _c("county_2024", "int", True, "", "2024 county number"),
    ),
    "teacher_fte_statsforvalter_pre2020_derived.csv": (
        _c("school_year", "str", True, "", "school year, e.g. 2019-20"),
        _c("statsforvalter_2024_name", "str", True, "", "the office (2024 name)"),
        _c("teacher_fte_sum", "float", True, "årsverk", "sum of the office's pre-2020 counties"),
    ),
    "teacher_fte_county_pre2020_all.csv": (
        _c("county_pre2020", "str", True, "", "pre-2020 county (or Svalbard, schools abroad)"),
        _c("school_year", "str", True, "", "school year, e.g. 2019-20"),
        _c("eierform", "str", True, "", "offentlege skolar, private skolar, alle eigarformer"),
        _c("value", "float", True, "årsverk", "Årsverk for undervisningspersonale (Skoleporten)"),
        _c("source", "str", True, "", "Skoleporten URL"),
    ),
    "adjacency_2024.csv": (
        _c("kommunenummer_a", "code4", True, "", "first municipality (a < b)"),
        _c("kommunenummer_b", "code4", True, "", "second municipality"),
        _c("kind", "str", True, "", "land, point (corner contact) or sea (geometric)"),
        _c("shared_border_km", "float", True, "km", "shared land border (0 for sea)"),
        _c("gap_km", "float", True, "km", "polygon-to-polygon distance (0 for land)"),
    ),
    "uh_campuses.csv": (
        _c("institution", "str", True, "", "institution name"),
        _c("institution_short", "str", True, "", "short name, e.g. UiS"),
        _c("campus", "str", True, "", "campus name"),
        _c("kommunenummer", "code4", True, "", "municipality of the campus"),
        _c("lat", "float", True, "degrees", "latitude (see coord_basis)"),
        _c("lon", "float", True, "degrees", "longitude (see coord_basis)"),
        _c("coord_basis", "str", True, "", "what the coordinate represents"),
        _c("status", "str", True, "", "active or discontinued (...)"),
    ),
    "municipality_changes_2020.csv": (
        _c("old_kommunenummer", "code4", True, "", "pre-2020 municipality code"),
        _c("old_name", "str", True, "", "pre-2020 name as in school_stats.csv"),
        _c("old_county", "str", True, "", "pre-2020 county"),
        _c("new_kommunenummer", "code4", True, "", "2024 municipality code"),
        _c("new_name", "str", True, "", "2024 name"),
        _c("share", "float", False, "fraction", "population share moved; empty = unknown"),
        _c("source", "str", True, "", "source of the change"),
        _c("note", "str", False, "", "details"),
    ),
    "school_stats.csv": (
        _c("level", "str", True, "", "kommune, fylke or nasjonalt"),
        _c("area_name_in_source", "str", True, "", "area name as printed"),
        _c("county_in_source", "str", False, "", "county as printed"),
        _c("county_2024", "str", False, "", "2024 county"),
        _c("school_year", "str", True, "", "school year, e.g. 2019-20"),
        _c("eierform", "str", True, "", "owner type covered"),
        _c("indicator", "str", True, "", "teacher_fte, pupils, ..."),
        _c("value", "float", True, "", "value in `unit`"),
        _c("unit", "str", True, "", "unit of value"),
        _c("source", "str", True, "", "source URL"),
    ),
    "competence_regions.csv": (
        _c("county", "str", True, "", "2024 county"),
        _c("region", "str", True, "", "region or network name"),
        _c("kommunenummer", "code4", False, "", "exact name match in 2024 register"),
        _c("name_in_source", "str", True, "", "the entry as printed"),
        _c("evidence", "str", True, "", "explicit / inferred / ..."),
    ),
}
"""Columns the package reads from each bundled CSV; other columns are kept but not checked."""


def data_file(name: str) -> Traversable:
    """The bundled file ``name`` (a DataError if it is not shipped)."""
    path = files("dekomopt.data").joinpath("files", name)
    if not path.is_file():
        raise DataError(name, "file", "bundled data file is missing from the package")
    return path


def _parse_cell(kind: str, raw: str) -> object:
    if kind == "str":
        return raw
    if kind == "code4":
        if not CODE4.match(raw):
            raise ValueError(f"expected a 4-digit code, got {raw!r}")
        return raw
    if kind == "bool":
        if raw.lower() not in ("true", "false"):
            raise ValueError(f"expected true/false, got {raw!r}")
        return raw.lower() == "true"
    if kind == "int":
        if not re.fullmatch(r"-?\d+", raw):
            raise ValueError(f"expected an integer, got {raw!r}")
        return int(raw)
    if kind == "float":
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"expected a number, got {raw!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {raw!r}")
        return value
    raise AssertionError(f"unknown column kind {kind!r}")


def read_table(name: str) -> pd.DataFrame:
    """Read bundled CSV ``name``, check it against :data:`TABLES` and return typed columns.

    Optional empty cells become ``None`` (str/code4) or NaN (numbers). Row numbers in errors
    count the header as row 1.
    """
    spec = TABLES[name]
    with data_file(name).open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    missing = [c.name for c in spec if c.name not in frame.columns]
    if missing:
        raise DataError(name, "header", f"missing column(s): {', '.join(missing)}")
    for column in spec:
        parsed: list[object] = []
        for i, raw in enumerate(frame[column.name].tolist()):
            text = raw.strip()
            if text == "":
                if column.required:
                    raise DataError(name, f"row {i + 2} column {column.name}", "empty cell")
                parsed.append(math.nan if column.kind in ("float", "int") else None)
                continue
            try:
                parsed.append(_parse_cell(column.kind, text))
            except ValueError as exc:
                raise DataError(name, f"row {i + 2} column {column.name}", str(exc)) from None
        frame[column.name] = pd.Series(parsed, index=frame.index, dtype=object)
        # an int column with gaps can only be float; a required one stays an exact int
        if column.kind == "float" or (column.kind == "int" and not column.required):
            frame[column.name] = frame[column.name].astype(float)
        elif column.kind == "int":
            frame[column.name] = frame[column.name].astype(int)
        elif column.kind == "bool":
            frame[column.name] = frame[column.name].astype(bool)
    return frame
