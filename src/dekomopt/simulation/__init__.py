"""Monte Carlo fairness simulation: perturbed inputs, warm re-solves, metrics, statistics.

``simulate`` runs a scenario's ``[uncertainty]`` draws (locally or on Dask) into a folder of
Parquet tables, a summary and figures; ``sensitivity`` gives Sobol indices of the fairness
metrics with respect to the rule parameters.
"""

from dekomopt.simulation.draws import DrawInputs, Perturber
from dekomopt.simulation.engine import ChunkEngine, ChunkResult, ChunkSpec
from dekomopt.simulation.runner import SimulationResult, chunk_specs, simulate
from dekomopt.simulation.scoring import Scorer, Scores
from dekomopt.simulation.sensitivity import sensitivity, write_sensitivity
from dekomopt.simulation.stats import converged, describe, summarise

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
