"""Monte Carlo fairness simulation: perturbed inputs, warm re-solves, metrics, statistics.

``simulate`` runs a scenario's ``[uncertainty]`` draws (locally or on Dask) into a folder of
Parquet tables, a summary and figures, scoring them with :class:`dekomopt.metrics.MetricsEngine`;
``sensitivity`` gives Sobol indices of the fairness metrics with respect to the rule
parameters of the scenario's ``[sensitivity]`` table.

Names are imported from their modules when first used, so that a worker process imports
only the chunk engine.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "draws": ["DrawInputs", "Perturber"],
        "engine": ["ChunkEngine", "ChunkResult", "ChunkSpec", "Job"],
        "runner": ["SimulationResult", "chunk_specs", "simulate"],
        "sobol": ["sensitivity", "write_sensitivity"],
        "stats": ["converged", "describe", "summarise"],
    },
)
