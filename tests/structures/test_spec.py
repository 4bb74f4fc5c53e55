import tomllib

import pytest

from dekomopt.errors import ScenarioError
from dekomopt.scenario import parse_scenario
from dekomopt.structures.spec import StructuresSpec, load_with_structures


def test_defaults_analyse_todays_number_of_regions():
    spec = StructuresSpec()
    assert spec.region_counts(3) == (3,)
    assert spec.link_kinds == ("land", "sea")


def test_a_range_of_region_counts():
    spec = StructuresSpec(regions_min=2, regions_max=4, links="land")
    assert spec.region_counts(3) == (2, 3, 4)
    assert spec.link_kinds == ("land",)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"regions": 3, "regions_min": 2}, "not both"),
        ({"regions_min": 2}, "both"),
        ({"regions_min": 4, "regions_max": 2}, "larger"),
        ({"regions": 3, "balence": 0.1}, "unknown key"),
        ({"links": "air"}, "land"),
        ({"together": [["11"]]}, "pattern"),
    ],
)
def test_bad_tables_name_the_key(scenario_with_structures, table, message):
    base = tomllib.loads(scenario_with_structures().read_text("utf-8"))
    base["structures"] = table
    with pytest.raises(ScenarioError, match=message) as info:
        parse_scenario(base, "s.toml")
    assert info.value.field.startswith("structures")


def test_loads_the_table_beside_the_scenario(scenario_with_structures):
    path = scenario_with_structures("regions = 4", 'together = [["1103", "1124"]]')
    scenario, spec = load_with_structures(path)
    assert scenario.spec.scenario.county == "Rogaland"
    assert spec.regions == 4
    assert spec.together == (("1103", "1124"),)


def test_a_scenario_without_the_table_gets_defaults():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2026.toml"
    _, spec = load_with_structures(path)
    assert spec == StructuresSpec()
