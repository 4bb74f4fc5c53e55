"""The allocation engine: the rule-complete LP that shares a grant, exact to the krone.

``solve`` solves one problem; ``FastAllocator`` re-solves the same LP warm for Monte Carlo
and sensitivity runs. Both round with ``round_allocation`` and return an ``Allocation``;
``rule_report`` checks every rule row and says which bind, ``find_conflicts`` names the rules
that clash when there is no solution, and ``alternatives`` finds near-optimal proposals that
differ from the optimum. ``pulp_model`` (in :mod:`dekomopt.allocation.pulp_model`, which
imports PuLP) states the same LP readably.
"""

from dekomopt.allocation.conflicts import find_conflicts
from dekomopt.allocation.fast import FastAllocator, solve
from dekomopt.allocation.mga import Alternative, Alternatives, alternatives
from dekomopt.allocation.outcome import RuleCheck, rule_report
from dekomopt.allocation.problem import THEMES, AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.rounding import Rounded, round_allocation
from dekomopt.allocation.rules.r04_cofinancing import required_cofinancing

__all__ = [
    "THEMES",
    "Allocation",
    "AllocationProblem",
    "Alternative",
    "Alternatives",
    "FastAllocator",
    "Rounded",
    "RuleCheck",
    "Status",
    "alternatives",
    "find_conflicts",
    "required_cofinancing",
    "round_allocation",
    "rule_report",
    "solve",
]
