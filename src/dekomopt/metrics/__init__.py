"""Fairness metrics of allocations: one definition of each, vectorised over draws × owners.

:class:`MetricsEngine` scores many allocations of one region structure at once (the Monte
Carlo), :func:`score_allocation` one structure's allocation (``structures``); the plain
functions below are the same definitions for one allocation, taking NumPy arrays per owner
(weights are teacher FTEs). Undefined values are NaN and floating-point noise around 0 is 0
(:mod:`.inequality`, :mod:`.noise`).
"""

from dekomopt.metrics.engine import (
    UNITLESS,
    MetricsEngine,
    Scores,
    StructureScores,
    score_allocation,
)
from dekomopt.metrics.funding import net_funding_per_fte
from dekomopt.metrics.groups import DEFAULT_SIZE_THRESHOLDS, GroupGap, group_gap, size_class
from dekomopt.metrics.inequality import THEIL_FLOOR, TheilSplit, gini, theil_decomposition, theil_t
from dekomopt.metrics.needs import need_match, region_theme_choice
from dekomopt.metrics.noise import ZERO_TOLERANCE, snap_zero
from dekomopt.metrics.power import RESOLUTION_FTE, banzhaf, banzhaf_fte, region_power
from dekomopt.metrics.regions import region_totals
from dekomopt.metrics.travel import fte_weighted_distance

__all__ = [
    "DEFAULT_SIZE_THRESHOLDS",
    "RESOLUTION_FTE",
    "THEIL_FLOOR",
    "UNITLESS",
    "ZERO_TOLERANCE",
    "GroupGap",
    "MetricsEngine",
    "Scores",
    "StructureScores",
    "TheilSplit",
    "banzhaf",
    "banzhaf_fte",
    "fte_weighted_distance",
    "gini",
    "group_gap",
    "need_match",
    "net_funding_per_fte",
    "region_power",
    "region_theme_choice",
    "region_totals",
    "score_allocation",
    "size_class",
    "snap_zero",
    "theil_decomposition",
    "theil_t",
]
