"""The bounds a re-solve changes, recomputed from the changed data alone.

Coefficients of the LP (:mod:`~dekomopt.allocation.model`) and of the rule rows
(:mod:`~dekomopt.allocation.ruletable`) depend only on a problem's structure and rules; its
data (budget, FTEs, participation, capacities, needs, last year's amounts, co-financing
capacity, special index) enter through bounds only. :class:`BoundMap` keeps the index arrays
of both once and, per solve, states each data-dependent block with the same arithmetic as
``build_model`` and ``rule_table``, so the bounds are identical to theirs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dekomopt.allocation.keys import (
    KeyFacts,
    facts_from,
    key_facts,
    needs_from,
    previous_shares,
    region_needs,
    target_mix,
)
from dekomopt.allocation.model import LinearModel
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.ruletable import RuleTable, key_band, within_unit

FIELDS = (
    "budget_nok",
    "owner_fte",
    "owner_participates",
    "partner_capacity",
    "owner_needs",
    "region_previous",
    "owner_cofin_capacity",
    "region_special",
)
"""The problem fields a re-solve may replace."""

_STRUCTURE = "the changed data alter the LP's structure; build a new FastAllocator"


class Bounds(NamedTuple):
    """One solve's data-dependent numbers. Arrays are the map's buffers, valid until the next
    call of :meth:`BoundMap.compute`, except ``facts``, which is never written to."""

    budget: int
    facts: KeyFacts
    participates: np.ndarray
    col_hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    rule_lo: np.ndarray
    """Bounds of the rule rows of the map's ``table`` (every rule but R8)."""
    rule_hi: np.ndarray
    absent: np.ndarray | None
    """Entries of non-participating owners (R8), or None when every owner takes part."""


class _Data(NamedTuple):
    """The effective data of one solve, as the bound formulas read them."""

    facts: KeyFacts
    part: np.ndarray
    budget: float
    cap: np.ndarray
    """Co-financing capacity, NaN as +inf."""
    pcap: np.ndarray
    """Partner capacity, NaN as +inf."""
    prev: np.ndarray | None
    """Last year's shares (R10), None when the rule is off."""
    needs: np.ndarray | None
    """Region × theme needs (R11), None without needs."""


def _nan_inf(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), np.inf, a)


def _blocks(table: RuleTable) -> dict[str, slice]:
    """Row slices of a rule table by rule; a rule's second block gets "_lo" (R2, R10)."""
    out: dict[str, slice] = {}
    start = 0
    for rule, count in table.signature:
        name = f"{rule}_lo" if rule in out else rule
        out[name] = slice(start, start + count)
        start += count
    return out


