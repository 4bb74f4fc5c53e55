"""The 2024 municipality register (all 357), the counties and Statsforvalter offices, the
adjacency graph and the UH campuses.

A *scope* is what one scenario covers: one of the 15 counties, or one of the 10 Statsforvalter
offices (the grant and the forum are per office; Oslo, Akershus, Østfold and Buskerud share
one, as do Vestfold and Telemark, and Troms and Finnmark).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pandas as pd

from dekomopt.data.tables import read_table
from dekomopt.errors import DataError

REGISTER = "municipalities.csv"
COUNTY_FILE = "counties_statsforvalter_2024.csv"
ADJACENCY = "adjacency_2024.csv"
LINK_KINDS = ("land", "point", "sea")
"""Adjacency kinds: a shared land border, a corner (point) contact, a geometric sea link."""
DEFAULT_LINKS = ("land", "sea")
"""Point contacts are left out of contiguity unless asked for."""
LANGUAGES = {"Bokmål": "nb", "Nynorsk": "nn", "Nøytral": "nb"}
"""Register written language → default report language (a neutral municipality: bokmål)."""


@cache
def _counties() -> pd.DataFrame:
    frame = read_table(COUNTY_FILE)
    if len(frame) != 15 or frame["county_number"].duplicated().any():
        raise DataError(COUNTY_FILE, "county_number", "expected 15 unique counties")
    return frame


def _counties_by_name() -> dict[str, int]:
    frame = _counties()
    return dict(zip(frame["county"], frame["county_number"].astype(int), strict=True))


def counties() -> dict[str, int]:
    """The 15 counties of 2024: name → number, in the bundled file's order."""
    return dict(_counties_by_name())


def office_short_name(office: str) -> str:
    """``Statsforvalteren i Agder`` → ``Agder`` (either written form of the title)."""
    return re.sub(r"^Statsforvalt[ae]ren i ", "", office)


@dataclass(frozen=True)
class Scope:
    """One county or one Statsforvalter office: the municipalities a scenario covers.

    ``name`` is the county's name or the office's short name (``Vestfold og Telemark``);
    ``counties`` are ``(name, number)`` of its counties; ``office`` the office's full name.
    """

    kind: str
    name: str
    counties: tuple[tuple[str, int], ...]
    office: str

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(number for _, number in self.counties)

    @property
    def number(self) -> int | None:
        """The county number of a one-county scope, else None."""
        return self.counties[0][1] if len(self.counties) == 1 else None

    @property
    def label(self) -> str:
        """``Agder (42)`` or ``Statsforvalteren i Vestfold og Telemark (39, 40)``."""
        if self.kind == "county":
            return f"{self.name} ({self.counties[0][1]:02d})"
        return f"{self.office} ({', '.join(f'{n:02d}' for n in self.numbers)})"


def _known_counties() -> str:
    return ", ".join(f"{name} ({number:02d})" for name, number in _counties_by_name().items())


def resolve_county(name_or_number: str | int) -> tuple[str, int]:
    """``(county_name, county_number)`` for a name (any case) or number (int or digit string)."""
    text = str(name_or_number).strip()
    for name, number in _counties_by_name().items():
        if text.casefold() == name.casefold() or (text.isdigit() and int(text) == number):
            return name, number
    raise DataError(
        "county", "county", f"unknown county {name_or_number!r}; known: {_known_counties()}"
    )


def offices() -> dict[str, tuple[tuple[str, int], ...]]:
    """Office short name → its counties ``(name, number)``, in the bundled file's order."""
    out: dict[str, list[tuple[str, int]]] = {}
    for county, number, office in _counties()[["county", "county_number", "statsforvalter"]].values:
        out.setdefault(office_short_name(office), []).append((county, int(number)))
    return {name: tuple(counties) for name, counties in out.items()}


def resolve_office(name: str) -> Scope:
    """The office scope for a short or full office name (any case), or the name of a county
    (its office)."""
    text = str(name).strip().casefold()
    full = {office_short_name(o): o for o in _counties()["statsforvalter"]}
    for short, counties in offices().items():
        if text in (short.casefold(), full[short].casefold()):
            return Scope("office", short, counties, full[short])
    known = "; ".join(offices())
    raise DataError("office", "office", f"unknown Statsforvalter office {name!r}; known: {known}")


def resolve_scope(text: str | int, kind: str | None = None) -> Scope:
    """A county (name or number) or an office (short or full name).

    ``kind`` "county" or "office" restricts the search; otherwise a county name is tried first
    (an office named like its only county covers the same municipalities).
    """
    if kind in (None, "county"):
        try:
            name, number = resolve_county(text)
        except DataError:
            if kind == "county":
                raise
        else:
            office = str(_counties().set_index("county").at[name, "statsforvalter"])
            return Scope("county", name, ((name, number),), office)
    try:
        return resolve_office(str(text))
    except DataError:
        if kind == "office":
            raise
    raise DataError(
        "scope",
        "",
        f"{text!r} is neither a county ({_known_counties()}) nor a Statsforvalter office "
        f"({'; '.join(offices())})",
    ) from None


def _as_scope(scope: str | int | Scope) -> Scope:
    return scope if isinstance(scope, Scope) else resolve_scope(scope)


