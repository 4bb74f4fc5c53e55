"""Check a competence-region list against the 2024 municipality register.

Region lists are copied from web pages and are dirty: names in lower case, stray commas, a
period where a comma belongs, a municipality listed twice, municipalities that no longer
exist, municipalities left out. :func:`check_region_list` resolves what it safely can, reports
each repair as a :class:`RegionFinding`, and raises on what it cannot resolve.

Reading rules (documented in ``data/files/README.md``):

* An entry is split on ",", ";", " og " and on a period followed by a space or the end.
  Empty pieces are stray separators. A period where a comma belongs is a ``split_entry``
  finding (one per entry) naming the pieces that ended in such a period.
* A piece matching a register name or official name exactly needs no finding; a match only
  after case folding and removing punctuation is ``cleaned`` (one finding per entry).
* A name of a pre-2020 municipality that no longer exists is ``dissolved``: its successors
  (2020 crosswalk) join the region only if no region lists them already.
* A municipality listed twice in one region is a ``duplicate`` warning; listed in two
  regions it is a ``duplicate`` error.
* Each municipality of the county that no region lists gets its own ``unassigned`` finding.
* A name that matches nothing is ``unknown``: always an error.

Errors raise a :class:`DataError` with one line per problem; ``strict=True`` makes every
finding an error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from dekomopt.data.crosswalk import load_crosswalk, plain_old_name
from dekomopt.data.register import load_municipalities, resolve_county
from dekomopt.data.tables import data_file, read_table
from dekomopt.errors import DataError
from dekomopt.notes import Joined, Note, note

KINDS = ("duplicate", "cleaned", "split_entry", "dissolved", "unassigned", "unknown")
SEED_FILE = "seed_000_rogaland_regions.txt"

_LIST_SEPARATOR = re.compile(r",|;|\s+og\s+")
_PIECE_SEPARATOR = re.compile(r",|;|\.(?=\s|$)|\s+og\s+")
_REGION_LINE = re.compile(
    r"^\W*Region\s+(?P<region>\S+)\s+med\s+kommun\w*\s+(?P<members>.+?)\s*$", re.MULTILINE
)
_NON_MUNICIPAL = ("fylkeskommune", "friskol")


@dataclass(frozen=True)
class RegionFinding:
    """One repair or problem found in a region list."""

    kind: str
    region: str | None
    text: str
    kommunenummer: tuple[str, ...]
    severity: str
    message: Note


@dataclass(frozen=True)
class RegionListCheck:
    """A checked region list: resolved membership (region → codes) and the findings."""

    source: str
    county: str
    regions: Mapping[str, tuple[str, ...]]
    findings: tuple[RegionFinding, ...]

    def of_kind(self, kind: str) -> tuple[RegionFinding, ...]:
        """The findings of one kind, in the order they were found."""
        return tuple(f for f in self.findings if f.kind == kind)

    def lines(self) -> tuple[str, ...]:
        """One line per finding, naming the source and the region (or county)."""
        return tuple(_line(self.source, self.county, f) for f in self.findings)


def _line(source: str, county: str, finding: RegionFinding) -> str:
    where = f"region {finding.region}" if finding.region is not None else f"county {county}"
    return f"{source}: {where}: {finding.kind}: {finding.message}"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def _split_list(members: str) -> list[str]:
    """Split a printed member list into entries; stray separators stay on the entry before."""
    spans: list[tuple[int, int]] = []
    start = 0
    separators = list(_LIST_SEPARATOR.finditer(members))
    for sep in separators:
        spans.append((start, sep.start()))
        start = sep.end()
    spans.append((start, len(members)))
    entries: list[str] = []
    pending_prefix = ""
    i = 0
    while i < len(spans):
        a, b = spans[i]
        if not members[a:b].strip():
            # leading stray separators are shown on the first real entry
            if i < len(separators):
                pending_prefix += separators[i].group()
            i += 1
            continue
        j = i
        while j + 1 < len(spans) and not members[slice(*spans[j + 1])].strip():
            j += 1
        end = b if j == i else separators[min(j, len(separators) - 1)].end()
        entries.append(pending_prefix + members[a:end].strip())
        pending_prefix = ""
        i = j + 1
    return entries


def parse_source_region_list(text: str) -> dict[str, list[str]]:
    """Region → entries as printed, from lines like "Region NORD med kommunane A, B og C".

    Line-final punctuation is dropped; stray separators inside the list stay on the entry
    they follow (``"sandnes,,"``), so the check can report them.
    """
    regions: dict[str, list[str]] = {}
    for match in _REGION_LINE.finditer(text):
        members = match.group("members").rstrip(" .,;")
        region = match.group("region")
        if region in regions:
            raise DataError("region list", f"region {region}", "region listed twice")
        regions[region] = _split_list(members)
    if not regions:
        raise DataError("region list", "text", "no line of the form 'Region X med kommunane ...'")
    return regions


@dataclass
class _Entry:
    region: str
    text: str
    pieces: list[tuple[str, bool]]  # (name text, ended in a period standing for a comma)


def _pieces(entry: str) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    start = 0
    for sep in _PIECE_SEPARATOR.finditer(entry):
        pieces.append((entry[start : sep.start()].strip(), sep.group() == "."))
        start = sep.end()
    pieces.append((entry[start:].strip(), False))
    return [(name, period) for name, period in pieces if name]


class _Matcher:
    """Names of one county's municipalities (or all 357, to guess the county: names such as
    Herøy or Bø occur in two counties, so a county's own matcher decides)."""

    def __init__(self, county: str | int | None = None) -> None:
        register = load_municipalities(county)
        self.register = register
        self.exact: dict[str, str] = {}
        self.loose: dict[str, str] = {}
        for code, name, official in register[["kommunenummer", "name", "name_official"]].values:
            for label in (name, official):
                self.exact[label] = code
                self.loose[_norm(label)] = code
        self.names = dict(zip(register["kommunenummer"], register["name"], strict=True))
        crosswalk = load_crosswalk()
        existing = load_municipalities()["kommunenummer"]
        gone = crosswalk[~crosswalk["old_kommunenummer"].isin(existing)]
        # Sámi double names ("Divtasvuodna - Tysfjord") are found by either part
        self.dissolved: dict[str, pd.DataFrame] = {}
        for name, rows in gone.groupby("old_name"):
            plain = plain_old_name(str(name))
            for label in [plain, *plain.split(" - ")]:
                self.dissolved[_norm(label)] = rows


