"""Every catalogue message is reachable from the package, so the catalogue cannot grow dead
entries: a message id is named by a string literal somewhere in the package, or composed from
a literal part and a value (``f"rule_{rule_id}_asks"``, ``f"{prefix}_{value}"`` with the
prefix a literal of the same module); where the values a family takes are listed in the
package (rule ids, sheets, levers, structure scores), only those values count."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import dekomopt
from dekomopt.allocation.rules import BY_ID
from dekomopt.report.catalogue import MESSAGES
from dekomopt.report.explorer import LEVERS
from dekomopt.report.spreadsheet import SHEETS
from dekomopt.structures.evaluate import METRICS

PACKAGE = Path(dekomopt.__file__).parent

FAMILIES: dict[str, tuple[str, ...]] = {
    "rule_": tuple(f"{rule_id}{tail}" for rule_id in BY_ID for tail in ("", "_asks", "_sectors")),
    "sheet_": SHEETS,
    "lever_": LEVERS,
    "metric_": METRICS,
}
"""Composed families whose values the package lists: a composed id of the family is reachable
only for one of these values (a literal id of the same prefix is reachable as a literal)."""


def _message_keys(tree: ast.AST) -> set[int]:
    """The nodes of the message ids where a message table is written (their definitions)."""
    keys: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(value, ast.Dict):
                languages = {k.value for k in value.keys if isinstance(k, ast.Constant)}
                if languages == {"nb", "nn", "en"}:
                    keys.add(id(key))
    return keys


def _parts(node: ast.JoinedStr) -> list[str | None]:
    """An f-string as its literal parts, None for each placeholder."""
    return [p.value if isinstance(p, ast.Constant) else None for p in node.values]


def _scan() -> tuple[set[str], list[str]]:
    """String literals of the package (message definitions left out), and the regular
    expressions of the ids it composes."""
    literals: set[str] = set()
    patterns: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _message_keys(tree)
        module_literals = {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
        }
        literals |= module_literals
        words = [w for w in module_literals if re.fullmatch(r"[a-z][a-z_]*", w)]
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                parts = _parts(node)
                rest = "".join(".+" if p is None else re.escape(p) for p in parts[1:])
                if isinstance(parts[0], str) and len(parts[0]) >= 3:
                    patterns.append(re.escape(parts[0]) + rest)
                elif parts[0] is None and len(parts) > 1 and str(parts[1]).startswith("_"):
                    # f"{prefix}_{value}": the prefix is a literal of the same module
                    patterns += [re.escape(w) + rest for w in words]
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                left = node.left
                literal = isinstance(left, ast.Constant) and isinstance(left.value, str)
                if literal and len(left.value) >= 3:
                    patterns.append(re.escape(left.value) + ".+")
    return literals, patterns


def _reachable(message_id: str, literals: set[str], patterns: list[str]) -> bool:
    if message_id in literals:
        return True
    for prefix, values in FAMILIES.items():
        if message_id.startswith(prefix):
            return message_id.removeprefix(prefix) in values and any(
                re.fullmatch(p, message_id) for p in patterns
            )
    return any(re.fullmatch(p, message_id) for p in patterns)


def test_every_catalogue_message_is_reachable():
    literals, patterns = _scan()
    unreachable = sorted(m for m in MESSAGES if not _reachable(m, literals, patterns))
    assert unreachable == []


def test_the_check_finds_a_message_no_reader_uses():
    literals, patterns = _scan()
    assert not _reachable("col_no_such_column", literals, patterns)
    assert not _reachable("rule_R6", literals, patterns)  # set-asides: no rule rows
    assert not _reachable("lever_no_such_rule", literals, patterns)
    assert _reachable("struct_mark_searched", literals, patterns)  # a mark written as a literal
    assert _reachable("rule_R3_asks", literals, patterns)  # f"rule_{rule_id}_asks"
    assert _reachable("theme_special_ed", literals, patterns)  # f"{prefix}_{value}"
