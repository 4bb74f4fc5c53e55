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

Equal remainders are decided by index (lower index rounds up).
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


class _ShareRows:
    """The county-wide share rows (R3, R5, R7) and, per row, the swaps that move it alone.

    A share row counts a set of entries with coefficient one across several regions. Two
    entries of one region that differ in that row's membership only (an owner's and an
    edge's amount for the same theme and sector, say, for the UH row) are siblings: moving a
    unit between them changes that row and no other share row or region total.
    """

    RULES = ("R3", "R5", "R7")

    def __init__(self, table: RuleTable) -> None:
        coef = table.coef.tocsr()
        rows = []
        for g, rule in enumerate(table.rule):
            cols = coef.indices[coef.indptr[g] : coef.indptr[g + 1]]
            vals = coef.data[coef.indptr[g] : coef.indptr[g + 1]]
            if (
                rule in self.RULES
                and len(cols)
                and (vals == 1.0).all()
                and len(np.unique(table.region_of[cols])) > 1
            ):
                rows.append(g)
        self.rows = np.asarray(rows, dtype=np.int64)
        self.inside = coef[self.rows].toarray() > 0 if rows else np.zeros((0, coef.shape[1]))
        bits = (self.inside.T.astype(np.int64) << np.arange(len(rows))).sum(axis=1)
        # Per row: the sibling class of each entry (its region and its other memberships).
        self.siblings = [
            table.region_of * 2 ** len(rows) + (bits & ~(1 << k)) for k in range(len(rows))
        ]

        # Per row and direction, the fixed layout of candidate swaps: entries that may give
        # a unit (outside the row when it must rise) and that may take one, each sorted by
        # sibling class, and the pair slots (class, i) matching the i-th of each.
        self.layouts = [
            (_SwapLayout(~inside, inside, sib), _SwapLayout(inside, ~inside, sib))
            for inside, sib in zip(self.inside, self.siblings, strict=True)
        ]

    def fix_many(
        self,
        units: np.ndarray,
        q: np.ndarray,
        unit: int,
        extra: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
    ) -> np.ndarray:
        """``units`` (draws × entries) with sibling swaps, cheapest first, for each share row
        that misses its bound; ``extra`` (kroner) is added to the amounts before checking."""
        floor = np.floor(q)
        frac = q - floor
        units = units.copy()
        for k, g in enumerate(self.rows):
            inside = self.inside[k]
            value = units[:, inside].sum(axis=1) * unit + extra[:, inside].sum(axis=1)
            low = value < lo[:, g] - CHECK_TOL
            high = ~low & (value > hi[:, g] + CHECK_TOL)
            for rows, d, layout in (
                (np.flatnonzero(low), (lo[:, g] - CHECK_TOL - value) / unit, self.layouts[k][0]),
                (np.flatnonzero(high), (value - hi[:, g] - CHECK_TOL) / unit, self.layouts[k][1]),
            ):
                if len(rows):
                    layout.swap(units, rows, np.ceil(d[rows]), floor, frac)
        return units


class _SwapLayout:
    """Swaps that move units from ``give_set`` entries to ``take_set`` entries of the same
    sibling class, laid out once so that many draws are handled by array operations."""

    def __init__(self, give_set: np.ndarray, take_set: np.ndarray, sibling: np.ndarray) -> None:
        self.give = _ClassBlocks(np.flatnonzero(give_set), sibling)
        self.take = _ClassBlocks(np.flatnonzero(take_set), sibling)
        classes = np.intersect1d(self.give.classes, self.take.classes)
        gi = np.searchsorted(self.give.classes, classes)
        ti = np.searchsorted(self.take.classes, classes)
        width = np.minimum(self.give.size[gi], self.take.size[ti])
        slot_class = np.repeat(np.arange(len(classes)), width)
        rank = np.arange(len(slot_class)) - np.repeat(np.cumsum(width) - width, width)
        self.give_pos = self.give.start[gi][slot_class] + rank
        self.take_pos = self.take.start[ti][slot_class] + rank
        self.give_block = gi[slot_class]
        self.take_block = ti[slot_class]
        self.rank = rank

    def swap(
        self,
        units: np.ndarray,
        rows: np.ndarray,
        d: np.ndarray,
        floor: np.ndarray,
        frac: np.ndarray,
    ) -> None:
        """In each of ``rows``, make the ``d`` cheapest swaps (in place)."""
        if not len(self.rank):
            return
        u, fl, fr = units[rows], floor[rows], frac[rows]
        up = u > fl
        give, n_give = self.give.order(~up, fr, up)
        take, n_take = self.take.order(up | (fr <= 0), 1 - fr, ~up & (fr > 0))
        g = np.take_along_axis(give, np.broadcast_to(self.give_pos, (len(rows), len(self.rank))), 1)
        t = np.take_along_axis(take, np.broadcast_to(self.take_pos, (len(rows), len(self.rank))), 1)
        valid = (self.rank < n_give[:, self.give_block]) & (self.rank < n_take[:, self.take_block])
        cost = np.where(valid, np.take_along_axis(fr, g, 1) - np.take_along_axis(fr, t, 1), np.inf)
        order = np.argsort(cost, axis=1, kind="stable")
        chosen = (np.arange(len(self.rank)) < d[:, None]) & np.isfinite(
            np.take_along_axis(cost, order, 1)
        )
        r, c = np.nonzero(chosen)
        slot = order[r, c]
        units[rows[r], g[r, slot]] -= 1
        units[rows[r], t[r, slot]] += 1


