"""How each rule came out in a solved allocation: one check per rule row, one outcome per rule.

A :class:`RuleCheck` is one rule row of :mod:`~dekomopt.allocation.ruletable` with a finite
bound. ``met`` and ``slack`` are checked on the rounded kroner. ``binding`` has one meaning
everywhere (CLI, report, ``rules.json``, workbook), :func:`is_binding`: the LP optimum sits
on the row's bound (within :data:`AT_BOUND` of the budget), so the rule holds with equality
and shapes the result. An equality rule (R1, R7) always binds. ``shadow_price`` is the change
of the LP objective, in kroner of objective (the objective's unit is a share of the budget,
so one unit is the whole budget in kroner), per krone the row's bound is raised: 0 for a row
that does not bind, and 0 for a binding row whose dual is floating-point noise
(:data:`DUAL_NOISE`) — then relaxing that rule alone would not change the objective, because
other rows hold the optimum at the same point. Numbers within noise of 0 are 0.

Checks are mappings as well (``check["met"]``), so the report's readers and ``rules.json``
read them as rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.allocation.rules import BY_ID
from dekomopt.allocation.ruletable import CHECK_TOL, rule_table
from dekomopt.formats import format_nok

AT_BOUND = 1e-9
"""A row is at its bound when its LP value is within this share of the budget of it."""
DUAL_NOISE = 1e-9
"""LP duals (objective per budget share) at or below this are floating-point noise: 0."""
KRONER_NOISE = 1e-6
"""Kroner values within this of a whole krone's fraction 0 are shown as that value."""

_FIELDS = (
    "rule",
    "name",
    "subject",
    "value",
    "bound",
    "sense",
    "met",
    "binding",
    "slack",
    "shadow_price",
    "explanation",
    "params",
)


@dataclass(frozen=True)
class RuleCheck(Mapping[str, object]):
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
    """">=", "<=" or "==" (an equality held to within one rounding unit)."""
    met: bool
    binding: bool
    slack: float
    """Kroner between the value and the bound (the nearer bound for "==")."""
    shadow_price: float
    explanation: str
    """One English sentence; the report phrases the same numbers in nb, nn and en."""
    params: dict[str, float | str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> object:
        if key not in _FIELDS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_FIELDS)

    def __len__(self) -> int:
        return len(_FIELDS)

    def as_row(self) -> dict[str, object]:
        """A plain dict (for JSON)."""
        return {key: getattr(self, key) for key in _FIELDS}


