"""Every word of the simulate and structures figures lies inside its figure and clear of the
others, in nb, nn and en."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from dekomopt.simulation import simulate
from dekomopt.simulation.engine import Job
from dekomopt.simulation.figures import write_figures
from dekomopt.structures.command import structures_command

from .conftest import ROGALAND


def drawn_texts(fig: Figure) -> list[Text]:
    """The texts ``fig`` draws: tick labels only at ticks inside their axis' view."""
    ticks, drawn = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                labels = (tick.label1, tick.label2)
                ticks.update(labels)
                if low - span <= tick.get_loc() <= high + span:
                    drawn.extend(label for label in labels if label.get_visible())
    others = [t for t in fig.findobj(Text) if t not in ticks and t.get_visible()]
    return [t for t in drawn + others if t.get_text().strip()]


def text_problems(fig: Figure) -> list[str]:
    """Texts of ``fig`` cut by its edge, and pairs of texts drawn over each other."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox.padded(1)
    boxes = [(t, t.get_window_extent(renderer)) for t in drawn_texts(fig)]
    problems = []
    for t, box in boxes:
        if (
            not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0)
            or box.y1 > frame.y1
        ):
            problems.append(f"cut: {t.get_text()!r}")
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        if box_a.shrunk(0.98, 0.9).overlaps(box_b.shrunk(0.98, 0.9)):
            problems.append(f"overlap: {a.get_text()!r} and {b.get_text()!r}")
    return problems


@pytest.fixture
def checked_figures(monkeypatch):
    """Every figure saved while it is in use, checked by :func:`text_problems` first."""
    found: dict[str, list[str]] = {}
    save = Figure.savefig

    def savefig(fig, path, *args, **kwargs):
        found[str(path)] = text_problems(fig)
        return save(fig, path, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return found


@pytest.fixture(scope="module")
def small_run(rogaland, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    return simulate(rogaland, out, draws=40, chunk_size=20, seed=3, progress=False, figures=False)


def assert_every_word_shown(found: dict[str, list[str]], expected: int) -> None:
    assert len(found) >= expected
    assert {path: problems for path, problems in found.items() if problems} == {}


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_simulate_figures_show_every_word(rogaland, small_run, checked_figures, tmp_path, lang):
    problem = Job.of(rogaland).problem
    run = small_run
    write_figures(
        tmp_path, run.draws, run.owners, run.summary, problem, rogaland.spec.metrics, lang
    )
    assert_every_word_shown(checked_figures, 3)


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_structures_figures_show_every_word(checked_figures, tmp_path, capsys, lang):
    out = tmp_path / "structures"
    assert structures_command(str(ROGALAND), False, 60, 2, 1, 5, str(out), lang=lang) == 0
    assert_every_word_shown(checked_figures, len(list((out / "figures").glob("*.png"))))
