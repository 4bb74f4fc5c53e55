"""One definition of each quantity in every file ``propose`` writes: changes from last year
and from the proposal, kroner per FTE, the partners' part of each owner, whole kroner."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from dekomopt.cli import main
from dekomopt.proposal import propose
from dekomopt.scenario import load_scenario

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE.parents[1] / "scenarios"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """rogaland-2025, then rogaland-2026 against it with two alternatives and the report."""
    root = tmp_path_factory.mktemp("runs")
    y1, y2 = root / "y1", root / "y2"
    assert main(["propose", str(SCENARIOS / "rogaland-2025.toml"), "--out", str(y1)]) == 0
    args = ["propose", str(SCENARIOS / "rogaland-2026.toml"), "--out", str(y2)]
    args += ["--previous", str(y1 / "allocation.csv"), "--alternatives", "2"]
    args += ["--report", "--no-explorer", "--lang", "nb"]
    assert main(args) == 0
    return y1, y2


def test_alternative_changes_are_two_named_quantities(runs):
    y1, y2 = runs
    before = pd.read_csv(y1 / "regions.csv").set_index("region")["amount_nok"]
    proposal = pd.read_csv(y2 / "regions.csv").set_index("region")
    alt = pd.read_csv(y2 / "alternative-1-regions.csv").set_index("region")
    assert "change_nok" not in alt.columns and "change_nok" not in proposal.columns
    assert (alt["previous_nok"] == before).all()
    assert (alt["change_from_previous_nok"] == alt["amount_nok"] - before).all()
    assert (alt["change_from_previous_nok"] != 0).any()
    assert (alt["change_from_proposal_nok"] == alt["amount_nok"] - proposal["amount_nok"]).all()
    assert (alt["proposal_partners_nok"] == proposal["partners_nok"]).all()


def test_alternative_recipients_add_up_to_the_moved_kroner(runs):
    _, y2 = runs
    recipients = pd.read_csv(y2 / "alternative-1-recipients.csv")
    change = recipients["change_from_proposal_nok"]
    assert (change != 0).all() and change.sum() == 0
    assert (recipients["amount_nok"] - recipients["proposal_nok"] == change).all()
    owners = pd.read_csv(y2 / "owners.csv", dtype={"owner_id": str}).set_index("owner_id")
    moved = recipients[recipients["recipient_type"] == "owner"]
    ids = moved["recipient_id"].astype(str)
    assert (moved["proposal_nok"].to_numpy() == owners.loc[ids, "amount_nok"].to_numpy()).all()
    # the kroner the CLI says the alternative moves
    p = propose(load_scenario(SCENARIOS / "rogaland-2026.toml"), n_alternatives=1)
    assert int(change.clip(lower=0).sum()) == p.alternatives[0].moved_nok


def test_owner_changes_from_last_year_in_the_csv(runs):
    y1, y2 = runs
    before = pd.read_csv(y1 / "owners.csv", dtype={"owner_id": str}).set_index("owner_id")
    now = pd.read_csv(y2 / "owners.csv", dtype={"owner_id": str}).set_index("owner_id")
    last = now["previous_amount_nok"]
    assert last.notna().all()
    assert (last == before["amount_nok"].reindex(now.index).fillna(0)).all()
    assert (now["change_in_amount_nok"] == now["amount_nok"] - last).all()
    assert now.loc[now["owner_name"] == "Haugesund", "change_in_amount_nok"].iloc[0] != 0
    # the owners' change is of their own amount, the regions' of their whole amount: the
    # regions' owner kroner changed by the owners' changes
    regions = pd.read_csv(y2 / "regions.csv").set_index("region")
    last_regions = pd.read_csv(y1 / "regions.csv").set_index("region")
    own_change = now.groupby("region")["change_in_amount_nok"].sum()
    owners_change = regions["owners_nok"] - last_regions["owners_nok"]
    assert (own_change.reindex(regions.index) == owners_change).all()
    assert (regions["change_from_previous_nok"] != owners_change).any()


def test_partner_part_is_whole_kroner_adding_to_the_partners(runs):
    for out in runs:
        owners = pd.read_csv(out / "owners.csv")
        regions = pd.read_csv(out / "regions.csv").set_index("region")
        assert owners["partner_part_nok"].dtype == np.int64
        assert owners["total_nok"].dtype == np.int64
        parts = owners.groupby("region")["partner_part_nok"].sum()
        assert (parts == regions["partners_nok"].reindex(parts.index)).all()
        assert (owners["total_nok"] == owners["amount_nok"] + owners["partner_part_nok"]).all()
        # the largest-remainder split: each part within one krone of the exact FTE share
        fte = owners["teacher_fte"].where(owners["participates"], 0.0)
        exact = fte / fte.groupby(owners["region"]).transform("sum")
        exact *= owners["region"].map(regions["partners_nok"])
        assert ((owners["partner_part_nok"] - exact).abs() < 1).all()


def test_one_kroner_per_fte(runs):
    """owners.csv and regions.csv state one measure: all kroner to the owner or region,
    the partners' part included, per teacher FTE."""
    for out in runs:
        owners = pd.read_csv(out / "owners.csv")
        regions = pd.read_csv(out / "regions.csv").set_index("region")
        has_fte = owners["teacher_fte"] > 0
        per_fte = owners["total_nok"] / owners["teacher_fte"]
        assert np.allclose(owners.loc[has_fte, "nok_per_fte"], per_fte[has_fte])
        # under the pure FTE key an owner's measure equals its region's to the krone
        region_value = owners["region"].map(regions["nok_per_fte"])
        takes_part = has_fte & owners["participates"]
        assert (abs(owners.loc[takes_part, "nok_per_fte"] - region_value[takes_part]) < 1).all()


def test_workbook_shows_the_csv_numbers_in_whole_kroner(runs):
    _, y2 = runs
    workbook = load_workbook(y2 / "forslag.xlsx")
    names = workbook.sheetnames
    assert names.index("Alternativ 1") < names.index("Alternativ 2")
    owners = pd.read_csv(y2 / "owners.csv", dtype={"owner_id": str})
    sheet = workbook["Eiere"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1)
    ]
    for key, label in (
        ("amount_nok", "Beløp"),
        ("partner_part_nok", "Partnernes del"),
        ("total_nok", "I alt med partnernes del"),
        ("previous_amount_nok", "Eget beløp i fjor"),
        ("change_in_amount_nok", "Endring i eget beløp fra i fjor"),
    ):
        values = [r[label] for r in rows]
        assert all(float(v) == int(v) for v in values), label
        assert sorted(values) == sorted(owners[key].astype(int)), label
    partners = pd.read_csv(y2 / "regions.csv")["partners_nok"].sum()
    assert sum(r["Partnernes del"] for r in rows) == partners
    alternative = pd.read_csv(y2 / "alternative-1-regions.csv")
    sheet = workbook["Alternativ 1"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert first["Endring fra i fjor"] == alternative["change_from_previous_nok"].iloc[0] != 0
    assert first["Endring fra forslaget"] == alternative["change_from_proposal_nok"].iloc[0]