def _coerce(regions: Mapping[str, Sequence[str]] | str) -> dict[str, list[str]]:
    if isinstance(regions, str):
        return parse_source_region_list(regions)
    result: dict[str, list[str]] = {}
    for region, entries in regions.items():
        if isinstance(entries, str):
            raise DataError("region list", f"region {region}", "expected a list of names")
        result[str(region)] = [e for text in entries for e in _split_list(str(text))]
    return result


def _guess_county(listing: dict[str, list[str]]) -> int:
    """The county of most names in the list that match the national register exactly."""
    matcher = _Matcher()
    found = [
        matcher.exact.get(name, matcher.loose.get(_norm(name)))
        for texts in listing.values()
        for text in texts
        for name, _ in _pieces(text)
    ]
    codes = [c for c in found if c is not None]
    if not codes:
        raise DataError("region list", "regions", "no name matches the register; give county=")
    return Counter(int(c[:2]) for c in codes).most_common(1)[0][0]


def check_region_list(
    regions: Mapping[str, Sequence[str]] | str,
    county: str | int | None = None,
    *,
    strict: bool = False,
    source: str = "region list",
) -> RegionListCheck:
    """Resolve a region list (region → names as printed, or the raw source text).

    ``county`` defaults to the county of most matched names. Raises :class:`DataError` (one
    line per problem) for unknown names and municipalities listed in two regions, and for
    every finding when ``strict``.
    """
    listing = _coerce(regions)
    if county is None:
        county = _guess_county(listing)
    matcher = _Matcher(county)
    entries = [
        _Entry(region, text, _pieces(text)) for region, texts in listing.items() for text in texts
    ]
    matched: list[tuple[_Entry, list[str | None], list[bool]]] = []
    for entry in entries:
        codes: list[str | None] = []
        loose: list[bool] = []
        for name, _ in entry.pieces:
            code = matcher.exact.get(name)
            loose.append(code is None)
            codes.append(code if code is not None else matcher.loose.get(_norm(name)))
        matched.append((entry, codes, loose))
    county_name, county_number = resolve_county(county)
    county_register = matcher.register[matcher.register["county_number"] == county_number]

    findings: list[RegionFinding] = []
    members: dict[str, list[str]] = {region: [] for region in listing}
    dissolved_entries: list[tuple[str, str, pd.DataFrame]] = []
    for entry, codes, loose in matched:
        period_pieces = [
            (name, code) for (name, p), code in zip(entry.pieces, codes, strict=True) if p
        ]
        clean_text = ", ".join(name for name, _ in entry.pieces)
        if len(entry.pieces) > 1 and period_pieces:
            text = " ".join(f"{name}." for name, _ in period_pieces)
            named = Joined(
                tuple(f"{matcher.names[c]} ({c})" if c else repr(n) for n, c in period_pieces),
                note("word_and"),
            )
            findings.append(
                RegionFinding(
                    "split_entry", entry.region, text,
                    tuple(c for _, c in period_pieces if c),
                    "warning",
                    note("note_read_as_many", raw=text, n=len(period_pieces), names=named),
                )
            )  # fmt: skip
        elif all(codes) and (any(loose) or entry.text != clean_text):
            code_list = tuple(c for c in codes if c)
            cleaned = ", ".join(f"{matcher.names[c]} ({c})" for c in code_list)
            findings.append(
                RegionFinding(
                    "cleaned", entry.region, entry.text, code_list, "warning",
                    note("note_read_as", raw=entry.text, names=cleaned),
                )
            )  # fmt: skip
        for (name, _), code in zip(entry.pieces, codes, strict=True):
            if code is not None:
                if code in members[entry.region]:
                    findings.append(
                        RegionFinding(
                            "duplicate", entry.region, name, (code,), "warning",
                            note("note_listed_twice", name=matcher.names[code], code=code,
                                 region=entry.region),
                        )
                    )  # fmt: skip
                else:
                    members[entry.region].append(code)
                continue
            rows = matcher.dissolved.get(_norm(name))
            if rows is not None:
                dissolved_entries.append((entry.region, name, rows))
                continue
            labels = county_register["name"].tolist() + county_register["name_official"].tolist()
            candidates = list(dict.fromkeys(labels))
            closest = difflib.get_close_matches(name, candidates, n=3, cutoff=0.0)
            findings.append(
                RegionFinding(
                    "unknown", entry.region, name, (), "error",
                    note("note_unknown_municipality", name=name, region=entry.region,
                         closest=", ".join(closest)),
                )
            )  # fmt: skip

    listed_in: dict[str, list[str]] = {}
    for region, member_codes in members.items():
        for code in member_codes:
            listed_in.setdefault(code, []).append(region)
    for code, where in listed_in.items():
        if len(where) > 1:
            findings.append(
                RegionFinding(
                    "duplicate", where[1], matcher.names[code], (code,), "error",
                    note("note_listed_in_regions", name=matcher.names[code], code=code,
                         regions=Joined(tuple(where), note("word_and"))),
                )
            )  # fmt: skip

    for region, name, rows in dissolved_entries:
        old_code = rows["old_kommunenummer"].iloc[0]
        parts: list[Note] = []
        added: list[str] = []
        already: list[Note] = []
        for new_code, new_name, share in rows[["new_kommunenummer", "new_name", "share"]].values:
            parts.append(note("part_crosswalk", name=new_name, code=new_code, share=float(share)))
            if int(new_code[:2]) != county_number:
                continue
            if new_code in listed_in:
                already.append(
                    note("part_listed_in", name=new_name, regions="/".join(listed_in[new_code]))
                )
            else:
                members[region].append(new_code)
                listed_in[new_code] = [region]
                added.append(new_name)
        effect = (
            note("effect_adds", names=", ".join(added), region=region)
            if added
            else note("effect_none")
        )
        crosswalk = Joined(tuple(parts), " + ")
        found = (
            note("note_dissolved_listed", name=name, code=old_code, parts=crosswalk,
                 effect=effect, listed=Joined(tuple(already)))
            if already
            else note("note_dissolved", name=name, code=old_code, parts=crosswalk, effect=effect)
        )  # fmt: skip
        findings.append(
            RegionFinding(
                "dissolved", region, name, tuple(rows["new_kommunenummer"]), "warning", found
            )
        )

    for code, name in county_register[["kommunenummer", "name"]].values:
        if code not in listed_in:
            findings.append(
                RegionFinding(
                    "unassigned", None, name, (code,), "warning",
                    note("note_in_no_region", name=name, code=code),
                )
            )  # fmt: skip

    if strict:
        findings = [
            RegionFinding(f.kind, f.region, f.text, f.kommunenummer, "error", f.message)
            for f in findings
        ]
    result = RegionListCheck(
        source=source,
        county=county_name,
        regions=MappingProxyType({r: tuple(c) for r, c in members.items()}),
        findings=tuple(findings),
    )
    errors = [_line(source, county_name, f) for f in result.findings if f.severity == "error"]
    if errors:
        raise DataError(source, "regions", f"{len(errors)} problem(s):\n" + "\n".join(errors))
    return result


