"""Fairness metrics of one allocation on one region structure: plain functions of NumPy arrays.

Arrays are per owner unless a function says otherwise; weights are teacher FTEs.
"""

from dekomopt.metrics.funding import net_funding_per_fte
from dekomopt.metrics.groups import DEFAULT_SIZE_THRESHOLDS, GroupGap, group_gap, size_class
from dekomopt.metrics.inequality import TheilSplit, gini, theil_decomposition, theil_t
from dekomopt.metrics.needs import need_match, region_theme_choice
from dekomopt.metrics.power import banzhaf, banzhaf_fte, region_power
from dekomopt.metrics.regions import region_totals
from dekomopt.metrics.travel import fte_weighted_distance

__all__ = [
    "DEFAULT_SIZE_THRESHOLDS",
    "GroupGap",
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
    "size_class",
    "theil_decomposition",
    "theil_t",
]
