"""Scenario files: TOML, validated once at load into an immutable object."""

from dekomopt.scenario.budget import set_aside_amounts
from dekomopt.scenario.load import Scenario, load_scenario, parse_scenario
from dekomopt.scenario.schema import ScenarioFile

__all__ = ["Scenario", "ScenarioFile", "load_scenario", "parse_scenario", "set_aside_amounts"]
