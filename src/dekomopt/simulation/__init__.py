"""Monte Carlo fairness simulation: perturbed inputs, warm re-solves, metrics, statistics.

``simulate`` runs a scenario's ``[uncertainty]`` draws (locally or on Dask) into a folder of
Parquet tables, a summary and figures; ``sensitivity`` gives Sobol indices of the fairness
metrics with respect to the rule parameters.

The names below are imported from their modules on first use (PEP 562), so that a worker
process imports only the chunk engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dekomopt.simulation.draws import DrawInputs, Perturber
    from dekomopt.simulation.engine import ChunkEngine, ChunkResult, ChunkSpec
    from dekomopt.simulation.runner import SimulationResult, chunk_specs, simulate
    from dekomopt.simulation.scoring import Scorer, Scores
    from dekomopt.simulation.sobol import sensitivity, write_sensitivity
    from dekomopt.simulation.stats import converged, describe, summarise

_HOME = {
    **dict.fromkeys(("DrawInputs", "Perturber"), "draws"),
    **dict.fromkeys(("ChunkEngine", "ChunkResult", "ChunkSpec"), "engine"),
    **dict.fromkeys(("SimulationResult", "chunk_specs", "simulate"), "runner"),
    **dict.fromkeys(("Scorer", "Scores"), "scoring"),
    **dict.fromkeys(("sensitivity", "write_sensitivity"), "sobol"),
    **dict.fromkeys(("converged", "describe", "summarise"), "stats"),
}
__all__ = [
    "ChunkEngine",
    "ChunkResult",
    "ChunkSpec",
    "DrawInputs",
    "Perturber",
    "Scorer",
    "Scores",
    "SimulationResult",
    "chunk_specs",
    "converged",
    "describe",
    "sensitivity",
    "simulate",
    "summarise",
    "write_sensitivity",
]


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
