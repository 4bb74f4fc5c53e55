"""Fake but realistic Rogaland proposals (real municipality names and numbers) and geography."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dekomopt.allocation.mga import Direction
from dekomopt.allocation.outcome import RuleCheck
from dekomopt.proposal import Alternative, Proposal
from dekomopt.proposal.build import partner_parts
from dekomopt.report import Geography

REGION_OF = {
    "NORD": ("1106", "1146", "1149", "1135", "1134", "1160", "1151", "1145"),
    "MIDT": ("1103", "1124", "1127", "1130", "1133", "1144"),
    "SØR": ("1108", "1120", "1121", "1119", "1101", "1112", "1114", "1111", "1122"),
}
PARTNER_OF = {"NORD": "HVL", "MIDT": "UiS", "SØR": "UiS"}
PARTNERS = {
    "UiS": ("Universitetet i Stavanger", (58.95, 5.73333)),
    "HVL": ("Høgskulen på Vestlandet", (59.44639, 5.29833)),
}
PRIVATE = ("974000001", "Friskolane i Rogaland", "MIDT", 310.0)
BUDGET_TOTAL = 26_739_000
SET_ASIDE = 8_021_700
BUDGET = BUDGET_TOTAL - SET_ASIDE
UH_SHARE = 0.5
SPECIAL_ED_SHARE = 0.2


def package_text(name: str) -> str:
    """A bundled data file of dekomopt, read through the package (no machine path)."""
    return (files("dekomopt") / "data" / "files" / name).read_text(encoding="utf-8")


def rogaland_municipalities() -> dict[str, tuple[str, int]]:
    """kommunenummer → (name, population) for Rogaland from the bundled register."""
    rows = csv.DictReader(io.StringIO(package_text("municipalities.csv")))
    return {
        r["kommunenummer"]: (r["name"], int(r["population"]))
        for r in rows
        if r["county_number"] == "11"
    }


def rogaland_polygons() -> dict[str, list]:
    """kommunenummer → polygons (rings of (lon, lat)) for Rogaland from the bundled GeoJSON."""
    document = json.loads(package_text("municipalities_2024.geojson"))
    result = {}
    for feature in document["features"]:
        code = feature["properties"]["kommunenummer"]
        if not code.startswith("11"):
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        result[code] = [[[tuple(p[:2]) for p in ring] for ring in poly] for poly in polygons]
    return result


def split(total: int, weights: list[float]) -> list[int]:
    """Whole kroner proportional to ``weights`` summing exactly to ``total`` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    rest = total - int(base.sum())
    for i in np.argsort(-(exact - base), kind="stable")[:rest]:
        base[i] += 1
    return [int(x) for x in base]


