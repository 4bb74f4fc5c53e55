"""Number formats for every output: ``1 234 567 kr``, ``12,5 %``, ``0,865``.

The thousands separator is the no-break space U+00A0 (so a number never wraps across lines),
the decimal mark a comma, negative numbers carry the minus sign U+2212. English reports use
the same format: the forum's documents are Norwegian and figures must read the same in all
three languages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from numbers import Real
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    import pandas as pd

NBSP = "\u00a0"
"""Thousands separator and the space before ``kr`` and ``%``."""
MINUS = "\u2212"
DASH = "–"
"""Shown for a missing number (NaN or None)."""


def is_missing(value: object) -> bool:
    """Whether ``value`` is None or a float NaN."""
    return value is None or (isinstance(value, Real) and math.isnan(float(value)))


def _real(value: object) -> float:
    """A non-missing number as a float (callers check :func:`is_missing` first)."""
    return float(value)  # type: ignore[arg-type]


def format_number(value: object, decimals: int = 0, signed: bool = False) -> str:
    """``value`` rounded to ``decimals`` with grouped thousands; ``–`` when missing.

    ``signed`` puts ``+`` before positive numbers (changes from last year).
    """
    if is_missing(value):
        return DASH
    rounded = round(_real(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "−0"
    whole, _, fraction = f"{abs(rounded):,.{decimals}f}".partition(".")
    body = whole.replace(",", NBSP) + ("," + fraction if fraction else "")
    if rounded < 0:
        return MINUS + body
    return ("+" + body) if signed and rounded > 0 else body


def format_decimal(value: object, max_decimals: int = 4) -> str:
    """Up to ``max_decimals`` decimals without trailing zeros: ``0,8125``, ``52 000``."""
    shown = format_number(value, max_decimals)
    return shown.rstrip("0").rstrip(",") if "," in shown else shown


def format_nok(value: object, signed: bool = False) -> str:
    """Whole kroner: ``1 234 567 kr`` (``+``/``−`` when ``signed``); ``–`` when missing."""
    if is_missing(value):
        return DASH
    return format_number(value, 0, signed) + NBSP + "kr"


def format_percent(share: object, decimals: int = 1) -> str:
    """A share 0–1 as ``12,5 %``; ``–`` when missing."""
    if is_missing(share):
        return DASH
    return format_number(100 * _real(share), decimals) + NBSP + "%"


def format_fte(value: object) -> str:
    """Teacher FTEs with one decimal: ``1 234,5``."""
    return format_number(value, 1)


_MONTHS = {
    "nb": (
        "januar", "februar", "mars", "april", "mai", "juni",
        "juli", "august", "september", "oktober", "november", "desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
_MONTHS["nn"] = _MONTHS["nb"]
LOCAL_ZONE = "Europe/Oslo"
"""Times are shown in Norwegian time."""


def format_datetime(moment: datetime | str, lang: str = "nb") -> str:
    """A time as ``4. desember 2026 kl. 23.25`` (nb, nn) or ``4 December 2026, 23:25`` (en).

    ``moment`` may be an ISO 8601 string; it is shown in Norwegian time (Europe/Oslo) when it
    carries a time zone and the zone database is available, else as given.
    """
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is not None:
        with suppress(ZoneInfoNotFoundError):
            moment = moment.astimezone(ZoneInfo(LOCAL_ZONE))
    month = _MONTHS.get(lang, _MONTHS["nb"])[moment.month - 1]
    if lang == "en":
        return f"{moment.day} {month} {moment.year}, {moment:%H:%M}"
    return f"{moment.day}. {month} {moment.year} kl. {moment:%H.%M}"


def format_significant(value: object, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, Norwegian format: ``0,000123``, ``1 230``."""
    if is_missing(value):
        return DASH
    number = _real(value)
    if number == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(number))))
    return format_decimal(value, decimals)


NOISE = 1e-12
"""A computed value of at most this magnitude is floating-point noise: written and shown as 0."""
WHOLE_TOLERANCE = 1e-9
"""A value within this relative distance of a whole number is that number (kroner, counts)."""
STORED_DIGITS = 12
"""Significant digits a file keeps of a number that is not whole: enough for every input,
short of the last digits' rounding noise (``-0.19999999999998863`` is stored as ``-0.2``)."""


def stored_number(value: object, *, whole: bool = False) -> int | float | None:
    """``value`` as files store it: None when missing or infinite (JSON ``null``, an empty
    CSV cell), 0 when noise (:data:`NOISE`), an ``int`` when ``whole`` (kroner, counts, a
    rounded ESS) or within :data:`WHOLE_TOLERANCE` of a whole number, else the float to
    :data:`STORED_DIGITS` significant digits."""
    if is_missing(value) or not math.isfinite(_real(value)):
        return None
    number = _real(value)
    if abs(number) <= NOISE:
        return 0
    nearest = round(number)
    if whole or abs(number - nearest) <= WHOLE_TOLERANCE * abs(number):
        return int(nearest)
    return float(f"{number:.{STORED_DIGITS}g}")


def stored(value: object) -> object:
    """``value`` ready for JSON: every number as :func:`stored_number` writes it (so never
    NaN or Infinity), every note (:class:`~dekomopt.notes.Note`) as its English text, in
    dicts, lists and tuples at any depth; other values unchanged."""
    from dekomopt.notes import Localised  # dekomopt.notes formats its numbers with this module

    if isinstance(value, Localised):
        return str(value)
    if isinstance(value, dict):
        return {key: stored(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [stored(item) for item in value]
    if isinstance(value, bool) or not isinstance(value, Real):
        return value
    return stored_number(value)


def stored_table(frame: pd.DataFrame, whole: Sequence[str] = ()) -> pd.DataFrame:
    """``frame`` ready for CSV: numbers as :func:`stored_number` writes them; the columns
    ``whole`` and every ``*_nok`` column as whole numbers (empty where missing)."""
    import pandas as pd

    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == bool or not pd.api.types.is_numeric_dtype(column):
            continue
        integer = name in whole or str(name).endswith("_nok")
        if pd.api.types.is_integer_dtype(column):
            continue
        values = [stored_number(v, whole=integer) for v in column.to_numpy(float)]
        out[name] = pd.array(values, dtype="Int64" if integer else "Float64")
    return out
