"""The bundled national files are the shared data files, byte for byte, and the three-county
files they replace are exact subsets of them (checked where the shared folder is present)."""

from __future__ import annotations

import csv
import io
import re
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
    "municipality_changes_2020.csv": "municipality_changes_2020.csv",
}
NOTES = {
    "SOURCES_national.md": "national/SOURCES.md",
    "SOURCES.md": "SOURCES.md",
    "regulation_notes.md": "regulation_notes.md",
}
"""The shared data's notes, bundled with the documents of the shared seeds folder called
"source 00N" (data/files/README.md)."""
SOURCE_WORDS = (
    (r"\bseed (00\d)", r"source \1"),
    (r"\bseed (document|file)\b", r"source \1"),
    (r"\b([Tt])he seed's\b", r"\1he source's"),
    (r"\bthe project's seeds\b", "the project's sources"),
)
SEED_WORD = re.compile(r"\bseeds?\b|\bseed's\b", re.IGNORECASE)
""""seed" said of a document; the shared folder's name in a path (``shared/seeds/``), the
bundled file ``seed_000_rogaland_regions.txt`` and the word in quotes (the README says what it
was) are names, not uses."""
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared data folder not present")


def _bundled(name: str) -> bytes:
    return files("dekomopt.data").joinpath("files", name).read_bytes()


@needs_shared
@pytest.mark.parametrize("name", list(COPIES))
def test_bundled_file_is_the_shared_file_byte_for_byte(name):
    assert _bundled(name) == (SHARED / COPIES[name]).read_bytes()


@needs_shared
@pytest.mark.parametrize("name", list(NOTES))
def test_bundled_note_is_the_shared_note_with_sources_named(name):
    """Byte for byte the shared note but for the seeds folder's documents, called "source"."""
    text = (SHARED / NOTES[name]).read_text(encoding="utf-8")
    for pattern, words in SOURCE_WORDS:
        text = re.sub(pattern, words, text)
    assert _bundled(name).decode("utf-8") == text


def test_no_data_note_calls_a_document_a_seed():
    """No bundled text says "seed 00N" (or a seed document, file or summary), which reads as a
    random seed: the scenario texts and the paper say "source 00N"."""
    folder = Path(str(files("dekomopt.data")))
    texts = [p for p in folder.rglob("*") if p.suffix in {".md", ".csv", ".txt", ".py"}]
    assert len(texts) > 20 and any(p.name == "regulation_notes.md" for p in texts)
    said = []
    for path in texts:
        for number, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
            if SEED_WORD.search(line.replace("shared/seeds/", "").replace('"seed"', "")):
                said.append(f"{path.name}:{number}: {line.strip()[:80]}")
    assert said == []
    readme = (folder / "files" / "README.md").read_text(encoding="utf-8")
    assert all(f"| 00{n} |" in readme for n in range(5))


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
