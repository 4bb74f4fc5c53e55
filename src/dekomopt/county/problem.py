"""Turn a scenario's county model and rules into the LP's :class:`AllocationProblem`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dekomopt.allocation.problem import THEMES, AllocationProblem
from dekomopt.county.model import County, owner_partner_km
from dekomopt.errors import ScenarioError
from dekomopt.scenario.budget import distributed_nok
from dekomopt.scenario.load import Scenario


def _cofinancing(county: County) -> np.ndarray:
    """Each owner's co-financing capacity in NOK, NaN where none is stated."""
    caps = county.cofinancing_capacity or {}
    return np.array([caps.get(o, np.nan) for o in county.owners["owner_id"]], dtype=float)


def _owner_km(
    county: County, owner_region: np.ndarray, edge_region: np.ndarray, edge_partner: pd.Series
) -> np.ndarray:
    """Each owner's great-circle km to the nearest partner its region is linked to."""
    km = owner_partner_km(county.owners, county.partners)
    linked = np.zeros((len(county.regions), km.shape[1]), dtype=bool)
    linked[edge_region, edge_partner.to_numpy(int)] = True
    return np.where(linked[owner_region], km, np.inf).min(axis=1)


def _refuse_distance_rules(scenario: Scenario) -> None:
    """Rules that need a distance to a partner cannot apply when a partner's place is unknown:
    each one set is an error, all in one."""
    spec = scenario.spec
    settings = {
        "rules.key_weights.distance": spec.rules.key_weights.distance,
        "metrics.travel_cost_nok_per_km_fte": spec.metrics.travel_cost_nok_per_km_fte,
        "structures.max_partner_km": spec.structures.max_partner_km or 0.0,
    }
    wrong = [key for key, value in settings.items() if value]
    if wrong:
        fix = (
            "needs the distance to the partners, and a partner's place is unknown: give its "
            "campus kommunenummer (partners.extra or partners.extra_csv), or leave it at 0"
        )
        more = tuple((key, fix) for key in wrong[1:])
        raise ScenarioError(scenario.source, wrong[0], fix, more)


def allocation_problem(
    scenario: Scenario, county: County, *, total_nok: int | None = None
) -> AllocationProblem:
    """The LP input for one year: budget after set-asides, owners, partners, edges and rules."""
    spec = scenario.spec
    budget = distributed_nok(scenario, total_nok)
    regions = list(county.regions)
    owners = county.owners
    partners = county.partners
    pids = list(partners["partner_id"])
    edges = county.edges
    owner_region = owners["region"].map(regions.index).to_numpy(int)
    edge_region = edges["region"].map(regions.index).to_numpy(int)
    edge_km = edges["km"].to_numpy(float)
    owner_km = _owner_km(county, owner_region, edge_region, edges["partner_id"].map(pids.index))
    if not county.travel_known:
        _refuse_distance_rules(scenario)
    special = spec.rules.special_challenges
    for region in special:
        if region not in regions:
            raise ScenarioError(
                scenario.source, f"rules.special_challenges.{region}", "unknown region"
            )
    sectors = ("school",) if spec.scenario.regime == "dekom" else ("kindergarten", "school")
    # With a kindergarten staff file its figures are the kindergarten sector's key; owners
    # not in the file (the private schools' network, extra owners) have none.
    kindergarten = owners["kindergarten_fte"].to_numpy(float)
    given = spec.owners.kindergarten_fte is not None and "kindergarten" in sectors
    return AllocationProblem(
        budget_nok=int(budget),
        sectors=sectors,
        owner_ids=tuple(owners["owner_id"]),
        owner_names=tuple(owners["owner_name"]),
        owner_kind=tuple(owners["owner_kind"]),
        owner_region=owner_region,
        owner_fte=owners["teacher_fte"].to_numpy(float),
        owner_participates=owners["participates"].to_numpy(bool),
        owner_cofin_capacity=_cofinancing(county),
        owner_km=owner_km,
        region_ids=tuple(regions),
        partner_ids=tuple(pids),
        partner_names=tuple(partners["partner_name"]),
        partner_capacity=partners["capacity_nok"].to_numpy(float),
        edge_region=edge_region,
        edge_partner=edges["partner_id"].map(pids.index).to_numpy(int),
        edge_km=edge_km,
        rules=spec.rules,
        owner_needs=(
            None if county.needs is None else county.needs.array(tuple(owners["owner_id"]), THEMES)
        ),
        region_special=np.array([special.get(r, 0.0) for r in regions]) if special else None,
        region_previous=None if county.previous is None else county.previous.region_nok,
        previous_total_nok=None if county.previous is None else county.previous.total_nok,
        owner_kindergarten_fte=np.nan_to_num(kindergarten) if given else None,
    )
