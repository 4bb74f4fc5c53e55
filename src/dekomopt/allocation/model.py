"""The allocation LP as arrays: one statement of rules R1–R13 that every solver path reads.

Units: every variable is a share of the budget B (1.0 = the whole budget), so costs and
tolerances do not depend on the budget's size; amounts in kroner are ``value × B``.

Columns (all ≥ 0):

* owners' funds: with ``owner_split="fte"`` one column n[r, t, s] per region (the owners'
  part of region r for theme t and sector s; owner i receives fte_i/FTE_r · n[r, t, s], which
  is R2's split by FTE for every sector and theme); with ``"free"`` one column x[i, t, s] per
  owner. Non-participating owners (R8) and regions without participating FTEs have upper
  bound 0.
* partners' funds y[e, t, s] on partnership edges (R9: money to partners only on edges).
* key deviations dev⁺_r, dev⁻_r; uncovered need u[r, t] (R11); tie-breaking deviations.

Objective (minimised):

    Σ_r (dev⁺_r + dev⁻_r)                                 key deviation, |R_r − k_r·B| / B
  + distance_cost · Σ_e (km_e − km_min(r_e)) / km_max · y_e   travel beyond the region's
                                                          nearest partner (so it chooses the
                                                          partner, never the region)
  + need_cost · Σ_{r,t} u[r, t]                            reported need left uncovered / B
  + 1e-4 · Σ |tie-break deviations|

The tie-breaking terms aim each region's partner funds per theme and sector at
k_r · uh_share_min · z[t, s] and each region's funds per theme and sector at k_r · z[t, s]
(z from :func:`~dekomopt.allocation.keys.target_mix`), and, with ``owner_split="free"``,
each owner's funds at its FTE part of that. Their targets are constants, so only right-hand
sides change when FTEs, participation or the budget change. Together they make the optimum
unique whenever the key can be met exactly: partners get exactly the UH minimum, special
education exactly its minimum, and every region the same mix.

Every row is named by its rule: ``R1_budget``, ``R2_key_<region>``, ``R2_key_hi_<region>``,
``R3_uh_min`` (or ``R3_uh_min_<region>``), ``R4_cofin_<owner>``, ``R5_special_ed_min``,
``R7_kindergarten``, ``R9_capacity_<partner>``, ``R10_stability_hi_<region>``,
``R11_need_<region>_<theme>``, ``TB_...`` for tie-breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from dekomopt.allocation.keys import (
    KeyFacts,
    key_facts,
    previous_shares,
    region_needs,
    target_mix,
)
from dekomopt.allocation.problem import AllocationProblem

TIE_WEIGHT = 1e-4
"""Cost of a tie-breaking deviation, per budget share: far below every rule's own cost."""


@dataclass(frozen=True)
class Layout:
    """Where each kind of column sits; sizes in the problem's (T themes, S sectors)."""

    owner_split: str
    n_own: int
    n_y: int
    n_regions: int
    n_themes: int
    n_sectors: int
    dev: int
    unc: int
    """first uncovered-need column, or -1 when R11 is off."""
    n_cols: int

    @property
    def own(self) -> slice:
        return slice(0, self.n_own)

    @property
    def y(self) -> slice:
        return slice(self.n_own, self.n_own + self.n_y)


@dataclass
class LinearModel:
    """An LP in HiGHS form: min cost·v, col_lo ≤ v ≤ col_hi, row_lo ≤ A v ≤ row_hi."""

    layout: Layout
    facts: KeyFacts
    cost: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    row_names: tuple[str, ...]
    col_names: tuple[str, ...]
    row_blocks: dict[str, slice] = field(default_factory=dict)
    """Rows of each block ("R2_key", "R11", "TB_mix", …), for updating bounds in place."""

    @property
    def n_rows(self) -> int:
        return len(self.row_lo)

    def matrix(self) -> sp.csr_matrix:
        """The constraint matrix A (rows × columns)."""
        return sp.csr_matrix(
            (self.vals, (self.rows, self.cols)), shape=(self.n_rows, len(self.cost))
        )


