"""Every frontier and dominance claim names the set it is over, and a sampled run says that
set is not every plausible structure; the search's notes agree with the bests they sit under."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from dekomopt.structures import command
from dekomopt.structures.command import _search_notes, structures_command
from dekomopt.structures.frontier import Best
from dekomopt.structures.search import SearchResult, Skipped

RYFAST = 'extra_links = [["1103", "1130"]]'


def _dominance_line(out: str) -> str:
    [line] = [x for x in out.splitlines() if "dominate" in x and "today (" in x]
    return line


def test_a_sampled_run_names_its_sample_in_every_claim(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures("regions = 3", RYFAST)
    assert structures_command(str(path), False, 30, None, 1, 2, str(tmp_path / "s")) == 0
    out = capsys.readouterr().out
    assert "among the 30 sampled structures" in _dominance_line(out)
    assert "not every plausible structure was evaluated" in out
    provenance = json.loads((tmp_path / "s" / "provenance.json").read_text())
    said = provenance["frontier"]
    assert said["every_plausible_structure"] is False
    assert said["reference"].startswith("sample of 30 draws")
    assert "not every plausible structure" in said["reference"]
    assert "today_on_frontier" not in provenance and "dominating_today" not in provenance
    frontier = pd.read_csv(tmp_path / "s" / "frontier.csv")
    assert frontier["frontier_over"].str.startswith("the 30 sampled structures").all()


def test_an_enumerated_run_says_all(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures("regions = 3", RYFAST)
    assert structures_command(str(path), True, None, None, 1, 1, str(tmp_path / "e")) == 0
    out = capsys.readouterr().out
    provenance = json.loads((tmp_path / "e" / "provenance.json").read_text())
    n = provenance["structures"]
    assert f"among all {n:,} plausible structures".replace(",", "\xa0") in _dominance_line(out)
    assert "not every plausible structure" not in out
    assert provenance["frontier"]["every_plausible_structure"] is True
    assert provenance["frontier"]["reference"] == provenance["frontier"]["over"]


def _search(skipped: tuple[Skipped, ...]) -> SearchResult:
    labels = np.zeros((1, 3), dtype=np.int64)
    return SearchResult(labels, pd.DataFrame(), 20, (), skipped, 100)


def test_a_score_met_better_while_searching_others_is_not_said_to_have_nothing_to_find():
    """A score the same in every sampled structure is not walked for; when the structures the
    search scored for other scores are better in it, the note and the best's line agree."""
    best = Best(
        "max_power",
        0.4077,
        102,
        "search",
        "20 sampled structures",
        reference_best=1.0,
        evaluated=100,
        searched_for=False,
    )
    [note] = _search_notes(_search((Skipped("max_power", "constant"),)), [best])
    assert "nothing to search for" not in note
    assert "#102" in note and "better" in note
    assert "while searching the other scores" in best.claim()
    assert "found by search" in best.claim()


def test_a_score_the_search_found_nothing_better_in_claims_no_find():
    [note] = _search_notes(_search((Skipped("gini", "constant"),)), [])
    assert note.startswith("not searched for: Gini (the same in every structure drawn")
    assert "#" not in note


def test_the_figures_default_to_the_scopes_written_language(
    scenario_with_structures, tmp_path, monkeypatch
):
    """Without ``lang`` the figures speak the scope's written language (as ``simulate`` and
    the report), not a fixed one."""
    asked = []

    def language(scenario):
        asked.append(scenario.path)
        return "nn"

    monkeypatch.setattr(command, "default_language", language)
    seen: list[str] = []
    real = command.reference_title
    monkeypatch.setattr(
        command, "reference_title", lambda ref, lang: seen.append(lang) or real(ref, lang)
    )
    path = scenario_with_structures("regions = 3", RYFAST)
    assert structures_command(str(path), False, 10, None, 1, 1, str(tmp_path / "d")) == 0
    assert asked and seen == ["nn"]


def test_a_best_met_on_another_scores_programme_structure_is_not_the_programmes():
    """Gini's best may be a structure the FTE-spread programme found: no programme ran for
    Gini, so there is no gap and the mark says where the structure came from."""
    met = Best("gini", 0.0186, 121, "programme", "20 sampled structures", today=0.0189)
    stopped = Best("fte_spread", 900.0, 121, "programme", "20 sampled", bound=0.0, gap=1.0)
    assert "another score" in met.claim() and "gap" not in met.claim()
    assert met.kind == "best"
    assert "best found by the integer programme" in stopped.claim()
    assert stopped.kind == "programme"
