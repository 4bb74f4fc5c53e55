"""Read a scenario TOML file into an immutable, validated :class:`Scenario`."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dekomopt.errors import ScenarioError
from dekomopt.scenario.schema import ScenarioFile

_TYPE_TAGS = {"str", "int", "float", "bool", "list", "dict", "tuple", "none", "is-instance"}


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: the parsed file, where it came from and the file's hash.

    ``sha256`` is the hash of the file's bytes as read (a variant made by :meth:`with_changes`
    keeps it: it names the file the variant started from). The scenario's identity is
    :attr:`content_sha256`, the hash of the validated content, which changes with any change
    of any key, in the file or in memory.
    """

    spec: ScenarioFile
    path: Path
    sha256: str
    shown: str = ""
    """The path as the user gave it (relative stays relative), for messages."""

    @property
    def source(self) -> str:
        """The scenario file as problem lines name it: as given, else the resolved path."""
        return self.shown or str(self.path)

    @cached_property
    def content_sha256(self) -> str:
        """sha256 of the validated content: every key with its value (defaults filled in),
        as canonical JSON (sorted keys, no spaces). Equal for two files that differ only in
        layout, comments or keys left at their defaults; files the scenario names (CSV) are
        identified by their paths, not their contents."""
        text = json.dumps(
            self.spec.model_dump(mode="json"),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def resolve(self, relative: str) -> Path:
        """A path named in the scenario, relative to the scenario file."""
        return (self.base_dir / relative).resolve()

    def with_changes(self, **tables: dict[str, Any]) -> Scenario:
        """A variant with some keys of some tables changed, validated again.

        ``scenario.with_changes(rules={"uh_share_min": 0.6})``. The original is untouched.
        """
        data = self.spec.model_dump(mode="python")
        for table, changes in tables.items():
            if table not in data or not isinstance(data[table], dict):
                raise ScenarioError(self.source, table, "unknown table")
            data[table] = {**data[table], **changes}
        return Scenario(parse_scenario(data, self.source), self.path, self.sha256, self.shown)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if not (isinstance(p, str) and (p in _TYPE_TAGS or "[" in p))]
    return ".".join(parts)


def _problem(err: Mapping[str, Any]) -> tuple[str, str]:
    kind = err["type"]
    path = _field_path(tuple(err["loc"]))
    if kind == "extra_forbidden":
        return path, "unknown key (a typo? see scenarios/README.md for the keys)"
    if kind == "missing":
        return path, "required key is missing"
    msg = err["msg"].removeprefix("Value error, ")
    if (
        "input" in err
        and kind not in ("model_type", "dict_type")
        and not isinstance(err["input"], dict)
    ):
        msg = f"{msg} (got {err['input']!r})"
    return path, msg


def _set_aside_shares(data: dict[str, Any]) -> float:
    """The sum of the valid set-aside shares of a document that broke the schema, so that a
    total above 1 is reported with the set-asides' own problems (the schema checks the total
    only once every item is valid)."""
    budget = data.get("budget")
    items = budget.get("set_asides") if isinstance(budget, dict) else None
    if not isinstance(items, list):
        return 0.0
    shares = [item.get("share") for item in items if isinstance(item, dict)]
    return sum(
        float(x)
        for x in shares
        if isinstance(x, int | float) and not isinstance(x, bool) and 0 <= x <= 1
    )


def parse_scenario(data: dict[str, Any], source: Path | str) -> ScenarioFile:
    """Validate a TOML document (already parsed) against the schema, or raise ScenarioError."""
    try:
        return ScenarioFile.model_validate(data)
    except ValidationError as exc:
        seen: dict[str, str] = {}
        for err in exc.errors():
            path, msg = _problem(err)
            seen.setdefault(path, msg)
        shares = _set_aside_shares(data)
        if shares > 1:
            seen.setdefault("budget", f"set-aside shares add to {shares:.4g}, more than 1")
        (first_field, first_msg), *more = seen.items()
        raise ScenarioError(str(source), first_field, first_msg, tuple(more)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file. Every problem raises :class:`ScenarioError`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(str(path), "", "file not found") from None
    except IsADirectoryError:
        raise ScenarioError(str(path), "", "is a directory, not a scenario file") from None
    except OSError as exc:
        raise ScenarioError(str(path), "", f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), f"byte {exc.start}", "file is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(str(path), "", f"not valid TOML: {exc}") from None
    try:
        spec = parse_scenario(data, path)
    except ScenarioError as exc:
        exc.document = data
        raise
    return Scenario(spec, path.resolve(), hashlib.sha256(raw).hexdigest(), str(path))
