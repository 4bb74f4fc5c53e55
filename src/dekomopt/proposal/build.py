"""From a scenario to the forum's distribution proposal: solve, tabulate, trace.

``propose(scenario)`` returns a :class:`~dekomopt.proposal.record.Proposal` (one year);
``propose_years(scenario)`` carries the stability rule (R10) through the years a scenario
lists.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from dekomopt.allocation import required_cofinancing, rule_report
from dekomopt.allocation.fast import solve
from dekomopt.allocation.keys import key_sectors
from dekomopt.allocation.mga import Alternative as MgaAlternative
from dekomopt.allocation.mga import alternatives
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.county.build import KINDERGARTEN_BY_SCHOOL_KEY, build_county, kindergarten_by_staff
from dekomopt.county.model import County
from dekomopt.county.national import largest_remainder
from dekomopt.county.problem import allocation_problem
from dekomopt.errors import ScenarioError
from dekomopt.notes import ENTRY_WORDS, Localised, Note, note
from dekomopt.proposal.record import Alternative, Proposal, Provenance
from dekomopt.scenario import Scenario, set_aside_amounts
from dekomopt.scenario.budget import budget_years
from dekomopt.scenario.files import InputFile


def _input_files(county: County, carried: bool) -> tuple[InputFile, ...]:
    """The files a year's proposal was computed from: the county's, without the file of last
    year's amounts when they are ``carried`` over from an earlier year of the plan."""
    last_year = None if county.previous is None or not carried else county.previous.record
    return tuple(f for f in county.input_files if f is not last_year)


def _provenance(
    scenario: Scenario,
    county: County,
    allocation: Allocation,
    year: int,
    files: tuple[InputFile, ...],
) -> Provenance:
    return Provenance.of(
        scenario,
        county,
        seed=scenario.spec.scenario.seed,
        solver=allocation.solver,
        rounding=allocation.rounding_method,
        year=year,
        files=files,
    )


def _allocation_table(problem: AllocationProblem, allocation: Allocation) -> pd.DataFrame:
    """The long ``allocation`` table (see :mod:`dekomopt.proposal.record`): all rows of
    participating owners (zeros included), and partner rows with money."""
    n_i, n_e, n_t, n_s = allocation.shape
    themes = np.tile(np.repeat(np.array(problem.themes, dtype=object), n_s), n_i + n_e)
    sectors = np.tile(np.array(problem.sectors, dtype=object), (n_i + n_e) * n_t)
    per = n_t * n_s
    owner = np.repeat(np.arange(n_i), per)
    edge = np.repeat(np.arange(n_e), per)
    partner = np.asarray(problem.edge_partner)[edge]
    region_ids = np.array(problem.region_ids, dtype=object)
    frame = pd.DataFrame(
        {
            "region": np.r_[
                region_ids[np.asarray(problem.owner_region)[owner]],
                region_ids[np.asarray(problem.edge_region)[edge]],
            ],
            "recipient_type": ["owner"] * len(owner) + ["partner"] * len(edge),
            "recipient_id": np.r_[
                np.array(problem.owner_ids, dtype=object)[owner],
                np.array(problem.partner_ids, dtype=object)[partner],
            ],
            "recipient_name": np.r_[
                np.array(problem.owner_names, dtype=object)[owner],
                np.array(problem.partner_names, dtype=object)[partner],
            ],
            "theme": themes,
            "sector": sectors,
            "amount_nok": allocation.amounts.astype(np.int64),
        }
    )
    participates = np.asarray(problem.owner_participates, dtype=bool)
    keep = np.r_[participates[owner], allocation.amounts[len(owner) :] > 0]
    return frame[keep].reset_index(drop=True)


def _region_table(
    county: County, problem: AllocationProblem, allocation: Allocation, previous: np.ndarray | None
) -> pd.DataFrame:
    fte = county.region_fte().to_numpy(float)
    owners = np.bincount(problem.owner_region, allocation.owner_totals, problem.n_regions)
    totals = allocation.region_totals
    frame = pd.DataFrame(
        {
            "region": list(problem.region_ids),
            "teacher_fte": fte,
            "key_share": allocation.key_shares,
            "amount_nok": totals.astype(np.int64),
            "owners_nok": owners.astype(np.int64),
            "partners_nok": (totals - owners).astype(np.int64),
        }
    )
    frame["nok_per_fte"] = np.where(fte > 0, totals / np.where(fte > 0, fte, 1), np.nan)
    frame["previous_nok"] = previous if previous is not None else np.nan
    frame["change_from_previous_nok"] = frame["amount_nok"] - frame["previous_nok"]
    frame["illustrative"] = county.structure_illustrative
    return frame