class BoundMap:
    """Where each data field lands in the LP and rule rows of one problem's structure.

    ``table`` is the rule table of the problem with every partner capacity finite and every
    owner taking part: its rows are those of any data (R9 always there, R8 checked apart).
    """

    def __init__(self, problem: AllocationProblem, model: LinearModel, table: RuleTable) -> None:
        rules = problem.rules
        self.problem = problem
        self.rules = rules
        self.region = np.asarray(problem.owner_region, dtype=np.int64)
        self.n_regions = problem.n_regions
        lay = model.layout
        per = lay.n_themes * lay.n_sectors
        self.by_owner = rules.owner_split == "free"
        self.n_own, self.n_y = lay.n_own, lay.n_y
        self.unc = slice(lay.unc, lay.unc + lay.n_regions * lay.n_themes) if lay.unc >= 0 else None
        own_unit = np.repeat(np.arange(lay.n_own // per), per)
        self.own_unit = own_unit
        self.y_region = np.repeat(np.asarray(problem.edge_region, dtype=np.int64), per)
        # TB_owner: each owner column's region × theme × sector cell.
        self.owner_cell = self.region[own_unit] * per + np.arange(len(own_unit)) % per
        self.per = per
        self.z = np.tile(target_mix(problem).ravel(), problem.n_regions)
        self.lp = model.row_blocks
        self.rule = _blocks(table)
        self.col_hi = model.col_hi.copy()
        self.row_lo = model.row_lo.copy()
        self.row_hi = model.row_hi.copy()
        self.rule_lo = table.lo.copy()
        self.rule_hi = table.hi.copy()
        n_owner_entries = problem.n_owners * per
        self.out = np.zeros(problem.n_owners + 1, dtype=bool)
        """Per owner, not taking part; the extra last slot (never out) stands for edges."""
        self.entry_owner = np.r_[
            np.repeat(np.arange(problem.n_owners), per),
            np.full(table.coef.shape[1] - n_owner_entries, problem.n_owners),
        ]
        self.structure = self._structure(problem)
        # What each field gives when a solve leaves it at the problem's value.
        self.base_facts = key_facts(problem)
        self.base_needs = region_needs(problem)
        self.base_prev = previous_shares(problem)
        self.base_cap = _nan_inf(np.asarray(problem.owner_cofin_capacity, dtype=float))
        self.base_pcap = _nan_inf(np.asarray(problem.partner_capacity, dtype=float))

    def _structure(self, problem: AllocationProblem) -> tuple[bool, bool, bool]:
        """The data facts that decide which rows exist (R11, R10, R4)."""
        rules = problem.rules
        cap = np.asarray(problem.owner_cofin_capacity, dtype=float)
        return (
            problem.owner_needs is not None,
            problem.region_previous is not None and rules.stability_max_change is not None,
            rules.cofinancing_share > 0 and bool(np.isfinite(cap).any()),
        )

    def _check(self, given: dict[str, object]) -> None:
        needs, prev, cofin = self.structure
        if "owner_needs" in given and not needs:
            raise ValueError(_STRUCTURE)
        if "region_previous" in given and not prev and self.rules.stability_max_change is not None:
            raise ValueError(_STRUCTURE)
        if "owner_cofin_capacity" in given and self.rules.cofinancing_share > 0:
            cap = np.asarray(given["owner_cofin_capacity"], dtype=float)
            if bool(np.isfinite(cap).any()) != cofin:
                raise ValueError(_STRUCTURE)

    def compute(self, given: dict[str, object]) -> Bounds:
        """The bounds with the ``given`` fields replaced (the others keep the problem's)."""
        self._check(given)
        p, rules = self.problem, self.rules
        budget = int(given.get("budget_nok", p.budget_nok))
        B = float(budget)
        part = np.asarray(given.get("owner_participates", p.owner_participates), dtype=bool)
        if "owner_fte" in given or "owner_participates" in given or "region_special" in given:
            facts = facts_from(
                rules,
                self.region,
                self.n_regions,
                given.get("owner_fte", p.owner_fte),
                part,
                p.owner_km,
                given.get("region_special", p.region_special),
            )
        else:
            facts = self.base_facts
        data = _Data(
            facts,
            part,
            B,
            self._field(given, "owner_cofin_capacity", self.base_cap, _nan_inf),
            self._field(given, "partner_capacity", self.base_pcap, _nan_inf),
            self._field(given, "region_previous", self.base_prev, self._shares),
            self._needs(given, part),
        )
        self._lp(data)
        self._rules(data)
        absent = None
        if not part.all():
            self.out[:-1] = ~part
            absent = self.out[self.entry_owner]
        return Bounds(
            budget,
            facts,
            part,
            self.col_hi,
            self.row_lo,
            self.row_hi,
            self.rule_lo,
            self.rule_hi,
            absent,
        )

    def _needs(self, given: dict[str, object], part: np.ndarray) -> np.ndarray | None:
        if "owner_needs" not in given and "owner_participates" not in given:
            return self.base_needs
        needs = given.get("owner_needs", self.problem.owner_needs)
        return None if needs is None else needs_from(needs, part, self.region, self.n_regions)

    def _field(self, given: dict[str, object], name: str, base: np.ndarray | None, derive):
        if name not in given:
            return base
        return derive(np.asarray(given[name], dtype=float))

    def _shares(self, prev: np.ndarray) -> np.ndarray:
        # as previous_shares: last year's amounts over last year's total
        total = self.problem.previous_total_nok
        return prev / (float(total) if total else float(prev.sum()))

    def _lp(self, d: _Data) -> None:
        rules, blocks, facts, B = self.rules, self.lp, d.facts, d.budget
        col_hi, row_lo, row_hi = self.col_hi, self.row_lo, self.row_hi
        inf = np.inf
        if self.by_owner:
            col_hi[: self.n_own] = np.where(d.part[self.own_unit], inf, 0)
        else:
            col_hi[: self.n_own] = np.where(facts.region_fte[self.own_unit] > 0, inf, 0.0)
        col_hi[self.n_own : self.n_own + self.n_y] = np.where(
            facts.region_active[self.y_region], inf, 0.0
        )
        k = facts.key
        s = blocks["R2_key"]
        row_lo[s] = k
        row_hi[s] = k
        if "R2_key_hi" in blocks:
            tol = rules.key_tolerance * k
            row_hi[blocks["R2_key_hi"]] = tol
            row_hi[blocks["R2_key_lo"]] = tol
        if "R4" in blocks:
            cap = d.cap
            c = rules.cofinancing_share
            if self.by_owner:
                hi = cap / (c * B)
            else:
                share = facts.owner_share
                hi = np.divide(cap, c * B * share, out=np.full(len(cap), inf), where=share > 0)
                hi[np.isinf(cap)] = inf
            row_hi[blocks["R4"]] = hi
        row_hi[blocks["R9"]] = d.pcap / B
        if "R10_hi" in blocks:
            prev = d.prev
            m = rules.stability_max_change
            row_hi[blocks["R10_hi"]] = (1 + m) * prev
            row_lo[blocks["R10_lo"]] = (1 - m) * prev
        if "R11" in blocks:
            need = (d.needs / B).ravel()
            finite = np.isfinite(need)
            col_hi[self.unc] = np.where(finite, inf, 0.0)
            s = blocks["R11"]
            row_lo[s] = np.where(finite, need, -inf)
            row_hi[s] = np.where(finite, need, inf)
        u = rules.uh_share_min
        targets = np.repeat(k, self.per) * self.z
        s = blocks["TB_partner"]
        row_lo[s] = row_hi[s] = u * targets
        s = blocks["TB_mix"]
        row_lo[s] = row_hi[s] = targets
        if "TB_owner" in blocks:
            owner_target = facts.owner_share[self.own_unit] * (1 - u) * targets[self.owner_cell]
            s = blocks["TB_owner"]
            row_lo[s] = row_hi[s] = owner_target

    def _rules(self, d: _Data) -> None:
        rules, blocks, facts, B = self.rules, self.rule, d.facts, d.budget
        lo, hi = self.rule_lo, self.rule_hi
        lo[blocks["R1"]] = hi[blocks["R1"]] = B
        unit = rules.rounding_unit_nok
        if "R2" in blocks:
            lo[blocks["R2_lo"]], hi[blocks["R2"]] = key_band(facts.key, B, rules.key_tolerance, unit)
        if "R3" in blocks and rules.uh_scope == "county":
            lo[blocks["R3"]] = rules.uh_share_min * B
        if "R4" in blocks:
            hi[blocks["R4"]] = d.cap
        if "R5" in blocks:
            lo[blocks["R5"]] = rules.special_ed_share_min * B
        if "R7" in blocks:
            lo[blocks["R7"]], hi[blocks["R7"]] = within_unit(rules.kindergarten_share * B, unit)
        hi[blocks["R9"]] = d.pcap
        if "R10" in blocks:
            prev = d.prev
            m = rules.stability_max_change
            hi[blocks["R10"]] = (1 + m) * prev * B
            lo[blocks["R10_lo"]] = (1 - m) * prev * B
        if "R11" in blocks:
            hi[blocks["R11"]] = d.needs.ravel()
