"""The data layer's notes in the reader's language.

A note (:class:`~dekomopt.notes.Note`) is shown by its message id in nb, nn or en; a
scenario's own free text (:class:`~dekomopt.scenario.schema.LocalText`) in the reader's
language where it gives one.
"""

from __future__ import annotations

from dekomopt.notes import Localised


def in_language(value: object, lang: str) -> str:
    """A note or a scenario's own text in ``lang``; any other value as written."""
    return value.in_language(lang) if isinstance(value, Localised) else str(value)
