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

if TYPE_CHECKING:
    from dekomopt.simulation.draws import (
        DrawInputs as DrawInputs,
    )
    from dekomopt.simulation.draws import (
        Perturber as Perturber,
    )
    from dekomopt.simulation.engine import (
        ChunkEngine as ChunkEngine,
    )
    from dekomopt.simulation.engine import (
        ChunkResult as ChunkResult,
    )
    from dekomopt.simulation.engine import (
        ChunkSpec as ChunkSpec,
    )
    from dekomopt.simulation.engine import (
        Job as Job,
    )
    from dekomopt.simulation.provenance import (
        Outcome as Outcome,
    )
    from dekomopt.simulation.provenance import (
        Provenance as Provenance,
    )
    from dekomopt.simulation.runner import (
        SimulationResult as SimulationResult,
    )
    from dekomopt.simulation.runner import (
        chunk_specs as chunk_specs,
    )
    from dekomopt.simulation.runner import (
        simulate as simulate,
    )
    from dekomopt.simulation.sobol import (
        SensitivityFacts as SensitivityFacts,
    )
    from dekomopt.simulation.sobol import (
        sensitivity as sensitivity,
    )
    from dekomopt.simulation.sobol import (
        write_sensitivity as write_sensitivity,
    )
    from dekomopt.simulation.stats import (
        converged as converged,
    )
    from dekomopt.simulation.stats import (
        describe as describe,
    )
    from dekomopt.simulation.stats import (
        summarise as summarise,
    )

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
