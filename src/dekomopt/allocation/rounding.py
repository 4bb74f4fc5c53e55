"""Whole kroner that add up to the budget exactly and keep every rule.

Method, in units of ``rules.rounding_unit_nok`` (U):

1. Region totals: largest remainder over the regions' LP totals, so each region's amount is
   within one unit of its LP amount (its exact pro-rata share when only the FTE key is
   active). Regions whose rounded-down total would break a lower bound of their own (R2
   tolerance, R10) go up first; regions whose rounded-up total would break an upper bound
   go down.
2. Entries: inside each region, largest remainder again, so each owner's and edge's amount
   is its LP amount rounded down or up.
3. If the budget is not a multiple of U, the remaining ``budget % U`` kroner go to the
   largest entry (lowest index on ties) of the region with the largest rounded-down
   remainder; ``remainder_recipient`` reports it.
4. County-wide shares (UH minimum R3, special education R5, kindergarten R7): where one
   misses its bound, units move between siblings, two entries of one region that differ
   in that share's membership only (an owner's and an edge's amount for the same theme
   and sector, for the UH share), smallest loss of remainder first. Every entry stays its
   LP amount rounded down or up, and no region total or other share changes, so a share
   that the LP meets exactly survives rounding.
5. If a rule row (:mod:`~dekomopt.allocation.ruletable`) still misses its bound, a small
   integer program (HiGHS MIP) finds the whole-unit amounts nearest to the LP amounts that
   keep every rule, with the remainder kroner of step 3 where they were (method "mip").

Equal remainders are decided by index: the lower index rounds up first in steps 1 and 2,
and gives or takes a unit first in step 4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Status
from dekomopt.allocation.ruletable import CHECK_TOL, RuleTable, rule_table
from dekomopt.errors import SolverError

_SNAP = 1e-7
"""LP values within this many units of a whole unit are treated as that whole unit."""


@dataclass(frozen=True)
class Rounded:
    """Whole-krone amounts and how they were reached."""

    amounts: np.ndarray
    remainder_recipient: int | None
    method: str


def to_units(lp_amounts: np.ndarray, unit: int) -> np.ndarray:
    """Kroner as rounding units, snapping values within ``_SNAP`` of a whole unit."""
    q = np.maximum(lp_amounts, 0.0) / unit
    near = np.rint(q)
    return np.where(np.abs(q - near) < _SNAP, near, q)


class _Groups:
    """Items in fixed groups, ranked and rounded for many draws at once (rows are draws)."""

    def __init__(self, group: np.ndarray, n_groups: int) -> None:
        # Group sums as a sparse product: each group's items added in index order, as
        # ``np.bincount`` does, whatever the number of draws.
        m = len(group)
        self.sums = sp.csr_matrix((np.ones(m), (group, np.arange(m))), shape=(n_groups, m))
        self.order = np.argsort(group, kind="stable")
        self.group = group[self.order]
        self.start = np.searchsorted(self.group, np.arange(n_groups + 1))
        self.rank = np.arange(m) - self.start[self.group]

    def ranked(self, score: np.ndarray) -> np.ndarray:
        """Per draw, the items by group, then by ``score`` (largest first; all scores within
        an interval of length 8), then by index."""
        key = 8.0 * self.group - score[:, self.order]
        return self.order[np.argsort(key, axis=1, kind="stable")]

    def round(
        self, q: np.ndarray, totals: np.ndarray, first: np.ndarray | None = None
    ) -> np.ndarray:
        """Largest remainders: ``q`` rounded down, then up by one for the largest remainders
        of each group until it has its total (``totals``, draws × groups); items with
        ``first`` 1 go up before all others, those with −1 after all others."""
        floor = np.floor(q)
        score = q - floor if first is None else q - floor + 2.0 * first
        up = np.zeros_like(q)
        ups = (totals - (self.sums @ floor.T).T)[:, self.group]
        np.put_along_axis(up, self.ranked(score), self.rank < ups, 1)
        return floor + up


def _sibling_swaps(table: RuleTable, coef: sp.csr_matrix) -> tuple[_Groups, list[tuple]]:
    """Cells (a region's entries of one membership pattern in the county-wide share rows, R3,
    R5 and R7 with ones over several regions) and, per share row g, its members and swaps:
    (cell outside g, sibling cell inside, j) for the j-th unit moved between the two, where
    siblings are cells of one region whose patterns differ in g only."""
    region = table.region_of
    rows = [g for g, rule in enumerate(table.rule) if rule in ("R3", "R5", "R7")]
    rows = [g for g in rows if (coef[g].data == 1).all() and len(set(region[coef[g].indices])) > 1]
    inside = coef[rows].toarray() > 0
    pattern = (1 << np.arange(len(rows))) @ inside.astype(np.int64)
    keys, cell = np.unique(region << len(rows) | pattern, return_inverse=True)
    cells, swaps = _Groups(cell, len(keys)), []
    size, index = np.diff(cells.start), np.full(keys[-1] + 2 ** len(rows), -1)
    index[keys] = np.arange(len(keys))
    for k, g in enumerate(rows):
        out = np.flatnonzero(keys & 1 << k == 0)
        into = index[keys[out] | 1 << k]
        out, into = out[into >= 0], into[into >= 0]
        width = np.minimum(size[out], size[into])
        pair = np.repeat(np.arange(len(out)), width)
        j = np.arange(len(pair)) - np.repeat(np.cumsum(width) - width, width) + 1
        swaps.append((g, inside[k], out[pair], into[pair], j))
    return cells, swaps


@dataclass(frozen=True)
class Batch:
    """Many draws rounded at once (rows are draws)."""

    amounts: np.ndarray
    """Whole-krone amounts, remainder kroner included."""
    extra: np.ndarray
    """The remainder kroner (``budget % unit``) per entry."""
    recipient: np.ndarray
    """The entry that took the remainder, −1 where there was none."""
    ok: np.ndarray
    """Whether every rule row holds."""


class Rounder:
    """Steps 1–4 of the module doc for one structure: groups and rule rows prepared once.

    ``table`` gives the rule pattern and each entry's region, ``unit`` the rounding unit in
    kroner; bounds come with each call.
    """

    def __init__(self, table: RuleTable, n_regions: int, unit: int) -> None:
        self.unit, self.region = unit, table.region_of
        self.coef = table.coef.tocsr()
        self._regions = _Groups(np.zeros(n_regions, dtype=np.int64), 1)
        self._entries = _Groups(self.region, n_regions)
        self._cells, self._swaps = _sibling_swaps(table, self.coef)
        # The rows that bound a whole region's total (R2 without sector keys, R10): rows over
        # every entry of one region and no other (rows × regions).
        self._region_rows = np.flatnonzero(np.isin(table.rule, ("R2", "R10")))
        both = ((self.coef[self._region_rows] != 0) @ self._entries.sums.T).toarray()
        size = np.diff(self.coef.indptr)[self._region_rows, None]
        self._row_region = (both == size) & (both == np.diff(self._entries.start))

    def round_many(
        self,
        q: np.ndarray,
        budget: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        absent: np.ndarray | None = None,
    ) -> Batch:
        """Steps 1–4 for many draws at once: ``q`` is draws × entries (units), ``budget`` per
        draw, ``lo``/``hi`` draws × rule rows, ``absent`` draws × entries (R8) or None.
        Draws whose result still misses a rule (``ok`` False) need step 5."""
        unit, rows, of = self.unit, self._region_rows, self._row_region
        whole_units, rest = np.divmod(np.asarray(budget, dtype=np.int64), unit)
        q_region = to_units((self._entries.sums @ q.T).T, 1)
        floor_r = np.floor(q_region)
        # Regions whose total rounded down breaks a lower bound go up first; those whose
        # total rounded up breaks an upper bound, last.
        first = ((floor_r @ of.T * unit < lo[:, rows] - CHECK_TOL) @ of > 0).astype(float)
        first -= ((floor_r @ of.T + 1) * unit > hi[:, rows] + CHECK_TOL) @ of > 0
        region_units = self._regions.round(q_region, whole_units[:, None], first)
        units = self._entries.round(q, region_units)
        # The remaining kroner go to the largest entry of the region with the largest
        # rounded-down remainder (of all regions when none was rounded down).
        target = np.argmax(q_region - floor_r - 2 * (region_units > floor_r), axis=1)
        amounts = units.astype(np.int64) * unit
        recipient = np.argmax(np.where(self.region == target[:, None], amounts, -1), axis=1)
        extra = np.zeros_like(amounts)
        extra[np.arange(len(q)), recipient] = rest
        recipient[rest == 0] = -1
        amounts += extra
        ok = self.holds(amounts, lo, hi, absent)
        miss = np.flatnonzero(~ok)
        if self._swaps and len(miss):
            units = self._swap_siblings(units[miss], q[miss], extra[miss], lo[miss], hi[miss])
            amounts[miss] = units.astype(np.int64) * unit + extra[miss]
            absent = None if absent is None else absent[miss]
            ok[miss] = self.holds(amounts[miss], lo[miss], hi[miss], absent)
        return Batch(amounts, extra, recipient, ok)

    def _swap_siblings(
        self, units: np.ndarray, q: np.ndarray, extra: np.ndarray, lo: np.ndarray, hi: np.ndarray
    ) -> np.ndarray:
        """Step 4 on ``units`` (draws × entries): for each share row that misses its bound by
        d units, the d sibling swaps that lose least remainder. The j-th swap between two
        cells moves a unit from the giving cell's j-th entry rounded up (smallest remainder
        first) to the other's j-th entry rounded down with a remainder (largest first)."""
        units, floor, cells = units.copy(), np.floor(q), self._cells
        for g, inside, out, into, j in self._swaps:
            value = units[:, inside].sum(axis=1) * self.unit + extra[:, inside].sum(axis=1)
            need = np.ceil(np.maximum(lo[:, g] - CHECK_TOL - value, 0) / self.unit)
            need -= np.ceil(np.maximum(value - hi[:, g] - CHECK_TOL, 0) / self.unit)
            rows = np.flatnonzero(need)
            d, rise = np.arange(len(rows))[:, None], need[rows, None] > 0
            frac, up = q[rows] - floor[rows], units[rows] > floor[rows]
            # Each cell's candidates first, in order of use (the giving side is outside the
            # row when it must rise).
            gives = inside != rise
            candidate = np.where(gives, up, ~up & (frac > 0))
            ranked = cells.ranked(np.where(candidate, np.where(gives, -frac, frac), -2.0))
            give, take = np.where(rise, out, into), np.where(rise, into, out)
            giver = ranked[d, cells.start[give] + j - 1]
            taker = ranked[d, cells.start[take] + j - 1]
            valid = candidate[d, giver] & candidate[d, taker]
            cost = np.where(valid, frac[d, giver] - frac[d, taker], np.inf)
            rank = np.argsort(np.argsort(cost, axis=1, kind="stable"), axis=1)
            r, c = np.nonzero((rank < np.abs(need[rows, None])) & valid)
            units[rows[r], giver[r, c]] -= 1
            units[rows[r], taker[r, c]] += 1
        return units

    def holds(
        self, amounts: np.ndarray, lo: np.ndarray, hi: np.ndarray, absent: np.ndarray | None
    ) -> np.ndarray:
        """Per draw, whether every rule row holds and non-participants get nothing (R8).

        Row values are the CSR product, the same to the last bit as :meth:`RuleTable.values`.
        """
        values = np.asarray(self.coef @ amounts.T.astype(float)).T
        ok = ~((values < lo - CHECK_TOL) | (values > hi + CHECK_TOL)).any(axis=1)
        if absent is not None:
            ok &= np.where(absent, amounts, 0).sum(axis=1) <= CHECK_TOL
        return np.asarray(ok, dtype=bool)

    def round(
        self,
        q: np.ndarray,
        budget: int,
        lo: np.ndarray,
        hi: np.ndarray,
        absent: np.ndarray | None,
        table: Callable[[], RuleTable],
    ) -> Rounded:
        """Round one draw's ``q`` (units) under rule bounds ``lo``/``hi`` (steps 1–5);
        ``table`` gives the draw's whole rule table, asked for only by step 5."""
        one = None if absent is None else absent[None]
        batch = self.round_many(q[None], np.array([budget]), lo[None], hi[None], one)
        recipient = int(batch.recipient[0]) if batch.recipient[0] >= 0 else None
        if batch.ok[0]:
            return Rounded(batch.amounts[0], recipient, "largest_remainder")
        return Rounded(integer_program(table(), q, self.unit, batch.extra[0]), recipient, "mip")


