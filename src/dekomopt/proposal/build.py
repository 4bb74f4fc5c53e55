"""From a scenario to the forum's distribution proposal: solve, tabulate, trace.

``propose(scenario)`` returns a :class:`~dekomopt.proposal.record.Proposal` (one year);
``propose_years(scenario)`` carries the stability rule (R10) through the years a scenario
lists.
"""

from __future__ import annotations

import platform
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from dekomopt import __version__
from dekomopt.allocation.keys import key_sectors
from dekomopt.allocation.mga import alternatives
from dekomopt.allocation.outcome import required_cofinancing, rule_report
from dekomopt.allocation.problem import AllocationProblem
from dekomopt.allocation.result import Allocation
from dekomopt.allocation.solution import solve
from dekomopt.county.build import KINDERGARTEN_BY_SCHOOL_KEY, KINDERGARTEN_BY_STAFF, build_county
from dekomopt.county.model import County
from dekomopt.county.problem import allocation_problem
from dekomopt.data import data_versions
from dekomopt.errors import ScenarioError
from dekomopt.proposal.record import AlternativeSummary, Proposal, Provenance
from dekomopt.scenario import Scenario, set_aside_amounts


def _provenance(
    scenario: Scenario, county: County, allocation: Allocation, year: int
) -> Provenance:
    return Provenance(
        scenario_file=scenario.path.name,
        scenario_sha256=scenario.sha256,
        scenario_content_sha256=scenario.content_sha256,
        scenario_name=scenario.spec.scenario.name,
        year=year,
        seed=scenario.spec.scenario.seed,
        data_versions=data_versions(),
        solver=allocation.solver,
        rounding=allocation.rounding_method,
        package_version=__version__,
        python=platform.python_version(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        scope=county.scope.label if county.scope is not None else county.name,
        input_files=tuple(f.record() for f in county.input_files),
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
    frame["change_nok"] = frame["amount_nok"] - frame["previous_nok"]
    frame["illustrative"] = county.structure_illustrative
    return frame


def _owner_table(
    county: County, problem: AllocationProblem, allocation: Allocation
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
            "nok_per_fte": np.where(fte > 0, amount / np.where(fte > 0, fte, 1), np.nan),
            "cofinancing_nok": required_cofinancing(problem, allocation),
        }
    )
    frame["previous_nok"] = np.nan
    frame["change_nok"] = np.nan
    return frame


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


def _caveats(scenario: Scenario, county: County) -> tuple[str, ...]:
    out: list[str] = list(scenario.spec.scenario.assumptions)
    out += [f"Input file {f.describe()}" for f in county.input_files]
    imputed = county.owners[county.owners["fte_imputed"]]
    if len(imputed):
        out.append(
            f"{len(imputed)} of {len(county.owners)} teacher-FTE figures are imputed: "
            + ", ".join(imputed["owner_name"])
        )
    out += county.warnings
    return tuple(out)


def _key_note(county: County, problem: AllocationProblem) -> str | None:
    """Which FTEs the kindergarten part was shared by, as the allocation used them (the
    2026 regime); None when the budget has no kindergarten part."""
    if "kindergarten" not in problem.sectors:
        return None
    if not key_sectors(problem):
        return KINDERGARTEN_BY_SCHOOL_KEY
    path = next(f.path for f in county.input_files if f.key == "owners.kindergarten_fte")
    return KINDERGARTEN_BY_STAFF.format(path=path)


def propose(
    scenario: Scenario,
    *,
    county: County | None = None,
    year: int | None = None,
    total_nok: int | None = None,
    previous: np.ndarray | None = None,
    previous_total_nok: int | None = None,
    n_alternatives: int = 0,
    alternative_slack: float = 0.05,
) -> Proposal:
    """The optimal, rule-compliant proposal for one year of a scenario.

    ``previous`` (amount per region) and ``previous_total_nok`` switch on the stability rule
    (R10) when the scenario sets ``stability_max_change``; otherwise the scenario's own
    ``budget.previous`` file is used. Infeasible rules raise InfeasibleError naming them.
    """
    county = county or build_county(scenario)
    spec = scenario.spec
    total = spec.budget.total_nok if total_nok is None else total_nok
    problem = allocation_problem(scenario, county, total_nok=total)
    if previous is not None:
        problem = problem.with_(region_previous=previous, previous_total_nok=previous_total_nok)
    allocation = solve(problem)
    previous_used = problem.region_previous
    regions = _region_table(county, problem, allocation, previous_used)
    alt_tables: list[pd.DataFrame] = []
    summaries: list[AlternativeSummary] = []
    note = None
    if n_alternatives:
        found = alternatives(problem, n_alternatives, slack=alternative_slack)
        note = found.shortfall
        for alt in found.found:
            table = _region_table(county, problem, alt.allocation, previous_used)
            table["change_nok"] = table["amount_nok"] - regions["amount_nok"]
            alt_tables.append(table)
            summaries.append(
                AlternativeSummary(
                    alt.moved_nok,
                    alt.nearest_nok,
                    max(0.0, alt.objective - allocation.objective),
                    alt.direction,
                )
            )
    rules = rule_report(problem, allocation)
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
        owners=_owner_table(county, problem, allocation),
        partners=_partner_table(county, allocation),
        rules=tuple(rules),
        provenance=_provenance(scenario, county, allocation, year or spec.scenario.year),
        caveats=_caveats(scenario, county),
        key_note=_key_note(county, problem),
        structure_illustrative=county.structure_illustrative,
        budget_illustrative=spec.budget.illustrative,
        alternatives=tuple(alt_tables),
        alternative_summaries=tuple(summaries),
        alternatives_asked=n_alternatives,
        alternatives_note=note,
    )


def propose_years(
    scenario: Scenario,
    *,
    county: County | None = None,
    previous: np.ndarray | None = None,
    previous_total_nok: int | None = None,
    n_alternatives: int = 0,
    alternative_slack: float = 0.05,
) -> list[Proposal]:
    """One proposal per year: the scenario's year, then each of ``budget.years``.

    Each later year's R10 reference is the year before's region totals and budget, so a budget
    change moves every region proportionally when nothing else binds. Alternatives are
    computed for the first year.
    """
    county = county or build_county(scenario)
    spec = scenario.spec
    plan = [(spec.scenario.year, spec.budget.total_nok)]
    plan += [(y.year, y.total_nok) for y in sorted(spec.budget.years, key=lambda y: y.year)]
    if [y for y, _ in plan] != sorted({y for y, _ in plan}):
        raise ScenarioError(
            str(scenario.path), "budget.years", "years must come after scenario.year"
        )
    out: list[Proposal] = []
    for year, total in plan:
        proposal = propose(
            scenario,
            county=county,
            year=year,
            total_nok=total,
            previous=previous,
            previous_total_nok=previous_total_nok,
            n_alternatives=0 if out else n_alternatives,
            alternative_slack=alternative_slack,
        )
        out.append(proposal)
        previous = proposal.regions["amount_nok"].to_numpy(float)
        previous_total_nok = proposal.budget_nok
    return out
