"""The allocation engine: the rule-complete LP that shares a grant, exact to the krone.

``solve`` is the reference path (PuLP + HiGHS); ``FastAllocator`` re-solves the same LP warm
for Monte Carlo and sensitivity runs. Both round with ``round_allocation`` and return an
``Allocation``; ``rule_report`` explains which rules bind, ``find_conflicts`` names the
rules that clash when there is no solution, and ``alternatives`` finds near-optimal
proposals that differ from the optimum.

Names are imported from their modules when first used, so that a worker process that needs
only the fast path does not import PuLP and pandas.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "conflicts": ["find_conflicts"],
        "fast": ["FastAllocator"],
        "lp": ["solve"],
        "mga": ["Alternative", "alternatives"],
        "problem": ["THEMES", "AllocationProblem", "Rules"],
        "report": ["required_cofinancing", "rule_report"],
        "result": ["Allocation", "Status"],
        "rounding": ["Rounded", "round_allocation"],
    },
)
