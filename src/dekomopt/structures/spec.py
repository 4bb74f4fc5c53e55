"""The scenario's ``[structures]`` table, read together with its scenario."""

from __future__ import annotations

from pathlib import Path

from dekomopt.scenario import Scenario, load_scenario
from dekomopt.scenario.schema import StructuresSpec

__all__ = ["StructuresSpec", "load_with_structures"]


def load_with_structures(path: str | Path) -> tuple[Scenario, StructuresSpec]:
    """The scenario at ``path`` and its ``[structures]`` table (defaults when it has none)."""
    scenario = load_scenario(path)
    return scenario, scenario.spec.structures