class _ClassBlocks:
    """Entries grouped by class in blocks (index order inside each block)."""

    def __init__(self, entries: np.ndarray, sibling: np.ndarray) -> None:
        cls = sibling[entries]
        order = np.argsort(cls, kind="stable")
        self.entries = entries[order]
        self.key = cls[order]
        self.classes, self.start, self.size = np.unique(
            self.key, return_index=True, return_counts=True
        )
        self.class_key = 4.0 * np.repeat(np.arange(len(self.classes)), self.size)

    def order(
        self, last: np.ndarray, value: np.ndarray, candidate: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per row, the block entries sorted by class, then ``last`` (False first), then
        ``value`` (in [0, 1]), then index; and each row's number of candidates per class."""
        e = self.entries
        key = self.class_key + 2.0 * last[:, e] + value[:, e]
        order = np.argsort(key, axis=1, kind="stable")
        counts = np.add.reduceat(candidate[:, e].astype(np.int64), self.start, axis=1)
        return e[order], counts


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
        self.unit = unit
        self.region = table.region_of
        self.n_regions = n_regions
        self.coef = table.coef.tocsr()
        self._by_region = np.argsort(self.region, kind="stable")
        self._sorted_region = self.region[self._by_region]
        self._starts = np.searchsorted(self._sorted_region, np.arange(n_regions))
        # Region sums as a sparse product: each region's entries added in index order, as
        # ``np.bincount`` does, whatever the number of draws.
        m = len(self.region)
        self._sum = sp.csr_matrix((np.ones(m), (self.region, np.arange(m))), shape=(n_regions, m))
        self._rank = np.arange(len(self.region)) - self._starts[self._sorted_region]
        self._region_key = 2.0 * self._sorted_region
        shares = _ShareRows(table)
        self.shares = shares if len(shares.rows) else None
        # The rows that bound a whole region's total (R2 without sector keys, R10): rows over
        # every entry of one region; and that region.
        rows = np.flatnonzero(np.isin(table.rule, ("R2", "R10")))
        size = self.coef.indptr[rows + 1] - self.coef.indptr[rows]
        rows, size = rows[size > 0], size[size > 0]
        region = table.region_of[self.coef.indices[self.coef.indptr[rows]]]
        whole = size == np.bincount(table.region_of)[region]
        self._region_rows, self._row_region = rows[whole], region[whole]
        self.bounded = len(self._region_rows) > 0

    def region_bounds(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Tightest bounds on each region's total (draws × regions) from the rows that sum a
        whole region; ``lo``/``hi`` are draws × rule rows."""
        shape = (len(lo), self.n_regions)
        region_lo, region_hi = np.full(shape, -np.inf), np.full(shape, np.inf)
        # Transposed views: regions first, so that ``at`` updates each region's column.
        np.maximum.at(region_lo.T, self._row_region, lo[:, self._region_rows].T)
        np.minimum.at(region_hi.T, self._row_region, hi[:, self._region_rows].T)
        return region_lo, region_hi

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
        n_r, unit = self.n_regions, self.unit
        by_region = self._by_region
        whole_units, rest = np.divmod(np.asarray(budget, dtype=np.int64), unit)
        q_region = self._region_sums(q)
        near = np.rint(q_region)
        q_region = np.where(np.abs(q_region - near) < _SNAP, near, q_region)
        floor_r = np.floor(q_region)
        frac_r = q_region - floor_r
        ups = (whole_units - floor_r.sum(axis=1))[:, None]
        priority = np.zeros_like(frac_r)
        if self.bounded:
            region_lo, region_hi = self.region_bounds(lo, hi)
            priority = (floor_r * unit < region_lo - CHECK_TOL).astype(float)
            priority -= (floor_r + 1) * unit > region_hi + CHECK_TOL
            order_r = np.lexsort((-frac_r, -priority), axis=-1)
        else:
            order_r = np.argsort(-frac_r, axis=1, kind="stable")
        region_up = np.zeros_like(floor_r)
        np.put_along_axis(region_up, order_r, (np.arange(n_r) < ups).astype(float), 1)
        region_units = floor_r + region_up

        floor_q = np.floor(q)
        frac = q - floor_q
        entry_ups = region_units - self._region_sums(floor_q)
        # Sorted by region, then by remainder, largest first (a stable sort: lower index first
        # on equal remainders); the region number is twice the key's integer part.
        order = np.argsort(self._region_key - frac[:, by_region], axis=1, kind="stable")
        up = np.zeros_like(q)
        np.put_along_axis(up, by_region[order], self._rank < entry_ups[:, self._sorted_region], 1)
        units = floor_q + up

        # The remaining kroner go to the largest entry of the region with the largest
        # rounded-down remainder (of all regions when none was rounded down).
        floored = region_units == floor_r
        floored |= ~floored.any(axis=1, keepdims=True)
        target = np.argmax(np.where(floored, frac_r, -np.inf), axis=1)
        amounts = units.astype(np.int64) * unit
        in_target = self.region[None, :] == target[:, None]
        recipient = np.argmax(np.where(in_target, amounts, -1), axis=1)
        extra = np.zeros_like(amounts)
        has_rest = np.flatnonzero(rest)
        extra[has_rest, recipient[has_rest]] = rest[has_rest]
        recipient = np.where(rest > 0, recipient, -1)
        amounts += extra
        ok = self.holds(amounts, lo, hi, absent)
        if self.shares is not None and not ok.all():
            # A county-wide share missed: sibling swaps restore it (step 4).
            miss = np.flatnonzero(~ok)
            units[miss] = self.shares.fix_many(
                units[miss], q[miss], unit, extra[miss], lo[miss], hi[miss]
            )
            amounts[miss] = units[miss].astype(np.int64) * unit + extra[miss]
            ok[miss] = self.holds(
                amounts[miss], lo[miss], hi[miss], None if absent is None else absent[miss]
            )
        return Batch(amounts, extra, recipient, ok)

    def _region_sums(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self._sum @ x.T).T

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
        batch = self.round_many(
            q[None, :],
            np.array([budget]),
            lo[None, :],
            hi[None, :],
            None if absent is None else absent[None, :],
        )
        recipient = int(batch.recipient[0]) if batch.recipient[0] >= 0 else None
        if batch.ok[0]:
            return Rounded(batch.amounts[0], recipient, "largest_remainder")
        amounts = integer_program(table(), q, self.unit, batch.extra[0])
        return Rounded(amounts, recipient, "mip")


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
    lower = np.where(q > 0, np.maximum(np.floor(q) - 1, 0), 0)
    upper = np.where(q > 0, np.ceil(q) + 1, 0)
    # columns: z (units), then p, m with z − q = p − m
    cost = np.r_[np.zeros(n), np.ones(2 * n)]
    lo = np.r_[lower, np.zeros(2 * n)]
    hi = np.r_[upper, np.full(2 * n, np.inf)]
    extra = table.values(fixed_extra)
    row_lo = np.where(np.isfinite(table.lo), table.lo - extra - CHECK_TOL, -np.inf)
    row_hi = np.where(np.isfinite(table.hi), table.hi - extra + CHECK_TOL, np.inf)
    rules = sp.hstack([table.coef * unit, sp.csr_matrix((table.coef.shape[0], 2 * n))])
    eye = sp.identity(n, format="csr")
    distance = sp.hstack([eye, -eye, eye])
    mip = HighsLP(
        cost,
        lo,
        hi,
        sp.vstack([rules, distance]).tocsr(),
        np.r_[row_lo, q],
        np.r_[row_hi, q],
        single_thread=False,
    )
    mip.set_integer(np.arange(n))
    if mip.run() is not Status.OPTIMAL:
        raise SolverError("no whole-krone rounding keeps every rule; change the rounding unit")
    z = np.rint(mip.values()[:n]).astype(np.int64)
    return z * unit + fixed_extra
