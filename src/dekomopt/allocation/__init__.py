"""The allocation engine: the rule-complete LP that shares a grant, exact to the krone.

``solve`` is the reference path (PuLP + HiGHS); ``FastAllocator`` re-solves the same LP warm
for Monte Carlo and sensitivity runs. Both round with ``round_allocation`` and return an
``Allocation``; ``rule_report`` explains which rules bind, ``find_conflicts`` names the
rules that clash when there is no solution, and ``alternatives`` finds near-optimal
proposals that differ from the optimum.
"""

from dekomopt.allocation.alternatives import Alternative, alternatives
from dekomopt.allocation.conflicts import find_conflicts
from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.lp import solve
from dekomopt.allocation.problem import THEMES, AllocationProblem, Rules
from dekomopt.allocation.report import required_cofinancing, rule_report
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.rounding import Rounded, round_allocation

__all__ = [
    "THEMES",
    "Allocation",
    "AllocationProblem",
    "Alternative",
    "FastAllocator",
    "Rounded",
    "Rules",
    "Status",
    "alternatives",
    "find_conflicts",
    "required_cofinancing",
    "round_allocation",
    "rule_report",
    "solve",
]