def build_proposal() -> Proposal:
    """A DEKOM-year Rogaland proposal whose tables agree with each other to the krone."""
    register = rogaland_municipalities()
    owners = []
    for region, codes in REGION_OF.items():
        for code in codes:
            name, population = register[code]
            owners.append(
                (code, name, "municipality", region, round(population * 0.0125, 1), False)
            )
    owners.append((PRIVATE[0], PRIVATE[1], "private", PRIVATE[2], PRIVATE[3], True))
    regions = list(REGION_OF)
    region_fte = {r: sum(o[4] for o in owners if o[3] == r) for r in regions}
    region_amount = dict(zip(regions, split(BUDGET, [region_fte[r] for r in regions]), strict=True))
    rows = []
    owner_amount: dict[str, int] = {}
    for region in regions:
        partners_part, owners_part = split(region_amount[region], [UH_SHARE, 1 - UH_SHARE])
        members = [o for o in owners if o[3] == region]
        for owner, amount in zip(members, split(owners_part, [o[4] for o in members]), strict=True):
            owner_amount[owner[0]] = amount
            general, special = split(amount, [1 - SPECIAL_ED_SHARE, SPECIAL_ED_SHARE])
            for theme, value in (("general", general), ("special_ed", special)):
                rows.append((region, "owner", owner[0], owner[1], theme, "school", value))
        partner = PARTNER_OF[region]
        general, special = split(partners_part, [1 - SPECIAL_ED_SHARE, SPECIAL_ED_SHARE])
        for theme, value in (("general", general), ("special_ed", special)):
            rows.append((region, "partner", partner, PARTNERS[partner][0], theme, "school", value))
    allocation = pd.DataFrame(
        rows,
        columns=[
            "region",
            "recipient_type",
            "recipient_id",
            "recipient_name",
            "theme",
            "sector",
            "amount_nok",
        ],
    ).astype({"amount_nok": "int64"})
    by_type = allocation.groupby(["region", "recipient_type"])["amount_nok"].sum()
    previous = {"NORD": 5_400_000.0, "MIDT": 6_900_000.0, "SØR": np.nan}
    regions_df = pd.DataFrame(
        {
            "region": regions,
            "teacher_fte": [region_fte[r] for r in regions],
            "key_share": [region_fte[r] / sum(region_fte.values()) for r in regions],
            "amount_nok": [region_amount[r] for r in regions],
            "owners_nok": [int(by_type[(r, "owner")]) for r in regions],
            "partners_nok": [int(by_type[(r, "partner")]) for r in regions],
            "nok_per_fte": [region_amount[r] / region_fte[r] for r in regions],
            "previous_nok": [previous[r] for r in regions],
            "change_from_previous_nok": [region_amount[r] - previous[r] for r in regions],
            "budget_illustrative": [False] * len(regions),
            "structure_illustrative": [False] * len(regions),
        }
    ).astype({"amount_nok": "int64", "owners_nok": "int64", "partners_nok": "int64"})
    owners_df = pd.DataFrame(
        {
            "owner_id": [o[0] for o in owners],
            "owner_name": [o[1] for o in owners],
            "owner_kind": [o[2] for o in owners],
            "region": [o[3] for o in owners],
            "teacher_fte": [o[4] for o in owners],
            "fte_imputed": [o[5] for o in owners],
            "fte_method": ["pupils × county ratio" if o[5] else "GSI 2024" for o in owners],
            "participates": [True] * len(owners),
            "amount_nok": [owner_amount[o[0]] for o in owners],
            "cofinancing_nok": [round(0.3 * owner_amount[o[0]]) for o in owners],
            "previous_amount_nok": [np.nan] * len(owners),
            "change_in_amount_nok": [np.nan] * len(owners),
        }
    ).astype({"amount_nok": "int64"})
    owners_df["partner_part_nok"] = partner_parts(owners_df, regions_df)
    owners_df["total_nok"] = owners_df["amount_nok"] + owners_df["partner_part_nok"]
    owners_df["nok_per_fte"] = owners_df["total_nok"] / owners_df["teacher_fte"]
    partner_rows = allocation[allocation["recipient_type"] == "partner"]
    partner_amount = partner_rows.groupby("recipient_id")["amount_nok"].sum()
    partners_df = pd.DataFrame(
        {
            "partner_id": list(PARTNERS),
            "partner_name": [PARTNERS[p][0] for p in PARTNERS],
            "partner_kind": ["uh", "uh"],
            "amount_nok": [int(partner_amount[p]) for p in PARTNERS],
            "capacity_nok": [np.nan, 6_000_000.0],
            "regions": [",".join(r for r in regions if PARTNER_OF[r] == p) for p in PARTNERS],
        }
    ).astype({"amount_nok": "int64"})
    special = int(allocation.loc[allocation["theme"] == "special_ed", "amount_nok"].sum())
    partners_total = int(partners_df["amount_nok"].sum())
    sola = owner_amount["1124"]
    # rows in the shape of dekomopt.allocation.outcome.rule_report: kroner values and bounds
    rules = (
        rule_row("R1", "R1_budget", BUDGET, BUDGET, "==", binding=True, shadow=0.00081),
        rule_row(
            "R3",
            "R3_uh_min",
            partners_total,
            UH_SHARE * BUDGET,
            ">=",
            binding=True,
            shadow=0.0000278,
            relax=(0.01 * BUDGET, -5.2, -0.0013),
            uh_share_min=UH_SHARE,
        ),
        rule_row(
            "R4",
            "R4_cofin_1124",
            0.3 * sola,
            200_000.0,
            "<=",
            subject="Sola",
            required_cofinancing_nok=round(0.3 * sola),
        ),
        rule_row(
            "R4", "R4_cofin_1103", 0.3 * owner_amount["1103"], 900_000.0, "<=", subject="Stavanger"
        ),
        rule_row("R5", "R5_special_ed_min", special, 0.15 * BUDGET, ">="),
        rule_row(
            "R9",
            "R9_capacity_HVL",
            int(partner_amount["HVL"]),
            6_000_000.0,
            "<=",
            subject=PARTNERS["HVL"][0],
        ),
    )
    return Proposal(
        scenario_name="rogaland_2025",
        county="Rogaland",
        regime="dekom",
        year=2025,
        budget_total_nok=BUDGET_TOTAL,
        set_asides=(("Tilretteleggingsmidlar ABLU og deltid", SET_ASIDE),),
        budget_nok=BUDGET,
        allocation=allocation,
        regions=regions_df,
        owners=owners_df,
        partners=partners_df,
        rules=rules,
        provenance={
            "scenario_file": "scenarios/rogaland_2025.toml",
            "scenario_sha256": "3f2a" * 16,
            "data_versions": {
                "municipalities.csv": "2024-01-01",
                "teacher_fte_2024.csv": "2024-25",
            },
            "seed": 20250601,
            "solver": "HiGHS",
            "solver_version": "1.7.2",
            "package_version": "0.1.0",
            "time": "2025-06-01T12:00:00+02:00",
        },
        caveats=("Lærerårsverk for Friskolane er anslått ut fra elevtall.",),
    )


