"""A small valid Rogaland scenario, written to a temporary folder, for mutation tests."""

from __future__ import annotations

from pathlib import Path

import pytest

BASE = """\
[scenario]
name = "test"
county = "Rogaland"
regime = "dekom"
year = 2025

[budget]
total_nok = 1_000_000

[structure]
regions = { NORD = ["1106", "1146", "1149", "1135", "1134", "1160", "1151", "1145"], \
MIDT = ["1103", "1124", "1127", "1130", "1133", "1144"], \
SOR = ["1108", "1120", "1121", "1119", "1101", "1112", "1114", "1111", "1122"] }

[owners]
private_network = true

[partners]
eligible = ["UiS-Ullandhaug", "HVL-Haugesund"]
edges = "nearest"

[rules]
uh_share_min = 0.5
cofinancing_share = 0.3
"""


@pytest.fixture
def write(tmp_path: Path):
    """Write scenario text (and extra files) into tmp_path; return the scenario path."""

    def _write(text: str = BASE, files: dict[str, str | bytes] | None = None) -> Path:
        for name, content in (files or {}).items():
            target = tmp_path / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        path = tmp_path / "scenario.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def base_text() -> str:
    return BASE
