"""The structures figures speak the chosen language and write numbers the Norwegian way."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from dekomopt.cli import main
from dekomopt.structures.command import structures_command

RYFAST = 'extra_links = [["1103", "1130"]]'
ENGLISH = (
    "structures",
    "structure",
    "today",
    "share",
    "frontier",
    "percentile",
    "draws",
    "reference",
    "municipalities",
    "more",
    "plausible",
    "enumerated",
    "estimated",
    "uniform",
    "independent",
    "dominates",
    "between",
    "number",
    "left out",
    "the",
    "and",
)
DECIMAL_POINT = re.compile(r"\d\.\d")


@pytest.fixture
def drawn_texts(monkeypatch):
    """Every text of every figure saved, per file name, read after drawing (so tick labels
    are filled in)."""
    texts: dict[str, list[str]] = {}
    save = Figure.savefig

    def savefig(self, fname, *args, **kwargs):
        save(self, fname, *args, **kwargs)
        hidden = {  # tick labels of axes drawn without axes (the maps)
            id(t)
            for ax in self.axes
            if not ax.axison
            for t in ax.get_xticklabels() + ax.get_yticklabels()
        }
        texts[str(fname).rsplit("/", 1)[-1]] = [
            t.get_text()
            for t in self.findobj(Text)
            if t.get_visible() and t.get_text() and id(t) not in hidden
        ]

    monkeypatch.setattr(Figure, "savefig", savefig)
    return texts


def _english_words(texts: list[str]) -> set[str]:
    joined = "\n".join(texts)
    return {w for w in ENGLISH if re.search(rf"\b{w}\b", joined, re.IGNORECASE)}


@pytest.mark.parametrize("sample", [None, 60], ids=["enumerated", "sampled"])
def test_bokmal_figures_have_no_english_word_and_no_decimal_point(
    scenario_with_structures, tmp_path, drawn_texts, sample
):
    path = scenario_with_structures("regions = 3", RYFAST)
    structures_command(
        str(path), sample is None, sample, None, 1, 1, str(tmp_path / "nb"), lang="nb"
    )
    assert any(name.startswith("hist_") for name in drawn_texts)
    assert any(name.startswith("map_") for name in drawn_texts)
    for name, texts in drawn_texts.items():
        assert not _english_words(texts), (name, _english_words(texts))
        assert not [t for t in texts if DECIMAL_POINT.search(t)], name
    maps = "\n".join(drawn_texts["map_today_and_frontier.png"])
    assert "i dag" in maps and "kommuner" in maps
    histograms = "\n".join(t for n, ts in drawn_texts.items() if n.startswith("hist_") for t in ts)
    assert "inndelinger" in histograms
    assert re.search(r"\d,\d", histograms), "some tick label has a decimal comma"


def test_english_figures_keep_their_words(scenario_with_structures, tmp_path, drawn_texts):
    path = scenario_with_structures("regions = 3", RYFAST)
    structures_command(str(path), True, None, None, 1, 1, str(tmp_path / "en"), lang="en")
    words = _english_words([t for texts in drawn_texts.values() for t in texts])
    assert {"today", "structures", "municipalities", "reference"} <= words


def test_cli_lang_reaches_the_figures(scenario_with_structures, tmp_path, drawn_texts, capsys):
    path = scenario_with_structures("regions = 3", RYFAST)
    out = tmp_path / "nn"
    assert main(["structures", str(path), "--enumerate", "--lang", "nn", "--out", str(out)]) == 0
    maps = "\n".join(drawn_texts["map_today_and_frontier.png"])
    assert "kommunar" in maps and "kommuner" not in maps
    assert (out / "figures" / "map_today_and_frontier.png").exists()


def test_cli_refuses_an_unknown_language(scenario_with_structures, tmp_path, capsys):
    path = scenario_with_structures("regions = 3", RYFAST)
    assert main(["structures", str(path), "--lang", "de", "--out", str(tmp_path / "de")]) == 2
    assert "--lang" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("sample", "among"),
    [
        (30, r"among (the 30 sampled|\d+ structures evaluated, 30 of them sampled)"),
        (None, "among all"),
    ],
)
def test_every_frontier_title_names_the_set_it_is_over(
    scenario_with_structures, tmp_path, drawn_texts, sample, among
):
    path = scenario_with_structures("regions = 3", RYFAST)
    structures_command(str(path), sample is None, sample, None, 1, 2, str(tmp_path), lang="en")
    titles = [t for t in drawn_texts["map_today_and_frontier.png"] if "frontier" in t]
    assert titles
    for title in titles:
        assert re.search(among, title), title


def test_a_histogram_says_on_a_line_of_its_own_what_it_left_out(tmp_path, monkeypatch):
    from dekomopt.structures import figures

    titles = []
    monkeypatch.setattr(
        figures, "metric_histogram", lambda values, today, m, path, title, *a: titles.append(title)
    )
    metrics = pd.DataFrame({"gini": [0.1, float("nan"), 0.3, float("inf")]})
    figures.write_figures(metrics, {"gini": 0.2}, ["gini"], tmp_path, "reference: x", lang="en")
    figures.write_figures(
        metrics, {"gini": 0.2}, ["gini"], tmp_path, "reference: x", np.ones(4), lang="nn"
    )
    assert titles[0].splitlines()[-1] == "(2 of 4 structures left out: no finite value)"
    assert titles[1].splitlines()[-1] == "(2 av 4 trekningar er utelatne: ingen endeleg verdi)"
