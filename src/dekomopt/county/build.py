"""Build a :class:`County` from a scenario and the bundled data, checking every reference."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dekomopt import data
from dekomopt.county.model import OWNER_COLUMNS, County, owner_partner_km
from dekomopt.errors import DataError, ScenarioError
from dekomopt.scenario.files import read_csv_file
from dekomopt.scenario.load import Scenario


def _problem(scenario: Scenario, key: str, message: str) -> ScenarioError:
    return ScenarioError(scenario.path, key, message)


def _structure(
    scenario: Scenario, county: str, register: pd.DataFrame
) -> tuple[dict[str, list[str]], list[str]]:
    """Region → kommunenummer as the scenario gives it, and the register findings."""
    spec = scenario.spec.structure
    names = dict(zip(register["kommunenummer"], register["name"], strict=True))
    warnings: list[str] = []
    if spec.source is not None:
        if county != "Rogaland":
            raise _problem(
                scenario, "structure.source", f"'{spec.source}' is Rogaland's, not {county}'s"
            )
        try:
            check = data.rogaland_source_structure(strict=spec.strict)
        except DataError as exc:
            raise ScenarioError(scenario.path, "structure.source", str(exc)) from None
        warnings += [f.message for f in check.findings if f.kind != "unassigned"]
        regions = {r: list(codes) for r, codes in check.regions.items()}
    elif spec.csv is not None:
        frame = read_csv_file(
            scenario.resolve(spec.csv), "structure.csv", {"kommunenummer": str, "region": str}
        )
        regions = {}
        for code, region in zip(frame["kommunenummer"], frame["region"], strict=True):
            regions.setdefault(region, []).append(code)
    else:
        regions = {r: list(codes) for r, codes in (spec.regions or {}).items()}
    seen: dict[str, str] = {}
    for region, codes in regions.items():
        for code in codes:
            if code not in names:
                raise _problem(
                    scenario, f"structure region {region}", f"{code} is no municipality of {county}"
                )
            if code in seen and seen[code] != region:
                raise _problem(
                    scenario,
                    f"structure region {region}",
                    f"{code} {names[code]} is in both {seen[code]} and {region}",
                )
            seen[code] = region
    regions = {r: list(dict.fromkeys(codes)) for r, codes in regions.items()}
    missing = [c for c in register["kommunenummer"] if c not in seen]
    assign = spec.unassigned.assign
    for code, region in assign.items():
        if code not in names:
            raise _problem(
                scenario, f"structure.unassigned.assign.{code}", f"no municipality of {county}"
            )
        if code in seen:
            raise _problem(
                scenario,
                f"structure.unassigned.assign.{code}",
                f"{names[code]} is already in region {seen[code]}",
            )
        if region not in regions:
            raise _problem(
                scenario, f"structure.unassigned.assign.{code}", f"unknown region '{region}'"
            )
    if missing and spec.unassigned.action == "error":
        listed = ", ".join(f"{c} {names[c]}" for c in missing)
        raise _problem(scenario, "structure", f"municipalities in no region: {listed}")
    left = [c for c in missing if c not in assign]
    if left:
        listed = ", ".join(f"{c} {names[c]}" for c in left)
        raise _problem(scenario, "structure.unassigned.assign", f"no region given for {listed}")
    for code in missing:
        regions[assign[code]].append(code)
        reason = f" ({spec.unassigned.reason})" if spec.unassigned.reason else ""
        warnings.append(
            f"{names[code]} ({code}) is in no region of the source; assigned to {assign[code]}"
            f"{reason}"
        )
    return regions, warnings


def _fte(scenario: Scenario, county: str) -> tuple[pd.DataFrame, list[str]]:
    """Teacher FTEs per 2024 municipality with imputation flags, and data warnings."""
    owners = scenario.spec.owners
    bundled = data.teacher_fte(county, exclude_private=owners.exclude_private)
    table = bundled.table.set_index("kommunenummer")
    warnings = list(bundled.warnings)
    if owners.fte_source == "crosswalk":
        return table, warnings
    path = scenario.resolve(owners.fte_source)
    try:
        if path.suffix.lower() == ".json":
            user = data.read_jsonstat(path).rename(columns={"value": "teacher_fte"})
            user["school_year"] = user["time"]
        else:
            user = data.read_fte_csv(path)
    except DataError as exc:
        raise ScenarioError(exc.source, exc.field, exc.message) from None
    user = user.set_index("kommunenummer")
    known = user.index.intersection(table.index)
    table.loc[known, "teacher_fte"] = user.loc[known, "teacher_fte"].astype(float)
    table.loc[known, "imputed"] = False
    table.loc[known, "method"] = ""
    table.loc[known, "source"] = str(path.name)
    if "school_year" in user.columns:
        table.loc[known, "school_year"] = user.loc[known, "school_year"].astype(str)
    rest = table.index.difference(known)
    if len(rest):
        warnings.append(
            f"{len(rest)} municipalities are not in {path.name}; their bundled figures are used"
        )
    return table, warnings


def _owners(
    scenario: Scenario, county: str, regions: dict[str, list[str]], register: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    spec = scenario.spec.owners
    fte, warnings = _fte(scenario, county)
    reg = register.set_index("kommunenummer")
    rows = []
    for region, codes in regions.items():
        for code in codes:
            f = fte.loc[code]
            rows.append(
                {
                    "owner_id": code,
                    "owner_name": reg.at[code, "name"],
                    "owner_kind": "municipality",
                    "region": region,
                    "teacher_fte": float(f["teacher_fte"]),
                    "fte_imputed": bool(f["imputed"]),
                    "fte_method": str(f["method"] or ""),
                    "fte_school_year": str(f["school_year"]),
                    "fte_source": str(f["source"]),
                    "lat": float(reg.at[code, "point_lat"]),
                    "lon": float(reg.at[code, "point_lon"]),
                }
            )
    if spec.private_network:
        private_fte, private_year, private_source = data.private_school_fte(county)
        rows.append(
            {
                "owner_id": "private-network",
                "owner_name": f"Friskolane i {county}",
                "owner_kind": "private",
                "region": spec.private_network_region,
                "teacher_fte": float(private_fte),
                "fte_imputed": False,
                "fte_method": "",
                "fte_school_year": private_year,
                "fte_source": private_source,
                "lat": np.nan,
                "lon": np.nan,
            }
        )
    for extra in spec.extra:
        rows.append(
            {
                "owner_id": extra.id,
                "owner_name": extra.name,
                "owner_kind": extra.kind,
                "region": extra.region,
                "teacher_fte": extra.teacher_fte,
                "fte_imputed": False,
                "fte_method": "",
                "fte_school_year": "",
                "fte_source": extra.source,
                "lat": np.nan,
                "lon": np.nan,
            }
        )
    owners = pd.DataFrame(rows)
    dupes = owners["owner_id"][owners["owner_id"].duplicated()]
    if len(dupes):
        raise _problem(scenario, "owners.extra", f"owner id used twice: {', '.join(dupes)}")
    ids = set(owners["owner_id"])
    for i, owner in enumerate(spec.non_participating):
        if owner not in ids:
            raise _problem(scenario, f"owners.non_participating[{i}]", f"'{owner}' is no owner")
    owners["participates"] = ~owners["owner_id"].isin(spec.non_participating)
    if owners.loc[owners["participates"], "teacher_fte"].sum() <= 0:
        raise _problem(scenario, "owners.non_participating", "no participating owner has teachers")
    return owners[list(OWNER_COLUMNS)], warnings


def _partners(scenario: Scenario) -> pd.DataFrame:
    spec = scenario.spec.partners
    campuses = data.load_campuses(active_only=True)
    known = {
        row.partner_id: (f"{row.institution_short} {row.campus}", "uh", row.lat, row.lon)
        for row in campuses.itertuples(index=False)
    }
    for extra in spec.extra:
        if extra.id in known:
            raise _problem(scenario, "partners.extra", f"'{extra.id}' is a bundled campus id")
        known[extra.id] = (extra.name, extra.kind, extra.lat, extra.lon)
    rows = []
    for i, pid in enumerate(spec.eligible):
        if pid not in known:
            raise _problem(
                scenario,
                f"partners.eligible[{i}]",
                f"unknown partner '{pid}'; bundled campuses: {', '.join(sorted(known))}",
            )
        name, kind, lat, lon = known[pid]
        rows.append(
            {
                "partner_id": pid,
                "partner_name": name,
                "partner_kind": kind,
                "lat": float(lat),
                "lon": float(lon),
                "capacity_nok": float(spec.capacity_nok.get(pid, np.nan)),
            }
        )
    if len(set(spec.eligible)) != len(spec.eligible):
        raise _problem(scenario, "partners.eligible", "a partner is listed twice")
    for pid in spec.capacity_nok:
        if pid not in spec.eligible:
            raise _problem(scenario, f"partners.capacity_nok.{pid}", "not an eligible partner")
    return pd.DataFrame(rows)


def _edges(
    scenario: Scenario, regions: tuple[str, ...], owners: pd.DataFrame, partners: pd.DataFrame
) -> pd.DataFrame:
    spec = scenario.spec.partners.edges
    km = owner_partner_km(owners, partners)
    fte = owners["teacher_fte"].to_numpy(float)
    rows = []
    for region in regions:
        mask = (owners["region"] == region).to_numpy()
        w = fte[mask] if fte[mask].sum() > 0 else np.ones(mask.sum())
        region_km = (km[mask] * w[:, None]).sum(axis=0) / w.sum()
        if spec == "nearest":
            chosen = [int(np.argmin(region_km))]
        elif spec == "all":
            chosen = list(range(len(partners)))
        else:
            ids = list(partners["partner_id"])
            chosen = []
            for pid in spec.get(region, ()):
                if pid not in ids:
                    raise _problem(
                        scenario, f"partners.edges.{region}", f"'{pid}' is not an eligible partner"
                    )
                chosen.append(ids.index(pid))
            if not chosen:
                raise _problem(scenario, "partners.edges", f"region {region} has no partner")
        for p in chosen:
            rows.append(
                {
                    "region": region,
                    "partner_id": partners.at[p, "partner_id"],
                    "km": max(float(region_km[p]), 0.1),
                }
            )
    if isinstance(spec, dict):
        for region in spec:
            if region not in regions:
                raise _problem(scenario, f"partners.edges.{region}", "unknown region")
    return pd.DataFrame(rows)


def build_county(scenario: Scenario) -> County:
    """The county model for a scenario. Raises ScenarioError naming the key that is wrong."""
    meta = scenario.spec.scenario
    try:
        county, number = data.resolve_county(meta.county)
    except DataError as exc:
        raise ScenarioError(scenario.path, "scenario.county", exc.message) from None
    register = data.load_municipalities(county)
    regions, warnings = _structure(scenario, county, register)
    owners, fte_warnings = _owners(scenario, county, regions, register)
    region_ids = tuple(dict.fromkeys([*regions, *owners["region"]]))
    partners = _partners(scenario)
    edges = _edges(scenario, region_ids, owners, partners)
    adjacency = data.load_adjacency(county, within_county=True)
    placed = set(owners["owner_id"])
    adjacency = adjacency[adjacency["a"].isin(placed) & adjacency["b"].isin(placed)]
    structure = scenario.spec.structure
    return County(
        name=county,
        number=number,
        regions=region_ids,
        owners=owners.reset_index(drop=True),
        partners=partners,
        edges=edges,
        adjacency=adjacency[["a", "b", "kind"]].reset_index(drop=True),
        warnings=tuple(warnings + fte_warnings),
        structure_basis=structure.basis,
        structure_illustrative=structure.illustrative,
    )
