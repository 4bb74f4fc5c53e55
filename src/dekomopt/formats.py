"""Number formats for every output: ``1 234 567 kr``, ``12,5 %``, ``0,865``.

The thousands separator is the no-break space U+00A0 (so a number never wraps across lines),
the decimal mark a comma, negative numbers carry the minus sign U+2212. English reports use
the same format: the forum's documents are Norwegian and figures must read the same in all
three languages.
"""

from __future__ import annotations

import math
from contextlib import suppress
from datetime import datetime
from numbers import Real
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
