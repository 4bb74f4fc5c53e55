"""The rule report in plain words, built from each rule row's numbers in the reader's language:
the one phrasing of a rule row's outcome (the report, the workbook and ``rules.json``'s English
``explanation`` all use :func:`rule_sentences`).

Rule rows are :class:`dekomopt.allocation.outcome.RuleCheck` records (read as mappings):
``value`` and ``bound`` are kroner (unless ``params["unit"]`` says ``"share"`` or
``"number"``), ``subject`` names the region, owner or partner of a per-recipient row,
``binding`` follows :func:`dekomopt.allocation.outcome.is_binding`, ``shadow_price`` is the
change of the objective (kroner) per krone the bound is raised, ``relax_change_nok`` and
``relax_change_per_fte_nok`` what relaxing the bound by ``relax_step_nok`` changes (the
objective in kroner, in all and per teacher FTE), and ``params`` holds the numbers the words
need beyond those (``sector``, ``uh_share_min``, ``required_cofinancing_nok``).
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

from dekomopt.formats import format_decimal, format_nok, format_percent, is_missing
from dekomopt.report.catalogue import has_message, text

_SENSES = {
    ">=": "ge",
    "ge": "ge",
    "min": "ge",
    "<=": "le",
    "le": "le",
    "max": "le",
    "==": "eq",
    "=": "eq",
    "eq": "eq",
}
_BOUND_MESSAGE = {"ge": "bound_min", "le": "bound_max", "eq": "bound_eq"}
_STEP = {"share": (0.01, "step_share"), "nok": (1000.0, None), "number": (1.0, "step_unit")}


def _number(value: object) -> float | None:
    """``value`` as a float when it is a real, non-missing, non-boolean number."""
    if isinstance(value, bool) or not isinstance(value, Real) or is_missing(value):
        return None
    return float(value)


def rule_unit(rule: Mapping) -> str:
    """``"nok"`` (the default), ``"share"`` or ``"number"``: how value and bound are shown."""
    unit = (rule.get("params") or {}).get("unit")
    return unit if unit in _STEP else "nok"


def format_value(value: object, unit: str) -> str:
    """A rule value in its unit: ``1 234 kr``, ``50,0 %`` or a plain number."""
    number = _number(value)
    if unit == "share":
        return format_percent(number)
    if unit == "nok":
        return format_nok(number)
    return format_decimal(number) if number is not None else str(value)


def rule_name(rule: Mapping, lang: str) -> str:
    """The catalogue's name for the rule id (``rule_R3``; ``rule_R2_sectors`` for a row of a
    key per sector), else the row's own name."""
    message_id = f"rule_{rule.get('rule')}" + ("_sectors" if _sector(rule) else "")
    if has_message(message_id):
        return text(message_id, lang)
    return str(rule.get("name") or rule.get("rule") or "")


def row_label(rule: Mapping, lang: str, names: Mapping[str, str] | None = None) -> str:
    """Rule name, plus the region, owner or partner when the row is about one
    (``Eigendel (R4) – Sola``); never the row's internal name.

    The row's ``subject`` is used when it has one; else ``names`` (owner, partner and region
    ids to display names) is searched for the row name's ``_`` parts from the end.
    """
    label = rule_name(rule, lang)
    subject = rule.get("subject")
    if not subject:
        row = str(rule.get("name") or "")
        known = names or {}
        subject = next(
            (known[part] for part in reversed(row.split("_")[1:]) if part in known), None
        )
    if subject and (sector := _sector(rule)):
        subject = f"{subject} ({text(f'key_sector_{sector}', lang)})"
    return f"{label} – {subject}" if subject else label


def _sector(rule: Mapping) -> str | None:
    """The sector of a row of a key per sector (R2 with kindergarten staff given), else None."""
    return (rule.get("params") or {}).get("sector")


def bound_text(bound: object, sense: object, unit: str, lang: str) -> str | None:
    """``minst 9 358 650 kr`` etc.; None when the bound or sense is missing or unknown."""
    key = _SENSES.get(str(sense).strip().lower()) if sense is not None else None
    if key is None or _number(bound) is None:
        return None
    return text(_BOUND_MESSAGE[key], lang, bound=format_value(bound, unit))