def rule_row(
    rule,
    name,
    value,
    bound,
    sense,
    binding=False,
    shadow=0.0,
    relax=(None, None, None),
    subject=None,
    **extra,
) -> RuleCheck:
    """One rule-report row; ``met`` and ``slack`` follow from value, bound and sense; ``relax``
    is (relax_step_nok, relax_change_nok, relax_change_per_fte_nok)."""
    slack = {">=": value - bound, "<=": bound - value, "==": -abs(value - bound)}[sense]
    return RuleCheck(
        rule=rule,
        name=name,
        subject=subject,
        value=float(value),
        bound=float(bound),
        sense=sense,
        within_nok=0.0,
        met=slack >= 0,
        binding=binding,
        slack=float(slack),
        shadow_price=shadow,
        relax_step_nok=relax[0],
        relax_change_nok=relax[1],
        relax_change_per_fte_nok=relax[2],
        params=extra,
    )


@pytest.fixture(scope="session")
def proposal() -> Proposal:
    return build_proposal()


@pytest.fixture(scope="session")
def illustrative_proposal(proposal: Proposal) -> Proposal:
    """The same proposal flagged illustrative, with one near-optimal alternative that moves
    12 345 kr from the partners to the owners of the first region (its first owner)."""
    shift = 12_345
    regions = proposal.regions.copy()
    regions["proposal_nok"] = regions["amount_nok"]
    regions["proposal_owners_nok"] = regions["owners_nok"]
    regions["proposal_partners_nok"] = regions["partners_nok"]
    regions.loc[0, "owners_nok"] += shift
    regions.loc[0, "partners_nok"] -= shift
    regions["change_from_proposal_nok"] = regions["amount_nok"] - regions["proposal_nok"]
    owner = proposal.owners.iloc[0]
    partner = proposal.partners[proposal.partners["partner_id"] == PARTNER_OF[owner["region"]]]
    recipients = pd.DataFrame(
        {
            "recipient_type": ["owner", "partner"],
            "recipient_id": [owner["owner_id"], partner["partner_id"].iloc[0]],
            "recipient_name": [owner["owner_name"], partner["partner_name"].iloc[0]],
            "region": [owner["region"], ""],
            "proposal_nok": [owner["amount_nok"], partner["amount_nok"].iloc[0]],
            "amount_nok": [owner["amount_nok"] + shift, partner["amount_nok"].iloc[0] - shift],
            "change_from_proposal_nok": [shift, -shift],
        }
    )
    alternative = Alternative(
        regions, recipients, shift, shift, 1e-5, Direction(True, "total", "NORD")
    )
    return replace(
        proposal,
        structure_illustrative=True,
        budget_illustrative=True,
        alternatives=(alternative,),
    )


@pytest.fixture(scope="session")
def geography(proposal: Proposal) -> Geography:
    owner_region = {code: region for region, codes in REGION_OF.items() for code in codes}
    return Geography(
        polygons=rogaland_polygons(),
        owner_region=owner_region,
        partner_points={p: point for p, (_, point) in PARTNERS.items()},
        edges=tuple((r, p) for r, p in PARTNER_OF.items()),
    )


@pytest.fixture(scope="session")
def left_out():
    """The bundled V&T scenario with Sandefjord (3907) not taking part, and its proposal."""
    from dekomopt.proposal import propose
    from dekomopt.scenario import load_scenario

    root = Path(__file__).resolve().parents[2]
    scenario = load_scenario(root / "scenarios" / "vestfold-og-telemark-2026.toml")
    scenario = scenario.with_changes(owners={"non_participating": ["3907"]})
    return scenario, propose(scenario)
