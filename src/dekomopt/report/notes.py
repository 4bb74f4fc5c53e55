"""The data layer's notes (caveats, imputation methods) in the reader's language.

The county builder and the data layer write their findings as English sentences. Each known
sentence shape is a pattern here with a catalogue message of the same fields; numbers in a
note are shown in the Norwegian format (``0,865``, ``100 434``). A note of no known shape is
shown as written, with decimal commas.
A scenario's own free text (:class:`~dekomopt.scenario.schema.LocalText`) is shown in the
reader's language, also where a note quotes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from pydantic import BaseModel

from dekomopt.formats import format_decimal, format_number
from dekomopt.report.catalogue import text
from dekomopt.scenario.schema import LocalText

_DECIMAL = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w.]|\.\d)")


def norwegian_numbers(note: str) -> str:
    """``note`` with every decimal point between digits made a decimal comma."""
    return _DECIMAL.sub(r"\1,\2", note)


def _decimal(value: str, lang: str) -> str:
    return format_decimal(float(value), 6)


def _whole(value: str, lang: str) -> str:
    return format_number(int(value))


def _words(mapping: Mapping[str, str]) -> Callable[[str, str], str]:
    """A field transform replacing English joining words by catalogue words, numbers by ours."""

    def transform(value: str, lang: str) -> str:
        for english, message_id in mapping.items():
            value = value.replace(f" {english} ", f" {text(message_id, lang)} ")
            value = value.replace(f"({english} ", f"({text(message_id, lang)} ")
        return norwegian_numbers(value)

    return transform


_PARTS = _words({"to": "word_to", "share": "word_share", "in": "word_in", "and": "word_and"})

_Pattern = tuple[re.Pattern[str], str, Mapping[str, Callable[[str, str], str]]]

NOTE_PATTERNS: tuple[_Pattern, ...] = tuple(
    (re.compile(pattern), message_id, transforms)
    for pattern, message_id, transforms in (
        (
            r"^(?P<n>\d+) of (?P<total>\d+) teacher-FTE figures are imputed: (?P<names>.+)$",
            "note_imputed_count",
            {},
        ),
        (
            r"^No kindergarten staff file \(owners\.kindergarten_fte\): the kindergarten part is "
            r"shared by the school key \(teacher FTEs\)\.$",
            "note_kindergarten_school_key",
            {},
        ),
        (
            r"^Kindergarten staff from (?P<path>.+) are the key of the kindergarten part; the "
            r"school part is shared by teacher FTEs\.$",
            "note_kindergarten_staff_key",
            {},
        ),
        (
            r"^Owners without a figure in (?P<path>.+) have no kindergarten staff and get no "
            r"kindergarten funds: (?P<names>.+)\.$",
            "note_kindergarten_none",
            {},
        ),
        (
            r"^(?P<county>[^:]+): teacher FTEs are Skoleporten figures for (?P<years>.+) for the "
            r"pre-2020 municipalities, carried to the 2024 municipalities through the 2020 "
            r"crosswalk; no per-municipality figure for 2020 or later was found\.$",
            "note_fte_source",
            {},
        ),
        (
            r"^(?P<old>\d{4} .+?) was split by population share \((?P<parts>.+)\); a population "
            r"share is not a teacher share\.$",
            "note_split",
            {"parts": _PARTS},
        ),
        (
            r"^(?P<old>\d{4} .+?): share (?P<share>[\d.]+) went to (?P<dest>.+) outside "
            r"(?P<county>.+); its FTEs leave the county\.$",
            "note_leaves",
            {"share": _decimal},
        ),
        (
            r"^(?P<old>\d{4} .+?) → (?P<new>\d{4} .+?): border adjustment with unknown "
            r"population \(empty share\); it contributes 0 FTE\.$",
            "note_border",
            {},
        ),
        (
            r"^(?P<n>\d+) pre-2020 units have figures for (?P<what>.+?) only \(not all owners\): "
            r"(?P<names>.+); used as observed, left out of the imputation ratio\.$",
            "note_partial_owners",
            {},
        ),
        (
            r"^(?P<n>\d+) of (?P<total>\d+) municipalities have imputed FTEs \(county ratio "
            r"estimator\): (?P<names>.+)\.$",
            "note_imputed_municipalities",
            {},
        ),
        (
            r"^Private schools removed by the county public/\(public\+private\) ratio "
            r"\((?P<year>[^;]+); municipal figures may be from another year\); private schools "
            r"had (?P<fte>[\d.]+) FTEs\.$",
            "note_private_removed",
            {"fte": _decimal},
        ),
        (
            r"^Imputation ratio: (?P<ratio>[\d.]+) FTE per inhabitant = observed all-owner FTEs "
            r"of the (?P<n>\d+) base municipalities / their 2024 population "
            r"\((?P<population>\d+)\); school years and population years differ\.$",
            "note_imputation_ratio",
            {"ratio": _decimal, "population": _whole},
        ),
        (
            r"^(?P<name>.+) \((?P<code>\d{4})\) listed twice in region (?P<region>.+); counted "
            r"once$",
            "note_listed_twice",
            {},
        ),
        (
            r"^'(?P<raw>.*)' read as (?P<name>.+) \((?P<code>\d{4})\) \(case, punctuation or "
            r"stray separators ignored\)$",
            "note_read_as",
            {},
        ),
        (
            r"^'(?P<raw>.*)' read as (?P<n>\d+) municipalities: (?P<names>.+)$",
            "note_read_as_many",
            {"names": _PARTS},
        ),
        (
            r"^(?P<name>.+) \((?P<code>\d{4})\) no longer exists; 2020 crosswalk: (?P<parts>.+); "
            r"membership adds no new municipality; already listed: (?P<listed>.+); its teacher "
            r"FTEs follow the crosswalk shares$",
            "note_dissolved",
            {"parts": _PARTS, "listed": _PARTS},
        ),
        (
            r"^(?P<name>.+) \((?P<code>\d{4})\) is in no region of the source; assigned to "
            r"(?P<region>.+?)(?P<reason> \(.+\))?$",
            "note_assigned",
            {},
        ),
        (
            r"^(?P<n>\d+) municipalities are not in (?P<file>.+); their bundled figures are used$",
            "note_missing_from_file",
            {},
        ),
        (
            r"^Input file (?P<key>[^:]+): (?P<path>.+) \((?P<what>.+); (?P<rows>\d+) rows; "
            r"sha256 (?P<sha256>[0-9a-f]+)\)$",
            "note_input_file",
            {},
        ),
        (
            r"^Travel to partners is unavailable: no place is known for (?P<partners>.+)\. "
            r"Distances, the travel metrics and the objective's travel term are left out",
            "note_travel_unavailable",
            {},
        ),
        (
            r"^(?P<county>[^:]+): no per-municipality teacher FTEs are bundled; all (?P<n>\d+) "
            r"values are IMPUTED from the pre-2020 county totals \(Skoleporten, (?P<years>.+)\) "
            r"shared by 2024 population\.",
            "note_all_imputed",
            {},
        ),
        (
            r"^Imputed FTEs assume teachers per inhabitant are even within a pre-2020 county; "
            r"school years and the population year \(2024\) differ\.$",
            "note_imputation_assumes",
            {},
        ),
        (
            r"^Private schools left out: the imputation uses the public-school totals \(private "
            r"schools of (?P<counties>.+) had (?P<fte>[\d.]+) FTEs\)\.$",
            "note_imputation_public",
            {"fte": _decimal, "counties": _PARTS},
        ),
        (
            r"^Imputed figures include private schools \(all owners\); the private schools of "
            r"(?P<counties>.+) had (?P<fte>[\d.]+) FTEs\.$",
            "note_imputation_all_owners",
            {"fte": _decimal, "counties": _PARTS},
        ),
    )
)
"""English note shape → catalogue message; named groups are the message's fields."""

