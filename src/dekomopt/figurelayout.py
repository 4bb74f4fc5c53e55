"""Figures whose words all fit: titles and axis labels wrapped to the figure, never cut.

Figures are laid out by matplotlib's constrained layout; :func:`save_fitted` then wraps any
title or axis label that still reaches past the figure's edge onto more lines (the words
stay the same) and writes the figure.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

MIN_LINE = 12
"""Characters per line below which a text is not wrapped further."""


def _inside(label: Text, fig: Figure) -> bool:
    box, frame = label.get_window_extent(), fig.bbox
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 <= box.y1 <= frame.y1


def fit_text(fig: Figure, texts: list[Text]) -> None:
    """Wrap each of ``texts`` onto as many lines as it needs to lie inside ``fig``, laying the
    figure out again after each change; a line break in the text stays one."""
    fig.canvas.draw()
    for label in texts:
        lines = [" ".join(line.split()) for line in label.get_text().splitlines()]
        width = max(map(len, lines), default=0)
        while width > MIN_LINE and not _inside(label, fig):
            width = int(width * 0.85)
            label.set_text("\n".join(textwrap.fill(line, width) for line in lines))
            fig.canvas.draw()


def save_fitted(fig: Figure, path: Path, **savefig: Any) -> None:
    """Fit the titles and axis labels of ``fig``'s axes (:func:`fit_text`) and save it."""
    texts = [t for ax in fig.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label)]
    fit_text(fig, [t for t in texts if t.get_text()])
    fig.savefig(path, **savefig)
