"""Why a draw of ``simulate`` or a run of ``sensitivity`` has no allocation: as the files keep
it, and as the CLI prints it in the run's language.

The files keep a reason as English text (``draws.parquet``'s ``reason``, ``sensitivity.json``'s
``failures``): the allocator's explanation with its amounts, then `` [conflicts: R3, R9]``
naming the rules that clash. The CLI counts the reasons by their set of rules
(:func:`failure_groups`) and prints one line per set in the run's language: the rules by id and
by name (the report's catalogue), how many, and the first such draw or run, whose reason in
full the files hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from dekomopt.formats import format_number
from dekomopt.notes import note
from dekomopt.report.catalogue import has_message, text

SET_ASIDES_TAKE_ALL = note("sim_set_asides_take_all")
"""The reason of a draw whose set-asides leave nothing to distribute."""
NO_GRANT = note("sim_no_grant")
"""The reason of a draw whose drawn state grant is 0 kr (normal budget noise is cut at 0 kr)."""

_CONFLICTS = re.compile(r"\s*\[conflicts: ([^\]]*)\]$")


def infeasible_reason(exc: Exception) -> str:
    """The English reason of a failed solve as the files keep it: the error's text on one
    line, with `` [conflicts: …]`` when it names the rules that clash."""
    conflicts = getattr(exc, "conflicts", ())
    words = " ".join(str(exc).split())
    return f"{words} [conflicts: {', '.join(conflicts)}]" if conflicts else words


@dataclass(frozen=True)
class FailureGroup:
    """The failures that clash on the same set of ``rules`` (empty: one reason naming no
    rules): how many, the first (lowest id) draw or run, and its reason without the rules."""

    count: int
    rules: tuple[str, ...]
    first: int
    reason: str

    def in_language(self, lang: str, unit: Literal["draws", "runs"]) -> str:
        """The group's line in ``lang``: the rules by id and name, the first ``unit`` and the
        file holding the reasons in full; a reason naming no rules as such."""
        if not self.rules:
            known = {str(n): n for n in (SET_ASIDES_TAKE_ALL, NO_GRANT)}
            found = known.get(self.reason)
            return found.in_language(lang) if found is not None else self.reason
        names = "; ".join(
            text(f"rule_{rule}", lang, partners=text("partners_all", lang))
            if has_message(f"rule_{rule}")
            else rule
            for rule in self.rules
        )
        one = "one" if len(self.rules) == 1 else "many"
        return text(
            f"cli_conflict_{one}_{unit}",
            lang,
            rules=", ".join(self.rules),
            names=names,
            first=format_number(self.first),
        )


def _rule_order(rule: str) -> tuple[int, str]:
    digits = rule.removeprefix("R")
    return (int(digits), rule) if digits.isdigit() else (10**6, rule)


def failure_groups(reasons: Mapping[int, str]) -> list[FailureGroup]:
    """The reasons (by draw or run id) grouped by the set of rules that conflict, largest
    group first (a reason naming no rules is a group with the reasons of the same text);
    the counts add up to the number of reasons."""
    groups: dict[tuple[str, ...] | str, list[tuple[int, str]]] = {}
    for key_id, reason in sorted(reasons.items()):
        found = _CONFLICTS.search(reason)
        key: tuple[str, ...] | str = reason
        if found:
            key = tuple(sorted(found.group(1).split(", "), key=_rule_order))
        groups.setdefault(key, []).append((key_id, reason))
    out = [
        FailureGroup(
            count=len(members),
            rules=key if isinstance(key, tuple) else (),
            first=members[0][0],
            reason=_CONFLICTS.sub("", members[0][1]),
        )
        for key, members in groups.items()
    ]
    return sorted(out, key=lambda g: (-g.count, g.first))
