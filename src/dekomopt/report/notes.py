"""The data layer's notes and how input files were read, in the reader's language.

A note (:class:`~dekomopt.notes.Note`) is shown by its message id in nb, nn or en; a
scenario's own free text (:class:`~dekomopt.scenario.schema.LocalText`) in the reader's
language where it gives one.
"""

from __future__ import annotations

import re

from dekomopt.notes import Localised
from dekomopt.report.catalogue import has_message, text


def in_language(value: object, lang: str) -> str:
    """A note or a scenario's own text in ``lang``; any other value as written."""
    return value.in_language(lang) if isinstance(value, Localised) else str(value)


_SHEET = re.compile(r"^sheet (?P<sheet>'.*')$")


def localise_dialect(dialect: str, lang: str) -> str:
    """How an input file was read (:attr:`~dekomopt.scenario.files.InputFile.dialect`, parts
    joined by ``, `` or ``; ``) in ``lang``; a part of no known wording as it is."""
    out = []
    for group in str(dialect).split("; "):
        parts = []
        for part in group.split(", "):
            sheet = _SHEET.match(part)
            if sheet:
                parts.append(text("dialect_sheet", lang, sheet=sheet["sheet"]))
            elif has_message(f"dialect_{part}"):
                parts.append(text(f"dialect_{part}", lang))
            else:
                parts.append(part)
        out.append(", ".join(parts))
    return "; ".join(out)