def region_list_from_csv(county: str | int, path: str | Path | None = None) -> dict[str, list[str]]:
    """Region → entries (column ``name_in_source``) of one county from a competence_regions CSV.

    Defaults to the bundled file. Rows that are not municipalities (the county as owner,
    the private schools' network) are left out; rows that repeat one printed entry (the
    file's two rows for "Time. Hå.") count as one entry.
    """
    county_name, _ = resolve_county(county)
    if path is None:
        frame = read_table("competence_regions.csv")
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = {"county", "region", "name_in_source"} - set(frame.columns)
        if missing:
            raise DataError(str(path), "header", f"missing column(s): {', '.join(sorted(missing))}")
    frame = frame[frame["county"] == county_name]
    regions: dict[str, list[str]] = {}
    for region, text, name in frame[["region", "name_in_source", "name"]].values:
        if any(marker in str(name).casefold() for marker in _NON_MUNICIPAL):
            continue
        entries = regions.setdefault(region, [])
        if not entries or entries[-1] != text:
            entries.append(text)
    if not regions:
        raise DataError(
            str(path or "competence_regions.csv"), "county", f"no rows for {county_name}"
        )
    return regions


def rogaland_source_structure(*, strict: bool = False) -> RegionListCheck:
    """The checked Rogaland region list as printed by Fylkesmannen (the bundled text of
    source 000)."""
    with data_file(SEED_FILE).open("r", encoding="utf-8") as handle:
        text = handle.read()
    return check_region_list(text, county="Rogaland", strict=strict, source=SEED_FILE)
