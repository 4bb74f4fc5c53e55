"""Monte Carlo fairness simulation: perturbed inputs, warm re-solves, metrics, statistics.

``simulate`` runs a scenario's ``[uncertainty]`` draws (locally or on Dask) into a folder of
Parquet tables, a summary and figures, scoring them with :class:`dekomopt.metrics.MetricsEngine`;
``sensitivity`` gives Sobol indices of the fairness metrics with respect to the rule
parameters of the scenario's ``[sensitivity]`` table.

Names are imported from their modules when first used, so that a worker process imports
only the chunk engine (importing them all would add about a second to each worker's start);
type checkers see the imports below.
"""

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:  # the names lazy_loader provides, for type checkers
    from dekomopt.simulation.draws import DrawInputs, Perturber  # noqa: F401
    from dekomopt.simulation.engine import ChunkEngine, ChunkResult, ChunkSpec, Job  # noqa: F401
    from dekomopt.simulation.provenance import Outcome, Provenance  # noqa: F401
    from dekomopt.simulation.runner import SimulationResult, chunk_specs, simulate  # noqa: F401
    from dekomopt.simulation.sobol import (  # noqa: F401
        SensitivityFacts,
        sensitivity,
        write_sensitivity,
    )
    from dekomopt.simulation.stats import converged, describe, summarise  # noqa: F401

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "draws": ["DrawInputs", "Perturber"],
        "engine": ["ChunkEngine", "ChunkResult", "ChunkSpec", "Job"],
        "provenance": ["Outcome", "Provenance"],
        "runner": ["SimulationResult", "chunk_specs", "simulate"],
        "sobol": ["SensitivityFacts", "sensitivity", "write_sensitivity"],
        "stats": ["converged", "describe", "summarise"],
    },
)
