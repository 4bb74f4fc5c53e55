"""The allocation LP written out in PuLP's own expressions: the statement a reader can check.

:func:`pulp_model` writes each rule row of :mod:`~dekomopt.allocation.model` as a PuLP
expression over variables named by what they are (``owners_<region>_<theme>_<sector>``,
``uh_<region>_<partner>_…``, ``above_key_<region>``), one named constraint per row
(``R1_budget``, ``R2_key_<region>`` or, with sector keys, ``R2_key_<sector>_<region>``,
``R3_uh_min``, ``R4_cofin_<owner>``, …), with the bounds the rule objects of
:mod:`~dekomopt.allocation.rules` give. Solving it with any solver PuLP
drives (CBC, for instance) checks the fast path; ``dekomopt propose --write-lp`` writes it as
``.lp`` or ``.mps``. Units as in the model: every amount is a share of the budget.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pulp

from dekomopt.allocation.keys import draws_of, key_sectors
from dekomopt.allocation.model import active_rules, travel_excess
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules import TIE_BREAKS, Space, make_space
from dekomopt.allocation.rules.tiebreak import TIE_WEIGHT

Expr: TypeAlias = pulp.LpAffineExpression


def _id(text: str) -> str:
    """A name LP and MPS files accept: letters, digits and underscores."""
    return re.sub(r"\W", "_", text)


def _fund_names(problem: AllocationProblem, s: Space) -> list[str]:
    """The fund columns' variable names: owners' funds per region (split by FTE inside it)
    or per owner, then partners' funds on edges."""
    rids = [_id(r) for r in problem.region_ids]
    themes, sectors = problem.themes, problem.sectors
    if s.by_owner:
        units = [f"owner_{problem.owner_ids[i]}" for i in s.own_unit]
    else:
        units = [f"owners_{rids[r]}" for r in s.own_unit]
    own = zip(units, s.own_theme, s.own_sector, strict=True)
    y = zip(s.y_region, s.y_partner, s.y_theme, s.y_sector, strict=True)
    return [_id(f"{u}_{themes[t]}_{sectors[x]}") for u, t, x in own] + [
        _id(f"uh_{rids[r]}_{problem.partner_ids[p]}_{themes[t]}_{sectors[x]}") for r, p, t, x in y
    ]


