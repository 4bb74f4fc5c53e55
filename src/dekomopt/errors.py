"""The package's own exceptions. Every user mistake surfaces as one of these, never a traceback."""

from __future__ import annotations


class DekomoptError(Exception):
    """Base class: a problem the user can fix, reported as one line."""


class DataError(DekomoptError, ValueError):
    """A data file is missing, malformed or inconsistent.

    ``source`` names the file, ``field`` the column, row or key; the message says what is wrong.
    """

    def __init__(self, source: str, field: str, message: str) -> None:
        self.source = str(source)
        self.field = str(field)
        self.message = message
        super().__init__(f"{self.source}: {self.field}: {message}")


class ScenarioError(DataError):
    """A scenario file (or a file it names) is invalid."""


class InfeasibleError(DekomoptError):
    """The rules of a scenario cannot all hold; ``conflicts`` names the rules that clash."""

    def __init__(self, message: str, conflicts: tuple[str, ...] = ()) -> None:
        self.conflicts = conflicts
        super().__init__(message)


class SolverError(DekomoptError):
    """The solver failed for a reason other than infeasibility."""
