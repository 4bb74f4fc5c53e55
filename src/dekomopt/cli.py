"""The ``dekomopt`` command line. User mistakes print one line per problem and exit 2."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypedDict

from dekomopt import __version__
from dekomopt.errors import DataError, DekomoptError, ScenarioError
from dekomopt.runfolder import interrupted_line, stop_on_sigterm
from dekomopt.sobolsize import SOBOL_SAMPLES

if TYPE_CHECKING:
    import pandas as pd

    from dekomopt.proposal import Proposal
    from dekomopt.scenario import Scenario

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""
DEFAULT_SEARCH_BUDGET = 2000
"""Structures ``structures --search`` scores when given no number."""

MAX_WORKERS = 256
DEFAULT_SLACK = 0.01
"""``propose --slack``: an alternative's objective at most this share of the budget above the
proposal's."""
DEFAULT_CONNECT_TIMEOUT = 10.0
"""``simulate --connect-timeout``: seconds to wait for a Dask scheduler."""
"""More local worker processes than this is a typing mistake, not a machine."""
MIN_SOBOL_SAMPLES, MAX_SOBOL_SAMPLES = SOBOL_SAMPLES
_EXTRAS = {
    "SALib": "sensitivity",
    "dask": "dask",
    "distributed": "dask",
    "gerrychain": "structures",
}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line each on stderr and exit status 2: every
    option value that failed its check (:func:`_all_checked`), every line of the checks of
    options together (:meth:`add_check`) and every argument the command does not take are
    reported together, with the mistake that stopped the parse, if any."""

    _parsed: argparse.Namespace | None = None
    _checks: tuple[Callable[[argparse.Namespace], list[str]], ...] = ()

    def add_check(self, check: Callable[[argparse.Namespace], list[str]]) -> None:
        """Check options together after the parse (one option's value against another's):
        ``check`` gets the parsed values (a value that failed its own check is an
        :class:`_Invalid`) and returns a line per problem, ``argument --option: …``."""
        self._checks = (*self._checks, check)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse ``args``; any bad value or argument not taken ends the run (:meth:`error`),
        so the list of arguments left over is always empty."""
        self._parsed = argparse.Namespace() if namespace is None else namespace
        parsed, unknown = super().parse_known_args(args, self._parsed)
        lines = self._invalid() + [f"unrecognized argument {text!r}" for text in unknown]
        if lines:
            self._stop(lines)
        return parsed, []

    def _invalid(self) -> list[str]:
        """A line for each option value of the parse so far that failed its check, and each
        line of the checks of options together."""
        values = vars(self._parsed) if self._parsed is not None else {}
        lines = [
            f"argument {'/'.join(action.option_strings) or action.dest}: {value.message}"
            for action in self._actions
            if isinstance(value := values.get(action.dest), _Invalid)
        ]
        if self._parsed is not None:
            for check in self._checks:
                lines += check(self._parsed)
        return lines

    def _stop(self, lines: list[str]) -> NoReturn:
        self.exit(EXIT_USER_ERROR, "".join(f"error: {self.prog}: {line}\n" for line in lines))

    def error(self, message: str) -> NoReturn:
        self._stop([*self._invalid(), message])


@dataclass(frozen=True)
class _Invalid:
    """An option value that failed its check, kept so that every such option is reported."""

    message: str


def _all_checked(check: Callable[[str], object], name: str) -> Callable[[str], object]:
    """An argparse type from ``check`` (which raises ``ArgumentTypeError`` saying what is
    wrong) that returns :class:`_Invalid` instead of stopping at the first bad value:
    :class:`_Parser` reports them all, one line each. Every checked option of every
    command is made with it (:func:`_integer`, :func:`_number`, :func:`_one_of`)."""

    def parse(text: str) -> object:
        try:
            return check(text)
        except argparse.ArgumentTypeError as exc:
            return _Invalid(str(exc))

    parse.__name__ = name
    return parse


def _integer(low: int, high: int | None = None) -> Callable[[str], object]:
    """An argparse type: a whole number in ``low .. high``."""

    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            limit = f"{low} or more" if high is None else f"between {low} and {high}"
            raise argparse.ArgumentTypeError(f"must be {limit}, got {value}")
        return value

    return _all_checked(check, "whole number")


