"""The county model (owners, regions, partners, graph) built from a scenario and bundled data.

The names below are imported from their modules on first use (PEP 562): the county data need
pandas and networkx, and a worker process given a ready problem needs neither.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dekomopt.county.build import build_county, default_language
    from dekomopt.county.model import County
    from dekomopt.county.problem import allocation_problem

_HOME = {
    "build_county": "dekomopt.county.build",
    "default_language": "dekomopt.county.build",
    "County": "dekomopt.county.model",
    "allocation_problem": "dekomopt.county.problem",
}
__all__ = ["County", "allocation_problem", "build_county", "default_language"]


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOME[name]), name)
