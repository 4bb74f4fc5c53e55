"""The bundled national files are the shared data files, byte for byte, and the three-county
files they replace are exact subsets of them (checked where the shared folder is present)."""

from __future__ import annotations

import csv
import io
from importlib.resources import files
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
COPIES = {
    "municipalities.csv": "national/municipalities_2024_all.csv",
    "municipalities_2024.geojson": "national/municipalities_2024_all.geojson",
    "adjacency_2024.csv": "national/adjacency_2024_all.csv",
    "counties_statsforvalter_2024.csv": "national/counties_statsforvalter_2024.csv",
    "municipality_crosswalk_2019_2024_all.csv": "national/municipality_crosswalk_2019_2024_all.csv",
    "teacher_fte_county_pre2020_all.csv": "national/teacher_fte_county_pre2020_all.csv",
    "teacher_fte_statsforvalter_pre2020_derived.csv": (
        "national/teacher_fte_statsforvalter_pre2020_derived.csv"
    ),
    "gsi_totals_national_vestland_bergen.csv": "national/gsi_totals_national_vestland_bergen.csv",
    "udir_gsi_export_laerere_og_aarsverk_vestland_bergen.csv": (
        "national/udir_gsi_export_laerere_og_aarsverk_vestland_bergen.csv"
    ),
    "SOURCES_national.md": "national/SOURCES.md",
    "SOURCES.md": "SOURCES.md",
    "municipality_changes_2020.csv": "municipality_changes_2020.csv",
}
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared data folder not present")


def _bundled(name: str) -> bytes:
    return files("dekomopt.data").joinpath("files", name).read_bytes()


@needs_shared
@pytest.mark.parametrize("name", list(COPIES))
def test_bundled_file_is_the_shared_file_byte_for_byte(name):
    assert _bundled(name) == (SHARED / COPIES[name]).read_bytes()


def _rows(text: str, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in csv.DictReader(io.StringIO(text))}


@needs_shared
def test_three_county_register_is_a_subset_of_the_national_one():
    old = _rows((SHARED / "municipalities.csv").read_text(encoding="utf-8"), "kommunenummer")
    new = _rows(_bundled("municipalities.csv").decode("utf-8"), "kommunenummer")
    assert len(old) == 107 and set(old) <= set(new)
    for code, row in old.items():
        for column in ("name", "name_official", "admin_centre", "population", "area_km2"):
            assert new[code][column] == row[column], (code, column)
        assert new[code]["centroid_inside_municipality"] == row["centroid_inside_municipality"]


@needs_shared
def test_three_county_adjacency_is_a_subset_of_the_national_one():
    def pairs(text: str) -> set[tuple[str, ...]]:
        return {
            (r["kommunenummer_a"], r["kommunenummer_b"], r["kind"], r["shared_border_km"])
            for r in csv.DictReader(io.StringIO(text))
        }

    old = pairs((SHARED / "adjacency_2024.csv").read_text(encoding="utf-8"))
    new = pairs(_bundled("adjacency_2024.csv").decode("utf-8"))
    assert len(old) == 168 and old <= new


def test_package_data_stays_small():
    folder = files("dekomopt.data").joinpath("files")
    total = sum(entry.stat().st_size for entry in Path(str(folder)).iterdir() if entry.is_file())
    assert total < 4_000_000  # about 2.4 MB, 1.7 MB of it polygons
