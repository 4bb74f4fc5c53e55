"""The allocation LP written out in PuLP's own expressions: the statement a reader can check.

:func:`pulp_model` writes every row the rule objects of :mod:`~dekomopt.allocation.rules`
give the LP (:mod:`~dekomopt.allocation.model`) as a PuLP expression over variables named by
what they are (``owners_<region>_<theme>_<sector>``, ``uh_<region>_<partner>_…``, a block's
own columns by its rows: ``above_R2_key_<region>``, ``uncovered_R11_need_<region>_<theme>``),
one constraint per row, named by its rule (``R1_budget``, ``R2_key_<region>`` or, with
sector keys, ``R2_key_<sector>_<region>``, ``R3_uh_min``, ``R4_cofin_<owner>``, …). A new rule
appears here without an edit. Solving it with any solver PuLP drives (CBC, for instance)
checks the HiGHS path; ``dekomopt propose --write-lp`` writes it as ``.lp`` or ``.mps``.
Units as in the model: every amount is a share of the budget.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pulp

from dekomopt.allocation.keys import draws_of
from dekomopt.allocation.model import active_rules, build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.rules import TIE_BREAKS, Space, make_space
from dekomopt.allocation.rules.tiebreak import n_tie_columns


def _id(text: str) -> str:
    """A name LP and MPS files accept: letters, digits and underscores."""
    return re.sub(r"\W", "_", text)


def _fund_names(problem: AllocationProblem, s: Space) -> list[str]:
    """The fund columns' variable names: owners' funds per region (split by FTE inside it)
    or per owner, then partners' funds on edges."""
    rids = [_id(r) for r in problem.region_ids]
    themes, sectors, partners = problem.themes, problem.sectors, problem.partner_ids
    names = []
    for u, r, p, t, x in zip(
        s.funds_unit, s.funds_region, s.funds_partner, s.funds_theme, s.funds_sector, strict=True
    ):
        if p >= 0:
            who = f"uh_{rids[r]}_{partners[p]}"
        else:
            who = f"owner_{problem.owner_ids[u]}" if s.by_owner else f"owners_{rids[u]}"
        names.append(_id(f"{who}_{themes[t]}_{sectors[x]}"))
    return names


def column_names(problem: AllocationProblem, s: Space) -> list[str]:
    """Every LP column's variable name: the funds by what they are, then the rule blocks' own
    columns (key and tie-break deviations, uncovered need) by their rows' names."""
    names = _fund_names(problem, s)
    names += [""] * (s.tb + n_tie_columns(s) - len(names))
    for rule in (*active_rules(problem), TIE_BREAKS):
        for rows in rule.lp_rows(s):
            for prefix, first in rows.own:
                for k, row in enumerate(rows.names()):
                    names[first + k] = _id(f"{prefix}_{row}")
    return names


def pulp_model(problem: AllocationProblem) -> pulp.LpProblem:
    """The allocation LP of ``problem`` as a PuLP problem (see the module doc)."""
    model = build_model(problem)
    x = [
        pulp.LpVariable(name, lowBound=0, upBound=None if np.isinf(hi) else float(hi))
        for name, hi in zip(column_names(problem, model.space), model.col_hi, strict=True)
    ]
    lp = pulp.LpProblem("allocation", pulp.LpMinimize)
    # Key deviation, travel beyond each region's nearest partner, uncovered need, tie-breaks.
    lp += pulp.LpAffineExpression(
        [(x[j], float(model.cost[j])) for j in np.flatnonzero(model.cost)]
    )
    a = model.matrix()
    for g, name in enumerate(model.row_names):
        cells = slice(a.indptr[g], a.indptr[g + 1])
        expr = pulp.LpAffineExpression(
            [(x[c], float(v)) for c, v in zip(a.indices[cells], a.data[cells], strict=True)]
        )
        lo, hi, name = model.row_lo[g], model.row_hi[g], _id(name)
        if lo == hi:
            lp += expr == lo, name
            continue
        if np.isfinite(lo):
            lp += expr >= lo, name if np.isinf(hi) else f"{name}_lo"
        if np.isfinite(hi):
            lp += expr <= hi, name if np.isinf(lo) else f"{name}_hi"
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
