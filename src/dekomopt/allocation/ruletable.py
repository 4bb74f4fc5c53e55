"""The rules as linear rows over the kroner amounts: what rounding keeps and the report checks.

Amounts are the vector a = (x[i, t, s] for owners, then y[e, t, s] for edges) in kroner.
Each row says ``lo ≤ coef · a ≤ hi``; its name matches the LP row it mirrors, so the LP dual
of that row is the rule's shadow price. Equality rules on shares of the budget (R7) hold to
within one rounding unit, since a share of the budget need not be a whole multiple of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.keys import key_facts, previous_shares, region_needs
from dekomopt.allocation.problem import AllocationProblem

CHECK_TOL = 1e-6
"""Kroner of floating-point slack allowed when checking integer amounts against a bound."""


def within_unit(target: np.ndarray | float, unit: int) -> tuple[np.ndarray, np.ndarray]:
    """Whole-krone bounds strictly less than one rounding unit either side of ``target``: an
    amount the LP sets to a share of the budget need not be a whole multiple of the unit."""
    t = np.asarray(target, dtype=float)
    return np.floor(t - unit) + 1, np.ceil(t + unit) - 1


def key_band(key: np.ndarray, budget: float, tolerance: float, unit: int):
    """R2: each region's total within ±tolerance of its key share of the budget, and in any
    case within less than one rounding unit of it (so tolerance 0 means the key share
    rounded by largest remainder, see :mod:`~dekomopt.allocation.rounding`)."""
    target = key * budget
    lo, hi = within_unit(target, unit)
    return np.minimum((1 - tolerance) * target, lo), np.maximum((1 + tolerance) * target, hi)


@dataclass(frozen=True)
class RuleTable:
    """Rule rows over the amount vector, with the data needed to explain them."""

    rule: tuple[str, ...]
    """Rule id per row ("R3")."""
    name: tuple[str, ...]
    """Row name, identical to the LP row's name."""
    coef: sp.csr_matrix
    lo: np.ndarray
    hi: np.ndarray
    region_of: np.ndarray
    """Region of every amount entry."""
    signature: tuple[tuple[str, int], ...]
    """(rule, number of rows) per block: tables with equal signatures share a pattern."""

    def values(self, amounts: np.ndarray) -> np.ndarray:
        return self.coef @ np.asarray(amounts, dtype=float)

    def violations(self, amounts: np.ndarray) -> np.ndarray:
        """Indices of rows the amounts break."""
        val = self.values(amounts)
        return np.flatnonzero((val < self.lo - CHECK_TOL) | (val > self.hi + CHECK_TOL))


def amount_layout(problem: AllocationProblem) -> dict[str, np.ndarray]:
    """Owner/edge, region, partner, theme and sector of every amount entry."""
    n_t, n_s = len(problem.themes), len(problem.sectors)
    n_i, n_e = problem.n_owners, len(problem.edge_region)
    per = n_t * n_s
    owner = np.repeat(np.arange(n_i), per)
    edge = np.repeat(np.arange(n_e), per)
    return {
        "is_owner": np.r_[np.ones(n_i * per, bool), np.zeros(n_e * per, bool)],
        "unit": np.r_[owner, edge],
        "region": np.r_[
            np.asarray(problem.owner_region, dtype=np.int64)[owner],
            np.asarray(problem.edge_region, dtype=np.int64)[edge],
        ],
        "partner": np.r_[np.full(n_i * per, -1), np.asarray(problem.edge_partner)[edge]],
        "theme": np.tile(np.repeat(np.arange(n_t), n_s), n_i + n_e),
        "sector": np.tile(np.arange(n_s), (n_i + n_e) * n_t),
    }


