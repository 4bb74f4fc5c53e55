"""What the HTML report and the spreadsheet both read from a proposal.

Headline numbers, caveats and provenance rows, plus tolerant access to optional columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

import dekomopt
from dekomopt.allocation.mga import Direction, Search
from dekomopt.allocation.outcome import RuleCheck
from dekomopt.errors import DataError
from dekomopt.formats import DASH, format_datetime, format_nok, format_number, is_missing
from dekomopt.notes import Dialect, Note
from dekomopt.proposal import Proposal
from dekomopt.report.catalogue import PROVENANCE_LABELS, has_message, text
from dekomopt.report.notes import in_language
from dekomopt.scenario.schema import LocalText

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "allocation": ("recipient_type", "theme", "sector", "amount_nok"),
    "regions": (
        "region",
        "teacher_fte",
        "key_share",
        "amount_nok",
        "owners_nok",
        "partners_nok",
        "nok_per_fte",
    ),
    "owners": (
        "owner_id",
        "owner_name",
        "region",
        "teacher_fte",
        "amount_nok",
        "partner_part_nok",
        "total_nok",
        "nok_per_fte",
    ),
    "partners": ("partner_id", "partner_name", "amount_nok"),
}
"""Columns the report cannot do without; others in the contract are optional here."""


def check_proposal(proposal: Proposal) -> None:
    """Raise :class:`DataError` naming the table and columns the report needs but lacks."""
    for table, columns in REQUIRED_COLUMNS.items():
        missing = [c for c in columns if c not in getattr(proposal, table).columns]
        if missing:
            raise DataError("proposal", table, f"missing column(s) {', '.join(missing)}")


def column(frame: pd.DataFrame, name: str, default: object) -> pd.Series:
    """``frame[name]``, or ``default`` in every row when the column is absent."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def bound_share(rows: Sequence[RuleCheck], budget_nok: int) -> float | None:
    """The minimum share of the budget a rule's rows demand, or None when it is not one number:
    the county-wide UH share (``uh_share_min``), else a single ``>=`` row's kroner bound over
    the budget."""
    if rows and "uh_share_min" in rows[0].params:
        return float(rows[0].params["uh_share_min"])
    if len(rows) != 1 or rows[0].sense != ">=" or not budget_nok:
        return None
    return rows[0].bound / budget_nok


@dataclass(frozen=True)
class Summary:
    """Budget, what was distributed to whom, and the shares the rules bound. Amounts in kroner."""

    budget_total: int
    set_asides: tuple[tuple[str, int], ...]
    budget: int
    owners_total: int
    partners_total: int
    special_ed_total: int
    sector_totals: tuple[tuple[str, int], ...]

    @property
    def distributed(self) -> int:
        return self.owners_total + self.partners_total

    @property
    def set_asides_total(self) -> int:
        return sum(amount for _, amount in self.set_asides)

    @property
    def partner_share(self) -> float:
        return self.partners_total / self.budget if self.budget else float("nan")

    @property
    def special_ed_share(self) -> float:
        return self.special_ed_total / self.budget if self.budget else float("nan")


def summarise(proposal: Proposal) -> Summary:
    """The :class:`Summary` of ``proposal``, from its ``allocation`` table."""
    allocation = proposal.allocation
    amount = allocation["amount_nok"].astype("int64")
    sectors = amount.groupby(allocation["sector"].astype(str), sort=True).sum()
    return Summary(
        budget_total=int(proposal.budget_total_nok),
        set_asides=tuple((name, int(value)) for name, value in proposal.set_asides),
        budget=int(proposal.budget_nok),
        owners_total=int(amount[allocation["recipient_type"] == "owner"].sum()),
        partners_total=int(amount[allocation["recipient_type"] == "partner"].sum()),
        special_ed_total=int(amount[allocation["theme"] == "special_ed"].sum()),
        sector_totals=tuple((str(s), int(v)) for s, v in sectors.items()),
    )


def flags(frame: pd.DataFrame, name: str, default: bool) -> pd.Series:
    """Column ``name`` as booleans; missing cells (or a missing column) take ``default``."""
    values = column(frame, name, default)
    return pd.Series(
        [default if is_missing(v) else bool(v) for v in values], index=frame.index, dtype=bool
    )


def known_total(values: pd.Series) -> float:
    """The sum of ``values``, or NaN when any is missing (a partial total would mislead)."""
    if len(values) == 0 or any(is_missing(v) for v in values):
        return float("nan")
    return float(pd.to_numeric(values).sum())


def _is(caveat: object, message_id: str) -> bool:
    return isinstance(caveat, Note) and caveat.message_id == message_id


def caveat_lines(proposal: Proposal, lang: str) -> list[str]:
    """Every caveat the reader must see, in ``lang``: the proposal's own, illustrative regions.

    Each line appears once.
    """
    lines = [
        in_language(c, lang)
        for c in proposal.caveats
        if not _is(c, "note_input_file")  # each file is a row of the provenance table
    ]
    owners = proposal.owners
    imputed = flags(owners, "fte_imputed", False)
    if imputed.any() and not any(_is(c, "note_imputed_count") for c in proposal.caveats):
        names = ", ".join(map(str, owners["owner_name"][imputed]))
        lines.append(text("caveat_imputed", lang, names=names))
    illustrative = flags(proposal.regions, "structure_illustrative", False)
    if illustrative.any():
        names = ", ".join(map(str, proposal.regions["region"][illustrative]))
        lines.append(text("caveat_region_illustrative", lang, names=names))
    return list(dict.fromkeys(lines))


