"""R4: an owner receives no more than its co-financing capacity allows.

An owner pays ``cofinancing_share`` of what it receives; where it reports a capacity, that
share of its state funds is at most the capacity. :func:`required_cofinancing` gives the
amount each owner must pay, to the krone.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from dekomopt.allocation.keys import key_sectors
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.allocation.rules.base import (
    Bound,
    CheckRows,
    Draws,
    LpRows,
    Params,
    Rule,
    Space,
    rows_of,
)
from dekomopt.formats import format_nok


class Cofinancing(Rule):
    id = "R4"
    name = "owner co-financing capacity"
    in_kroner = True

    def on(self, problem: AllocationProblem) -> bool:
        cap = np.asarray(problem.owner_cofin_capacity, dtype=float)
        return problem.rules.cofinancing_share > 0 and bool(np.isfinite(cap).any())

    def _names(self, s: Space):
        return lambda: [f"R4_cofin_{o}" for o in s.problem.owner_ids]

    def lp_rows(self, s: Space) -> list[LpRows]:
        p = s.problem
        n_i = p.n_owners
        if s.by_owner:
            return [LpRows("R4", self._names(s), s.funds_unit[s.own], s.own, 1.0, n_i)]
        # The owner's funds are fte_i/FTE_r of its region's owners' columns.
        per = len(p.themes) * len(p.sectors)
        region = np.asarray(p.owner_region, dtype=np.int64)
        cols = (region[:, None] * per + np.arange(per)).ravel()
        return [LpRows("R4", self._names(s), np.repeat(np.arange(n_i), per), cols, 1.0, n_i)]

    def _kroner_per_share(self, s: Space, d: Draws) -> np.ndarray:
        """Kroner of an owner's co-financing per budget share of its LP row (draws × owners)."""
        scale = s.problem.rules.cofinancing_share * d.budget[:, None]
        if s.by_owner:
            return np.broadcast_to(scale, (d.n, s.problem.n_owners))
        # One row sums all sectors, so the owner's part must be one share for every sector.
        if key_sectors(s.problem):
            raise ValueError("co-financing (R4) with sector keys needs owner_split = 'free'")
        return scale * d.facts.owner_share[:, :, 0]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        cap = d.cofin_capacity
        scale = self._kroner_per_share(s, d)
        hi = np.divide(cap, scale, out=np.full(cap.shape, np.inf), where=scale > 0)
        hi[np.isinf(cap)] = np.inf
        return [(rows_of(d.n, -np.inf, cap.shape[1]), hi)]

    def lp_per_nok(self, s: Space, d: Draws) -> list[np.ndarray]:
        scale = self._kroner_per_share(s, d)
        return [np.divide(1.0, scale, out=np.zeros(scale.shape), where=scale > 0)]

    def blocks(self, s: Space) -> list[CheckRows]:
        c = s.problem.rules.cofinancing_share
        return [CheckRows("R4", self._names(s), s.entry_owner, c, s.problem.n_owners)]

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        cap = d.cofin_capacity
        return [(rows_of(d.n, -np.inf, cap.shape[1]), cap)]

    def shown(
        self, name: str, value: float, bound: float, allocation: Allocation
    ) -> tuple[float, float]:
        """The owner's required egenandel in whole kroner (:func:`required_cofinancing`)
        against its capacity."""
        owner = allocation.problem.owner_ids.index(name.removeprefix("R4_cofin_"))
        return float(required_cofinancing(allocation.problem, allocation)[owner]), bound

    def params(self, name: str, s: Space, d: Draws, allocation: Allocation) -> Params:
        return {"required_cofinancing_nok": self.shown(name, 0.0, 0.0, allocation)[0]}

    def describe(self, problem: AllocationProblem) -> str:
        c = problem.rules.cofinancing_share
        limit = np.nansum(np.asarray(problem.owner_cofin_capacity, float)) / c
        return (
            f"the owners' co-financing capacity ({c:.0%} own share; "
            f"owners with a cap can take at most {format_nok(limit)} together)"
        )


def required_cofinancing(problem: AllocationProblem, allocation: Allocation) -> np.ndarray:
    """R4: each owner's required own contribution, kroner.

    The total is ``cofinancing_share`` × the owners' total, rounded half up to the krone;
    each owner pays its exact share rounded down, and the kroner left go one each to the
    owners with the largest fractions (lower index first on equal fractions). So the amounts
    add up to the total exactly and no owner pays more than one krone above its exact share.
    """
    share = Fraction(repr(float(problem.rules.cofinancing_share)))
    totals = [int(a) for a in allocation.owner_totals]
    exact = [share * a for a in totals]
    floor = np.array([int(e) for e in exact], dtype=np.int64)
    total = int(share * sum(totals) + Fraction(1, 2))
    fraction = np.array([float(e - int(e)) for e in exact])
    extra = total - int(floor.sum())
    order = np.argsort(-fraction, kind="stable")
    floor[order[:extra]] += 1
    return floor
