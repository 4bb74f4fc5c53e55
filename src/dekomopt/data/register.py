"""The 2024 municipality register, its adjacency graph and the UH campuses.

Only the three model counties are bundled: Rogaland (11), Vestland (46) and Nordland (18).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pandas as pd

from dekomopt.data.tables import read_table
from dekomopt.errors import DataError

COUNTIES: dict[str, int] = {"Rogaland": 11, "Vestland": 46, "Nordland": 18}
"""The bundled counties by 2024 name and number."""


def resolve_county(name_or_number: str | int) -> tuple[str, int]:
    """``(county_name, county_number)`` for a name (any case) or number (int or digit string)."""
    text = str(name_or_number).strip()
    for name, number in COUNTIES.items():
        if text.casefold() == name.casefold() or text == str(number):
            return name, number
    known = ", ".join(f"{name} ({number})" for name, number in COUNTIES.items())
    raise DataError("county", "county", f"unknown county {name_or_number!r}; known: {known}")


@cache
def _municipalities() -> pd.DataFrame:
    frame = read_table("municipalities.csv")
    if len(frame) != 107 or frame["kommunenummer"].duplicated().any():
        raise DataError("municipalities.csv", "kommunenummer", "expected 107 unique codes")
    outside = ~frame["centroid_inside_municipality"]
    if frame.loc[outside, ["lat_interior", "lon_interior"]].isna().any().any():
        raise DataError(
            "municipalities.csv", "lat_interior", "missing where the centroid lies outside"
        )
    # the centroid of an island or fjord municipality may lie in the sea or in a neighbour;
    # distances must start from a point inside the municipality
    frame["point_lat"] = frame["lat"].where(~outside, frame["lat_interior"])
    frame["point_lon"] = frame["lon"].where(~outside, frame["lon_interior"])
    frame["point_basis"] = outside.map({True: "interior_point", False: "polygon_centroid"})
    return frame


def load_municipalities(county: str | int | None = None) -> pd.DataFrame:
    """The 2024 register (107 rows, or one county's), with a point inside each municipality.

    ``point_lat``/``point_lon`` are the polygon centroid, or the bundled interior point where
    the centroid falls outside the municipality (``point_basis`` says which).
    """
    frame = _municipalities()
    if county is not None:
        _, number = resolve_county(county)
        frame = frame[frame["county_number"] == number]
    return frame.reset_index(drop=True).copy()


def county_codes(county: str | int) -> frozenset[str]:
    """The 2024 municipality codes of ``county``."""
    return frozenset(load_municipalities(county)["kommunenummer"])


def load_adjacency(
    county: str | int | None = None,
    kinds: tuple[str, ...] = ("land", "sea"),
    within_county: bool = True,
) -> pd.DataFrame:
    """Neighbour pairs ``(a, b, kind, shared_border_km, gap_km)`` with ``a < b``.

    ``within_county`` keeps pairs whose two ends lie in the same county (in ``county`` if
    given); otherwise pairs with at least one end in ``county`` (or all pairs) are kept.
    """
    unknown = set(kinds) - {"land", "sea"}
    if unknown:
        raise DataError("adjacency_2024.csv", "kind", f"unknown kind(s) {sorted(unknown)}")
    frame = read_table("adjacency_2024.csv").rename(
        columns={"kommunenummer_a": "a", "kommunenummer_b": "b"}
    )[["a", "b", "kind", "shared_border_km", "gap_km"]]
    frame = frame[frame["kind"].isin(kinds)]
    same = frame["a"].str[:2] == frame["b"].str[:2]
    if county is not None:
        prefix = str(resolve_county(county)[1])
        in_a, in_b = frame["a"].str[:2] == prefix, frame["b"].str[:2] == prefix
        keep = (in_a & in_b) if within_county else (in_a | in_b)
    else:
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
