"""The county model (owners, regions, partners, graph) built from a scenario and bundled data.

Names are imported from their modules when first used (the county data need pandas and
networkx; a worker process given a ready problem needs neither).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "build": ["build_county"],
        "model": ["County"],
        "problem": ["allocation_problem", "rules_of"],
    },
)
