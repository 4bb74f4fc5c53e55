"""A distribution proposal: the tables the forum receives, with everything needed to trace them.

Column contracts (every table is a pandas DataFrame; amounts are whole kroner, ``int64``):

``allocation`` — one row per recipient × theme × sector:
    region, recipient_type ("owner" | "partner"), recipient_id (kommunenummer or partner id),
    recipient_name, theme ("general" | "special_ed"), sector ("school" | "kindergarten"),
    amount_nok.
``regions`` — one row per region:
    region, teacher_fte, key_share, amount_nok, owners_nok, partners_nok, nok_per_fte,
    previous_nok (last year's amount; NaN when unknown), change_from_previous_nok (amount_nok −
    previous_nok; NaN when unknown), illustrative (bool). ``nok_per_fte`` is amount_nok (owners'
    and partners' kroner) per teacher FTE.
``owners`` — one row per owner:
    owner_id, owner_name, owner_kind ("municipality" | "private" | "county"), region,
    teacher_fte, fte_imputed (bool), fte_method (a note, "" when observed; its English text
    in owners.csv), participates (bool), amount_nok (the owner's own kroner), partner_part_nok
    (its part of the region's partner kroner, whole kroner, see
    :func:`~dekomopt.proposal.build.partner_parts`), total_nok (amount_nok + partner_part_nok),
    nok_per_fte (total_nok per teacher FTE, the regions' measure), cofinancing_nok (required
    own contribution, R4, see :func:`~dekomopt.allocation.outcome.required_cofinancing`),
    previous_nok (last year's amount_nok; NaN when unknown), change_from_previous_nok.
``partners`` — one row per partner:
    partner_id, partner_name, partner_kind ("uh" | "fagskole" | "other"), amount_nok,
    capacity_nok (NaN = none), regions (comma-separated region ids it serves).
``rules`` — one :class:`~dekomopt.allocation.outcome.RuleCheck` per rule row (a typed record
    that reads as a mapping): rule ("R1" …), name, subject, value, bound, sense, met, binding,
    slack, shadow_price, relax_step_nok, relax_change_nok, relax_change_per_fte_nok, params.
    Its words are the report's (:func:`~dekomopt.report.rules_text.rule_sentences`);
    ``rules.json`` adds them in English as ``explanation``.
"""

from __future__ import annotations

import platform
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd

from dekomopt.allocation.mga import Direction, Search
from dekomopt.allocation.outcome import RuleCheck
from dekomopt.notes import Localised, Note

if TYPE_CHECKING:
    from dekomopt.county.model import County
    from dekomopt.scenario import Scenario
    from dekomopt.scenario.files import InputFile


@dataclass(frozen=True)
class Provenance(Mapping[str, object]):
    """Where a result comes from: scenario file, its sha256 and its content's, data versions,
    seed, solver, rounding, package and Python versions, time. Reads as a mapping (for JSON
    and tables)."""

    scenario_file: str
    scenario_sha256: str
    scenario_name: str
    year: int
    seed: int | None
    data_versions: dict[str, str]
    solver: str
    rounding: str
    package_version: str
    python: str
    created: str
    scope: str = ""
    """The county or Statsforvalter office, e.g. "Agder (42)"."""
    input_files: tuple[dict[str, object], ...] = ()
    """The files the scenario named, as read: key, path as given, sha256, format, dialect,
    rows read, notes."""
    scenario_content_sha256: str = ""
    """sha256 of the scenario's validated content (``Scenario.content_sha256``)."""

    def __getitem__(self, key: str) -> object:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        county: County,
        *,
        seed: int | None,
        solver: str,
        rounding: str,
        year: int | None = None,
        files: tuple[InputFile, ...] | None = None,
    ) -> Provenance:
        """The record of a run of ``scenario`` on ``county`` made now (``year`` default the
        scenario's, ``files`` the county's input files)."""
        from dekomopt import __version__
        from dekomopt.data import data_versions

        return cls(
            scenario_file=scenario.path.name,
            scenario_sha256=scenario.sha256,
            scenario_content_sha256=scenario.content_sha256,
            scenario_name=scenario.spec.scenario.name,
            year=scenario.spec.scenario.year if year is None else year,
            seed=seed,
            data_versions=data_versions(),
            solver=solver,
            rounding=rounding,
            package_version=__version__,
            python=platform.python_version(),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            scope=county.scope.label if county.scope is not None else county.name,
            input_files=tuple(f.record() for f in (county.input_files if files is None else files)),
        )

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class Alternative:
    """A near-optimal alternative to the proposal: its regions, what moved, and by how much.

    ``regions`` has the columns of the proposal's ``regions`` table, plus proposal_nok,
    change_from_proposal_nok, proposal_owners_nok and proposal_partners_nok (the proposal's
    amounts in the same region); its ``change_from_previous_nok`` is against last year, as
    in the proposal. ``recipients`` has one row per owner or partner whose total differs from
    the proposal: recipient_type, recipient_id, recipient_name, region (empty for partners),
    proposal_nok, amount_nok, change_from_proposal_nok. Its positive changes add up to
    ``moved_nok``.
    """

    regions: pd.DataFrame
    recipients: pd.DataFrame
    moved_nok: int
    """Kroner moved between recipients relative to the proposal: Σ |difference| / 2 over
    owners and partners."""
    nearest_nok: int
    """Kroner moved relative to the nearest of the proposal and the alternatives before it."""
    objective_increase: float
    """How much worse the LP objective is (in the objective's unit, a budget share)."""
    direction: Direction
    """What the alternative pushed (its words: :func:`dekomopt.report.summary.direction_words`)."""


@dataclass(frozen=True)
class Proposal:
    """One year's distribution proposal for one scenario."""

    scenario_name: str
    county: str
    regime: str
    year: int
    budget_total_nok: int
    """The state grant before set-asides."""
    set_asides: tuple[tuple[str, int], ...]
    """(name, amount) taken off before distribution (R6)."""
    budget_nok: int
    """What is distributed: total minus set-asides. ``allocation.amount_nok.sum()`` equals it."""
    allocation: pd.DataFrame
    regions: pd.DataFrame
    owners: pd.DataFrame
    partners: pd.DataFrame
    rules: tuple[RuleCheck, ...]
    provenance: Provenance | Mapping[str, object]
    caveats: tuple[Localised, ...] = ()
    """Plain-language warnings: imputed values, illustrative structure or budget, data findings
    (notes, and the scenario's own assumptions); ``str()`` of each is its English text."""
    key_note: Note | None = None
    """Which FTEs the kindergarten part was shared by (one of the caveats), None without a
    kindergarten part."""
    remainder_note: Note | None = None
    """Which amount holds the kroner left over when the amount to distribute is not a
    multiple of ``rules.rounding_unit_nok`` (one of the caveats); None when there are none."""
    structure_illustrative: bool = False
    budget_illustrative: bool = False
    alternatives: tuple[Alternative, ...] = field(default=())
    """Near-optimal alternatives, if computed."""
    alternatives_search: Search | None = None
    """What the alternatives search asked for and allowed (None when none were asked): the
    report and the CLI say why when fewer were found."""

    @property
    def binding_rules(self) -> tuple[str, ...]:
        """Ids of the rules with a binding row (see
        :func:`~dekomopt.allocation.outcome.is_binding`), in rule order."""
        ids = {r.rule for r in self.rules if r.binding}
        return tuple(sorted(ids, key=lambda rule: int(rule[1:])))
