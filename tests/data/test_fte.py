"""Teacher FTEs carried to 2024 municipalities."""

from __future__ import annotations

import pandas as pd
import pytest

from dekomopt.data import load_crosswalk, pre2020_teacher_fte, private_school_fte, teacher_fte


@pytest.mark.parametrize("county", ["Rogaland", "Vestland", "Nordland"])
def test_conservation_through_the_crosswalk(county):
    observed = pre2020_teacher_fte(county).set_index("old_kommunenummer")["value"]
    crosswalk = load_crosswalk(county)
    prefix = crosswalk["new_kommunenummer"].str[:2] == {"Rogaland": "11", "Vestland": "46",
                                                        "Nordland": "18"}[county]  # fmt: skip
    in_county = crosswalk[prefix].groupby("old_kommunenummer")["share"].sum(min_count=0)
    expected = sum(observed[c] * in_county.get(c, 0.0) for c in observed.index)
    table = teacher_fte(county).table
    assert table["teacher_fte_observed"].sum() == pytest.approx(expected, abs=1e-9)
    assert (
        table["teacher_fte"] == table["teacher_fte_observed"] + table["teacher_fte_imputed"]
    ).all()


def test_rogaland_hand_computed_values():
    table = teacher_fte("Rogaland").table.set_index("kommunenummer")
    assert table.loc["1108", "teacher_fte"] == pytest.approx(1029.2 + 0.865 * 21.3, abs=1e-9)
    assert table.loc["1130", "teacher_fte"] == pytest.approx(179.5 + 0.135 * 21.3, abs=1e-9)
    assert table.loc["1103", "teacher_fte"] == pytest.approx(
        1493.0 + 48.3 + 71.0 + 0.027 * 44.7, abs=1e-9
    )
    assert table.loc["1124", "teacher_fte"] == pytest.approx(332.8, abs=1e-9)
    assert "×0 (empty share" in table.loc["1124", "components"]
    assert table.loc["1108", "components"] == (
        "1102 Sandnes (utgått) ×1.000 + 1129 Forsand (utgått) ×0.865"
    )
    assert table["teacher_fte"].sum() == pytest.approx(5977.6, abs=1e-9)


@pytest.mark.parametrize(("county", "rows"), [("Rogaland", 23), ("Vestland", 43)])
def test_rogaland_and_vestland_fully_observed(county, rows):
    table = teacher_fte(county).table
    assert len(table) == rows
    assert not table["imputed"].any()
    assert (table["teacher_fte_imputed"] == 0).all()
    assert (table["method"] == "").all()
    assert (table["teacher_fte"] > 0).all()


def test_vestland_loses_hornindal_part_to_volda():
    table = teacher_fte("Vestland").table.set_index("kommunenummer")
    assert table.loc["4651", "teacher_fte"] == pytest.approx(109.1 + 0.016 * 18.0, abs=1e-9)
    assert table["teacher_fte"].sum() == pytest.approx(
        pre2020_teacher_fte("Vestland")["value"].sum() - 0.984 * 18.0, abs=1e-9
    )


def test_nordland_imputation():
    result = teacher_fte("Nordland")
    table = result.table.set_index("kommunenummer")
    assert len(table) == 41
    assert int(table["imputed"].sum()) == 20
    assert (
        table.loc[table["imputed"], "method"].map(str).str.startswith("county ratio estimate").all()
    )
    assert (table.loc[~table["imputed"], "teacher_fte_imputed"] == 0).all()
    # base = municipalities fed only by observed all-owner units; ratio by hand from the table
    base = table[~table["imputed"] & (table["ownership"] == "alle eigarformer")]
    ratio = base["teacher_fte_observed"].sum() / base["population"].sum()
    assert result.imputation_ratio == pytest.approx(ratio, rel=1e-12)
    assert table.loc["1866", "teacher_fte"] == pytest.approx(ratio * 8236, rel=1e-12)
    narvik = table.loc["1806"]
    assert narvik["teacher_fte_observed"] == pytest.approx(0.5 * 38.8, abs=1e-9)
    assert narvik["teacher_fte"] == pytest.approx(ratio * 21580, rel=1e-12)
    assert any("offentlege skolar only" in str(w) for w in result.warnings)


def test_private_school_fte_and_exclusion():
    assert private_school_fte("Rogaland") == (
        384.7,
        "2019-20",
        "https://skoleporten.udir.no/rapportvisning/grunnskole/ressurser/undervisningspersonell-2/"
        "norske-skoler-i-utlandet?orgaggr=p&sammenstilling=11&fordeling=2",
    )
    assert private_school_fte("Vestland")[0] == pytest.approx(347.5 + 17.5, abs=1e-9)
    full = teacher_fte("Rogaland").table
    public = teacher_fte("Rogaland", exclude_private=True).table
    factor = 5592.8 / (5592.8 + 384.7)
    assert public["teacher_fte"].sum() == pytest.approx(
        full["teacher_fte"].sum() * factor, abs=1e-9
    )
    assert public["estimated"].all() and not public["imputed"].any()
    assert public["method"].map(str).str.contains("private schools removed").all()


def test_nordland_exclusion_leaves_public_only_units_alone():
    full = teacher_fte("Nordland").table.set_index("kommunenummer")
    public = teacher_fte("Nordland", exclude_private=True).table.set_index("kommunenummer")
    assert public.loc["1820", "teacher_fte"] == full.loc["1820", "teacher_fte"] == 96.7
    factor = 3077.8 / (3077.8 + 126.5)
    assert public.loc["1804", "teacher_fte"] == pytest.approx(636.8 * factor, abs=1e-9)
    assert public.loc["1866", "teacher_fte"] == pytest.approx(
        full.loc["1866", "teacher_fte"] * factor, abs=1e-9
    )


def test_every_value_keeps_year_and_source():
    for county in ("Rogaland", "Vestland", "Nordland"):
        table = teacher_fte(county).table
        observed = table[table["teacher_fte_observed"] > 0]
        assert (observed["school_year"] != "").all()
        assert observed["source"].str.startswith("https://skoleporten.udir.no").all()
        assert isinstance(table, pd.DataFrame)
