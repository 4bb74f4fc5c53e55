"""Shared fixtures: the bundled Rogaland scenario and small variants of it written to tmp_path."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dekomopt.scenario import Scenario, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
ROGALAND = SCENARIOS / "rogaland-2025.toml"


def variant_text(uncertainty: str, *, partners: str = "", budget: str = "") -> str:
    """Rogaland 2025 with its ``[uncertainty]`` table replaced, and optional extra lines
    appended to ``[partners]`` and ``[budget]``."""
    text = ROGALAND.read_text(encoding="utf-8")
    text = text[: text.index("[uncertainty]")] + "[uncertainty]\n" + uncertainty + "\n"
    if partners:
        text = text.replace("[partners]\n", f"[partners]\n{partners}\n", 1)
    if budget:
        text = re.sub(r'(source = "illustrative"\n)', lambda m: m.group(1) + budget + "\n", text)
    return text


@pytest.fixture(scope="session")
def rogaland() -> Scenario:
    return load_scenario(ROGALAND)


@pytest.fixture
def make_scenario(tmp_path: Path) -> Callable[..., Scenario]:
    """Write a Rogaland variant (see :func:`variant_text`) and load it."""
    counter = iter(range(1000))

    def make(uncertainty: str, **extra: str) -> Scenario:
        path = tmp_path / f"variant-{next(counter)}.toml"
        path.write_text(variant_text(uncertainty, **extra), encoding="utf-8")
        return load_scenario(path)

    return make
