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
   If a rule row misses its bound by more than a unit, entries that help it get priority
   and step 2 is repeated (a few passes).
4. Check every rule row (:mod:`~dekomopt.allocation.ruletable`). When one is broken (a
   minimum share missed by rounding, say), swap units between two entries of the same
   region — keeping every region total — while that reduces the total violation.
5. If swaps cannot repair it, a small integer program (HiGHS MIP) finds the whole-unit
   amounts nearest to the LP amounts that keep every rule.

Equal remainders are decided by index (lower index rounds up); such entries are listed in
``ties``.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from dekomopt.allocation.problem import AllocationProblem
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


def _units(lp_amounts: np.ndarray, unit: int) -> np.ndarray:
    q = np.maximum(np.asarray(lp_amounts, dtype=float), 0.0) / unit
    near = np.rint(q)
    return np.where(np.abs(q - near) < _SNAP, near, q)


def _largest_remainder(
    q: np.ndarray, group: np.ndarray, ups: np.ndarray, priority: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Round ``q`` down, then up for the ``ups[g]`` entries of each group with the largest
    remainders (``priority`` first, lower index on ties). Returns (units, tie mask)."""
    floor = np.floor(q)
    frac = q - floor
    prio = np.zeros(len(q)) if priority is None else priority
    order = np.lexsort((np.arange(len(q)), -frac, -prio, group))
    g_sorted = group[order]
    starts = np.searchsorted(g_sorted, g_sorted, side="left")
    rank = np.arange(len(q)) - starts
    up_sorted = rank < ups[g_sorted]
    result = floor.copy()
    result[order[up_sorted]] += 1
    # A tie: equal priority and remainder on both sides of a group's cut.
    cut = np.zeros(len(ups), dtype=bool)
    last_up = np.flatnonzero(up_sorted & (rank == ups[g_sorted] - 1))
    first_down = last_up + 1
    ok = first_down < len(q)
    last_up, first_down = last_up[ok], first_down[ok]
    same_group = g_sorted[first_down] == g_sorted[last_up]
    same = (
        same_group
        & (frac[order[first_down]] == frac[order[last_up]])
        & (prio[order[first_down]] == prio[order[last_up]])
        & (frac[order[last_up]] > 0)
    )
    ties = np.zeros(len(q), dtype=bool)
    for a in last_up[same]:
        cut[g_sorted[a]] = True
        key = (frac[order[a]], prio[order[a]])
        in_group = group == g_sorted[a]
        ties |= in_group & (frac == key[0]) & (prio == key[1])
    return result, ties


def _region_bounds(table: RuleTable, n_regions: int) -> tuple[np.ndarray, np.ndarray]:
    """Tightest bounds on each region's total from the rows that sum a whole region."""
    lo = np.full(n_regions, -np.inf)
    hi = np.full(n_regions, np.inf)
    for g, rule in enumerate(table.rule):
        if rule not in ("R2", "R10"):
            continue
        cols = table.coef.indices[table.coef.indptr[g] : table.coef.indptr[g + 1]]
        r = table.region_of[cols[0]]
        lo[r] = max(lo[r], table.lo[g])
        hi[r] = min(hi[r], table.hi[g])
    return lo, hi


def round_allocation(
    problem: AllocationProblem, lp_amounts: np.ndarray, table: RuleTable | None = None
) -> Rounded:
    """Whole-krone amounts for ``lp_amounts`` (kroner, amount-vector order); see module doc.

    Raises :class:`~dekomopt.errors.SolverError` if no rounding keeps every rule.
    """
    table = rule_table(problem) if table is None else table
    unit = int(problem.rules.rounding_unit_nok)
    budget = int(problem.budget_nok)
    whole_units, rest = divmod(budget, unit)
    q = _units(lp_amounts, unit)
    region = table.region_of
    n_r = problem.n_regions

    q_region = np.bincount(region, q, n_r)
    q_region = np.where(np.abs(q_region - np.rint(q_region)) < _SNAP, np.rint(q_region), q_region)
    lo, hi = _region_bounds(table, n_r)
    floor_r = np.floor(q_region)
    must_up = floor_r * unit < lo - CHECK_TOL
    cannot_up = (floor_r + 1) * unit > hi + CHECK_TOL
    ups = np.array([whole_units - floor_r.sum()])
    region_units, region_ties = _largest_remainder(
        q_region, np.zeros(n_r, dtype=np.int64), ups, must_up.astype(float) - cannot_up
    )

    entry_ups = region_units - np.bincount(region, np.floor(q), n_r)
    units, entry_ties = _largest_remainder(q, region, entry_ups)
    # A rule missed after plain rounding: round up first the entries that help it.
    priority = np.zeros(len(q))
    for _ in range(_PRIORITY_PASSES):
        values = table.coef @ (units * unit)
        low, high = values < table.lo - CHECK_TOL, values > table.hi + CHECK_TOL
        push = low.astype(float) - high
        if not push.any():
            break
        priority += table.coef.T.sign() @ push
        units, entry_ties = _largest_remainder(q, region, entry_ups, priority)
    amounts = units.astype(np.int64) * unit

    recipient = None
    remainder = np.zeros(len(q), dtype=np.int64)
    if rest:
        floored = np.flatnonzero(region_units == floor_r)
        candidates = floored if len(floored) else np.arange(n_r)
        target = candidates[np.argmax((q_region - floor_r)[candidates])]
        in_region = np.flatnonzero(region == target)
        recipient = int(in_region[np.argmax(amounts[in_region])])
        remainder[recipient] = rest
        amounts[recipient] += rest

    tie_regions = np.flatnonzero(region_ties)
    ties = np.flatnonzero(entry_ties | np.isin(region, tie_regions) & (q % 1 > 0))
    method = "largest_remainder"
    if len(table.violations(amounts)):
        method = "repair"
        amounts = _repair(table, amounts, q, unit)
        if len(table.violations(amounts)):
            method = "mip"
            amounts = _integer_program(table, q, unit, remainder)
    return Rounded(amounts, tuple(int(i) for i in ties), recipient, method)


def _violation(table: RuleTable, values: np.ndarray) -> float:
    return float(np.maximum(table.lo - values, 0).sum() + np.maximum(values - table.hi, 0).sum())


def _repair(table: RuleTable, amounts: np.ndarray, q: np.ndarray, unit: int) -> np.ndarray:
    """Swap single units inside regions while the total rule violation falls."""
    amounts = amounts.copy()
    coef_t = table.coef.T.tocsr()
    floor, ceil = np.floor(q), np.ceil(q)
    for _ in range(4 * len(q) + 10):
        values = table.values(amounts)
        bad = np.flatnonzero((values < table.lo - CHECK_TOL) | (values > table.hi + CHECK_TOL))
        if not len(bad):
            break
        g = bad[0]
        sign = 1.0 if values[g] < table.lo[g] else -1.0
        row = table.coef.getrow(g).toarray().ravel() * sign
        base = _violation(table, values)
        units = amounts // unit
        can_up = np.flatnonzero((units < ceil) & (q > 0))
        can_down = np.flatnonzero((units > floor) & (amounts >= unit))
        up = can_up[np.argsort(-row[can_up], kind="stable")][:25]
        down = can_down[np.argsort(row[can_down], kind="stable")][:25]
        best, best_pair = base, None
        for j in up:
            for k in down:
                if table.region_of[j] != table.region_of[k] or row[j] <= row[k]:
                    continue
                delta = (coef_t.getrow(j) - coef_t.getrow(k)).toarray().ravel() * unit
                v = _violation(table, values + delta)
                if v < best - CHECK_TOL:
                    best, best_pair = v, (j, k)
        if best_pair is None:
            break
        amounts[best_pair[0]] += unit
        amounts[best_pair[1]] -= unit
    return amounts


def _integer_program(
    table: RuleTable, q: np.ndarray, unit: int, fixed_extra: np.ndarray
) -> np.ndarray:
    """Whole units nearest (L1) to ``q`` keeping every rule row, plus ``fixed_extra`` kroner."""
    n = len(q)
    lower = np.where(q > 0, np.maximum(np.floor(q) - 1, 0), 0)
    upper = np.where(q > 0, np.ceil(q) + 1, 0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    # columns: z (units), then p, m with z − q = p − m
    cost = np.r_[np.zeros(n), np.ones(2 * n)]
    lo = np.r_[lower, np.zeros(2 * n)]
    hi = np.r_[upper, np.full(2 * n, inf)]
    h.addVars(3 * n, lo, hi)
    h.changeColsCost(3 * n, np.arange(3 * n, dtype=np.int32), cost)
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
    )
    extra = table.values(fixed_extra)
    coef = table.coef.tocsr() * unit
    row_lo = np.where(np.isfinite(table.lo), table.lo - extra - CHECK_TOL, -inf)
    row_hi = np.where(np.isfinite(table.hi), table.hi - extra + CHECK_TOL, inf)
    h.addRows(
        coef.shape[0],
        row_lo,
        row_hi,
        coef.nnz,
        coef.indptr[:-1].astype(np.int32),
        coef.indices.astype(np.int32),
        coef.data,
    )
    idx = np.arange(n, dtype=np.int32)
    starts = np.arange(0, 3 * n, 3, dtype=np.int32)
    index = np.column_stack([idx, idx + n, idx + 2 * n]).ravel().astype(np.int32)
    values = np.tile([1.0, -1.0, 1.0], n)
    h.addRows(n, q, q, 3 * n, starts, index, values)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SolverError("no whole-krone rounding keeps every rule; change the rounding unit")
    z = np.rint(np.asarray(h.getSolution().col_value)[:n]).astype(np.int64)
    return z * unit + fixed_extra
