"""Typed results of an allocation solve: status, exact amounts and their tidy views."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from dekomopt.allocation.problem import AllocationProblem


class Status(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"


@dataclass(frozen=True)
class Allocation:
    """One solved and rounded allocation of ``problem``.

    ``amounts`` are whole kroner over the amount vector: owners × themes × sectors (C order),
    then edges × themes × sectors; they add up to the budget exactly. ``lp_amounts`` are the
    unrounded LP amounts in kroner; ``row_duals`` the LP duals (objective per budget share)
    of the rows named in ``row_names``. On a failed solve amounts are zeros and
    ``status`` says why.
    """

    status: Status
    objective: float
    amounts: np.ndarray
    lp_amounts: np.ndarray
    problem: AllocationProblem = field(repr=False)
    key_shares: np.ndarray
    """k_r used for the regional key (R2/R12)."""
    solver: str
    """Solver name and version, e.g. "HiGHS 1.16.0 (highspy)"."""
    row_names: tuple[str, ...] = field(repr=False)
    row_duals: np.ndarray = field(repr=False)
    row_values: np.ndarray = field(repr=False)
    """LP values of those rows (budget shares): whether a rule binds."""
    remainder_recipient: int | None = None
    """Entry that received budget % rounding_unit_nok kroner, if the budget is not a multiple."""
    rounding_method: str = "largest_remainder"
    """"largest_remainder" (with sibling swaps), "mip" (the integer fallback) or "none" (a
    failed solve)."""

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """(owners, edges, themes, sectors)."""
        p = self.problem
        return p.n_owners, len(p.edge_region), len(p.themes), len(p.sectors)

    @property
    def owner_amounts(self) -> np.ndarray:
        """owners × themes × sectors, kroner."""
        n_i, _, n_t, n_s = self.shape
        return self.amounts[: n_i * n_t * n_s].reshape(n_i, n_t, n_s)

    @property
    def edge_amounts(self) -> np.ndarray:
        """edges × themes × sectors, kroner."""
        n_i, n_e, n_t, n_s = self.shape
        return self.amounts[n_i * n_t * n_s :].reshape(n_e, n_t, n_s)

    @property
    def owner_totals(self) -> np.ndarray:
        return self.owner_amounts.sum(axis=(1, 2))

    @property
    def region_totals(self) -> np.ndarray:
        """Owners' plus partners' funds per region, kroner."""
        p = self.problem
        owners = np.bincount(p.owner_region, self.owner_totals, p.n_regions)
        edges = np.bincount(p.edge_region, self.edge_amounts.sum(axis=(1, 2)), p.n_regions)
        return np.rint(owners + edges).astype(np.int64)

    @property
    def partner_totals(self) -> np.ndarray:
        """Funds per partner, kroner."""
        p = self.problem
        sums = np.bincount(p.edge_partner, self.edge_amounts.sum(axis=(1, 2)), p.n_partners)
        return np.rint(sums).astype(np.int64)