def _number(low: float, *, strict: bool = False) -> Callable[[str], object]:
    """An argparse type: a finite number ``>= low`` (``> low`` with ``strict``)."""

    def check(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value < low or (strict and value == low):
            bound = f"{'above' if strict else 'at least'} {low:g}"
            raise argparse.ArgumentTypeError(f"must be a finite number {bound}, got {text}")
        return value

    return _all_checked(check, "number")


class _Choice(TypedDict):
    """The ``add_argument`` settings :func:`_one_of` gives."""

    type: Callable[[str], object]
    metavar: str


def _one_of(*choices: str) -> _Choice:
    """``add_argument`` settings for a value that must be one of ``choices`` (shown as
    ``{a,b}`` in the help, as argparse's own ``choices`` would be)."""

    def check(text: str) -> str:
        if text not in choices:
            raise argparse.ArgumentTypeError(f"must be one of {', '.join(choices)}, got {text!r}")
        return text

    return {"type": _all_checked(check, "choice"), "metavar": "{" + ",".join(choices) + "}"}


_SEED = _integer(0, 2**63 - 1)


def _checked(check: Callable[[str], object], name: str) -> Callable[[str], object]:
    """:func:`_all_checked` for a ``check`` that raises ValueError or DataError."""

    def parse(text: str) -> object:
        try:
            return check(text)
        except DataError as exc:
            raise argparse.ArgumentTypeError(f"{exc.source}: {exc.message}") from None
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return _all_checked(parse, name)


def _school_year(text: str) -> str:
    """``2019`` or ``2019-20`` as ``2019-20`` (:func:`~dekomopt.county.national.school_year`)."""
    from dekomopt.county.national import school_year

    return school_year(text)


def _table_file(text: str) -> str:
    """A table the command reads (``book.xlsx#Sheet`` names a sheet): the file must exist."""
    from dekomopt.scenario.files import split_sheet

    path, _ = split_sheet(Path(text))
    if not path.is_file():
        raise ValueError(f"{path}: {'a folder, not a file' if path.is_dir() else 'file not found'}")
    return text


def _needs(option: str, other: str) -> Callable[[argparse.Namespace], list[str]]:
    """A check that ``option``, when given, comes with ``other`` (it does nothing alone)."""

    def check(args: argparse.Namespace) -> list[str]:
        # A value that failed its own check is reported as such, not again here.
        value = getattr(args, option.strip("-").replace("-", "_"))
        given = value is not None and not isinstance(value, _Invalid)
        if given and not getattr(args, other.strip("-").replace("-", "_")):
            return [
                f"argument {option}: only takes effect with {other}; give {other} or leave it out"
            ]
        return []

    return check


def _bundled_year(args: argparse.Namespace) -> list[str]:
    """``national``: without ``--fte`` the year must be one of the bundled figures'."""
    from dekomopt.county.national import bundled_school_years

    if args.fte is not None or not isinstance(args.year, str):
        return []
    years = bundled_school_years()
    if args.year in years:
        return []
    return [
        f"argument --year: no bundled teacher FTEs for {args.year} (bundled: "
        f"{', '.join(years)}); give your own figures with --fte"
    ]


def cmd_validate(args: argparse.Namespace) -> int:
    """Load a scenario, build its county model and print a summary."""
    from dekomopt.county import allocation_problem, build_county
    from dekomopt.formats import NBSP, format_decimal, format_number, format_percent
    from dekomopt.formats import format_nok as kr
    from dekomopt.scenario import load_scenario, set_aside_amounts

    scenario = load_scenario(args.scenario)
    county = build_county(scenario)
    problem = allocation_problem(scenario, county)
    spec = scenario.spec
    meta = spec.scenario
    owners = county.owners
    print(f"scenario   {meta.name} ({scenario.path.name}, sha256 {scenario.sha256[:12]})")
    scope = county.scope.label if county.scope is not None else county.name
    print(f"scope      {scope}, regime {meta.regime}, year {meta.year}")
    for record in county.input_files:
        print(f"file       {record.describe()}")
        for note in record.notes:
            print(f"  note: {note}")
    kinds = owners["owner_kind"].value_counts()
    print(
        f"owners     {len(owners)} ("
        + ", ".join(
            f"{n} {k[:-1] + 'ies' if n != 1 and k.endswith('y') else k}"
            for k, n in zip(kinds.index.astype(str), kinds.tolist(), strict=True)
        )
        + f"), {int((~owners['participates']).sum())} not participating"
    )
    basis = county.structure_basis or ""
    if county.structure_illustrative:
        basis = "ILLUSTRATIVE" + (": " + basis.removeprefix("illustrative: ") if basis else "")
    print(f"regions    {len(county.regions)}" + (f" — {basis}" if basis else ""))
    fte = county.region_fte()
    total_fte = fte.sum()
    for region in county.regions:
        members = owners[owners["region"] == region]
        partners = county.edges.loc[county.edges["region"] == region]
        links = ", ".join(
            f"{p} {km:.0f} km" if math.isfinite(km) else f"{p} (distance unavailable)"
            for p, km in zip(partners["partner_id"], partners["km"], strict=True)
        )
        print(
            f"  {region:<28} {len(members):>3} {'owner ' if len(members) == 1 else 'owners'}"
            f"  {format_number(fte[region], 1):>9} FTE "
            f"({format_percent(fte[region] / total_fte):>6})  partners: {links}"
        )
    b = spec.budget
    print(f"budget     {kr(b.total_nok)}" + (" (illustrative)" if b.illustrative else ""))
    for name, amount in set_aside_amounts(scenario):
        print(f"  set aside {name}: {kr(amount)}")
    print(f"  to distribute: {kr(problem.budget_nok)}")
    r = spec.rules

    def pct(share: float) -> str:
        return format_decimal(100 * share, 4) + NBSP + "%"

    print(
        f"rules      UH min {pct(r.uh_share_min)} ({r.uh_scope}),"
        f" co-financing {pct(r.cofinancing_share)}, special-ed min {pct(r.special_ed_share_min)}"
        + (
            f", kindergarten {pct(r.kindergarten_share)}"
            if r.kindergarten_share is not None
            else ""
        )
        + f", key weights fte/distance/special {r.key_weights.fte:g}/{r.key_weights.distance:g}/"
        f"{r.key_weights.special:g}"
        + (
            ""
            if r.key_tolerance is None
            else ", strictly pro rata (key tolerance 0)"
            if r.key_tolerance == 0
            else f", key tolerance {pct(r.key_tolerance)}"
        )
        + (
            f", stability ±{pct(r.stability_max_change)}"
            if r.stability_max_change is not None
            else ""
        )
        + f", rounding {kr(r.rounding_unit_nok)}"
    )
    left = problem.budget_nok % r.rounding_unit_nok
    if left:
        print(
            f"  rounding: {kr(problem.budget_nok)} to distribute is not a multiple of "
            f"{kr(r.rounding_unit_nok)}: the {kr(left)} left over go to one amount, which "
            "propose names"
        )
    imputed = owners[owners["fte_imputed"]]
    print(f"imputed    {len(imputed)} of {len(owners)} teacher-FTE values")
    for row in imputed.itertuples(index=False):
        print(
            f"  {row.owner_id} {row.owner_name}: {format_number(row.teacher_fte, 1)} FTE "
            f"({row.fte_method})"
        )
    fallback = owners[owners["fte_fallback"]]
    if len(fallback):
        print(f"fallback   {len(fallback)} of {len(owners)} teacher-FTE values not in your file")
        for row in fallback.itertuples(index=False):
            print(
                f"  {row.owner_id} {row.owner_name}: {format_number(row.teacher_fte, 1)} FTE "
                f"({row.fte_method})"
            )
    for assumption in meta.assumptions:
        print(f"assumption {assumption}")
    for warning in county.warnings:
        print(f"warning    {warning}")
    return 0


def _out_folder(given: str) -> Path:
    """``--out`` as a folder to write into: an error naming the option when it, or a folder
    above it, is an existing file."""
    out = Path(given)
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            what = "is an existing file" if path == out else f"is inside {path}, a file"
            raise DataError(
                given,
                "--out",
                f"{what}; --out names the folder the output files go into: give a folder "
                f"name (e.g. out/{out.stem or 'run'})",
            )
    return out


def cmd_init(args: argparse.Namespace) -> int:
    """Write a starter scenario (and its regions table) for a county or an office."""
    from dekomopt.county.build import LAST_DEKOM_YEAR
    from dekomopt.county.starter import regions_path, write_starter
    from dekomopt.data import load_municipalities, resolve_scope

    scope = resolve_scope(args.scope)
    out = Path(args.out)
    if out.suffix.lower() != ".toml":
        raise DataError(str(out), "--out", "the starter scenario must end in .toml")
    regions = regions_path(out)
    for path in (out, regions):
        if path.is_dir():
            raise DataError(str(out), "--out", f"{path} is a folder; --out names the file to write")
    taken = [p for p in (out, regions) if p.exists() and not args.force]
    if taken:
        raise DekomoptError(
            "\n".join(
                f"--out {out}: "
                + ("the scenario file" if p == out else f"its regions table {p}")
                + " exists; init does not overwrite it: give another --out, or add --force "
                "to replace it"
                for p in taken
            )
        )
    regime = "dekom" if args.year <= LAST_DEKOM_YEAR else "kollektiv-2026"
    n_municipalities = len(load_municipalities(scope))
    if args.regions is not None and not 1 <= args.regions <= n_municipalities:
        raise DataError(
            "--regions",
            "",
            f"{scope.label} has {n_municipalities} municipalities, so from 1 to "
            f"{n_municipalities} regions; got {args.regions}",
        )
    written = write_starter(scope, out, year=args.year, regime=regime, k=args.regions)
    print(f"starter for {scope.label}: {out} and {regions}")
    for line in written.structure_lines():
        print(line)
    print(f"next: dekomopt validate {out}")
    return 0


def cmd_national(args: argparse.Namespace) -> int:
    """Split a national pot between the 10 Statsforvalter offices by teacher FTE."""
    import json

    from dekomopt.county.national import split_national
    from dekomopt.data import data_versions
    from dekomopt.formats import format_fte, format_percent, stored, stored_table
    from dekomopt.formats import format_nok as kr

    fte = Path(args.fte) if args.fte else None
    result = split_national(args.total_nok, year=args.year, fte_file=fte, shown=args.fte)
    table = result.table
    width = max(len(o) for o in table["office"])
    print(
        f"{kr(result.total_nok)} by teacher FTE, {result.school_year or 'school year not stated'}"
    )
    print(f"{'office':<{width}} {'teacher FTE':>11} {'share':>9} {'amount':>16}")
    for office, fte, share, amount in zip(
        table["office"],
        table["teacher_fte"],
        table["share"],
        table["amount_nok"].tolist(),
        strict=True,
    ):
        print(
            f"{office:<{width}} {format_fte(fte):>11} {format_percent(share, 3):>9} "
            f"{kr(amount):>16}"
        )
    total = kr(int(table["amount_nok"].sum()))
    print(f"{'total':<{width}} {format_fte(table['teacher_fte'].sum()):>11} {'':>9} {total:>16}")
    for record in result.input_files:
        print(f"file    {record.describe()}")
    for text in result.caveats:
        print(f"caveat  {text}")
    if args.out:
        out = _out_folder(args.out)
        out.mkdir(parents=True, exist_ok=True)
        stored_table(table).to_csv(out / "offices.csv", index=False, lineterminator="\n")
        provenance = {
            "total_nok": result.total_nok,
            "school_year": result.school_year or None,
            "input_files": [f.record() for f in result.input_files],
            "data_versions": data_versions(),
            "package_version": __version__,
            "caveats": list(result.caveats),
        }
        (out / "provenance.json").write_text(
            json.dumps(stored(provenance), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"written to {out}")
    return 0


def budget_words(proposal: Proposal) -> str:
    """The grant accounted for: "40 000 000 kr grant − 8 021 700 kr set aside (name) =
    31 978 300 kr distributed", or "… kr distributed" when nothing is set aside."""
    from dekomopt.formats import format_nok as kr

    if not proposal.set_asides:
        return f"{kr(proposal.budget_nok)} distributed"
    asides = " ".join(f"− {kr(amount)} set aside ({name})" for name, amount in proposal.set_asides)
    return f"{kr(proposal.budget_total_nok)} grant {asides} = {kr(proposal.budget_nok)} distributed"


def _print_proposal(proposal: Proposal) -> None:
    from dekomopt.formats import format_nok as kr
    from dekomopt.formats import format_number, format_percent
    from dekomopt.report.catalogue import text
    from dekomopt.report.rules_text import partners_of
    from dekomopt.report.summary import direction_words, shortfall_words

    to_partners = "to " + text(partners_of(proposal) + "_short", "en")
    regions = proposal.regions
    width = max(12, *(len(r) for r in regions["region"]))
    print(f"{proposal.scenario_name}, {proposal.year}: {budget_words(proposal)}")
    print(
        f"{'region':<{width}} {'FTE':>9} {'key':>7} {'amount':>15} {'kr/FTE':>9} {to_partners:>15}"
    )
    columns = ("teacher_fte", "key_share", "amount_nok", "nok_per_fte", "partners_nok")
    numbers = regions[list(columns)].to_numpy(float)
    for region, (fte, key, amount, per_fte, to_uh) in zip(regions["region"], numbers, strict=True):
        print(
            f"{region:<{width}} {format_number(fte, 1):>9} {format_percent(key):>7} "
            f"{kr(amount):>15} "
            f"{format_number(per_fte):>9} {kr(to_uh):>15}"
        )
    total = int(regions["amount_nok"].sum())
    fte_total = format_number(regions["teacher_fte"].sum(), 1)
    print(f"{'total':<{width}} {fte_total:>9} {'':>7} {kr(total):>15}")
    owners = proposal.owners
    imputed = int(owners["fte_imputed"].sum()) if "fte_imputed" in owners else 0
    if imputed:
        print(
            f"imputed: {imputed} of {len(owners)} teacher-FTE values, so every FTE figure and "
            "amount above rests on them (flagged in owners.csv; caveats in provenance.json)"
        )
    if proposal.structure_illustrative or proposal.budget_illustrative:
        what = [w for w, on in (("structure", proposal.structure_illustrative),
                                ("budget", proposal.budget_illustrative)) if on]  # fmt: skip
        real = "not the real ones" if len(what) > 1 else "not the real one"
        print(f"illustrative: the {' and the '.join(what)} ({real})")
    if proposal.key_note:
        print(f"key: {proposal.key_note}")
    if proposal.remainder_note:
        print(f"rounding: {proposal.remainder_note}")
    unmet = [r for r in proposal.rules if not r.met]
    print(
        f"rules: {len(proposal.rules)} rows checked, {len(unmet)} unmet; binding: "
        + (", ".join(proposal.binding_rules) or "none")
    )
    for i, alt in enumerate(proposal.alternatives, start=1):
        print(
            f"alternative {i} ({direction_words(alt.direction, 'en')}): "
            f"moves {kr(alt.moved_nok)} between recipients "
            f"(at least {kr(alt.nearest_nok)} from the proposal and earlier alternatives); "
            f"objective +{kr(alt.objective_increase * proposal.budget_nok)} (kroner off the "
            "key, plus the travel, need and tie-break terms)"
        )
        table = alt.regions
        moved = table[["amount_nok", "change_from_proposal_nok", "partners_nok"]].to_numpy(float)
        for region, (amount, change, to_uh) in zip(table["region"], moved, strict=True):
            print(
                f"  {region:<{width}} {kr(amount):>15} ({kr(change, signed=True)} against the "
                f"proposal), {to_partners} {kr(to_uh)}"
            )
    fewer = shortfall_words(proposal.alternatives_search, "en")
    if fewer:
        print(f"alternatives: {fewer}")


def _partner_names(scenario: Scenario, lang: str) -> dict[str, str]:
    """Partner id → name in ``lang``, for the partners the scenario names per language."""
    extra = scenario.spec.partners.extra
    return {p.id: p.name.in_language(lang) for p in extra if p.name.translations}


def _names_in_language(proposal: Proposal, scenario: Scenario, lang: str) -> Proposal:
    """The proposal with the partner names the scenario gives per language
    (``partners.extra`` name as free text) in ``lang``; every other name unchanged."""
    from dataclasses import replace

    local = _partner_names(scenario, lang)
    if not local:
        return proposal

    def named(frame: pd.DataFrame, id_column: str, name_column: str) -> pd.DataFrame:
        ids = frame[id_column].astype(str)
        partner = ids.isin(local.keys())
        if "recipient_type" in frame:
            partner &= frame["recipient_type"] == "partner"
        return frame.assign(**{name_column: frame[name_column].where(~partner, ids.map(local))})

    return replace(
        proposal,
        partners=named(proposal.partners, "partner_id", "partner_name"),
        allocation=named(proposal.allocation, "recipient_id", "recipient_name"),
        alternatives=tuple(
            replace(alt, recipients=named(alt.recipients, "recipient_id", "recipient_name"))
            for alt in proposal.alternatives
        ),
    )


def _write_report(proposal, county, scenario, target, args, *, explorer: bool) -> list:
    from dataclasses import replace

    from dekomopt.data import load_polygons
    from dekomopt.proposal.folder import WORKBOOK_FILENAMES
    from dekomopt.report import geography_from_proposal, write_report, write_spreadsheet
    from dekomopt.report.explorer import build_explorer
    from dekomopt.report.pdf import write_pdf

    local = _partner_names(scenario, args.lang)
    if local:  # the what-if cases are proposed again from the county: its names in lang too
        partners = county.partners
        names = partners["partner_id"].map(local).fillna(partners["partner_name"])
        county = replace(county, partners=partners.assign(partner_name=names))
    placed = county.partners[county.partners["lat"].notna()]  # a partner without a place: no point
    points = {row.partner_id: (row.lat, row.lon) for row in placed.itertuples(index=False)}
    geography = geography_from_proposal(proposal, load_polygons(county.name), points)
    what_if = build_explorer(scenario, proposal, county=county) if explorer else None
    html = write_report(
        proposal,
        target,
        lang=args.lang,
        geography=geography,
        explorer=what_if,
    )
    xlsx = write_spreadsheet(proposal, target / WORKBOOK_FILENAMES[args.lang], lang=args.lang)
    written = [html, xlsx]
    if args.pdf:
        written.append(write_pdf(html))
    return written


_PROPOSE_WARNINGS = (
    "note_regime_after",
    "note_regime_before",
    "note_extra_owner_alone",
    "note_rounding_unit_coarse",
)
"""The county's warnings that ``propose`` prints as well as keeping them among the caveats:
those that say the scenario may not be what its author meant."""


def cmd_propose(args: argparse.Namespace) -> int:
    """Solve a scenario and write the proposal's tables (and the report with --report)."""
    from dekomopt.county import allocation_problem, build_county
    from dekomopt.data import report_language
    from dekomopt.notes import Note
    from dekomopt.proposal import propose_years, write_proposal
    from dekomopt.proposal.folder import input_paths, overwritten_inputs, run_outputs
    from dekomopt.runfolder import staged
    from dekomopt.scenario import load_scenario

    problems = []
    out = _out_folder(args.out or f"out/{Path(args.scenario).stem}")
    write_lp = Path(args.write_lp) if args.write_lp else None
    if write_lp is not None and write_lp.suffix.lower() not in (".lp", ".mps"):
        problems.append(f"--write-lp: {write_lp}: the file name must end in .lp or .mps")
    if write_lp is not None and not write_lp.parent.is_dir():
        problems.append(f"--write-lp: {write_lp}: folder {write_lp.parent} does not exist")
    if problems:
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    scenario = load_scenario(args.scenario)
    county = build_county(scenario, previous=args.previous)
    for warning in county.warnings:
        if isinstance(warning, Note) and warning.message_id in _PROPOSE_WARNINGS:
            print(f"warning: {warning}")
    if county.previous is not None:
        record = county.previous.record
        replaced = scenario.spec.budget.previous if args.previous else None
        print(
            f"last year: {record.path} ({record.key}; {record.dialect})"
            + (f"; replaces budget.previous ({replaced}) of the scenario" if replaced else "")
        )
    years = [scenario.spec.scenario.year, *(y.year for y in scenario.spec.budget.years)]
    outputs = run_outputs(out, years, args.alternatives)
    clashes = overwritten_inputs(out, outputs, input_paths(scenario, county))
    if clashes:
        for line in clashes:
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    proposals = propose_years(
        scenario,
        county=county,
        n_alternatives=args.alternatives,
        alternative_slack=DEFAULT_SLACK if args.slack is None else args.slack,
    )
    if write_lp is not None:
        from dekomopt.allocation.pulp_model import write_model

        problem = allocation_problem(scenario, county)
        print(f"model: {write_model(problem, write_lp)} (the first year's LP, PuLP statement)")
    if args.lang is None:
        args.lang = report_language(county.scope) if county.scope is not None else "nb"
    proposals = [_names_in_language(p, scenario, args.lang) for p in proposals]
    with staged(out, outputs) as stage:
        for i, proposal in enumerate(proposals):
            target = stage if len(proposals) == 1 else stage / str(proposal.year)
            write_proposal(proposal, target, csv_dialect=args.csv_dialect)
            _print_proposal(proposal)
            if args.report:
                explorer = args.explorer and i == 0
                for path in _write_report(
                    proposal, county, scenario, target, args, explorer=explorer
                ):
                    print(f"report: {out / path.relative_to(stage)}")
    print(f"written to {out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Propose, then write the forum's report (HTML, workbook, PDF with --pdf)."""
    return cmd_propose(args)


_RUN_FOLDERS = {"simulate": "simulation", "sensitivity": "sensitivity", "structures": "structures"}
"""The commands that write a run's files into a folder, and the end of its default name."""


def _run_folder(args: argparse.Namespace) -> str:
    """The folder a run of ``simulate``, ``sensitivity`` or ``structures`` writes into:
    ``--out``, by default ``out/<scenario>-<kind>``."""
    return args.out or f"out/{Path(args.scenario).stem}-{_RUN_FOLDERS[args.command]}"


def _stopped_line(args: argparse.Namespace) -> str:
    """The line a command stopped by Ctrl-C outside its own handling prints: for a run with an
    output folder, what the folder holds, in the run's language (``--lang``, else the scope's
    written language, bokmål when the scenario cannot be read)."""
    if args.command not in _RUN_FOLDERS:
        return f"interrupted: dekomopt {args.command} stopped"
    lang = args.lang
    if lang is None:
        lang = "nb"
        with contextlib.suppress(Exception):
            from dekomopt.county import default_language
            from dekomopt.scenario import load_scenario

            lang = default_language(load_scenario(args.scenario))
    return interrupted_line(args.command, _run_folder(args), lang)


def cmd_simulate(args: argparse.Namespace) -> int:
    """Monte Carlo fairness of the scenario's structure under its [uncertainty]."""
    from dekomopt.simulation.command import simulate_command

    out = str(_out_folder(_run_folder(args)))
    return simulate_command(
        args.scenario,
        args.draws,
        args.seed,
        args.workers,
        args.scheduler,
        args.resume,
        out,
        connect_timeout=(
            DEFAULT_CONNECT_TIMEOUT if args.connect_timeout is None else args.connect_timeout
        ),
        lang=args.lang,
    )


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol indices of the fairness metrics with respect to the rule parameters."""
    from dekomopt.simulation.command import sensitivity_command

    out = str(_out_folder(_run_folder(args)))
    samples = args.samples
    if samples is not None and samples & (samples - 1):
        rounded = 1 << samples.bit_length()
        print(
            f"note: --samples {samples} rounded up to {rounded}: Sobol samples come in powers of 2",
            file=sys.stderr,
        )
        samples = rounded
    return sensitivity_command(args.scenario, samples, args.seed, out, lang=args.lang)


def cmd_structures(args: argparse.Namespace) -> int:
    """Today's region structure against every (or a sample of) contiguous alternative."""
    from dekomopt.structures.command import structures_command

    out = str(_out_folder(_run_folder(args)))
    return structures_command(
        args.scenario,
        args.enumerate,
        args.sample,
        args.chains,
        args.workers,
        args.seed,
        out,
        law=args.law,
        prove_best=args.best,
        lang=args.lang,
        search=args.search,
    )


def cmd_partitions(args: argparse.Namespace) -> int:
    """Count or enumerate contiguous partitions of any graph given as CSV."""
    from dekomopt.structures import partitions_command

    return partitions_command(
        args.edges,
        args.weights,
        args.parts,
        args.balance,
        args.count,
        args.enumerate,
        args.out,
        sample=args.sample,
        seed=args.seed,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dekomopt",
        description="Distribution proposals and fairness analysis for Norway's "
        "competence-development grants for schools.",
    )
    parser.add_argument("--version", action="version", version=f"dekomopt {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="write a starter scenario for a county or office")
    p.add_argument("scope", help="a county (name or number) or a Statsforvalter office")
    p.add_argument("--out", required=True, help="the scenario file to write (FILE.toml)")
    p.add_argument(
        "--year", type=_integer(2017, 2100), default=2026, help="scenario year (default 2026)"
    )
    p.add_argument("--regions", type=_integer(1, 100), help="number of suggested regions")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the scenario file and its regions table when they exist",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("national", help="split a national pot between the 10 offices")
    p.add_argument(
        "--total-nok",
        type=_integer(1, 10**15),
        required=True,
        help="the national pot in whole kroner",
    )
    p.add_argument(
        "--year",
        type=_checked(_school_year, "school year"),
        help="school year, e.g. 2019-20 or 2019 (default: latest)",
    )
    p.add_argument(
        "--fte",
        type=_checked(_table_file, "file"),
        help="your teacher FTEs: a table of county (name or number) or office, and teacher_fte "
        "(CSV in either dialect, .xlsx or book.xlsx#Sheet), or a Udir statistikkportalen "
        "export with county rows",
    )
    p.add_argument(
        "--out",
        type=_checked(lambda text: str(_out_folder(text)), "folder"),
        help="folder for offices.csv and provenance.json",
    )
    p.add_check(_bundled_year)
    p.set_defaults(func=cmd_national)

    p = sub.add_parser("validate", help="check a scenario and print a summary")
    p.add_argument("scenario", help="scenario TOML file")
    p.set_defaults(func=cmd_validate)

    for name, text in (
        ("propose", "compute the optimal rule-compliant distribution proposal"),
        ("report", "propose and write the forum's report (HTML) and workbook"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("scenario", help="scenario TOML file")
        p.add_argument(
            "--out", help="output folder (default out/<scenario file name without .toml>)"
        )
        p.add_argument(
            "--previous", help="last year's allocation (region,amount_nok or allocation.csv)"
        )
        p.add_argument(
            "--alternatives",
            type=_integer(0),
            default=0,
            metavar="N",
            help="near-optimal alternatives (0 or more)",
        )
        p.add_argument(
            "--slack",
            type=_number(0.0),
            help="how much worse than the proposal an alternative may be: its objective (kroner "
            "off the key, plus travel, need and tie-break terms) at most SLACK × the budget above "
            f"the proposal's (default {DEFAULT_SLACK}); only with --alternatives",
        )
        p.add_argument(
            "--lang",
            **_one_of("nb", "nn", "en"),
            help="report language (default: the register's written language of the scope)",
        )
        p.add_argument(
            "--csv-dialect",
            **_one_of("plain", "excel-nb"),
            default="plain",
            help="CSV files: plain (default, for programs) or excel-nb (semicolon, decimal "
            "comma, UTF-8 BOM: opens in Norwegian Excel)",
        )
        p.add_argument(
            "--pdf",
            action="store_true",
            help="also write the report as PDF (rapport.pdf / report.pdf; Chromium)",
        )
        p.add_argument(
            "--no-explorer",
            dest="explorer",
            action="store_false",
            help="leave the what-if explorer out of the report",
        )
        p.add_argument(
            "--write-lp",
            metavar="FILE",
            help="also write the first year's LP as PuLP states it (.lp or .mps by suffix)",
        )
        if name == "propose":
            p.add_argument(
                "--report", action="store_true", help="also write the HTML report and workbook"
            )
        p.add_check(_needs("--slack", "--alternatives"))
        p.set_defaults(
            func=cmd_propose if name == "propose" else cmd_report, report=name == "report"
        )

    p = sub.add_parser("simulate", help="Monte Carlo fairness of a region structure")
    p.add_argument("scenario", help="scenario TOML file (with an [uncertainty] table)")
    p.add_argument(
        "--draws",
        type=_integer(1),
        help="number of draws, at least 1 (default: the scenario's)",
    )
    p.add_argument("--seed", type=_SEED, help="seed, 0 or more (default: the scenario's)")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=_integer(1, MAX_WORKERS),
        default=1,
        help=f"local worker processes (1 to {MAX_WORKERS})",
    )
    where.add_argument("--scheduler", metavar="ADDRESS", help="a Dask distributed scheduler")
    p.add_argument(
        "--connect-timeout",
        type=_number(0.0, strict=True),
        metavar="SECONDS",
        help=f"give up on an unreachable scheduler after this long (default "
        f"{DEFAULT_CONNECT_TIMEOUT:g}); only with --scheduler",
    )
    p.add_argument("--resume", action="store_true", help="keep finished chunks of an earlier run")
    p.add_argument(
        "--lang",
        choices=("nb", "nn", "en"),
        help="language of the printed summary and the figures' words (default: the "
        "register's written language of the scope, as the report's); metric names, units and "
        "the files' column names stay the same in every language",
    )
    p.add_argument("--out", help="output folder")
    p.add_check(_needs("--connect-timeout", "--scheduler"))
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("sensitivity", help="Sobol indices of the metrics to the rule parameters")
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument(
        "--samples",
        type=_integer(MIN_SOBOL_SAMPLES, MAX_SOBOL_SAMPLES),
        help=f"Saltelli base samples, {MIN_SOBOL_SAMPLES} to {MAX_SOBOL_SAMPLES} (fewer give "
        "noise, not indices), rounded up to a power of 2 (default: [sensitivity] samples, 64)",
    )
    p.add_argument("--seed", type=_SEED, help="seed, 0 or more (default: the scenario's)")
    p.add_argument(
        "--lang",
        choices=("nb", "nn", "en"),
        help="language of the printed summary (default: the register's written language of "
        "the scope, as the report's); metric and parameter names and the files' column names "
        "stay the same in every language",
    )
    p.add_argument("--out", help="output folder")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("structures", help="is today's region structure an outlier?")
    p.add_argument("scenario", help="scenario TOML file (with a [structures] table)")
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--enumerate", action="store_true", help="every plausible structure (refused if too many)"
    )
    how.add_argument(
        "--sample",
        type=_integer(1),
        metavar="N",
        help="N structures drawn uniformly from all plausible",
    )
    p.add_argument(
        "--chains",
        type=_integer(2),
        help="ReCom chains (2 or more; default: [structures] chains), run only where the "
        "decision diagram cannot hold the rules; refused with --enumerate",
    )
    p.add_argument(
        "--law",
        **_one_of("uniform", "spanning-tree"),
        help="sampled percentiles: uniform over the plausible structures (default), or the "
        "spanning-tree law; refused with --enumerate (its percentiles are exact)",
    )
    p.add_argument(
        "--workers",
        type=_integer(1, MAX_WORKERS),
        default=1,
        help=f"local worker processes (1 to {MAX_WORKERS})",
    )
    p.add_argument("--seed", type=_SEED, help="seed, 0 or more (default: the scenario's)")
    p.add_argument(
        "--best",
        type=_number(0.0, strict=True),
        nargs="?",
        const=120.0,
        metavar="SECONDS",
        help="also prove the best structures for travel and FTE spread (integer programmes, "
        "at most SECONDS each, default 120)",
    )
    p.add_argument(
        "--search",
        type=_integer(1),
        nargs="?",
        const=DEFAULT_SEARCH_BUDGET,
        metavar="N",
        help="also search from the best sampled structures for lower between-region share, "
        "Gini and max power (and higher need match): local moves of a border municipality, "
        f"at most N structures scored (default {DEFAULT_SEARCH_BUDGET}); a count, not "
        "seconds, so the result depends only on the seed; found, not proven",
    )
    p.add_argument(
        "--lang",
        **_one_of("nb", "nn", "en"),
        help="language of the figures' words (default: the register's written language of "
        "the scope, as the report's); numbers are Norwegian in all three",
    )
    p.add_argument("--out", help="output folder")
    p.set_defaults(func=cmd_structures)

    p = sub.add_parser(
        "partitions", help="count or list the contiguous partitions of any graph (CSV edges)"
    )
    p.add_argument("--edges", required=True, help="CSV with columns a,b")
    p.add_argument("--weights", help="CSV with columns node,weight")
    p.add_argument("--parts", type=_integer(1), required=True, help="number of parts K")
    p.add_argument(
        "--balance", type=_number(0.0), help="every part within TOL of the mean part weight"
    )
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--count", action="store_true", help="print the counts (last line)")
    mode.add_argument("--enumerate", action="store_true", help="write DIR/partitions.csv")
    mode.add_argument(
        "--sample", type=_integer(1), metavar="N", help="write N uniform samples to DIR/samples.csv"
    )
    p.add_argument("--seed", type=_SEED, default=0, help="seed for --sample (default 0)")
    p.add_argument("--out", help="output folder for --enumerate and --sample")
    p.set_defaults(func=cmd_partitions)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand; a user error prints its lines on stderr and returns 2
    (``--help`` and ``--version`` return 0)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse's own exits: a mistake (2), --help or --version (0)
        return exc.code if isinstance(exc.code, int) else EXIT_USER_ERROR
    func: Callable[[argparse.Namespace], int] = args.func
    # a run with an output folder stops on SIGTERM as on Ctrl-C from the start, imports too
    stopping = stop_on_sigterm() if args.command in _RUN_FOLDERS else contextlib.nullcontext()
    try:
        with stopping:
            return func(args)
    except DataError as exc:
        lines = exc.lines()
        if isinstance(exc, ScenarioError) and exc.document is not None:
            from dekomopt.county.build import problems_despite

            lines += problems_despite(exc)
        for line in lines:
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    except DekomoptError as exc:
        for line in str(exc).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed early; nothing is wrong with the run
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout stays open until exit
        return 0
    except OSError as exc:  # a folder that cannot be written, a disk that is full
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(_stopped_line(args), file=sys.stderr)
        return EXIT_INTERRUPTED
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in _EXTRAS:
            raise
        print(
            f"error: 'dekomopt {args.command}' needs the optional package {top}: "
            f"pip install 'dekomopt[{_EXTRAS[top]}]'",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