_METHOD_RATIO = re.compile(
    r"^county ratio estimate: (?P<ratio>[\d.]+) FTE per inhabitant × 2024 population "
    r"(?P<population>\d+)(?: − observed (?P<observed>[\d.]+))?$"
)
_METHOD_COUNTY_TOTAL = re.compile(
    r"^imputed: (?P<county>.+) (?P<year>\d{4}-\d{2}) total \((?P<owners>public schools|all "
    r"owners)\) per 2024 inhabitant (?P<ratio>[\d.]+) × 2024 population (?P<population>\d+)"
    r"(?: \(part of it lay in (?P<others>.+) before 2020\))?$"
)
_METHOD_PRIVATE = re.compile(
    r"^private schools removed: all-owner figures × (?P<factor>[\d.]+) \(county "
    r"public/\(public\+private\) FTE ratio, estimate\)$"
)


def _free_text(value: str, lang: str, free_texts: Iterable[LocalText]) -> str:
    """``value`` with any quoted scenario free text put in ``lang``."""
    for free in free_texts:
        if free.translations and str(free) and str(free) in value:
            value = value.replace(str(free), free.in_language(lang))
    return value


def localise_note(note: object, lang: str, free_texts: Iterable[LocalText] = ()) -> str:
    """One caveat or data note in ``lang`` (see the module docstring)."""
    if isinstance(note, LocalText):
        return note.in_language(lang)
    value = str(note)
    free = tuple(free_texts)
    for pattern, message_id, transforms in NOTE_PATTERNS:
        match = pattern.match(value)
        if match is None:
            continue
        fields = {
            name: (transforms[name](part, lang) if name in transforms else part)
            for name, part in ((k, v or "") for k, v in match.groupdict().items())
        }
        fields = {name: _free_text(part, lang, free) for name, part in fields.items()}
        return text(message_id, lang, **fields)
    return norwegian_numbers(_free_text(value, lang, free))


