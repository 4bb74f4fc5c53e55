"""Monte Carlo fairness simulation: perturbed inputs, warm re-solves, metrics, statistics.

``simulate`` runs a scenario's ``[uncertainty]`` draws (locally or on Dask) into a folder of
Parquet tables, a summary and figures, scoring them with :class:`dekomopt.metrics.MetricsEngine`;
``sensitivity`` gives Sobol indices of the fairness metrics with respect to the rule
parameters of the scenario's ``[sensitivity]`` table.

The names below are imported from their modules on first use (PEP 562), so that a worker
process imports only the chunk engine (importing them all adds about a second to each
worker's start).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dekomopt.simulation.draws import DrawInputs, Perturber
    from dekomopt.simulation.engine import ChunkEngine, ChunkResult, ChunkSpec, Job
    from dekomopt.simulation.provenance import Outcome, Provenance
    from dekomopt.simulation.runner import SimulationResult, chunk_specs, simulate
    from dekomopt.simulation.sobol import SensitivityFacts, sensitivity, write_sensitivity
    from dekomopt.simulation.stats import StopCheck, describe, stop_check, summarise

_HOME = {
    **dict.fromkeys(("DrawInputs", "Perturber"), "draws"),
    **dict.fromkeys(("ChunkEngine", "ChunkResult", "ChunkSpec", "Job"), "engine"),
    **dict.fromkeys(("Outcome", "Provenance"), "provenance"),
    **dict.fromkeys(("SimulationResult", "chunk_specs", "simulate"), "runner"),
    **dict.fromkeys(("SensitivityFacts", "sensitivity", "write_sensitivity"), "sobol"),
    **dict.fromkeys(("StopCheck", "describe", "stop_check", "summarise"), "stats"),
}
__all__ = [
    "ChunkEngine",
    "ChunkResult",
    "ChunkSpec",
    "DrawInputs",
    "Job",
    "Outcome",
    "Perturber",
    "Provenance",
    "SensitivityFacts",
    "SimulationResult",
    "StopCheck",
    "chunk_specs",
    "describe",
    "sensitivity",
    "simulate",
    "stop_check",
    "summarise",
    "write_sensitivity",
]


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