def partner_parts(owners: pd.DataFrame, regions: pd.DataFrame) -> pd.Series:
    """Each owner's part of its region's partner kroner, in whole kroner (index of ``owners``).

    Rule: a region's ``partners_nok`` is split over its taking-part owners in proportion to
    their teacher FTEs (equally when all of them have 0 FTE) by the largest-remainder method:
    every owner gets the whole kroner of its exact share, and the kroner left go one each to
    the largest fractional remainders, the earlier owner of the table first on a tie. The
    parts of a region add up to its partner amount to the krone; an owner not taking part
    gets 0, and so does every owner of a region with no taking-part owner.
    """
    parts = pd.Series(0, index=owners.index, dtype=np.int64)
    partners = dict(zip(regions["region"].astype(str), regions["partners_nok"], strict=True))
    takes_part = owners["participates"].astype(bool)
    for region, rows in owners[takes_part].groupby(owners["region"].astype(str), sort=False):
        amount = int(partners.get(str(region), 0))
        if amount == 0 or rows.empty:
            continue
        weights = [Fraction(float(f)) for f in rows["teacher_fte"]]
        if sum(weights) <= 0:
            weights = [Fraction(1)] * len(rows)
        parts[rows.index] = np.asarray(largest_remainder(amount, weights), dtype=np.int64)
    return parts


def _owner_table(
    county: County,
    problem: AllocationProblem,
    allocation: Allocation,
    regions: pd.DataFrame,
    previous: pd.Series | None,
) -> pd.DataFrame:
    o = county.owners
    amount = allocation.owner_totals.astype(np.int64)
    fte = o["teacher_fte"].to_numpy(float)
    frame = pd.DataFrame(
        {
            "owner_id": o["owner_id"],
            "owner_name": o["owner_name"],
            "owner_kind": o["owner_kind"],
            "region": o["region"],
            "teacher_fte": fte,
            "fte_imputed": o["fte_imputed"],
            "fte_method": o["fte_method"],
            "participates": o["participates"],
            "amount_nok": amount,
        }
    )
    frame["partner_part_nok"] = partner_parts(frame, regions)
    frame["total_nok"] = frame["amount_nok"] + frame["partner_part_nok"]
    total = frame["total_nok"].to_numpy(float)
    frame["nok_per_fte"] = np.where(fte > 0, total / np.where(fte > 0, fte, 1), np.nan)
    frame["cofinancing_nok"] = required_cofinancing(problem, allocation)
    if previous is None:
        frame["previous_nok"] = np.nan
    else:
        ids = frame["owner_id"].astype(str)
        frame["previous_nok"] = ids.map(previous.astype(float)).fillna(0.0).astype(float)
    frame["change_from_previous_nok"] = frame["amount_nok"] - frame["previous_nok"]
    return frame


def _recipient_amounts(
    problem: AllocationProblem, allocation: Allocation, county: County
) -> pd.DataFrame:
    """One row per owner and per partner: its id, name, type and total kroner."""
    owners = county.owners
    partners = county.partners
    return pd.DataFrame(
        {
            "recipient_type": ["owner"] * len(owners) + ["partner"] * len(partners),
            "recipient_id": [*owners["owner_id"].astype(str), *partners["partner_id"].astype(str)],
            "recipient_name": [*owners["owner_name"], *partners["partner_name"]],
            "region": [*owners["region"].astype(str), *([""] * len(partners))],
            "amount_nok": np.r_[allocation.owner_totals, allocation.partner_totals].astype(
                np.int64
            ),
        }
    )


