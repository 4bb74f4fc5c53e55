"""R2 (with R12's weights in the key): each region's total near its key share of the budget.

The LP row ``R2_key_<region>`` defines the deviations: region total − above + below = k_r
(the objective minimises above + below). With ``key_tolerance`` set, ``R2_key_hi/lo`` cap
them at tolerance × k_r; the whole-krone check allows the tolerance and, in any case, less
than one rounding unit either side of k_r·B, so tolerance 0 means the key share rounded by
largest remainder.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules.base import (
    Bound,
    CheckRows,
    Draws,
    LpRows,
    Rule,
    Space,
    deviation_rows,
    rows_of,
)


def within_unit(target: np.ndarray, unit: int) -> tuple[np.ndarray, np.ndarray]:
    """Whole-krone bounds strictly less than one rounding unit either side of ``target``: an
    amount the LP sets to a share of the budget need not be a whole multiple of the unit."""
    return np.floor(target - unit) + 1, np.ceil(target + unit) - 1


class Key(Rule):
    id = "R2"
    name = "regional key tolerance"
    words = {
        "nb": "Hver region får sin andel etter fordelingsnøkkelen, innenfor toleransen.",
        "nn": "Kvar region får sin del etter fordelingsnøkkelen, innanfor toleransen.",
        "en": "Each region receives its key share, within the tolerance.",
    }

    def lp_rows(self, s: Space) -> list[LpRows]:
        n_r = s.problem.n_regions
        regions, dev = np.arange(n_r), s.dev + np.arange(n_r)
        rows = [
            deviation_rows("R2_key", s.region_names("R2_key"), s.funds_region, s.funds, s.dev, n_r)
        ]
        if s.problem.rules.key_tolerance is not None:
            rows += [
                LpRows("R2_key_hi", s.region_names("R2_key_hi"), regions, dev, 1.0, n_r),
                LpRows("R2_key_lo", s.region_names("R2_key_lo"), regions, dev + n_r, 1.0, n_r),
            ]
        return rows

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        k = d.facts.key
        bounds = [(k, k)]
        tol = s.problem.rules.key_tolerance
        if tol is not None:
            free = rows_of(d.n, -np.inf, k.shape[1])
            bounds += [(free, tol * k), (free, tol * k)]
        return bounds

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        if s.problem.rules.key_tolerance is None:
            return []
        n_r = s.problem.n_regions
        return [
            CheckRows(s.region_names("R2_key_hi"), s.entry_region, 1.0, n_r),
            CheckRows(s.region_names("R2_key_lo"), s.entry_region, 1.0, n_r),
        ]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        rules = s.problem.rules
        if rules.key_tolerance is None:
            return []
        tol = rules.key_tolerance
        target = d.facts.key * d.budget[:, None]
        lo, hi = within_unit(target, rules.rounding_unit_nok)
        free = np.full_like(target, np.inf)
        return [
            (-free, np.maximum((1 + tol) * target, hi)),
            (np.minimum((1 - tol) * target, lo), free),
        ]

    def describe(self, problem: AllocationProblem) -> str:
        tol = problem.rules.key_tolerance
        return f"the key tolerance of ±{tol:.0%} around each region's key share"
