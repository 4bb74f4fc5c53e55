"""The owners' needs and co-financing tables are read once, when the county is built, and the
LP input takes them from the county."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import dekomopt.scenario.files as files
from dekomopt.allocation.problem import THEMES
from dekomopt.county import allocation_problem, build_county
from dekomopt.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2] / "scenarios"

NEEDS = "owner,theme,need_nok\n1103,general,1000000\n1106,special_ed,30000\n"
CAPACITY = "owner,capacity_nok\n1108,100000\n"


@pytest.fixture
def scenario_path(tmp_path):
    text = (ROOT / "rogaland-2025.toml").read_text(encoding="utf-8")
    text = text.replace(
        "[owners]\n", '[owners]\nneeds = "needs.csv"\ncofinancing_capacity = "capacity.csv"\n', 1
    )
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "capacity.csv").write_text(CAPACITY, encoding="utf-8")
    return path


def test_each_owner_table_is_read_once(scenario_path, monkeypatch):
    """Building the county and its LP input opens each table once."""
    opened: list[str] = []
    split = files.split_file

    def counting(path, *args, **kwargs):
        opened.append(Path(path).name)
        return split(path, *args, **kwargs)

    monkeypatch.setattr(files, "split_file", counting)
    scenario = load_scenario(scenario_path)
    allocation_problem(scenario, build_county(scenario))
    assert opened.count("needs.csv") == 1
    assert opened.count("capacity.csv") == 1


def test_lp_input_takes_the_tables_from_the_county(scenario_path):
    """Once the county is built the files are not needed: the LP's needs and capacities are
    the county's record of them, in the county's owner order, NaN where none is given."""
    scenario = load_scenario(scenario_path)
    county = build_county(scenario)
    (scenario_path.parent / "needs.csv").unlink()
    (scenario_path.parent / "capacity.csv").unlink()
    problem = allocation_problem(scenario, county)
    ids = list(problem.owner_ids)
    assert county.needs is not None
    assert county.needs.reported() == {("1103", "general"), ("1106", "special_ed")}
    needs = problem.owner_needs
    assert needs is not None and needs.shape == (len(ids), len(THEMES))
    assert needs[ids.index("1103"), THEMES.index("general")] == 1_000_000
    assert needs[ids.index("1106"), THEMES.index("special_ed")] == 30_000
    assert np.isnan(needs).sum() == needs.size - 2
    capacity = problem.owner_cofin_capacity
    assert capacity[ids.index("1108")] == 100_000
    assert np.isnan(capacity).sum() == len(ids) - 1


def test_without_the_tables_the_county_has_none():
    county = build_county(load_scenario(ROOT / "rogaland-2025.toml"))
    assert county.needs is None and county.cofinancing_capacity is None
    problem = allocation_problem(load_scenario(ROOT / "rogaland-2025.toml"), county)
    assert problem.owner_needs is None
    assert np.isnan(problem.owner_cofin_capacity).all()