def _alternative(
    county: County,
    problem: AllocationProblem,
    best: Allocation,
    regions: pd.DataFrame,
    found: MgaAlternative,
    previous: np.ndarray | None,
) -> Alternative:
    table = _region_table(county, problem, found.allocation, previous)
    table["proposal_nok"] = regions["amount_nok"].to_numpy(np.int64)
    table["change_from_proposal_nok"] = table["amount_nok"] - table["proposal_nok"]
    table["proposal_owners_nok"] = regions["owners_nok"].to_numpy(np.int64)
    table["proposal_partners_nok"] = regions["partners_nok"].to_numpy(np.int64)
    base = _recipient_amounts(problem, best, county)
    other = _recipient_amounts(problem, found.allocation, county)
    recipients = base.rename(columns={"amount_nok": "proposal_nok"})
    recipients["amount_nok"] = other["amount_nok"]
    recipients["change_from_proposal_nok"] = recipients["amount_nok"] - recipients["proposal_nok"]
    recipients = recipients[recipients["change_from_proposal_nok"] != 0].reset_index(drop=True)
    return Alternative(
        regions=table,
        recipients=recipients,
        moved_nok=found.moved_nok,
        nearest_nok=found.nearest_nok,
        objective_increase=max(0.0, found.allocation.objective - best.objective),
        direction=found.direction,
    )


def _partner_table(county: County, allocation: Allocation) -> pd.DataFrame:
    p = county.partners
    served = county.edges.groupby("partner_id")["region"].agg(", ".join)
    return pd.DataFrame(
        {
            "partner_id": p["partner_id"],
            "partner_name": p["partner_name"],
            "partner_kind": p["partner_kind"],
            "amount_nok": allocation.partner_totals.astype(np.int64),
            "capacity_nok": p["capacity_nok"],
            "regions": p["partner_id"].map(served).fillna(""),
        }
    )