_SHOWN_ELSEWHERE = ("scenario_name", "year")
"""Provenance keys already shown in the first rows."""
_FILE_ONLY = ("scenario_content_sha256",)
"""Provenance keys for programs (in provenance.json), not the reader: the report names the
scenario file and its checksum."""


def scenario_title(proposal: Proposal, lang: str) -> str:
    """The scenario's name in ``lang`` (as written when it is one string)."""
    name = proposal.scenario_name
    return name.in_language(lang) if isinstance(name, LocalText) else str(name)


def regime_name(regime: str, lang: str) -> str:
    """The scheme's name in ``lang``; an unknown regime id as it is."""
    message_id = f"regime_{regime}"
    return text(message_id, lang) if has_message(message_id) else regime


def _provenance_value(key: str, value: object, lang: str) -> list[tuple[str, str]]:
    if key in ("created", "time", "timestamp"):
        try:
            shown = format_datetime(str(value), lang)
        except ValueError:
            shown = str(value)
        return [(text("prov_time", lang), shown)]
    if key == "data_versions" and isinstance(value, Mapping):
        return [
            (text("prov_data_version", lang, file=name), str(version))
            for name, version in value.items()
        ]
    if key == "rounding":
        message_id = f"rounding_{value}"
        shown = text(message_id, lang) if has_message(message_id) else str(value)
        return [(text("prov_rounding", lang), shown)]
    if key == "python":
        return [(text("prov_runtime", lang), str(value))]
    if key == "input_files" and isinstance(value, list | tuple):
        return [row for record in value for row in _input_file_rows(record, lang)]
    if key in PROVENANCE_LABELS:
        label = text(PROVENANCE_LABELS[key], lang)
    else:
        label = key.replace("_", " ").capitalize()
    if isinstance(value, Mapping):
        return [(f"{label}: {inner}", str(v)) for inner, v in value.items()]
    if isinstance(value, list | tuple):
        return [(label, ", ".join(map(str, value)))]
    return [(label, str(value))]


def _input_file_rows(record: object, lang: str) -> list[tuple[str, str]]:
    """One row per input file (file, sha256 short, format, how read, rows), then its notes."""
    if not isinstance(record, Mapping):
        return [(text("prov_input_file", lang, key=""), str(record))]
    key = str(record.get("key", ""))
    value = text(
        "prov_input_file_value",
        lang,
        path=record.get("path", ""),
        sha256=str(record.get("sha256", ""))[:16],
        format=record.get("format", ""),
        dialect=Dialect(str(record.get("dialect", ""))).in_language(lang),
        rows=format_number(record.get("rows_read", 0)),
    )
    notes = record.get("notes") or ()
    return [(text("prov_input_file", lang, key=key), value)] + [
        (text("prov_input_file_note", lang, key=key), in_language(note, lang))
        for note in (notes if isinstance(notes, list | tuple) else [notes])
    ]


def provenance_rows(proposal: Proposal, lang: str) -> list[tuple[str, str]]:
    """``(label, value)`` pairs in ``lang``: scenario, scheme, year, then the provenance record.

    Every key gets a label from the catalogue; the time is a Norwegian date; no row repeats.
    """
    rows = [
        (text("prov_scenario_name", lang), scenario_title(proposal, lang)),
        (text("prov_regime", lang), regime_name(proposal.regime, lang)),
        (text("prov_year", lang), str(proposal.year)),
    ]
    for key, value in proposal.provenance.items():
        if key in _SHOWN_ELSEWHERE or key in _FILE_ONLY or key == "caveats":
            continue
        rows += _provenance_value(str(key), value, lang)
    if "package_version" not in proposal.provenance:
        rows.append((text("prov_report_version", lang), dekomopt.__version__))
    return list(dict.fromkeys(rows))


PRIVATE_NETWORK_ID = "private-network"
"""Owner id the county model gives the county's private-school network."""


def owner_label(owner_id: object, name: object, proposal: Proposal, lang: str) -> tuple[str, str]:
    """``(number, name)`` as the reader sees them: the private network by name, without an id."""
    if str(owner_id) == PRIVATE_NETWORK_ID:
        return DASH, text("private_network_name", lang, county=proposal.county)
    return str(owner_id), str(name)


def direction_words(direction: Direction, lang: str) -> str:
    """An alternative's search direction in ``lang``."""
    how = text(f"direction_{'max' if direction.most else 'min'}", lang)
    return f"{how} {text(f'direction_{direction.part}', lang, region=direction.region)}"


def shortfall_words(search: Search | None, lang: str) -> str | None:
    """Why a search found fewer alternatives than asked, in ``lang``; None when it found all."""
    if search is None or search.found >= search.asked:
        return None
    return text(
        "alternatives_fewer",
        lang,
        found=search.found,
        asked=search.asked,
        tried=search.tried,
        moved=format_nok(search.min_moved_nok),
        slack=format_nok(search.slack_nok),
    )
