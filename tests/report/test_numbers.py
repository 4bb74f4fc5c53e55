import math

import pytest

from dekomopt.formats import (
    format_decimal,
    format_fte,
    format_nok,
    format_number,
    format_percent,
)

S = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234567, f"1{S}234{S}567{S}kr"),
        (999, f"999{S}kr"),
        (0, f"0{S}kr"),
        (-8021700, f"\u22128{S}021{S}700{S}kr"),
        (1000.4, f"1{S}000{S}kr"),
    ],
)
def test_format_nok(value, expected):
    assert format_nok(value) == expected


def test_signed_change_and_missing():
    assert format_nok(1354053, signed=True) == f"+1{S}354{S}053{S}kr"
    assert format_nok(-0.2, signed=True) == f"0{S}kr"
    assert format_nok(math.nan) == "–"
    assert format_nok(None) == "–"


def test_percent_and_decimals_use_a_comma():
    assert format_percent(0.125) == f"12,5{S}%"
    assert format_percent(1.0) == f"100,0{S}%"
    assert format_fte(1234.56) == f"1{S}234,6"
    assert format_number(-0.5, 1) == "\u22120,5"


def test_format_decimal_drops_trailing_zeros():
    assert format_decimal(0.8125) == "0,8125"
    assert format_decimal(52000.0) == f"52{S}000"
    assert format_decimal(0.3) == "0,3"


def test_format_significant_keeps_small_numbers_visible():
    from dekomopt.formats import format_significant

    assert format_significant(1.234e-5) == "0,0000123"
    assert format_significant(0.5) == "0,5"
    assert format_significant(1234567) == f"1{S}234{S}567"
    assert format_significant(0) == "0"


def test_dates_are_norwegian_in_norwegian_time():
    from dekomopt.formats import format_datetime

    assert format_datetime("2026-12-04T22:25:57+00:00", "nb") == "4. desember 2026 kl. 23.25"
    assert format_datetime("2026-07-04T22:25:57+00:00", "nn") == "5. juli 2026 kl. 00.25"
    assert format_datetime("2026-12-04T22:25:57+00:00", "en") == "4 December 2026, 23:25"