@dataclass(frozen=True)
class RuleOutcome:
    """One rule as a whole: its rows, whether all are met, whether any binds."""

    rule: str
    checks: tuple[RuleCheck, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def binding(self) -> bool:
        return any(c.binding for c in self.checks)

    @property
    def name(self) -> str:
        """Short English name."""
        return BY_ID[self.rule].name

    def requirement(self, lang: str) -> str:
        """What the rule asks, in plain words ("nb", "nn" or "en")."""
        return BY_ID[self.rule].words[lang]


def outcomes(checks: tuple[RuleCheck, ...] | list[RuleCheck]) -> tuple[RuleOutcome, ...]:
    """The checks grouped by rule, in the order the rules first appear."""
    groups: dict[str, list[RuleCheck]] = {}
    for check in checks:
        groups.setdefault(check.rule, []).append(check)
    return tuple(RuleOutcome(rule, tuple(rows)) for rule, rows in groups.items())


def is_binding(lp_gap_share: float) -> bool:
    """The one definition of a binding row: the LP optimum is on its bound (``lp_gap_share``,
    the distance to the bound as a share of the budget)."""
    return abs(lp_gap_share) <= AT_BOUND


def _clean(x: float) -> float:
    """``x`` with floating-point noise around whole kroner removed, and never -0.0."""
    near = round(x)
    y = float(near) if abs(x - near) <= KRONER_NOISE else float(x)
    return y + 0.0


def required_cofinancing(problem: AllocationProblem, allocation: Allocation) -> np.ndarray:
    """R4: each owner's required own contribution, kroner.

    The total is ``cofinancing_share`` × the owners' total, rounded half up to the krone;
    each owner pays its exact share rounded down, and the kroner left go one each to the
    owners with the largest fractions (lower index first on equal fractions). So the amounts
    add up to the total exactly and no owner pays more than one krone above its exact share.
    """
    share = Fraction(repr(float(problem.rules.cofinancing_share)))
    totals = [int(a) for a in allocation.owner_totals]
    exact = [share * a for a in totals]
    floor = np.array([int(e) for e in exact], dtype=np.int64)
    total = int(share * sum(totals) + Fraction(1, 2))
    fraction = np.array([float(e - int(e)) for e in exact])
    extra = total - int(floor.sum())
    order = np.argsort(-fraction, kind="stable")
    floor[order[:extra]] += 1
    return floor


def _subjects(problem: AllocationProblem) -> list[tuple[str, dict[str, str]]]:
    """Row-name prefixes and the display names of the ids that follow them."""
    regions = {r: r for r in problem.region_ids}
    owners = dict(zip(problem.owner_ids, problem.owner_names, strict=True))
    partners = dict(zip(problem.partner_ids, problem.partner_names, strict=True))
    return [
        ("R2_key_hi_", regions),
        ("R2_key_lo_", regions),
        ("R3_uh_min_", regions),
        ("R4_cofin_", owners),
        ("R9_capacity_", partners),
        ("R10_stability_hi_", regions),
        ("R10_stability_lo_", regions),
        ("R11_need_", regions),
    ]


def _subject(name: str, prefixes: list[tuple[str, dict[str, str]]], themes) -> str | None:
    for prefix, names in prefixes:
        if not name.startswith(prefix):
            continue
        rest = name.removeprefix(prefix)
        if prefix == "R11_need_":
            for theme in themes:
                if rest.endswith(f"_{theme}"):
                    region = rest.removesuffix(f"_{theme}")
                    return f"{names.get(region, region)}, {theme}"
        return names.get(rest, rest)
    return None


def _shadow_scale(problem: AllocationProblem, name: str) -> float:
    """LP right-hand side (budget shares) per krone of the row's bound."""
    B = float(problem.budget_nok)
    c = problem.rules.cofinancing_share
    if name.startswith("R4_") and problem.rules.owner_split == "fte":
        i = problem.owner_ids.index(name.removeprefix("R4_cofin_"))
        region = problem.owner_region[i]
        part = np.asarray(problem.owner_participates, bool)
        fte = np.where(part, problem.owner_fte, 0.0)
        region_fte = fte[np.asarray(problem.owner_region) == region].sum()
        share = fte[i] / region_fte if region_fte > 0 else 0.0
        return 1.0 / (c * B * share) if share > 0 else 0.0
    if name.startswith("R4_"):
        return 1.0 / (c * B)
    return 1.0 / B


def _explain(
    problem: AllocationProblem, check: RuleCheck, cofinancing: dict[str, int]
) -> tuple[str, dict[str, float | str]]:
    B = float(problem.budget_nok)
    rule, name, value, bound = check.rule, check.name, check.value, check.bound
    params: dict[str, float | str] = {
        "value_nok": value,
        "bound_nok": bound,
        "sense": check.sense,
        "budget_nok": B,
    }
    state = "met" if check.met else "NOT met"
    binding = check.binding
    if rule == "R3" and name == "R3_uh_min":
        step = 0.01 * B
        change = _clean(check.shadow_price * 0.01 * B)
        params |= {
            "uh_share_min": problem.rules.uh_share_min,
            "step_nok": step,
            "objective_change": change,
        }
        text = (
            f"Partners receive {format_nok(value)}, the UH minimum of "
            f"{problem.rules.uh_share_min:.0%} asks for {format_nok(bound)} ({state}). "
            + (
                f"Raising the UH minimum by one percentage point moves {format_nok(step)} "
                f"from owners to partners and changes the objective by {change:.4g} kr."
                if binding
                else "The minimum does not bind: partners get more than it asks, or "
                "asking more would not change the optimum."
            )
        )
        return text, params
    word = {">=": "at least", "<=": "at most", "==": "exactly"}[check.sense]
    subject = f" [{check.subject}]" if check.subject else ""
    text = (
        f"{BY_ID[rule].name}{subject}: {format_nok(value)}, {word} "
        f"{format_nok(bound)} allowed; {state}."
    )
    if binding:
        per_thousand = _clean(check.shadow_price * 1000)
        params["objective_change_per_1000_nok"] = per_thousand
        text += (
            f" Binding: raising the bound by 1 000 kr changes the objective by "
            f"{per_thousand:.4g} kr."
            if per_thousand
            else " Binding: the allocation sits on the bound; relaxing this rule alone would "
            "not change the objective."
        )
    if rule == "R4":
        owner = name.removeprefix("R4_cofin_")
        params["required_cofinancing_nok"] = cofinancing[owner]
        text += f" Required own contribution: {format_nok(cofinancing[owner])}."
    return text, params


def rule_report(problem: AllocationProblem, allocation: Allocation) -> list[RuleCheck]:
    """One :class:`RuleCheck` per rule row with a finite bound (see the module doc)."""
    table = rule_table(problem)
    values = table.values(allocation.amounts)
    lp_values = table.values(allocation.lp_amounts)
    B = float(problem.budget_nok)
    rows = {n: g for g, n in enumerate(allocation.row_names)}
    prefixes = _subjects(problem)
    cofinancing: dict[str, int] = {}
    if problem.rules.cofinancing_share > 0:
        amounts = required_cofinancing(problem, allocation)
        cofinancing = dict(zip(problem.owner_ids, (int(a) for a in amounts), strict=True))
    out = []
    for g, (rule, name) in enumerate(zip(table.rule, table.name, strict=True)):
        lo, hi = float(table.lo[g]), float(table.hi[g])
        if not (np.isfinite(lo) or np.isfinite(hi)):
            continue
        value = _clean(float(values[g]))
        lp_value = float(lp_values[g])
        if np.isfinite(lo) and np.isfinite(hi):
            sense, bound = "==", (lo + hi) / 2
            slack = min(value - lo, hi - value)
            lp_gap = min(abs(lp_value - lo), abs(hi - lp_value))
        elif np.isfinite(lo):
            sense, bound, slack, lp_gap = ">=", lo, value - lo, lp_value - lo
        else:
            sense, bound, slack, lp_gap = "<=", hi, hi - value, hi - lp_value
        met = bool(lo - CHECK_TOL <= value <= hi + CHECK_TOL)
        dual = float(allocation.row_duals[rows[name]]) if name in rows else 0.0
        if not np.isfinite(dual):
            dual = 0.0
        binding = is_binding(lp_gap / B)
        priced = binding and abs(dual) > DUAL_NOISE
        shadow = dual * _shadow_scale(problem, name) * B if priced else 0.0
        subject = _subject(name, prefixes, problem.themes)
        check = RuleCheck(
            rule=rule,
            name=name,
            subject=subject,
            value=value,
            bound=_clean(bound),
            sense=sense,
            met=met,
            binding=binding,
            slack=_clean(slack),
            shadow_price=shadow + 0.0,
            explanation="",
        )
        text, params = _explain(problem, check, cofinancing)
        out.append(replace(check, explanation=text, params=params))
    return out