def rule_table(problem: AllocationProblem, like: RuleTable | None = None) -> RuleTable:
    """Every active rule of ``problem`` as rows over the kroner amounts.

    Rows exist for every owner, partner and region×theme even where the bound is infinite
    (no cap reported), so the pattern depends only on the structure and the rules; ``like``
    (a table of the same structure) lends its matrix and names, and only bounds are computed.
    """
    rules = problem.rules
    B = float(problem.budget_nok)
    unit = rules.rounding_unit_nok
    lay = amount_layout(problem)
    n = len(lay["unit"])
    is_y = ~lay["is_owner"]
    facts = key_facts(problem)
    n_r, n_t = problem.n_regions, len(problem.themes)
    rid, themes = problem.region_ids, problem.themes
    owner_of = np.where(lay["is_owner"], lay["unit"], -1)
    blocks: list[tuple] = []

    def add(rule, names, group, lo, hi, coef=1.0, count=1) -> None:
        """``count`` rows ``lo[g] ≤ Σ_{entries of group g} coef·a ≤ hi[g]``; group −1 = none."""
        lo = np.broadcast_to(np.asarray(lo, dtype=float), (count,))
        hi = np.broadcast_to(np.asarray(hi, dtype=float), (count,))
        blocks.append((rule, names, np.asarray(group), lo, hi, coef))

    def per_region(prefix):
        return lambda: [f"{prefix}_{r}" for r in rid]

    zeros = np.zeros(n, dtype=np.int64)
    add("R1", ["R1_budget"], zeros, B, B)
    if rules.key_tolerance is not None:
        key_lo, key_hi = key_band(facts.key, B, rules.key_tolerance, unit)
        add("R2", per_region("R2_key_hi"), lay["region"], -np.inf, key_hi, count=n_r)
        add("R2", per_region("R2_key_lo"), lay["region"], key_lo, np.inf, count=n_r)
    u = rules.uh_share_min
    if u > 0 and rules.uh_scope == "county":
        add("R3", ["R3_uh_min"], np.where(is_y, 0, -1), u * B, np.inf)
    elif u > 0:
        add(
            "R3",
            per_region("R3_uh_min"),
            lay["region"],
            0.0,
            np.inf,
            np.where(is_y, 1 - u, -u),
            n_r,
        )
    cap = _nan_inf(np.asarray(problem.owner_cofin_capacity, dtype=float))
    if rules.cofinancing_share > 0 and np.isfinite(cap).any():
        names = lambda: [f"R4_cofin_{o}" for o in problem.owner_ids]  # noqa: E731
        add("R4", names, owner_of, -np.inf, cap, rules.cofinancing_share, len(cap))
    if rules.special_ed_share_min > 0 and "special_ed" in themes:
        sel = lay["theme"] == themes.index("special_ed")
        add(
            "R5",
            ["R5_special_ed_min"],
            np.where(sel, 0, -1),
            rules.special_ed_share_min * B,
            np.inf,
        )
    if rules.kindergarten_share is not None and "kindergarten" in problem.sectors:
        sel = lay["sector"] == problem.sectors.index("kindergarten")
        lo, hi = within_unit(rules.kindergarten_share * B, unit)
        add("R7", ["R7_kindergarten"], np.where(sel, 0, -1), lo, hi)
    absent = ~np.asarray(problem.owner_participates, dtype=bool)
    if absent.any():
        in_absent = lay["is_owner"] & absent[np.where(lay["is_owner"], lay["unit"], 0)]
        add("R8", ["R8_non_participants"], np.where(in_absent, 0, -1), 0.0, 0.0)
    pcap = _nan_inf(np.asarray(problem.partner_capacity, dtype=float))
    if np.isfinite(pcap).any():
        names = lambda: [f"R9_capacity_{p}" for p in problem.partner_ids]  # noqa: E731
        add("R9", names, lay["partner"], -np.inf, pcap, count=len(pcap))
    prev = previous_shares(problem)
    if prev is not None:
        m = rules.stability_max_change
        add(
            "R10",
            per_region("R10_stability_hi"),
            lay["region"],
            -np.inf,
            (1 + m) * prev * B,
            count=n_r,
        )
        add(
            "R10",
            per_region("R10_stability_lo"),
            lay["region"],
            (1 - m) * prev * B,
            np.inf,
            count=n_r,
        )
    needs = region_needs(problem)
    if needs is not None:
        names = lambda: [f"R11_need_{r}_{t}" for r in rid for t in themes]  # noqa: E731
        add(
            "R11",
            names,
            lay["region"] * n_t + lay["theme"],
            -np.inf,
            needs.ravel(),
            count=n_r * n_t,
        )

    lo = np.concatenate([b[3] for b in blocks])
    hi = np.concatenate([b[4] for b in blocks])
    signature = tuple((b[0], len(b[3])) for b in blocks)
    if like is not None and like.signature == signature:
        return RuleTable(like.rule, like.name, like.coef, lo, hi, like.region_of, signature)
    r_list, c_list, v_list, rule_ids, names_out = [], [], [], [], []
    offset = 0
    for rule, names, group, b_lo, _, coef in blocks:
        sel = group >= 0
        r_list.append(group[sel] + offset)
        c_list.append(np.flatnonzero(sel))
        v_list.append(np.broadcast_to(np.asarray(coef, dtype=float), (n,))[sel])
        row_names = names() if callable(names) else names
        rule_ids.extend([rule] * len(row_names))
        names_out.extend(row_names)
        offset += len(b_lo)
    coef_matrix = sp.csr_matrix(
        (np.concatenate(v_list), (np.concatenate(r_list), np.concatenate(c_list))),
        shape=(offset, n),
    )
    return RuleTable(
        rule=tuple(rule_ids),
        name=tuple(names_out),
        coef=coef_matrix,
        lo=lo,
        hi=hi,
        region_of=lay["region"],
        signature=signature,
    )


def _nan_inf(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), np.inf, a)
