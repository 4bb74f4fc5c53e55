import json

import pandas as pd
import pytest

from dekomopt.errors import DataError, InfeasibleError
from dekomopt.structures.command import structures_command


def _outputs(folder):
    return {
        name: (folder / name).read_bytes()
        for name in ("structures.csv", "outlier.csv", "frontier.csv", "provenance.json")
    } | {"metrics": pd.read_parquet(folder / "metrics.parquet")}


def test_enumeration_is_the_same_with_one_or_two_workers(scenario_with_structures, tmp_path):
    path = scenario_with_structures("regions = 3", "balance = 0.7")
    assert structures_command(str(path), True, None, 2, 1, 1, str(tmp_path / "one")) == 0
    assert structures_command(str(path), True, None, 2, 2, 1, str(tmp_path / "two")) == 0
    one, two = _outputs(tmp_path / "one"), _outputs(tmp_path / "two")
    assert one.pop("metrics").equals(two.pop("metrics"))
    assert one == two
    provenance = json.loads(one["provenance.json"])
    assert provenance["method"] == "enumerate"
    assert provenance["today_contiguous"] is False
    outlier = pd.read_csv(tmp_path / "one" / "outlier.csv")
    assert {"theil_between_share", "travel_km", "gini"} <= set(outlier["metric"])
    assert outlier["percentile"].between(0, 1).all()
    frontier = pd.read_csv(tmp_path / "one" / "frontier.csv")
    assert len(frontier) >= 1
    assert frontier["regions"].str.contains("Stavanger").all()
    assert (tmp_path / "one" / "figures" / "hist_travel_km.png").stat().st_size > 0
    assert (tmp_path / "one" / "figures" / "map_today_and_frontier.png").stat().st_size > 0


def test_sampling_is_seeded_and_uniform_draws_are_recorded(
    scenario_with_structures, tmp_path, capsys
):
    path = scenario_with_structures("regions = 3", "balance = 0.7")
    structures_command(str(path), False, 60, 2, 1, 5, str(tmp_path / "a"))
    structures_command(str(path), False, 60, 2, 2, 5, str(tmp_path / "b"))
    a, b = _outputs(tmp_path / "a"), _outputs(tmp_path / "b")
    assert a.pop("metrics").equals(b.pop("metrics"))
    assert a == b
    draws = pd.read_csv(tmp_path / "a" / "draws.csv")
    assert len(draws) == 60
    provenance = json.loads(a["provenance.json"])
    assert provenance["method"] == "uniform"
    assert provenance["reference_set"] == "all 130 plausible structures (3 regions)"
    assert provenance["plausible"]["3"]["exact"] is True
    outlier = pd.read_csv(tmp_path / "a" / "outlier.csv")
    travel = outlier.set_index("metric").loc["travel_km"]
    assert travel.interval_lo < travel.percentile < travel.interval_hi
    out = capsys.readouterr().out
    assert "reference set: all 130 plausible structures" in out
    assert "acceptance 0.802" in out


def test_enumeration_beyond_the_limit_is_refused_with_the_count(
    scenario_with_structures, tmp_path, monkeypatch
):
    import dekomopt.structures.command as command

    monkeypatch.setattr(command, "ENUMERATE_LIMIT", 100)
    path = scenario_with_structures("regions = 4")
    with pytest.raises(DataError, match="13 406 with 4 regions.*limit 100; use --sample"):
        structures_command(str(path), True, None, 2, 1, 1, str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_without_flags_the_count_chooses(scenario_with_structures, tmp_path, monkeypatch, capsys):
    import dekomopt.structures.command as command

    path = scenario_with_structures("regions = 2")
    structures_command(str(path), False, None, 2, 1, 1, str(tmp_path / "all"))
    assert "enumerating all 70 plausible structures" in capsys.readouterr().out
    monkeypatch.setattr(command, "ENUMERATE_LIMIT", 50)
    path = scenario_with_structures("regions = 2", "samples = 40")
    structures_command(str(path), False, None, 2, 1, 1, str(tmp_path / "some"))
    assert "sampling 40 of the 70 plausible structures" in capsys.readouterr().out
    provenance = json.loads((tmp_path / "some" / "provenance.json").read_text())
    assert provenance["method"] == "uniform" and provenance["draws"] == 40


@pytest.mark.parametrize(
    ("args", "message"),
    [((0, 4, 1), "--sample"), (None, "--workers"), ((10, 1, 1), "--chains")],
)
def test_bad_numbers_are_one_line(scenario_with_structures, tmp_path, args, message):
    path = scenario_with_structures("regions = 2")
    sample, chains, workers = args if args else (10, 4, 0)
    with pytest.raises(DataError, match=message):
        structures_command(str(path), False, sample, chains, workers, 1, str(tmp_path / "o"))


def test_no_structure_names_the_rule(scenario_with_structures, tmp_path):
    path = scenario_with_structures("regions = 3", "balance = 0.01")
    with pytest.raises(InfeasibleError, match="within 1% of the mean weight"):
        structures_command(str(path), True, None, 2, 1, 1, str(tmp_path / "out"))
