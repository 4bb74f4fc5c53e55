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
   If a rule row still misses its bound, entries that help it get priority and steps 2
   and 4 are repeated (a few passes).
5. Check every rule row (:mod:`~dekomopt.allocation.ruletable`). When one is broken, swap
   units between two entries of the same region — keeping every region total — while
   that reduces the total violation.
6. If swaps cannot repair it, a small integer program (HiGHS MIP) finds the whole-unit
   amounts nearest to the LP amounts that keep every rule.

Equal remainders are decided by index (lower index rounds up); such entries are listed in
``ties``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Status
from dekomopt.allocation.ruletable import CHECK_TOL, RuleTable, rule_table
from dekomopt.errors import SolverError

_PRIORITY_PASSES = 3
"""Re-roundings with priority to entries that help a missed rule, before swapping units."""

_SNAP = 1e-7
"""LP values within this many units of a whole unit are treated as that whole unit."""


@dataclass(frozen=True)
class Rounded:
    """Whole-krone amounts and how they were reached."""

    amounts: np.ndarray
    ties: tuple[int, ...]
    remainder_recipient: int | None
    method: str


def to_units(lp_amounts: np.ndarray, unit: int) -> np.ndarray:
    """Kroner as rounding units, snapping values within ``_SNAP`` of a whole unit."""
    q = np.maximum(lp_amounts, 0.0) / unit
    near = np.rint(q)
    return np.where(np.abs(q - near) < _SNAP, near, q)