def rule_sentences(rule: Mapping, lang: str, names: Mapping[str, str] | None = None) -> list[str]:
    """Sentences saying whether the row is met, whether it binds, and what relaxing it changes.

    Raises ValueError for a row without a numeric value, bound and sense (every
    :class:`~dekomopt.allocation.outcome.RuleCheck` has them).
    """
    unit = rule_unit(rule)
    params = rule.get("params") or {}
    label = row_label(rule, lang, names)
    bounds = bound_text(rule.get("bound"), rule.get("sense"), unit, lang)
    if bounds is None or _number(rule.get("value")) is None:
        raise ValueError(f"rule row {rule.get('name')!r} has no numeric value, bound and sense")
    status = text("status_met" if rule.get("met") else "status_not_met", lang)
    sentences = [
        text(
            "rule_value_sentence",
            lang,
            name=label,
            value=format_value(rule["value"], unit),
            bound_text=bounds,
            status=status,
        )
    ]
    if _number(params.get("uh_share_min")) is not None:
        sentences.append(text("rule_uh_share", lang, share=format_percent(params["uh_share_min"])))
    shadow = _number(rule.get("shadow_price"))
    relax, per_fte = (
        _number(rule.get("relax_change_nok")),
        _number(rule.get("relax_change_per_fte_nok")),
    )
    if rule.get("binding") and relax and per_fte is not None:
        sentences.append(
            text(
                "rule_relax_sentence",
                lang,
                step=format_nok(rule["relax_step_nok"]),
                change=format_decimal(-relax, 4) + " kr",
                per_fte=format_decimal(-per_fte, 6) + " kr",
            )
        )
    elif rule.get("binding") and relax == 0 and _number(rule.get("relax_step_nok")):
        sentences.append(
            text("rule_relax_no_change", lang, step=format_nok(rule["relax_step_nok"]))
        )
    elif rule.get("binding") and shadow:
        step, step_id = _STEP[unit]
        sentences.append(
            text(
                "rule_binding_sentence",
                lang,
                step=format_nok(step) if step_id is None else text(step_id, lang),
                effect=format_decimal(abs(shadow) * step, 4),
                shadow_price=format_decimal(shadow, 6),
            )
        )
    elif rule.get("binding"):
        sentences.append(text("rule_binding_no_price", lang))
    elif _number(rule.get("slack")) is not None:
        sentences.append(text("rule_slack_sentence", lang, slack=format_value(rule["slack"], unit)))
    if _number(params.get("required_cofinancing_nok")) is not None:
        sentences.append(
            text(
                "rule_required_cofinancing",
                lang,
                amount=format_nok(params["required_cofinancing_nok"]),
            )
        )
    return sentences


def subject_rows(
    rows: list[Mapping], lang: str, names: Mapping[str, str] | None = None
) -> list[tuple[str, str, str, bool, bool, str]]:
    """One table row per subject (region, owner or partner) of a rule with several rows: its
    name, value, requirement (``minst … og høgst …`` where a lower and an upper row share the
    subject), met, binding and the smallest slack. Rows that share a subject share its value."""
    grouped: dict[str, list[Mapping]] = {}
    for rule in rows:
        subject = row_label(rule, lang, names).removeprefix(rule_name(rule, lang) + " – ")
        grouped.setdefault(subject, []).append(rule)
    out = []
    for subject, group in grouped.items():
        unit = rule_unit(group[0])
        order = {"ge": 0, "eq": 1, "le": 2}
        group.sort(key=lambda r: order.get(_SENSES.get(str(r.get("sense")), ""), 3))
        bounds = [bound_text(r.get("bound"), r.get("sense"), unit, lang) for r in group]
        slacks = [v for r in group if (v := _number(r.get("slack"))) is not None]
        out.append(
            (
                subject,
                format_value(group[0].get("value"), unit),
                ", ".join(b for b in bounds if b),
                all(bool(r.get("met")) for r in group),
                any(bool(r.get("binding")) for r in group),
                format_value(min(slacks), unit) if slacks else "",
            )
        )
    return out