class _Rows:
    """Accumulates row blocks (pattern, bounds and optionally names)."""

    def __init__(self, with_names: bool) -> None:
        self.with_names = with_names
        self.n = 0
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.names: list[str] = []
        self.blocks: dict[str, slice] = {}

    def add(self, block, names, lo, hi, r, c, v) -> None:
        lo, hi = np.broadcast_arrays(
            np.atleast_1d(np.asarray(lo, dtype=float)), np.asarray(hi, dtype=float)
        )
        self.lo.append(lo)
        self.hi.append(hi)
        self.r.append(np.asarray(r, dtype=np.int64) + self.n)
        self.c.append(np.asarray(c, dtype=np.int64))
        self.v.append(np.broadcast_to(np.asarray(v, dtype=float), np.shape(c)))
        if self.with_names:
            self.names.extend(names() if callable(names) else names)
        self.blocks[block] = slice(self.n, self.n + len(lo))
        self.n += len(lo)


def _space(problem: AllocationProblem, facts: KeyFacts, by_owner: bool) -> dict[str, np.ndarray]:
    """Region, theme, sector (and owner) of each owner-funds column and partner column."""
    n_t, n_s = len(problem.themes), len(problem.sectors)
    n_units = problem.n_owners if by_owner else problem.n_regions
    unit = np.repeat(np.arange(n_units), n_t * n_s)
    theme = np.tile(np.repeat(np.arange(n_t), n_s), n_units)
    sector = np.tile(np.arange(n_s), n_units * n_t)
    n_e = len(problem.edge_region)
    edge = np.repeat(np.arange(n_e), n_t * n_s)
    own_region = np.asarray(problem.owner_region)[unit] if by_owner else unit
    return {
        "own_unit": unit,
        "own_region": own_region,
        "own_theme": theme,
        "own_sector": sector,
        "y_edge": edge,
        "y_region": np.asarray(problem.edge_region, dtype=np.int64)[edge],
        "y_partner": np.asarray(problem.edge_partner, dtype=np.int64)[edge],
        "y_theme": np.tile(np.repeat(np.arange(n_t), n_s), n_e),
        "y_sector": np.tile(np.arange(n_s), n_e * n_t),
    }


def _nan_inf(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), np.inf, a)


