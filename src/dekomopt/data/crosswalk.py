"""The 2020 reform: pre-2020 municipalities → 2024 municipalities with population shares."""

from __future__ import annotations

import math
from functools import cache

import pandas as pd

from dekomopt.data.register import resolve_county
from dekomopt.data.tables import read_table
from dekomopt.errors import DataError

CROSSWALK = "municipality_changes_2020.csv"

PRE2020_COUNTIES: dict[str, tuple[str, ...]] = {
    "Rogaland": ("Rogaland",),
    "Vestland": ("Hordaland", "Sogn og Fjordane"),
    "Nordland": ("Nordland",),
}
"""The pre-2020 counties that make up each 2024 county (Vestland = Hordaland + Sogn og Fjordane)."""


@cache
def _crosswalk() -> pd.DataFrame:
    frame = read_table(CROSSWALK)
    for old, rows in frame.groupby("old_kommunenummer"):
        shares = rows["share"].dropna()
        if (shares < 0).any() or (shares > 1).any():
            raise DataError(CROSSWALK, f"share of {old}", "shares must lie in [0, 1]")
        if not math.isclose(shares.sum(), 1.0, abs_tol=1e-9):
            raise DataError(CROSSWALK, f"share of {old}", f"shares sum to {shares.sum()}, not 1")
    return frame


def load_crosswalk(county: str | int | None = None) -> pd.DataFrame:
    """Crosswalk rows (old code, old name, old county, new code, new name, share, source, note).

    With ``county``, the rows of the pre-2020 municipalities that lay in it (including rows
    whose target is outside it, such as Hornindal → Volda). An empty share is NaN.
    """
    frame = _crosswalk()
    if county is not None:
        name, _ = resolve_county(county)
        frame = frame[frame["old_county"].isin(PRE2020_COUNTIES[name])]
    return frame.reset_index(drop=True).copy()


def plain_old_name(old_name: str) -> str:
    """An old unit's name without Skoleporten's "(utgått)" suffix."""
    return old_name.replace("(utgått)", "").strip()
