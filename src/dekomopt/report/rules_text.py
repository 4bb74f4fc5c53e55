"""The rule report in plain words, built from each rule row's numbers in the reader's language:
the one phrasing of a rule row's outcome (the report, the workbook and ``rules.json``'s English
``explanation`` all use :func:`rule_sentences`).

Rule rows are :class:`dekomopt.allocation.outcome.RuleCheck` records: ``value``, ``bound``
and ``slack`` are kroner, ``subject`` names the region, owner or partner of a per-recipient
row, ``binding`` follows :func:`dekomopt.allocation.outcome.is_binding`, ``shadow_price`` is
the change of the objective (kroner) per krone the bound is raised, ``relax_change_nok`` and
``relax_change_per_fte_nok`` what relaxing the bound by ``relax_step_nok`` changes (the
objective in kroner, in all and per teacher FTE), and ``params`` holds the numbers the words
need beyond those (``sector``, ``uh_share_min``, ``required_cofinancing_nok``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dekomopt.allocation.outcome import RuleCheck
from dekomopt.formats import format_decimal, format_nok, format_percent
from dekomopt.report.catalogue import partners_key, text

if TYPE_CHECKING:
    from dekomopt.proposal.record import Proposal

_BOUND_MESSAGE = {">=": "bound_min", "<=": "bound_max", "==": "bound_eq"}


def partners_of(proposal: Proposal) -> str:
    """The catalogue key of the words for ``proposal``'s partners, by its regime and its
    partners' kinds (:func:`~dekomopt.report.catalogue.partners_key`)."""
    return partners_key(proposal.regime, map(str, proposal.partners["partner_kind"]))


def rule_name(rule: RuleCheck, lang: str, *, partners: str = "partners_all") -> str:
    """The catalogue's name for the rule id (``rule_R3``; ``rule_R2_sectors`` for a row of a
    key per sector). ``partners`` is the catalogue key of the words for the run's partners
    (:func:`~dekomopt.report.catalogue.partners_key`), which R3 and R9 name."""
    key = f"rule_{rule.rule}" + ("_sectors" if "sector" in rule.params else "")
    return text(key, lang, partners=text(partners, lang))


def row_label(rule: RuleCheck, lang: str, *, partners: str = "partners_all") -> str:
    """Rule name, plus the region, owner or partner when the row is about one
    (``Eigendel (R4) – Sola``); never the row's internal name."""
    subject = rule.subject
    if subject and (sector := rule.params.get("sector")):
        subject = f"{subject} ({text(f'key_sector_{sector}', lang)})"
    label = rule_name(rule, lang, partners=partners)
    return f"{label} – {subject}" if subject else label


def bound_text(rule: RuleCheck, lang: str) -> str:
    """``minst 9 358 650 kr``, ``høyst …``, ``lik …``, or for an equality held to within a
    rounding unit, ``mellom … og …``."""
    if rule.sense == "==" and rule.within_nok > 0:
        lo, hi = rule.bound - rule.within_nok, rule.bound + rule.within_nok
        return text("bound_between", lang, lo=format_nok(lo), hi=format_nok(hi))
    return text(_BOUND_MESSAGE[rule.sense], lang, bound=format_nok(rule.bound))


def rule_sentences(rule: RuleCheck, lang: str, *, partners: str = "partners_all") -> list[str]:
    """Sentences saying whether the row is met, whether it binds, and what relaxing it
    changes (``partners`` as for :func:`rule_name`)."""
    status = text("status_met" if rule.met else "status_not_met", lang)
    sentences = [
        text(
            "rule_value_sentence",
            lang,
            name=row_label(rule, lang, partners=partners),
            value=format_nok(rule.value),
            bound_text=bound_text(rule, lang),
            status=status,
        )
    ]
    params = rule.params
    if "uh_share_min" in params:
        sentences.append(
            text(
                "rule_uh_share",
                lang,
                partners=text(partners, lang),
                share=format_percent(params["uh_share_min"]),
            )
        )
    unit = params.get("rounding_unit_nok")
    if rule.binding:
        sentences.append(_binds(rule, unit, lang))
    relax, per_fte, step = (
        rule.relax_change_nok,
        rule.relax_change_per_fte_nok,
        rule.relax_step_nok,
    )
    if rule.binding and relax and per_fte is not None and step is not None:
        sentences.append(
            text(
                "rule_relax_sentence",
                lang,
                step=format_nok(step),
                change=format_decimal(-relax, 4) + " kr",
                per_fte=format_decimal(-per_fte, 6) + " kr",
            )
        )
    elif rule.binding and relax == 0 and step:
        sentences.append(text("rule_relax_no_change", lang, step=format_nok(step)))
    elif rule.binding and rule.shadow_price:
        sentences.append(
            text(
                "rule_binding_sentence",
                lang,
                step=format_nok(1000.0),
                effect=format_decimal(abs(rule.shadow_price) * 1000.0, 4),
                shadow_price=format_decimal(rule.shadow_price, 6),
            )
        )
    elif not rule.binding:
        sentences.append(text("rule_slack_sentence", lang, slack=format_nok(rule.slack)))
    if "key_widened_nok" in params:
        widened = format_nok(params["key_widened_nok"])
        sentences.append(text("rule_key_unit", lang, unit=format_nok(unit), widened=widened))
    if "required_cofinancing_nok" in params:
        amount = format_nok(params["required_cofinancing_nok"])
        sentences.append(text("rule_required_cofinancing", lang, amount=amount))
    return sentences


def _binds(rule: RuleCheck, unit: object, lang: str) -> str:
    """That the row binds: on its requirement, or, where rounding moved the amounts a krone or
    more off it, on it before rounding (``unit``: the rounding unit when above 1 kr)."""
    off = abs(rule.value - rule.bound) if rule.sense == "==" else abs(rule.slack)
    if off < 1:
        return text("rule_binds", lang)
    units = (
        text("units_kroner", lang)
        if unit is None
        else text("units_of", lang, unit=format_nok(unit))
    )
    return text("rule_binds_before_rounding", lang, units=units, slack=format_nok(off))


def subject_rows(
    rows: list[RuleCheck], lang: str, *, partners: str = "partners_all"
) -> list[tuple[str, str, str, bool, bool, str]]:
    """One table row per subject (region, owner or partner) of a rule with several rows: its
    name, value, requirement (``minst … og høgst …`` where a lower and an upper row share the
    subject), met, binding and the smallest slack. Rows that share a subject share its value."""
    grouped: dict[str, list[RuleCheck]] = {}
    for rule in rows:
        name = rule_name(rule, lang, partners=partners)
        subject = row_label(rule, lang, partners=partners).removeprefix(name + " – ")
        grouped.setdefault(subject, []).append(rule)
    order = {">=": 0, "==": 1, "<=": 2}
    out = []
    for subject, group in grouped.items():
        group.sort(key=lambda r: order[r.sense])
        out.append(
            (
                subject,
                format_nok(group[0].value),
                ", ".join(bound_text(r, lang) for r in group),
                all(r.met for r in group),
                any(r.binding for r in group),
                format_nok(min(r.slack for r in group)),
            )
        )
    return out
