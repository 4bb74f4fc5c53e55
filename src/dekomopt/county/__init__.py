"""The county model (owners, regions, partners, graph) built from a scenario and bundled data."""

from dekomopt.county.build import build_county
from dekomopt.county.model import County
from dekomopt.county.problem import allocation_problem, rules_of, set_aside_amounts

__all__ = ["County", "allocation_problem", "build_county", "rules_of", "set_aside_amounts"]
