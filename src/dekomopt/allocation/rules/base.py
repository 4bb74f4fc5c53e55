"""What every rule object gives, and the data its bounds are computed from.

A rule states its rows once, over the whole-krone amount entries (:class:`CheckRows`: which
row each owner's or edge's amount of a theme and sector counts in, and with what
coefficient), with their bounds as functions of :class:`Draws`, the data of one or many
draws, so the same arithmetic serves a single solve and a batch of Monte Carlo draws. The
checks of a rounded allocation (:mod:`~dekomopt.allocation.ruletable`) are these rows; the
LP (:mod:`~dekomopt.allocation.model`) reads the same rows over its fund columns, in shares
of the budget. A rule whose LP rows are not its check rows (R2's deviations, R4's owner rows,
R11's uncovered need) states its LP rows itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dekomopt.allocation.keys import Draws, key_sectors
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation

Names = Callable[[], list[str]]
"""Row names, made only when asked for (the fast path never needs them)."""
Params = dict[str, float | str]
"""Numbers (or a sector's name) the report's words for a row need beyond the check's own."""
Bound = tuple[np.ndarray, np.ndarray]
"""(lo, hi), each draws × rows of one block."""


@dataclass(frozen=True)
class Space:
    """Where things sit, for one problem's structure: the LP's columns and the amount entries.

    LP columns: owners' funds (one per region × theme × sector with ``owner_split="fte"``,
    one per owner × theme × sector with ``"free"``), then partner funds per edge × theme ×
    sector, then the key deviations (above, below) per region, then uncovered need per region
    × theme (R11 only). Amount entries: owners × themes × sectors, then edges × themes ×
    sectors.
    """

    problem: AllocationProblem
    n_own: int
    """Owners' fund columns (the first ones)."""
    funds_unit: np.ndarray
    """Per fund column: its owner (``"free"``) or region (``"fte"``) for owners' columns, its
    edge for partners' columns."""
    funds_region: np.ndarray
    funds_partner: np.ndarray
    """Per fund column: its partner, −1 for owners' columns."""
    funds_theme: np.ndarray
    funds_sector: np.ndarray
    dev: int
    """First key-deviation column."""
    key_rows: int
    """R2 rows: one per region, or per sector × region with sector keys
    (:func:`~dekomopt.allocation.keys.key_sectors`)."""
    unc: int
    """First uncovered-need column, −1 without R11."""
    tb: int
    """First tie-breaking column."""
    entry_owner: np.ndarray
    """Owner of each amount entry, −1 for partner entries."""
    entry_region: np.ndarray
    entry_partner: np.ndarray
    """Partner of each amount entry, −1 for owner entries."""
    entry_theme: np.ndarray
    entry_sector: np.ndarray
    entry_column: np.ndarray
    """The fund column each amount entry reads (with ``owner_split="fte"`` an owner's entry
    reads its region's column, scaled by the owner's FTE share)."""

    def kroner(self, v: np.ndarray, owner_share: np.ndarray, budget: np.ndarray) -> np.ndarray:
        """LP solutions (draws × columns) as kroner per amount entry, given each draw's
        owner shares (draws × owners × sectors) and budget."""
        raw = v[:, self.entry_column]
        if not self.by_owner:
            n = len(self.entry_owner) - len(self.y)
            raw[:, :n] *= owner_share[:, self.entry_owner[:n], self.entry_sector[:n]]
        raw *= np.asarray(budget, dtype=float)[:, None]
        return raw

    @property
    def by_owner(self) -> bool:
        return self.problem.rules.owner_split == "free"

    @property
    def own(self) -> np.ndarray:
        return np.arange(self.n_own)

    @property
    def y(self) -> np.ndarray:
        return np.arange(self.n_own, len(self.funds_unit))

    @property
    def funds(self) -> np.ndarray:
        """Every fund column: owners' then partners'."""
        return np.arange(len(self.funds_unit))

    def region_names(self, prefix: str) -> Names:
        return lambda: [f"{prefix}_{r}" for r in self.problem.region_ids]


def make_space(problem: AllocationProblem) -> Space:
    """The :class:`Space` of ``problem`` (R11's columns where owners reported needs)."""
    with_needs = problem.owner_needs is not None
    n_t, n_s = len(problem.themes), len(problem.sectors)
    per = n_t * n_s
    by_owner = problem.rules.owner_split == "free"
    n_units = problem.n_owners if by_owner else problem.n_regions
    owner_region = np.asarray(problem.owner_region, dtype=np.int64)
    unit = np.repeat(np.arange(n_units), per)
    n_e = len(problem.edge_region)
    edge = np.repeat(np.arange(n_e), per)
    edge_region = np.asarray(problem.edge_region, dtype=np.int64)
    edge_partner = np.asarray(problem.edge_partner, dtype=np.int64)
    key_rows = problem.n_regions * max(1, len(key_sectors(problem)))
    owner = np.repeat(np.arange(problem.n_owners), per)
    theme = np.tile(np.repeat(np.arange(n_t), n_s), problem.n_owners + n_e)
    own_column = np.arange(len(owner))
    if not by_owner:
        own_column = owner_region[owner] * per + own_column % per
    n_funds = len(unit) + len(edge)
    return Space(
        problem=problem,
        n_own=len(unit),
        funds_unit=np.r_[unit, edge],
        funds_region=np.r_[owner_region[unit] if by_owner else unit, edge_region[edge]],
        funds_partner=np.r_[np.full(len(unit), -1), edge_partner[edge]],
        funds_theme=np.tile(np.repeat(np.arange(n_t), n_s), n_units + n_e),
        funds_sector=np.tile(np.arange(n_s), n_funds // n_s),
        dev=n_funds,
        key_rows=key_rows,
        unc=n_funds + 2 * key_rows if with_needs else -1,
        tb=n_funds + 2 * key_rows + (problem.n_regions * n_t if with_needs else 0),
        entry_owner=np.r_[owner, np.full(len(edge), -1)],
        entry_region=np.r_[owner_region[owner], edge_region[edge]],
        entry_partner=np.r_[np.full(len(owner), -1), edge_partner[edge]],
        entry_theme=theme,
        entry_sector=np.tile(np.arange(n_s), (problem.n_owners + n_e) * n_t),
        entry_column=np.r_[own_column, len(unit) + np.arange(len(edge))],
    )


@dataclass(frozen=True)
class LpRows:
    """Rows ``lo ≤ Σ v·x[c] ≤ hi`` of one block (``r`` counts from the block's first row)."""

    block: str
    """Block name ("R2_key_hi"): the bounds of the rule come in the same order."""
    names: Names
    r: np.ndarray
    c: np.ndarray
    v: np.ndarray | float
    count: int
    own: tuple[tuple[str, int], ...] = ()
    """Columns of the block's own, one per row, as (name prefix, first column): a column is
    called ``<prefix>_<row name>`` (``above_R2_key_NORD``)."""


@dataclass(frozen=True)
class CheckRows:
    """``count`` rows ``lo[g] ≤ Σ_{entries e with group[e] = g} coef[e]·a[e] ≤ hi[g]`` over
    the kroner amounts; group −1 = in no row."""

    block: str
    """Block name ("R10_hi"), as the LP's block of the same rows."""
    names: Names
    group: np.ndarray
    coef: np.ndarray | float
    count: int


def over_funds(s: Space, rows: CheckRows) -> LpRows:
    """``rows`` over the LP's fund columns: each column stands for entries that all sit in
    one row with one coefficient (a region's owners' entries share their region's rows)."""
    group = np.full(len(s.funds), -1)
    coef = np.ones(len(s.funds))
    group[s.entry_column] = rows.group
    coef[s.entry_column] = rows.coef
    return over_entries(CheckRows(rows.block, rows.names, group, coef, rows.count))


def over_entries(rows: CheckRows) -> LpRows:
    """``rows`` as :class:`LpRows` whose columns are the entries ``rows`` reads."""
    sel = rows.group >= 0
    coef = np.broadcast_to(np.asarray(rows.coef, dtype=float), rows.group.shape)
    columns = np.flatnonzero(sel)
    return LpRows(rows.block, rows.names, rows.group[sel], columns, coef[sel], rows.count)


class Stacked(NamedTuple):
    """Blocks of rows one below the other: (row, column, value) triplets, the row names
    (empty unless asked for) and the id of the rule each row belongs to ("TB": tie-breaks)."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    names: tuple[str, ...]
    rule: tuple[str, ...]


def stack(blocks: list[tuple[str, LpRows]], with_names: bool = True) -> Stacked:
    """The (rule id, rows) ``blocks`` one below the other, in order."""
    lp = [rows for _, rows in blocks]
    first = np.cumsum([0] + [rows.count for rows in lp])[:-1]
    return Stacked(
        np.concatenate([np.asarray(b.r, np.int64) + f for b, f in zip(lp, first, strict=True)]),
        np.concatenate([np.asarray(b.c, np.int64) for b in lp]),
        np.concatenate([np.broadcast_to(np.asarray(b.v, float), np.shape(b.c)) for b in lp]),
        tuple(name for b in lp for name in b.names()) if with_names else (),
        tuple(rule for rule, b in blocks for _ in range(b.count)),
    )


class Rule:
    """One rule: its rows over the amounts and their bounds, the LP's rows, and its names.

    Subclasses state ``id``, ``name`` (English), :meth:`blocks` and :meth:`bounds` (in budget
    shares, or in kroner when ``in_kroner``); the LP's rows and bounds and the checks follow
    from them unless a subclass states them itself. What the rule asks, in nb, nn and en, is
    the report catalogue's ``rule_<id>_asks``.
    """

    id: str = ""
    name: str = ""
    in_kroner: bool = False
    """Whether :meth:`bounds` are kroner (else budget shares)."""

    def on(self, problem: AllocationProblem) -> bool:
        """Whether the rule has rows for this problem (depends on the rules and the data's
        shape, never on values that a re-solve changes)."""
        return True

    def blocks(self, s: Space) -> list[CheckRows]:
        """The rule's rows over the amount entries, for every data of the structure."""
        return []

    def bounds(self, s: Space, d: Draws) -> list[Bound]:
        """One (lo, hi) per block of :meth:`blocks`."""
        return []

    def lp_rows(self, s: Space) -> list[LpRows]:
        return [over_funds(s, rows) for rows in self.blocks(s)]

    def lp_bounds(self, s: Space, d: Draws) -> list[Bound]:
        """One (lo, hi) per block of :meth:`lp_rows`, in budget shares."""
        if not self.in_kroner:
            return self.bounds(s, d)
        return [(lo / per_draw(d), hi / per_draw(d)) for lo, hi in self.bounds(s, d)]

    def lp_per_nok(self, s: Space, d: Draws) -> list[np.ndarray]:
        """Per block of :meth:`lp_rows`, draws × rows: how far the LP bound (budget shares)
        moves when the check row of the same name has its bound raised by one krone."""
        return [rows_of(d.n, 1.0 / per_draw(d), b.count) for b in self.lp_rows(s)]

    def lp_columns(self, s: Space, d: Draws) -> list[tuple[np.ndarray, np.ndarray]]:
        """(columns, upper bounds draws × columns) the rule sets; every other bound is 0..inf."""
        return []

    def check_rows(self, s: Space, pattern: bool) -> list[CheckRows]:
        """Check rows; ``pattern`` asks for the rows of every data (the fast path's table)."""
        return self.blocks(s)

    def check_bounds(self, s: Space, d: Draws, pattern: bool) -> list[Bound]:
        """One (lo, hi) per block of :meth:`check_rows`, in kroner."""
        if self.in_kroner:
            return self.bounds(s, d)
        return [(kroner(lo, d), kroner(hi, d)) for lo, hi in self.bounds(s, d)]

    def shown(
        self, name: str, value: float, bound: float, allocation: Allocation
    ) -> tuple[float, float]:
        """Row ``name``'s value and bound in kroner as the rule report shows them (by default
        as checked; a rule whose row is a difference shows its two sides, same slack)."""
        return value, bound

    def params(self, name: str, s: Space, d: Draws, allocation: Allocation) -> Params:
        """What the report's words for row ``name`` need beyond the check's own numbers."""
        return {}

    def describe(self, problem: AllocationProblem) -> str:
        """The rule with its numbers, in English, as a conflict names it."""
        return self.name


def kroner(shares: np.ndarray, d: Draws) -> np.ndarray:
    """Budget shares (draws × rows) in kroner; infinite bounds stay infinite."""
    return np.where(np.isfinite(shares), shares * per_draw(d), shares)


def rows_of(n: int, values: np.ndarray | float, count: int) -> np.ndarray:
    """``values`` as draws × ``count``."""
    return np.broadcast_to(np.asarray(values, dtype=float), (n, count))


def per_draw(d: Draws) -> np.ndarray:
    """The budget as a column (draws × 1), to scale shares to kroner."""
    return d.budget[:, None]


def deviation_rows(
    block: str, names: Names, row: np.ndarray, col: np.ndarray, first: int, n: int
) -> LpRows:
    """``n`` rows ``Σ x[col] − above + below`` (row ``row`` of each column), with the
    deviations above and below in columns ``first …`` and ``first + n …``."""
    k = np.arange(n)
    ones = np.ones(n)
    return LpRows(
        block,
        names,
        np.r_[row, k, k],
        np.r_[col, first + k, first + n + k],
        np.r_[np.ones(len(col)), -ones, ones],
        n,
        (("above", first), ("below", first + n)),
    )
