"""The package's own exceptions. Every user mistake surfaces as one of these, never a traceback."""

from __future__ import annotations

from typing import Any


class DekomoptError(Exception):
    """Base class: a problem the user can fix, reported in plain words."""


class DataError(DekomoptError, ValueError):
    """A data file is missing, malformed or inconsistent.

    ``source`` names the file, ``field`` the column, row or key; the message says what is wrong.
    Several problems found in one pass travel together in ``problems``; ``str()`` gives one line
    per problem.
    """

    def __init__(
        self,
        source: str,
        field: str,
        message: str,
        more: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.source = str(source)
        self.field = str(field)
        self.message = message
        self.problems: tuple[tuple[str, str], ...] = ((self.field, message), *more)
        super().__init__(self.lines()[0] if len(self.problems) == 1 else "\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem: ``file: field: what is wrong``."""
        return [
            f"{self.source}: {f}: {m}" if f else f"{self.source}: {m}" for f, m in self.problems
        ]


class ScenarioError(DataError):
    """A scenario file (or a file it names) is invalid.

    ``document`` is the parsed TOML when the file was read but broke the schema, so that the
    files it names can still be checked in the same pass.
    """

    document: dict[str, Any] | None = None


class InfeasibleError(DekomoptError):
    """The rules of a scenario cannot all hold; ``conflicts`` names the rules that clash."""

    def __init__(self, message: str, conflicts: tuple[str, ...] = ()) -> None:
        self.conflicts = conflicts
        super().__init__(message)


class SolverError(DekomoptError):
    """The solver failed for a reason other than infeasibility."""
