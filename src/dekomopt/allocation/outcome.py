"""How each rule came out in a solved allocation: one check per rule row, numbers and ids only.

A :class:`RuleCheck` is one rule row of :mod:`~dekomopt.allocation.ruletable` with a finite
bound. ``met`` and ``slack`` are checked on the rounded kroner. ``binding`` has one meaning
everywhere (CLI, report, ``rules.json``, workbook), :func:`is_binding`: the LP optimum sits
on the row's bound (within :data:`AT_BOUND` of the budget), so the rule holds with equality
and shapes the result. An equality rule (R1, R7) always binds. ``shadow_price`` is the change
of the LP objective, in kroner of objective (the objective's unit is a share of the budget,
so one unit is the whole budget in kroner), per krone the row's bound is raised: 0 for a row
that does not bind, and 0 for a binding row whose dual is floating-point noise
(:data:`DUAL_NOISE`) — then relaxing that rule alone would not change the objective, because
other rows hold the optimum at the same point. Numbers within noise of 0 are 0. The words
for a check are the report's (:func:`dekomopt.report.rules_text.rule_sentences`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dekomopt.allocation.highs import HighsLP
from dekomopt.allocation.keys import draws_of, key_sectors
from dekomopt.allocation.model import active_rules, build_model
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation, Status
from dekomopt.allocation.rules import BY_ID, Draws, Space
from dekomopt.allocation.ruletable import CHECK_TOL, rule_table

AT_BOUND = 1e-9
"""A row is at its bound when its LP value is within this share of the budget of it."""
DUAL_NOISE = 1e-9
"""LP duals (objective per budget share) at or below this are floating-point noise: 0."""
RELAX_STEP_NOK = 1000.0
"""Kroner a binding row's bound is relaxed by (the county-wide UH minimum: 1 % of B)."""
KRONER_NOISE = 1e-6
"""Kroner values within this of a whole krone's fraction 0 are shown as that value."""


@dataclass(frozen=True)
class RuleCheck:
    """One rule row checked on the rounded kroner (see the module doc)."""

    rule: str
    """Rule id, "R3"."""
    name: str
    """Row name, identical to the LP row's name ("R3_uh_min", "R9_capacity_UiS")."""
    subject: str | None
    """Display name of the region, owner or partner the row is about; None when county-wide."""
    value: float
    """Kroner the rounded allocation gives the row."""
    bound: float
    sense: str
    """">=", "<=" or "==" (an equality, held to within ``within_nok``)."""
    within_nok: float
    """For "==": how far the value may lie either side of ``bound`` (less than one rounding
    unit, as the whole kroner need not hit a share of the budget exactly); otherwise 0."""
    met: bool
    binding: bool
    slack: float
    """Kroner between the value and the bound (the nearer bound for "==")."""
    shadow_price: float
    relax_step_nok: float | None
    """Kroner the bound is relaxed by for ``relax_change_nok`` (binding rows only)."""
    relax_change_nok: float | None
    """Change of the objective, in kroner, when the bound is relaxed by ``relax_step_nok``
    (the LP re-solved with that bound relaxed; 0 when the row has no shadow price):
    the objective is the kroner by which regions miss their FTE key share, plus the model's
    travel, need and tie-break terms (:mod:`~dekomopt.allocation.model`)."""
    relax_change_per_fte_nok: float | None
    """``relax_change_nok`` per teacher FTE of the row's region or owner (of the county for
    county-wide and partner rows); None where those FTEs are 0."""
    params: dict[str, float | str] = field(default_factory=dict)
    """What the report's words need beyond the fields: ``sector`` (R2 rows of a key per
    sector), ``uh_share_min`` (the county-wide R3 row), ``required_cofinancing_nok`` (R4),
    ``rounding_unit_nok`` (when above 1 kr), ``key_widened_nok`` (an R2 row whose bound one
    rounding unit less a krone widens beyond the key tolerance)."""


def is_binding(lp_gap_share: float) -> bool:
    """The one definition of a binding row: the LP optimum is on its bound (``lp_gap_share``,
    the distance to the bound as a share of the budget)."""
    return bool(abs(lp_gap_share) <= AT_BOUND)


def _gap(lo: float, hi: float, value: float) -> float:
    """Distance of ``value`` to the nearer of its finite bounds."""
    return min(abs(value - b) for b in (lo, hi) if np.isfinite(b))


def _clean(x: float) -> float:
    """``x`` with floating-point noise around whole kroner removed, and never -0.0."""
    near = round(x)
    y = float(near) if abs(x - near) <= KRONER_NOISE else float(x)
    return y + 0.0


def _subjects(problem: AllocationProblem) -> tuple[dict[str, tuple[str, float]], float]:
    """Per name of a row about one region, owner or partner: its display name and the
    teacher FTEs it concerns (a partner's: the county's); and the county's teacher FTEs."""
    fte = np.where(problem.owner_participates, problem.owner_fte, 0.0)
    region_fte = np.bincount(problem.owner_region, fte, problem.n_regions)
    county = float(fte.sum())
    per_region = ["R2_key_hi", "R2_key_lo", "R3_uh_min", "R10_stability_hi", "R10_stability_lo"]
    per_region += [f"R2_key_{b}_{x}" for x in key_sectors(problem) for b in ("hi", "lo")]
    out: dict[str, tuple[str, float]] = {}
    for r, f in zip(problem.region_ids, region_fte, strict=True):
        out |= {f"{row}_{r}": (r, float(f)) for row in per_region}
        out |= {f"R11_need_{r}_{t}": (f"{r}, {t}", float(f)) for t in problem.themes}
    for o, name, f in zip(problem.owner_ids, problem.owner_names, fte, strict=True):
        out[f"R4_cofin_{o}"] = (name, float(f))
    for p, name in zip(problem.partner_ids, problem.partner_names, strict=True):
        out[f"R9_capacity_{p}"] = (name, county)
    return out, county