class _Groups:
    """A fixed grouping of entries, sorted once: the rank of each sorted position in its
    group does not depend on the values later sorted within the groups."""

    def __init__(self, group: np.ndarray, n_groups: int) -> None:
        self.group = group
        self.size = np.bincount(group, minlength=n_groups)
        self.start = np.r_[0, np.cumsum(self.size)[:-1]]
        self.sorted = np.sort(group, kind="stable")
        self.rank = np.arange(len(group)) - self.start[self.sorted]
        self.neighbours = self.sorted[1:] == self.sorted[:-1]

    def largest_remainder(
        self, q: np.ndarray, ups: np.ndarray, priority: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Round ``q`` down, then up for the ``ups[g]`` entries of each group with the largest
        remainders (``priority`` first, lower index on ties). Returns the units and the mask
        of entries tied at a group's cut (None when there is no tie)."""
        floor = np.floor(q)
        frac = q - floor
        # lexsort is stable, so equal keys keep index order: lower index first.
        if priority is None:
            order = np.lexsort((-frac, self.group))
        else:
            order = np.lexsort((-frac, -priority, self.group))
        floor[order[self.rank < ups[self.sorted]]] += 1
        # A tie needs two equal positive remainders next to each other in one group's order.
        ranked = frac[order]
        equal = ranked[1:] == ranked[:-1]
        equal &= self.neighbours
        equal &= ranked[1:] > 0
        if not equal.any():
            return floor, None
        ties = np.zeros(len(q), dtype=bool)
        # A tie: equal priority and remainder on both sides of a group's cut.
        cut = (ups >= 1) & (ups < self.size)
        last_up = (self.start[cut] + ups[cut] - 1).astype(np.int64)
        a, b = order[last_up], order[last_up + 1]
        same = (frac[b] == frac[a]) & (frac[a] > 0)
        if priority is not None:
            same &= priority[b] == priority[a]
        for j in a[same]:
            tied = (self.group == self.group[j]) & (frac == frac[j])
            if priority is not None:
                tied &= priority == priority[j]
            ties |= tied
        return floor, ties


class RuleCheck:
    """Rule rows ``lo ≤ coef · a ≤ hi`` as rounding checks them.

    Row values are the CSR product, the same to the last bit as :meth:`RuleTable.values`.
    ``absent`` marks the entries
    of non-participating owners: R8 (they get nothing) is checked on them directly, so one
    matrix serves every participation pattern.
    """

    def __init__(self, coef: sp.csr_matrix) -> None:
        coef = coef.tocsr()
        self.shape = coef.shape
        self.row = np.repeat(np.arange(coef.shape[0]), np.diff(coef.indptr))
        self.col = coef.indices
        self.sign = np.sign(coef.data)
        self.matrix = coef

    def values_many(self, amounts: np.ndarray) -> np.ndarray:
        """Row values for every draw (rows of ``amounts``)."""
        return np.asarray(self.matrix @ amounts.T.astype(float)).T

    def push(
        self, amounts: np.ndarray, lo: np.ndarray, hi: np.ndarray, absent: np.ndarray | None
    ) -> np.ndarray | None:
        """Per entry, how many missed rows it would help by rising (negative: by falling);
        None when no row is missed."""
        values = self.matrix @ amounts.astype(float)
        push = (values < lo - CHECK_TOL).astype(float) - (values > hi + CHECK_TOL)
        r8 = absent is not None and amounts[absent].sum() > CHECK_TOL
        if not (r8 or push.any()):
            return None
        out = np.bincount(self.col, self.sign * push[self.row], self.shape[1])
        if r8:
            out[absent] = out[absent] - 1.0
        return out


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


def region_rows(table: RuleTable) -> tuple[np.ndarray, np.ndarray]:
    """The rows that bound a whole region's total (R2 without sector keys, R10), and that
    region: rows over every entry of one region."""
    rows = np.flatnonzero(np.isin(table.rule, ("R2", "R10")))
    size = table.coef.indptr[rows + 1] - table.coef.indptr[rows]
    rows, size = rows[size > 0], size[size > 0]
    region = table.region_of[table.coef.indices[table.coef.indptr[rows]]]
    whole = size == np.bincount(table.region_of)[region]
    return rows[whole], region[whole]


class Rounder:
    """Steps 1–4 of the module doc for one structure: groups and rule rows prepared once.

    ``table`` gives the rule pattern and each entry's region; bounds come with each call.
    """

    def __init__(self, table: RuleTable, n_regions: int) -> None:
        self.region = table.region_of
        self.n_regions = n_regions
        self.entries = _Groups(table.region_of, n_regions)
        self.regions = _Groups(np.zeros(n_regions, dtype=np.int64), 1)
        self.check = RuleCheck(table.coef)
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
        rows, row_region = region_rows(table)
        self.bounded = len(rows) > 0
        # Each region's whole-region rows as one padded index row; the pad points past the
        # rule rows, at a slot that bounds nothing.
        per = np.bincount(row_region, minlength=n_regions)
        self._region_rows = np.full((n_regions, max(1, per.max(initial=0))), len(table.lo))
        order = np.argsort(row_region, kind="stable")
        grouped = row_region[order]
        rank = np.arange(len(grouped)) - np.searchsorted(grouped, grouped)
        self._region_rows[grouped, rank] = rows[order]

    def region_bounds(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Tightest bounds on each region's total (draws × regions) from the rows that sum a
        whole region; ``lo``/``hi`` are draws × rule rows."""
        n = len(lo)
        pad_lo = np.concatenate([lo, np.full((n, 1), -np.inf)], axis=1)
        pad_hi = np.concatenate([hi, np.full((n, 1), np.inf)], axis=1)
        rows = self._region_rows
        return pad_lo[:, rows].max(axis=2), pad_hi[:, rows].min(axis=2)

    def round_many(
        self,
        q: np.ndarray,
        unit: int,
        budget: np.ndarray,
        lo: np.ndarray,
        hi: np.ndarray,
        absent: np.ndarray | None = None,
    ) -> Batch:
        """Steps 1–4 for many draws at once: ``q`` is draws × entries (units), ``budget`` per
        draw, ``lo``/``hi`` draws × rule rows, ``absent`` draws × entries (R8) or None.
        Draws whose result still misses a rule (``ok`` False) need :meth:`finish`."""
        n_r = self.n_regions
        by_region = self._by_region
        whole_units, rest = np.divmod(np.asarray(budget, dtype=np.int64), unit)
        q_region = self._region_sums(q)
        near = np.rint(q_region)
        q_region = np.where(np.abs(q_region - near) < _SNAP, near, q_region)
        floor_r = np.floor(q_region)
        frac_r = q_region - floor_r
        ups = (whole_units - floor_r.sum(axis=1))[:, None]
        if self.bounded:
            region_lo, region_hi = self.region_bounds(lo, hi)
            priority = (floor_r * unit < region_lo - CHECK_TOL).astype(float)
            priority -= (floor_r + 1) * unit > region_hi + CHECK_TOL
            order = np.lexsort((-frac_r, -priority), axis=-1)
        else:
            order = np.argsort(-frac_r, axis=1, kind="stable")
        region_up = np.zeros_like(floor_r)
        np.put_along_axis(region_up, order, (np.arange(n_r) < ups).astype(float), 1)
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
        return Batch(amounts, units, extra, recipient, entry_ups, ok)

    def _region_sums(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self._sum @ x.T).T

    def holds(
        self, amounts: np.ndarray, lo: np.ndarray, hi: np.ndarray, absent: np.ndarray | None
    ) -> np.ndarray:
        """Per draw, whether every rule row holds and non-participants get nothing (R8)."""
        values = self.check.values_many(amounts)
        ok = ~((values < lo - CHECK_TOL) | (values > hi + CHECK_TOL)).any(axis=1)
        if absent is not None:
            ok &= np.where(absent, amounts, 0).sum(axis=1) <= CHECK_TOL
        return np.asarray(ok, dtype=bool)

    def finish(
        self,
        batch: Batch,
        i: int,
        q: np.ndarray,
        unit: int,
        lo: np.ndarray,
        hi: np.ndarray,
        absent: np.ndarray | None,
    ) -> tuple[np.ndarray, bool]:
        """Draw ``i`` of a batch that missed a rule: priority passes (step 4's last part);
        its amounts and whether every rule now holds."""
        extra = batch.extra[i]
        units = batch.units[i]
        amounts = batch.amounts[i]
        priority = np.zeros(len(q))
        for _ in range(_PRIORITY_PASSES):
            push = self.check.push(amounts, lo, hi, absent)
            if push is None:
                return amounts, True
            priority += push
            units, _ = self.entries.largest_remainder(q, batch.entry_ups[i], priority)
            if self.shares is not None:
                units = self.shares.fix_many(
                    units[None], q[None], unit, extra[None], lo[None], hi[None]
                )[0]
            amounts = units.astype(np.int64) * unit + extra
        return amounts, self.check.push(amounts, lo, hi, absent) is None

    def round(
        self,
        q: np.ndarray,
        unit: int,
        budget: int,
        lo: np.ndarray,
        hi: np.ndarray,
        absent: np.ndarray | None = None,
    ) -> tuple[Rounded, np.ndarray, bool]:
        """Round one draw's ``q`` (units) under rule bounds ``lo``/``hi``: the result, the
        remainder kroner added to it, and whether every rule row holds (R8 included)."""
        batch = self.round_many(
            q[None, :],
            unit,
            np.array([budget]),
            lo[None, :],
            hi[None, :],
            None if absent is None else absent[None, :],
        )
        amounts, ok = batch.amounts[0], bool(batch.ok[0])
        if not ok:
            amounts, ok = self.finish(batch, 0, q, unit, lo, hi, absent)
        recipient = int(batch.recipient[0]) if batch.recipient[0] >= 0 else None
        ties = self.ties(q, unit, budget, lo, hi)
        return Rounded(amounts, ties, recipient, "largest_remainder"), batch.extra[0], ok

    def ties(
        self, q: np.ndarray, unit: int, budget: int, lo: np.ndarray, hi: np.ndarray
    ) -> tuple[int, ...]:
        """Entries whose equal remainders straddle a cut of the plain rounding (steps 1–2)."""
        region, n_r = self.region, self.n_regions
        q_region = self._region_sums(q[None, :])[0]
        near = np.rint(q_region)
        q_region = np.where(np.abs(q_region - near) < _SNAP, near, q_region)
        floor_r = np.floor(q_region)
        priority = None
        if self.bounded:
            region_lo, region_hi = (b[0] for b in self.region_bounds(lo[None], hi[None]))
            priority = (floor_r * unit < region_lo - CHECK_TOL).astype(float)
            priority -= (floor_r + 1) * unit > region_hi + CHECK_TOL
        region_units, region_ties = self.regions.largest_remainder(
            q_region, np.array([budget // unit - floor_r.sum()]), priority
        )
        entry_ups = region_units - np.bincount(region, np.floor(q), n_r)
        _, tied = self.entries.largest_remainder(q, entry_ups)
        if region_ties is None and tied is None:
            return ()
        tied = np.zeros(len(q), dtype=bool) if tied is None else tied
        if region_ties is not None:
            tied = tied | region_ties[region] & (q % 1 > 0)
        return tuple(int(i) for i in np.flatnonzero(tied))


@dataclass(frozen=True)
class Batch:
    """Many draws rounded at once (rows are draws)."""

    amounts: np.ndarray
    """Whole-krone amounts, remainder kroner included."""
    units: np.ndarray
    extra: np.ndarray
    """The remainder kroner (``budget % unit``) per entry."""
    recipient: np.ndarray
    """The entry that took the remainder, −1 where there was none."""
    entry_ups: np.ndarray
    ok: np.ndarray
    """Whether every rule row holds."""


def round_allocation(
    problem: AllocationProblem, lp_amounts: np.ndarray, table: RuleTable | None = None
) -> Rounded:
    """Whole-krone amounts for ``lp_amounts`` (kroner, amount-vector order); see module doc.

    Raises :class:`~dekomopt.errors.SolverError` if no rounding keeps every rule.
    """
    table = rule_table(problem) if table is None else table
    unit = int(problem.rules.rounding_unit_nok)
    q = to_units(np.asarray(lp_amounts, dtype=float), unit)
    rounder = Rounder(table, problem.n_regions)
    rounded, remainder, ok = rounder.round(q, unit, int(problem.budget_nok), table.lo, table.hi)
    return rounded if ok else repaired(table, rounded, q, unit, remainder)


def repaired(
    table: RuleTable, rounded: Rounded, q: np.ndarray, unit: int, remainder: np.ndarray
) -> Rounded:
    """Steps 5–6 of the module doc: ``rounded`` itself when it keeps every rule of ``table``."""
    if not len(table.violations(rounded.amounts)):
        return rounded
    method = "repair"
    amounts = _repair(table, rounded.amounts, q, unit)
    if len(table.violations(amounts)):
        method = "mip"
        amounts = _integer_program(table, q, unit, remainder)
    return replace(rounded, amounts=amounts, method=method)


def _violation(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Total amount by which ``values`` (one set per row of a 2-D array) miss the bounds."""
    return np.maximum(lo - values, 0).sum(axis=-1) + np.maximum(values - hi, 0).sum(axis=-1)


def _repair(table: RuleTable, amounts: np.ndarray, q: np.ndarray, unit: int) -> np.ndarray:
    """Swap single units inside regions while the total rule violation falls.

    Each step looks at the first missed row, tries moving a unit between the 25 entries that
    help it most by rising and the 25 that help it most by falling (same region), and makes
    the first swap, in that order, that lowers the total violation more than any before it.
    """
    amounts = amounts.copy()
    coef_t = table.coef.T.toarray()
    lo, hi = table.lo, table.hi
    floor, ceil = np.floor(q), np.ceil(q)
    for _ in range(4 * len(q) + 10):
        values = table.values(amounts)
        bad = np.flatnonzero((values < lo - CHECK_TOL) | (values > hi + CHECK_TOL))
        if not len(bad):
            break
        g = bad[0]
        sign = 1.0 if values[g] < lo[g] else -1.0
        row = coef_t[:, g] * sign
        units = amounts // unit
        can_up = np.flatnonzero((units < ceil) & (q > 0))
        can_down = np.flatnonzero((units > floor) & (amounts >= unit))
        up = can_up[np.argsort(-row[can_up], kind="stable")][:25]
        down = can_down[np.argsort(row[can_down], kind="stable")][:25]
        j, k = np.repeat(up, len(down)), np.tile(down, len(up))
        ok = (table.region_of[j] == table.region_of[k]) & (row[j] > row[k])
        j, k = j[ok], k[ok]
        candidates = _violation(values + (coef_t[j] - coef_t[k]) * unit, lo, hi)
        best = float(_violation(values, lo, hi))
        # Only swaps below the current violation can be made; of those, in order, the first
        # that beats every one before it by more than the tolerance.
        pick = None
        for i in np.flatnonzero(candidates < best - CHECK_TOL).tolist():
            if candidates[i] < best - CHECK_TOL:
                best, pick = float(candidates[i]), i
        if pick is None:
            break
        amounts[j[pick]] += unit
        amounts[k[pick]] -= unit
    return amounts


def _integer_program(
    table: RuleTable, q: np.ndarray, unit: int, fixed_extra: np.ndarray
) -> np.ndarray:
    """Whole units nearest (L1) to ``q`` keeping every rule row, plus ``fixed_extra`` kroner."""
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