def build_model(problem: AllocationProblem, with_names: bool = True) -> LinearModel:
    """The allocation LP of ``problem``; the pattern depends only on its structure and rules."""
    rules = problem.rules
    facts = key_facts(problem)
    B = float(problem.budget_nok)
    by_owner = rules.owner_split == "free"
    sp = _space(problem, facts, by_owner)
    n_r, n_t, n_s = problem.n_regions, len(problem.themes), len(problem.sectors)
    n_own, n_y = len(sp["own_unit"]), len(sp["y_edge"])
    own = np.arange(n_own)
    y = n_own + np.arange(n_y)
    dev = n_own + n_y
    needs = region_needs(problem)
    unc = dev + 2 * n_r if needs is not None else -1
    tb = dev + 2 * n_r + (n_r * n_t if needs is not None else 0)
    n_cells = n_r * n_t * n_s
    n_tb = 4 * n_cells + (2 * n_own if by_owner else 0)
    n_cols = tb + n_tb
    layout = Layout(rules.owner_split, n_own, n_y, n_r, n_t, n_s, dev, unc, n_cols)

    cost = np.zeros(n_cols)
    col_lo = np.zeros(n_cols)
    col_hi = np.full(n_cols, np.inf)
    if by_owner:
        col_hi[own] = np.where(np.asarray(problem.owner_participates)[sp["own_unit"]], np.inf, 0)
    else:
        col_hi[own] = np.where(facts.region_fte[sp["own_unit"]] > 0, np.inf, 0.0)
    col_hi[y] = np.where(facts.region_active[sp["y_region"]], np.inf, 0.0)
    edge_km = np.asarray(problem.edge_km, dtype=float)
    if len(edge_km):
        nearest = np.full(n_r, np.inf)
        np.minimum.at(nearest, np.asarray(problem.edge_region), edge_km)
        excess = edge_km - nearest[np.asarray(problem.edge_region)]
        cost[y] = rules.distance_cost * excess[sp["y_edge"]] / edge_km.max()
    cost[dev : dev + 2 * n_r] = 1.0
    cost[tb:] = TIE_WEIGHT

    all_cols = np.concatenate([own, y])
    all_region = np.concatenate([sp["own_region"], sp["y_region"]])
    all_theme = np.concatenate([sp["own_theme"], sp["y_theme"]])
    all_sector = np.concatenate([sp["own_sector"], sp["y_sector"]])
    rids, tids, sids = problem.region_ids, problem.themes, problem.sectors
    region_names = lambda prefix: [f"{prefix}_{r}" for r in rids]  # noqa: E731
    rows = _Rows(with_names)

    rows.add("R1", ["R1_budget"], 1.0, 1.0, np.zeros(len(all_cols)), all_cols, 1.0)
    k = facts.key
    rows.add(
        "R2_key",
        region_names("R2_key"),
        k,
        k,
        np.concatenate([all_region, np.arange(n_r), np.arange(n_r)]),
        np.concatenate([all_cols, dev + np.arange(n_r), dev + n_r + np.arange(n_r)]),
        np.concatenate([np.ones(len(all_cols)), -np.ones(n_r), np.ones(n_r)]),
    )
    if rules.key_tolerance is not None:
        tol = rules.key_tolerance * k
        rows.add(
            "R2_key_hi",
            region_names("R2_key_hi"),
            -np.inf,
            tol,
            np.arange(n_r),
            dev + np.arange(n_r),
            1,
        )
        rows.add(
            "R2_key_lo",
            region_names("R2_key_lo"),
            -np.inf,
            tol,
            np.arange(n_r),
            dev + n_r + np.arange(n_r),
            1,
        )
    u = rules.uh_share_min
    if u > 0 and rules.uh_scope == "county":
        rows.add("R3", ["R3_uh_min"], u, np.inf, np.zeros(n_y), y, 1.0)
    elif u > 0:
        coef = np.concatenate([np.full(n_own, -u), np.full(n_y, 1.0 - u)])
        rows.add("R3", region_names("R3_uh_min"), np.zeros(n_r), np.inf, all_region, all_cols, coef)
    if rules.cofinancing_share > 0 and np.isfinite(problem.owner_cofin_capacity).any():
        cap = _nan_inf(np.asarray(problem.owner_cofin_capacity, dtype=float))
        c = rules.cofinancing_share
        owner_region = np.asarray(problem.owner_region)
        if by_owner:
            hi = cap / (c * B)
            r_idx, c_idx = sp["own_unit"], own
        else:
            # The owner's total is fte_i/FTE_r of its region's owners' part.
            share = facts.owner_share
            hi = np.divide(cap, c * B * share, out=np.full(len(cap), np.inf), where=share > 0)
            hi[np.isinf(cap)] = np.inf
            per_region = n_t * n_s
            r_idx = np.repeat(np.arange(problem.n_owners), per_region)
            c_idx = (owner_region[:, None] * per_region + np.arange(per_region)).ravel()
        rows.add("R4", [f"R4_cofin_{o}" for o in problem.owner_ids], -np.inf, hi, r_idx, c_idx, 1.0)
    if rules.special_ed_share_min > 0 and "special_ed" in tids:
        sel = all_theme == tids.index("special_ed")
        rows.add(
            "R5",
            ["R5_special_ed_min"],
            rules.special_ed_share_min,
            np.inf,
            np.zeros(sel.sum()),
            all_cols[sel],
            1,
        )
    if rules.kindergarten_share is not None and "kindergarten" in sids:
        sel = all_sector == sids.index("kindergarten")
        kg = rules.kindergarten_share
        rows.add("R7", ["R7_kindergarten"], kg, kg, np.zeros(sel.sum()), all_cols[sel], 1)
    pcap = _nan_inf(np.asarray(problem.partner_capacity, dtype=float)) / B
    rows.add(
        "R9",
        [f"R9_capacity_{p}" for p in problem.partner_ids],
        -np.inf,
        pcap,
        sp["y_partner"],
        y,
        1,
    )
    prev = previous_shares(problem)
    if prev is not None:
        m = rules.stability_max_change
        rows.add(
            "R10_hi",
            region_names("R10_stability_hi"),
            -np.inf,
            (1 + m) * prev,
            all_region,
            all_cols,
            1,
        )
        rows.add(
            "R10_lo",
            region_names("R10_stability_lo"),
            (1 - m) * prev,
            np.inf,
            all_region,
            all_cols,
            1,
        )
    if needs is not None:
        cell = all_region * n_t + all_theme
        need = (needs / B).ravel()
        finite = np.isfinite(need)
        col_hi[unc : unc + n_r * n_t] = np.where(finite, np.inf, 0.0)
        cost[unc : unc + n_r * n_t] = rules.need_cost
        rows.add(
            "R11",
            lambda: [f"R11_need_{r}_{t}" for r in rids for t in tids],
            np.where(finite, need, -np.inf),
            np.where(finite, need, np.inf),
            np.concatenate([cell, np.arange(n_r * n_t)]),
            np.concatenate([all_cols, unc + np.arange(n_r * n_t)]),
            1,
        )

    z = target_mix(problem).ravel()
    cell_names = lambda p: [f"{p}_{r}_{t}_{s}" for r in rids for t in tids for s in sids]  # noqa: E731
    cell_of = lambda reg, th, se: (reg * n_t + th) * n_s + se  # noqa: E731
    cells = np.arange(n_cells)
    targets = np.repeat(k, n_t * n_s) * np.tile(z, n_r)
    y_cell = cell_of(sp["y_region"], sp["y_theme"], sp["y_sector"])
    pos = tb + np.arange(n_cells)
    rows.add(
        "TB_partner",
        lambda: cell_names("TB_partner"),
        u * targets,
        u * targets,
        np.concatenate([y_cell, cells, cells]),
        np.concatenate([y, pos, pos + n_cells]),
        np.concatenate([np.ones(n_y), -np.ones(n_cells), np.ones(n_cells)]),
    )
    all_cell = cell_of(all_region, all_theme, all_sector)
    pos = tb + 2 * n_cells + np.arange(n_cells)
    rows.add(
        "TB_mix",
        lambda: cell_names("TB_mix"),
        targets,
        targets,
        np.concatenate([all_cell, cells, cells]),
        np.concatenate([all_cols, pos, pos + n_cells]),
        np.concatenate([np.ones(n_own + n_y), -np.ones(n_cells), np.ones(n_cells)]),
    )
    if by_owner:
        owner_target = (
            facts.owner_share[sp["own_unit"]]
            * (1 - u)
            * targets[cell_of(sp["own_region"], sp["own_theme"], sp["own_sector"])]
        )
        pos = tb + 4 * n_cells + own
        rows.add(
            "TB_owner",
            lambda: [
                f"TB_owner_{o}_{t}_{s}" for o in problem.owner_ids for t in tids for s in sids
            ],
            owner_target,
            owner_target,
            np.concatenate([own, own, own]),
            np.concatenate([own, pos, pos + n_own]),
            np.concatenate([np.ones(n_own), -np.ones(n_own), np.ones(n_own)]),
        )

    col_names: tuple[str, ...] = ()
    if with_names:
        unit_ids = problem.owner_ids if by_owner else rids
        col_names = tuple(
            [
                f"{'x' if by_owner else 'n'}_{unit_ids[i]}_{tids[t]}_{sids[s]}"
                for i, t, s in zip(sp["own_unit"], sp["own_theme"], sp["own_sector"], strict=True)
            ]
            + [
                f"y_{e}_{tids[t]}_{sids[s]}"
                for e, t, s in zip(sp["y_edge"], sp["y_theme"], sp["y_sector"], strict=True)
            ]
            + [f"devpos_{r}" for r in rids]
            + [f"devneg_{r}" for r in rids]
            + ([f"uncovered_{r}_{t}" for r in rids for t in tids] if needs is not None else [])
            + [f"tb_{j}" for j in range(n_tb)]
        )
    return LinearModel(
        layout=layout,
        facts=facts,
        cost=cost,
        col_lo=col_lo,
        col_hi=col_hi,
        row_lo=np.concatenate(rows.lo),
        row_hi=np.concatenate(rows.hi),
        rows=np.concatenate(rows.r),
        cols=np.concatenate(rows.c),
        vals=np.concatenate(rows.v),
        row_names=tuple(rows.names),
        col_names=col_names,
        row_blocks=rows.blocks,
    )


def owner_amounts_from(problem: AllocationProblem, model: LinearModel, v: np.ndarray) -> np.ndarray:
    """Owners × themes × sectors funds as budget shares, from an LP solution ``v``."""
    lay = model.layout
    own = v[lay.own].reshape(-1, lay.n_themes, lay.n_sectors)
    if lay.owner_split == "free":
        return own
    share = model.facts.owner_share
    return share[:, None, None] * own[np.asarray(problem.owner_region)]