def _lp_per_nok(s: Space, d: Draws) -> dict[str, float]:
    """Per LP row name: budget shares its bound moves per krone of its check row's bound."""
    out: dict[str, float] = {}
    for rule in active_rules(s.problem):
        for rows, scale in zip(rule.lp_rows(s), rule.lp_per_nok(s, d), strict=True):
            out.update(zip(rows.names(), scale[0].tolist(), strict=True))
    return out


class _Relaxer:
    """The LP of a problem, re-solved with one row's bound relaxed."""

    def __init__(self, problem: AllocationProblem) -> None:
        self.model = build_model(problem)
        self.lp = HighsLP.of(self.model)
        self.budget = float(problem.budget_nok)
        self.base = self._objective(self.model.row_lo, self.model.row_hi)

    def _objective(self, lo: np.ndarray, hi: np.ndarray) -> float | None:
        self.lp.set_row_bounds(lo, hi)
        if self.lp.run() is not Status.OPTIMAL:
            return None
        return self.lp.solution().objective * self.budget

    def change(self, name: str, shares: float) -> float | None:
        """Kroner of objective gained by widening row ``name``'s finite bounds by ``shares``
        (budget shares); None when a re-solve does not reach an optimum. Never positive:
        relaxing a bound cannot raise a minimum, so a rise is the solver's tolerance."""
        m = self.model
        g = m.row_names.index(name)
        lo, hi = m.row_lo.copy(), m.row_hi.copy()
        lo[g] -= shares
        hi[g] += shares
        relaxed = self._objective(lo, hi)
        if relaxed is None or self.base is None:
            return None
        return _clean(min(relaxed - self.base, 0.0))


def rule_report(problem: AllocationProblem, allocation: Allocation) -> list[RuleCheck]:
    """One :class:`RuleCheck` per rule row with a finite bound (see the module doc)."""
    table = rule_table(problem)
    values = table.values(allocation.amounts)
    lp_values = table.values(allocation.lp_amounts)
    B = float(problem.budget_nok)
    rows = {n: g for g, n in enumerate(allocation.row_names)}
    relax = _Relaxer(problem)
    s, d = relax.model.space, draws_of(problem)
    per_nok = _lp_per_nok(s, d)
    subjects, county_fte = _subjects(problem)
    unit = problem.rules.rounding_unit_nok
    out = []
    for g, (rule, name) in enumerate(zip(table.rule, table.name, strict=True)):
        lo, hi = float(table.lo[g]), float(table.hi[g])
        if not (np.isfinite(lo) or np.isfinite(hi)):
            continue
        value = _clean(float(values[g]))
        # On the LP's own row where there is one (its bound, before any widening by a
        # rounding unit), else on the check row's bound.
        if (r := rows.get(name)) is not None:
            m = relax.model
            binding = is_binding(_gap(m.row_lo[r], m.row_hi[r], allocation.row_values[r]))
        else:
            binding = is_binding(_gap(lo, hi, float(lp_values[g])) / B)
        within = 0.0
        if np.isfinite(lo) and np.isfinite(hi):
            sense, bound, within = "==", (lo + hi) / 2, (hi - lo) / 2
            slack = min(value - lo, hi - value)
        else:
            sense = ">=" if np.isfinite(lo) else "<="
            value, bound = BY_ID[rule].shown(name, value, lo if sense == ">=" else hi, allocation)
            slack = value - bound if sense == ">=" else bound - value
        met = bool(slack >= -CHECK_TOL)
        dual = 0.0 if r is None else float(np.nan_to_num(allocation.row_duals[r], nan=0.0))
        priced = binding and abs(dual) > DUAL_NOISE
        shadow = dual * per_nok.get(name, 1.0 / B) * B if priced else 0.0
        subject, fte = subjects.get(name, (None, county_fte))
        params: dict[str, float | str] = {"rounding_unit_nok": unit} if unit > 1 else {}
        params |= BY_ID[rule].params(name, s, d, allocation)
        step = change = per_fte = None
        if binding:
            # One percentage point of the budget for the county-wide UH minimum.
            step = 0.01 * B if name == "R3_uh_min" else RELAX_STEP_NOK
            change = relax.change(name, step * per_nok.get(name, 1.0 / B)) if priced else 0.0
            per_fte = None if change is None or fte <= 0 else change / fte + 0.0
        out.append(
            RuleCheck(
                rule=rule,
                name=name,
                subject=subject,
                value=value,
                bound=_clean(bound),
                sense=sense,
                within_nok=_clean(within),
                met=met,
                binding=binding,
                slack=_clean(slack),
                shadow_price=shadow + 0.0,
                relax_step_nok=step,
                relax_change_nok=change,
                relax_change_per_fte_nok=per_fte,
                params=params,
            )
        )
    return out
