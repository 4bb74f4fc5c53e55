"""Turn a scenario's county model and rules into the LP's :class:`AllocationProblem`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dekomopt.allocation.problem import THEMES, AllocationProblem
from dekomopt.county.model import County, owner_partner_km
from dekomopt.errors import ScenarioError
from dekomopt.scenario.budget import set_aside_amounts
from dekomopt.scenario.files import read_csv_file
from dekomopt.scenario.load import Scenario


def _owner_table(
    scenario: Scenario, key: str, county: County, columns: dict[str, type]
) -> pd.DataFrame:
    frame = read_csv_file(
        scenario.resolve(getattr(scenario.spec.owners, key)), f"owners.{key}", columns
    )
    unknown = sorted(set(frame["owner"]) - set(county.owners["owner_id"]))
    if unknown:
        raise ScenarioError(
            str(scenario.resolve(getattr(scenario.spec.owners, key))),
            "column owner",
            f"not owners of this scenario: {', '.join(unknown)}",
        )
    return frame


def _needs(scenario: Scenario, county: County) -> np.ndarray | None:
    if scenario.spec.owners.needs is None:
        return None
    frame = _owner_table(scenario, "needs", county, {"owner": str, "theme": str, "need_nok": float})
    path = scenario.resolve(scenario.spec.owners.needs)
    bad = sorted(set(frame["theme"]) - set(THEMES))
    if bad:
        raise ScenarioError(
            str(path), "column theme", f"unknown themes {bad}; known: {list(THEMES)}"
        )
    if frame.duplicated(["owner", "theme"]).any():
        raise ScenarioError(str(path), "owner, theme", "an owner × theme pair is listed twice")
    ids = list(county.owners["owner_id"])
    needs = np.full((len(ids), len(THEMES)), np.nan)
    for row in frame.itertuples(index=False):
        needs[ids.index(row.owner), THEMES.index(row.theme)] = row.need_nok
    return needs


def _cofinancing(scenario: Scenario, county: County) -> np.ndarray:
    caps = np.full(len(county.owners), np.nan)
    if scenario.spec.owners.cofinancing_capacity is None:
        return caps
    frame = _owner_table(
        scenario, "cofinancing_capacity", county, {"owner": str, "capacity_nok": float}
    )
    ids = list(county.owners["owner_id"])
    for row in frame.itertuples(index=False):
        caps[ids.index(row.owner)] = row.capacity_nok
    return caps


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
    total = spec.budget.total_nok if total_nok is None else total_nok
    budget = total - sum(a for _, a in set_aside_amounts(scenario, total))
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
        owner_cofin_capacity=_cofinancing(scenario, county),
        owner_km=owner_km,
        region_ids=tuple(regions),
        partner_ids=tuple(pids),
        partner_names=tuple(partners["partner_name"]),
        partner_capacity=partners["capacity_nok"].to_numpy(float),
        edge_region=edge_region,
        edge_partner=edges["partner_id"].map(pids.index).to_numpy(int),
        edge_km=edge_km,
        rules=spec.rules,
        owner_needs=_needs(scenario, county),
        region_special=np.array([special.get(r, 0.0) for r in regions]) if special else None,
        region_previous=None if county.previous is None else county.previous.region_nok,
        previous_total_nok=None if county.previous is None else county.previous.total_nok,
        owner_kindergarten_fte=np.nan_to_num(kindergarten) if given else None,
    )