def pulp_model(problem: AllocationProblem) -> pulp.LpProblem:
    """The allocation LP of ``problem`` as a PuLP problem (see the module doc)."""
    rules = problem.rules
    d = draws_of(problem)
    s = make_space(problem)
    rids = [_id(r) for r in problem.region_ids]
    themes, sectors = problem.themes, problem.sectors
    cells = [(t, x) for t in themes for x in sectors]
    owner_region = np.asarray(problem.owner_region, dtype=np.int64)
    active = active_rules(problem)
    # Column upper bounds the rules set (closed regions, non-participants, unknown needs).
    upper = np.full(s.tb, np.inf)
    for rule in active:
        for cols, hi in rule.lp_columns(s, d):
            upper[cols] = hi[0]

    def var(name: str, col: int | None = None) -> pulp.LpVariable:
        up = None if col is None or np.isinf(upper[col]) else float(upper[col])
        return pulp.LpVariable(_id(name), lowBound=0, upBound=up)

    funds = [var(name, j) for j, name in enumerate(_fund_names(problem, s))]
    own, y = funds[: s.n_own], funds[s.n_own :]
    region_of, theme_of, sector_of = s.funds_region, s.funds_theme, s.funds_sector

    def total(
        region: int | None = None,
        theme: str | None = None,
        sector: str | None = None,
        partners_only: bool = False,
    ) -> Expr:
        keep = np.ones(len(funds), dtype=bool)
        if region is not None:
            keep &= region_of == region
        if theme is not None:
            keep &= theme_of == themes.index(theme)
        if sector is not None:
            keep &= sector_of == sectors.index(sector)
        if partners_only:
            keep[: s.n_own] = False
        return pulp.lpSum(funds[j] for j in np.flatnonzero(keep))

    n_r = problem.n_regions
    # R2's deviations: per region, or per sector × region with sector keys.
    keyed: list[tuple[str | None, int]] = [
        (x, r) for x in key_sectors(problem) or [None] for r in range(n_r)
    ]
    labels = [rids[r] if x is None else f"{x}_{rids[r]}" for x, r in keyed]
    above = [var(f"above_key_{label}") for label in labels]
    below = [var(f"below_key_{label}") for label in labels]
    region_total = [total(r) for r in range(n_r)]
    uncovered = (
        [
            var(f"uncovered_{rids[r]}_{t}", s.unc + r * len(themes) + j)
            for r in range(n_r)
            for j, t in enumerate(themes)
        ]
        if s.unc >= 0
        else []
    )
    u = rules.uh_share_min
    per = len(cells)

    def owner_funds(i: int) -> Expr:
        if s.by_owner:
            return pulp.lpSum(own[i * per : (i + 1) * per])
        r = owner_region[i]
        return pulp.lpSum(own[r * per : (r + 1) * per])

    tie_terms: list[pulp.LpVariable] = []

    def tie(kind: str, expr: Expr, label: str) -> Expr:
        over, under = var(f"tb_{kind}_above_{label}"), var(f"tb_{kind}_below_{label}")
        tie_terms.extend([over, under])
        return expr - over + under

    cell_labels = [(r, t, x) for r in range(n_r) for t, x in cells]
    lhs = {
        "R1": lambda: [pulp.lpSum(funds)],
        "R2_key": lambda: [
            total(r, sector=x) - above[j] + below[j] for j, (x, r) in enumerate(keyed)
        ],
        "R2_key_hi": lambda: above,
        "R2_key_lo": lambda: below,
        "R3": lambda: (
            [total(partners_only=True)]
            if rules.uh_scope == "county"
            else [total(r, partners_only=True) - u * region_total[r] for r in range(n_r)]
        ),
        "R4": lambda: [owner_funds(i) for i in range(problem.n_owners)],
        "R5": lambda: [total(theme="special_ed")],
        "R7": lambda: [total(sector="kindergarten")],
        "R9": lambda: [
            pulp.lpSum(y[j] for j in np.flatnonzero(s.y_partner == p))
            for p in range(problem.n_partners)
        ],
        "R10_hi": lambda: region_total,
        "R10_lo": lambda: region_total,
        "R11": lambda: [
            total(r, t) + uncovered[r * len(themes) + j]
            for r in range(n_r)
            for j, t in enumerate(themes)
        ],
        "TB_partner": lambda: [
            tie("partner", total(r, t, x, partners_only=True), f"{rids[r]}_{t}_{x}")
            for r, t, x in cell_labels
        ],
        "TB_mix": lambda: [
            tie("mix", total(r, t, x), f"{rids[r]}_{t}_{x}") for r, t, x in cell_labels
        ],
        "TB_owner": lambda: [
            tie("owner", own[j], f"{problem.owner_ids[s.own_unit[j]]}_{themes[t]}_{sectors[x]}")
            for j, (t, x) in enumerate(zip(s.own_theme, s.own_sector, strict=True))
        ],
    }

    lp = pulp.LpProblem("allocation", pulp.LpMinimize)
    for rule in (*active, TIE_BREAKS):
        for rows, (lo, hi) in zip(rule.lp_rows(s), rule.lp_bounds(s, d), strict=True):
            for name, expr, row_lo, row_hi in zip(
                rows.names(), lhs[rows.block](), lo[0], hi[0], strict=True
            ):
                name = _id(name)
                if row_lo == row_hi:
                    lp += expr == row_lo, name
                    continue
                if np.isfinite(row_lo):
                    lp += expr >= row_lo, name if np.isinf(row_hi) else f"{name}_lo"
                if np.isfinite(row_hi):
                    lp += expr <= row_hi, name if np.isinf(row_lo) else f"{name}_hi"

    # Objective: key deviation, travel beyond each region's nearest partner, uncovered need
    # and the tie-breaking deviations.
    objective = pulp.lpSum(above) + pulp.lpSum(below)
    excess = travel_excess(problem)
    objective += pulp.lpSum(
        rules.distance_cost * excess[e] * y[j]
        for j, e in enumerate(s.y_edge)
        if rules.distance_cost and excess[e]
    )
    objective += pulp.lpSum(rules.need_cost * v for v in uncovered)
    objective += TIE_WEIGHT * pulp.lpSum(tie_terms)
    lp += objective
    return lp


def write_model(problem: AllocationProblem, path: Path) -> Path:
    """Write the PuLP statement as ``.lp`` or ``.mps`` (by the file's suffix)."""
    lp = pulp_model(problem)
    suffix = path.suffix.lower()
    if suffix == ".lp":
        lp.writeLP(str(path))
    elif suffix == ".mps":
        lp.writeMPS(str(path))
    else:
        raise ValueError(f"{path}: the model file must end in .lp or .mps, not {suffix!r}")
    return path


def pulp_amounts(problem: AllocationProblem, lp: pulp.LpProblem) -> np.ndarray:
    """Kroner over the amount vector (owners × themes × sectors, then edges) from a solved
    :func:`pulp_model`."""
    values = {v.name: v.varValue or 0.0 for v in lp.variables()}
    d = draws_of(problem)
    s = make_space(problem)
    v = np.array([[values.get(name, 0.0) for name in _fund_names(problem, s)]])
    return s.kroner(v, d.facts.owner_share, d.budget)[0]