def localise_method(method: str, lang: str) -> str:
    """An owner's FTE imputation method (``fte_method``: parts joined by ``; ``) in ``lang``."""
    parts = []
    for part in (p.strip() for p in str(method).split(";") if p.strip()):
        ratio = _METHOD_RATIO.match(part)
        private = _METHOD_PRIVATE.match(part)
        county = _METHOD_COUNTY_TOTAL.match(part)
        if county:
            owners = "public" if county["owners"] == "public schools" else "all"
            shown = text(
                f"method_county_total_{owners}",
                lang,
                county=county["county"],
                year=county["year"],
                ratio=format_decimal(float(county["ratio"]), 6),
                population=format_number(int(county["population"])),
            )
            if county["others"]:
                others = _PARTS(county["others"], lang)
                shown += text("method_part_elsewhere", lang, others=others)
            parts.append(shown)
        elif ratio:
            shown = text(
                "method_ratio",
                lang,
                ratio=format_decimal(float(ratio["ratio"]), 6),
                population=format_number(int(ratio["population"])),
            )
            if ratio["observed"]:
                observed = format_decimal(float(ratio["observed"]), 1)
                shown += text("method_minus_observed", lang, observed=observed)
            parts.append(shown)
        elif private:
            parts.append(
                text(
                    "method_private_removed", lang, factor=format_decimal(float(private["factor"]))
                )
            )
        else:
            parts.append(localise_note(part, lang))
    return "; ".join(parts)


def scenario_free_texts(model: BaseModel) -> tuple[LocalText, ...]:
    """Every free text given per language anywhere in a scenario's tables."""
    found: list[LocalText] = []

    def walk(value: object) -> None:
        if isinstance(value, LocalText):
            if value.translations:
                found.append(value)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)

    walk(model)
    return tuple(found)