@cache
def _municipalities() -> pd.DataFrame:
    frame = read_table(REGISTER)
    if len(frame) != 357 or frame["kommunenummer"].duplicated().any():
        raise DataError(REGISTER, "kommunenummer", "expected 357 unique codes")
    unknown = set(frame["county_number"]) - set(_counties()["county_number"])
    if unknown:
        raise DataError(REGISTER, "county_number", f"not in {COUNTY_FILE}: {sorted(unknown)}")
    outside = ~frame["centroid_inside_municipality"]
    if frame.loc[outside, ["lat_interior", "lon_interior"]].isna().any().any():
        raise DataError(REGISTER, "lat_interior", "missing where the centroid lies outside")
    bad = sorted(set(frame["written_language"]) - set(LANGUAGES))
    if bad:
        raise DataError(REGISTER, "written_language", f"unknown value(s) {bad}")
    # the centroid of an island or fjord municipality may lie in the sea or in a neighbour;
    # distances must start from a point inside the municipality
    frame["point_lat"] = frame["lat"].where(~outside, frame["lat_interior"])
    frame["point_lon"] = frame["lon"].where(~outside, frame["lon_interior"])
    frame["point_basis"] = outside.map({True: "interior_point", False: "polygon_centroid"})
    return frame


def load_municipalities(scope: str | int | Scope | None = None) -> pd.DataFrame:
    """The 2024 register (357 rows, or one county's or office's), with a point inside each.

    ``point_lat``/``point_lon`` are the polygon centroid, or the bundled interior point where
    the centroid falls outside the municipality (``point_basis`` says which).
    """
    frame = _municipalities()
    if scope is not None:
        frame = frame[frame["county_number"].isin(_as_scope(scope).numbers)]
    return frame.reset_index(drop=True).copy()


def county_codes(scope: str | int | Scope) -> frozenset[str]:
    """The 2024 municipality codes of a county or office."""
    return frozenset(load_municipalities(scope)["kommunenummer"])


def county_of_code(code: str) -> str | None:
    """``"4601"`` → ``"Vestland (46)"``; None for a code that is no 2024 municipality."""
    frame = _municipalities()
    row = frame[frame["kommunenummer"] == code]
    if row.empty:
        return None
    return f"{row['county'].iloc[0]} ({int(row['county_number'].iloc[0]):02d})"


def report_language(scope: str | int | Scope) -> str:
    """The report language the register suggests: nynorsk if most of the scope's population
    lives in nynorsk municipalities, else bokmål (a neutral municipality counts as bokmål)."""
    frame = load_municipalities(scope)
    lang = frame["written_language"].map(LANGUAGES)
    nn = frame.loc[lang == "nn", "population"].sum()
    return "nn" if nn > frame["population"].sum() / 2 else "nb"


def load_adjacency(
    county: str | int | Scope | None = None,
    kinds: tuple[str, ...] = DEFAULT_LINKS,
    within_county: bool = True,
) -> pd.DataFrame:
    """Neighbour pairs ``(a, b, kind, shared_border_km, gap_km)`` with ``a < b``.

    ``county`` is a county or an office. ``within_county`` keeps pairs whose two ends lie in
    it (without it: in one county); otherwise pairs with at least one end in it (or all
    pairs). ``kinds`` defaults to land borders and sea links: sea links are geometric
    nearest neighbours, not ferry routes; ``point`` (corner contacts) must be asked for.
    """
    unknown = set(kinds) - set(LINK_KINDS)
    if unknown:
        raise DataError(ADJACENCY, "kind", f"unknown kind(s) {sorted(unknown)}")
    frame = read_table(ADJACENCY).rename(columns={"kommunenummer_a": "a", "kommunenummer_b": "b"})[
        ["a", "b", "kind", "shared_border_km", "gap_km"]
    ]
    frame = frame[frame["kind"].isin(kinds)]
    if county is not None:
        codes = county_codes(county)
        in_a, in_b = frame["a"].isin(codes), frame["b"].isin(codes)
        keep = (in_a & in_b) if within_county else (in_a | in_b)
    else:
        same = frame["a"].str[:2] == frame["b"].str[:2]
        keep = same if within_county else pd.Series(True, index=frame.index)
    return frame[keep].reset_index(drop=True)


def _slug(text: str) -> str:
    # ASCII ids survive file names, command lines and spreadsheets
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = text.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def load_campuses(active_only: bool = True) -> pd.DataFrame:
    """UH campuses with a stable ``partner_id`` such as ``UiS-Ullandhaug``.

    ``partner_id`` is the institution's short name and an ASCII slug of the campus name
    (æ→ae, ø→oe, å→aa). ``active_only`` drops campuses whose status is not ``active``.
    """
    frame = read_table("uh_campuses.csv")
    frame["partner_id"] = [
        f"{short}-{_slug(campus)}"
        for short, campus in zip(frame["institution_short"], frame["campus"], strict=True)
    ]
    duplicated = frame["partner_id"][frame["partner_id"].duplicated()]
    if len(duplicated):
        raise DataError("uh_campuses.csv", "campus", f"partner ids not unique: {list(duplicated)}")
    frame["kind"] = "uh"
    if active_only:
        frame = frame[frame["status"] == "active"]
    columns = ["partner_id", "institution", "institution_short", "campus", "kommunenummer"]
    columns += ["lat", "lon", "coord_basis", "status", "kind"]
    return frame[columns].reset_index(drop=True)
