"""Several problems of one run, found in one pass, raised together."""

from __future__ import annotations

from collections.abc import Sequence

from dekomopt.errors import DataError


class Problems(DataError):
    """Problems in several files or flags at once: each line names its own file, key or flag
    (``file: key: what is wrong``), as the command line prints them."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = list(lines)
        super().__init__("structures", "", self._lines[0])

    def lines(self) -> list[str]:
        return list(self._lines)

    @classmethod
    def gather(cls, errors: Sequence[DataError], lines: Sequence[str] = ()) -> None:
        """Raise the lines of ``errors``, then ``lines``, together, if there are any."""
        every = [line for error in errors for line in error.lines()] + list(lines)
        if every:
            raise cls(every)
