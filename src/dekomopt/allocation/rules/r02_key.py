"""R2 (with R12's weights in the key): each region's total near its key share of the budget.

The LP row ``R2_key_<region>`` defines the deviations: region total − above + below = k_r
(the objective minimises above + below). With ``key_tolerance`` set, ``R2_key_hi/lo`` cap
them at tolerance × k_r; the whole-krone check allows the tolerance and, in any case, less
than one rounding unit either side of k_r·B. Tolerance 0 with a rounding unit of 1 kr is
strictly pro rata: the check rows hold each region's amount to its key share of the budget
rounded to the krone by largest remainder (lower index first on equal remainders).

With sector keys (kindergarten staff given in the 2026 regime,
:func:`~dekomopt.allocation.keys.key_sectors`) the same rows exist per sector and region,
``R2_key_<sector>_<region>``: the region's funds of sector s against k_{s,r} · z_s, its key
share of that sector's part z_s of the budget (R7; the keys:
:mod:`~dekomopt.allocation.keys`). Strictly pro rata, the budget's kroner are split between
the sectors by largest remainder of z_s·B, then each sector's kroner between the regions by
largest remainder of k_{s,r}·z_s·B. With a larger unit each amount is its target rounded
down or up.
"""

from __future__ import annotations

import numpy as np

from dekomopt.allocation.keys import key_sectors, sector_shares
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.allocation.rules.base import (
    Bound,
    CheckRows,
    Draws,
    LpRows,
    Names,
    Params,
    Rule,
    Space,
    deviation_rows,
    rows_of,
)


def largest_remainder(quota: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Whole numbers along the last axis of ``quota`` adding up to ``total`` (one per row):
    each quota rounded down, then up for the largest remainders (lower index first)."""
    floor = np.floor(quota)
    ups = np.rint(total - floor.sum(axis=-1))[..., None]
    order = np.argsort(floor - quota, axis=-1, kind="stable")
    up = np.zeros_like(floor)
    np.put_along_axis(up, order, (np.arange(quota.shape[-1]) < ups).astype(float), -1)
    return floor + up


def within_unit(target: np.ndarray, unit: int) -> tuple[np.ndarray, np.ndarray]:
    """Whole-krone bounds strictly less than one rounding unit either side of ``target``: an
    amount the LP sets to a share of the budget need not be a whole multiple of the unit."""
    return np.floor(target - unit) + 1, np.ceil(target + unit) - 1


class Key(Rule):
    id = "R2"
    name = "regional key tolerance"

    def _names(self, s: Space, prefix: str) -> Names:
        sectors, rids = key_sectors(s.problem), s.problem.region_ids
        if not sectors:
            return s.region_names(prefix)
        return lambda: [f"{prefix}_{x}_{r}" for x in sectors for r in rids]

    def _row(self, s: Space, region: np.ndarray, sector: np.ndarray) -> np.ndarray:
        """Each column's or entry's key row: its region, or sector × region."""
        keyed = bool(key_sectors(s.problem))
        return sector * s.problem.n_regions + region if keyed else region

    def _target(self, s: Space, d: Draws) -> np.ndarray:
        """Budget shares the key rows aim at (draws × key rows)."""
        if not key_sectors(s.problem):
            return d.facts.key
        z = sector_shares(s.problem)
        return (d.facts.sector_key * z[None, :, None]).reshape(d.n, -1)

    def lp_rows(self, s: Space) -> list[LpRows]:
        n = s.key_rows
        rows, dev = np.arange(n), s.dev + np.arange(n)
        row = self._row(s, s.funds_region, s.funds_sector)
        out = [deviation_rows("R2_key", self._names(s, "R2_key"), row, s.funds, s.dev, n)]
        if s.problem.rules.key_tolerance is not None:
            out += [
                LpRows("R2_key_hi", self._names(s, "R2_key_hi"), rows, dev, 1.0, n),
                LpRows("R2_key_lo", self._names(s, "R2_key_lo"), rows, dev + n, 1.0, n),
            ]
        return out

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        k = self._target(s, d)
        bounds = [(k, k)]
        tol = s.problem.rules.key_tolerance
        if tol is not None:
            free = rows_of(d.n, -np.inf, k.shape[1])
            bounds += [(free, tol * k), (free, tol * k)]
        return bounds

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        if s.problem.rules.key_tolerance is None:
            return []
        n, row = s.key_rows, self._row(s, s.entry_region, s.entry_sector)
        return [
            CheckRows("R2_key_hi", self._names(s, "R2_key_hi"), row, 1.0, n),
            CheckRows("R2_key_lo", self._names(s, "R2_key_lo"), row, 1.0, n),
        ]

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        rules = s.problem.rules
        if rules.key_tolerance is None:
            return []
        tol = rules.key_tolerance
        target = self._target(s, d) * d.budget[:, None]
        if tol == 0 and rules.rounding_unit_nok == 1:
            exact = self._pro_rata(s, d)
            return [(-np.full_like(exact, np.inf), exact), (exact, np.full_like(exact, np.inf))]
        lo, hi = within_unit(target, rules.rounding_unit_nok)
        free = np.full_like(target, np.inf)
        return [
            (-free, np.maximum((1 + tol) * target, hi)),
            (np.minimum((1 - tol) * target, lo), free),
        ]

    def _pro_rata(self, s: Space, d: Draws) -> np.ndarray:
        """Whole kroner per key row, strictly pro rata (draws × key rows, see the module doc)."""
        budget = d.budget[:, None]
        if not key_sectors(s.problem):
            return largest_remainder(d.facts.key * budget, d.budget)
        z = sector_shares(s.problem)
        part = largest_remainder(z[None, :] * budget, d.budget)
        quota = d.facts.sector_key * (z[None, :] * budget)[:, :, None]
        return largest_remainder(quota, part).reshape(d.n, -1)

    def params(self, name: str, s: Space, d: Draws, allocation: Allocation) -> Params:
        """``sector`` (R2_key_hi_<sector>_<region>) with sector keys, and ``key_widened_nok``
        where the bound one rounding unit less a krone widens beyond the tolerance under the
        data ``d`` (whole units cannot come closer to the key amount)."""
        rules, out = s.problem.rules, Params()
        if key_sectors(s.problem):
            out["sector"] = name.split("_")[3]
        if rules.key_tolerance is not None and rules.rounding_unit_nok > 1:
            names = [*self._names(s, "R2_key_hi")(), *self._names(s, "R2_key_lo")()]
            target = np.tile(self._target(s, d)[0] * d.budget[0], 2)[names.index(name)]
            if rules.rounding_unit_nok - 1 > rules.key_tolerance * target:
                out["key_widened_nok"] = rules.rounding_unit_nok - 1
        return out

    def describe(self, problem: AllocationProblem) -> str:
        tol = problem.rules.key_tolerance
        if key_sectors(problem):
            return (
                f"the key tolerance of ±{tol:.0%} around each region's key share of each sector "
                "(kindergarten by kindergarten staff, school by teacher FTEs)"
            )
        return f"the key tolerance of ±{tol:.0%} around each region's key share"
