import string

import pytest

from dekomopt.errors import DekomoptError
from dekomopt.report import LANGUAGES, MESSAGES, sheet_names
from dekomopt.report.catalogue import check_language, text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_all_three_languages():
    incomplete = {
        key: sorted(set(LANGUAGES) - {lang for lang, v in entry.items() if v.strip()})
        for key, entry in MESSAGES.items()
        if set(entry) != set(LANGUAGES) or not all(v.strip() for v in entry.values())
    }
    assert incomplete == {}


def test_languages_of_a_message_take_the_same_fields():
    mismatched = [
        key
        for key, entry in MESSAGES.items()
        if len({frozenset(_fields(entry[lang])) for lang in LANGUAGES}) != 1
    ]
    assert mismatched == []


def test_text_fills_fields():
    assert text("title", "nn", year=2025, county="Rogaland") == "Fordelingsforslag 2025: Rogaland"
    assert (
        text("title", "en", year=2025, county="Rogaland") == "Distribution proposal 2025: Rogaland"
    )


def test_unknown_language_is_a_user_error():
    with pytest.raises(DekomoptError, match="'de'"):
        check_language("de")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nn", ["Samandrag", "Regionar", "Eigarar", "Partnarar", "Tildeling", "Reglar", "Kjelder"]),
        ("nb", ["Sammendrag", "Regioner", "Eiere", "Partnere", "Tildeling", "Regler", "Kilder"]),
        ("en", ["Summary", "Regions", "Owners", "Partners", "Allocation", "Rules", "Sources"]),
    ],
)
def test_sheet_names_per_language(lang, expected):
    assert list(sheet_names(lang).values()) == expected


def test_travel_metrics_are_not_called_destinations():
    """A "reisemål" is a travel destination; the travel metrics are "reiseindikatorene" (nb)
    and "reiseindikatorane" (nn)."""
    wrong = [
        key
        for key, entry in MESSAGES.items()
        for lang in ("nb", "nn")
        if "reisemål" in entry[lang].lower()
    ]
    assert wrong == []
    assert "reiseindikatorene" in MESSAGES["note_travel_unavailable"]["nb"]
    assert "reiseindikatorane" in MESSAGES["note_travel_unavailable"]["nn"]