def round_allocation(
    problem: AllocationProblem, lp_amounts: np.ndarray, table: RuleTable | None = None
) -> Rounded:
    """Whole-krone amounts for ``lp_amounts`` (kroner, amount-vector order); see module doc.

    Raises :class:`~dekomopt.errors.SolverError` if no rounding keeps every rule.
    """
    full = rule_table(problem) if table is None else table
    unit = int(problem.rules.rounding_unit_nok)
    q = to_units(np.asarray(lp_amounts, dtype=float), unit)
    rounder = Rounder(full, problem.n_regions, unit)
    return rounder.round(q, int(problem.budget_nok), full.lo, full.hi, None, lambda: full)


def integer_program(
    table: RuleTable, q: np.ndarray, unit: int, fixed_extra: np.ndarray
) -> np.ndarray:
    """Step 5: whole units nearest (L1) to ``q`` keeping every rule row, plus ``fixed_extra``
    kroner. Raises :class:`~dekomopt.errors.SolverError` when there are none."""
    n = len(q)
    # columns: z (units, from floor − 1 to ceil + 1), then p, m with z − q = p − m
    cost = np.r_[np.zeros(n), np.ones(2 * n)]
    lo = np.r_[np.where(q > 0, np.maximum(np.floor(q) - 1, 0), 0), np.zeros(2 * n)]
    hi = np.r_[np.where(q > 0, np.ceil(q) + 1, 0), np.full(2 * n, np.inf)]
    extra = table.values(fixed_extra)
    row_lo, row_hi = table.lo - extra - CHECK_TOL, table.hi - extra + CHECK_TOL
    rules = sp.hstack([table.coef * unit, sp.csr_matrix((table.coef.shape[0], 2 * n))])
    eye = sp.identity(n, format="csr")
    matrix = sp.vstack([rules, sp.hstack([eye, -eye, eye])]).tocsr()
    mip = HighsLP(cost, lo, hi, matrix, np.r_[row_lo, q], np.r_[row_hi, q], single_thread=False)
    mip.set_integer(np.arange(n))
    if mip.run() is not Status.OPTIMAL:
        raise SolverError("no whole-krone rounding keeps every rule; change the rounding unit")
    z = np.rint(mip.values()[:n]).astype(np.int64)
    return z * unit + fixed_extra