def remainder_note(problem: AllocationProblem, allocation: Allocation) -> Note | None:
    """The caveat that names the amount holding ``budget % rounding_unit_nok`` (step 3 of
    :mod:`~dekomopt.allocation.rounding`): its recipient, region, theme, sector and kroner;
    None when the amount to distribute is a multiple of the unit."""
    unit = int(problem.rules.rounding_unit_nok)
    remainder = problem.budget_nok % unit
    entry = allocation.remainder_recipient
    if remainder == 0 or entry is None or entry < 0:
        return None
    n_i, _, n_t, n_s = allocation.shape
    who, cell = divmod(int(entry), n_t * n_s)
    if who < n_i:
        recipient = f"{problem.owner_names[who]} ({problem.owner_ids[who]})"
        region = problem.region_ids[problem.owner_region[who]]
    else:
        edge = who - n_i
        recipient = problem.partner_names[problem.edge_partner[edge]]
        region = problem.region_ids[problem.edge_region[edge]]
    return note(
        "note_rounding_remainder",
        budget=int(problem.budget_nok),
        unit=unit,
        remainder=int(remainder),
        recipient=recipient,
        region=region,
        theme=ENTRY_WORDS[problem.themes[cell // n_s]],
        sector=ENTRY_WORDS[problem.sectors[cell % n_s]],
        amount=int(allocation.amounts[entry]),
    )


def _caveats(
    scenario: Scenario,
    county: County,
    files: tuple[InputFile, ...],
    carried: Note | None,
    remainder: Note | None,
) -> tuple[Localised, ...]:
    out: list[Localised] = list(scenario.spec.scenario.assumptions)
    out += [note("note_input_file", file=f.describe()) for f in files]
    if carried is not None:
        out.append(carried)
    imputed = county.owners[county.owners["fte_imputed"]]
    if len(imputed):
        names = ", ".join(imputed["owner_name"])
        out.append(
            note("note_imputed_count", n=len(imputed), total=len(county.owners), names=names)
        )
    out += county.warnings
    if remainder is not None:
        out.append(remainder)
    return tuple(out)


def _key_note(county: County, problem: AllocationProblem) -> Note | None:
    """Which FTEs the kindergarten part was shared by, as the allocation used them (the
    2026 regime); None when the budget has no kindergarten part."""
    if "kindergarten" not in problem.sectors:
        return None
    if not key_sectors(problem):
        return KINDERGARTEN_BY_SCHOOL_KEY
    path = next(f.path for f in county.input_files if f.key == "owners.kindergarten_fte")
    return kindergarten_by_staff(path)


def propose(
    scenario: Scenario,
    *,
    county: County | None = None,
    year: int | None = None,
    total_nok: int | None = None,
    previous: np.ndarray | None = None,
    previous_total_nok: int | None = None,
    previous_owners: pd.Series | None = None,
    previous_year: int | None = None,
    n_alternatives: int = 0,
    alternative_slack: float = 0.01,
) -> Proposal:
    """The optimal, rule-compliant proposal for one year of a scenario.

    Last year's amounts are the county's (``budget.previous`` or ``propose --previous``,
    :attr:`County.previous`) unless ``previous`` (amount per region) is given: then it and
    ``previous_total_nok`` are the stability rule's (R10) reference, ``previous_owners``
    (owner id → kroner) the owners', ``previous_year`` the year of the plan whose proposal
    they are, and the provenance says so instead of naming the file. An owner absent from
    the owners' amounts had 0 kr. Infeasible rules raise InfeasibleError naming them.
    """
    county = county or build_county(scenario)
    spec = scenario.spec
    total = spec.budget.total_nok if total_nok is None else total_nok
    problem = allocation_problem(scenario, county, total_nok=total)
    carried = None
    if previous is not None:
        problem = problem.with_(region_previous=previous, previous_total_nok=previous_total_nok)
        this_year = str(year or spec.scenario.year)  # a year, not a number to group
        carried = (
            note("note_previous_given", year=this_year)
            if previous_year is None
            else note("note_previous_plan", year=this_year, previous_year=str(previous_year))
        )
    elif county.previous is not None:
        previous_owners = county.previous.owner_nok
    files = _input_files(county, carried is not None)
    allocation = solve(problem)
    previous_used = problem.region_previous
    regions = _region_table(county, problem, allocation, previous_used)
    found_alternatives: list[Alternative] = []
    search = None
    if n_alternatives:
        found = alternatives(problem, n_alternatives, slack=alternative_slack)
        search = found.search
        found_alternatives = [
            _alternative(county, problem, allocation, regions, alt, previous_used)
            for alt in found.found
        ]
    rules = rule_report(problem, allocation)
    remainder = remainder_note(problem, allocation)
    return Proposal(
        scenario_name=spec.scenario.name,
        county=county.name,
        regime=spec.scenario.regime,
        year=year or spec.scenario.year,
        budget_total_nok=int(total),
        set_asides=set_aside_amounts(scenario, total),
        budget_nok=problem.budget_nok,
        allocation=_allocation_table(problem, allocation),
        regions=regions,
        owners=_owner_table(county, problem, allocation, regions, previous_owners),
        partners=_partner_table(county, allocation),
        rules=tuple(rules),
        provenance=_provenance(scenario, county, allocation, year or spec.scenario.year, files),
        caveats=_caveats(scenario, county, files, carried, remainder),
        key_note=_key_note(county, problem),
        remainder_note=remainder,
        structure_illustrative=county.structure_illustrative,
        budget_illustrative=spec.budget.illustrative,
        alternatives=tuple(found_alternatives),
        alternatives_search=search,
    )


def propose_years(
    scenario: Scenario,
    *,
    county: County | None = None,
    n_alternatives: int = 0,
    alternative_slack: float = 0.01,
) -> list[Proposal]:
    """One proposal per year: the scenario's year, then each of ``budget.years``.

    The first year's last-year amounts are the county's (:attr:`County.previous`). Each later
    year's R10 reference is the year before's region totals and budget (and its owners'
    amounts are the later year's), so a budget change moves every region proportionally when
    nothing else binds; its provenance says so. Alternatives are computed for the first year.
    """
    county = county or build_county(scenario)
    plan = budget_years(scenario)
    if [y for y, _ in plan] != sorted({y for y, _ in plan}):
        raise ScenarioError(scenario.source, "budget.years", "years must come after scenario.year")
    out: list[Proposal] = []
    previous = previous_total_nok = previous_owners = previous_year = None
    for year, total in plan:
        proposal = propose(
            scenario,
            county=county,
            year=year,
            total_nok=total,
            previous=previous,
            previous_total_nok=previous_total_nok,
            previous_owners=previous_owners,
            previous_year=previous_year,
            n_alternatives=0 if out else n_alternatives,
            alternative_slack=alternative_slack,
        )
        out.append(proposal)
        previous = proposal.regions["amount_nok"].to_numpy(float)
        previous_total_nok = proposal.budget_nok
        owners = proposal.owners
        previous_owners = owners.set_index(owners["owner_id"].astype(str))["amount_nok"]
        previous_year = year
    return out
