"""Pareto frontier of structures over objectives that are all to be minimised.

Dominance is read at a tolerance: a value within :data:`~dekomopt.structures.outlier.TIE_TOLERANCE`
× max(1, |other|) of another is equal to it, so floating-point noise never makes a structure
"better". Point a dominates point b when a is no worse than b in every objective and strictly
better in at least one.

Each point of a frontier carries its marks (:func:`marks`): the scores it is best in, and how
that best is known — proven optimal by the integer programme, optimal because every plausible
structure was scored, found by search (not proven), or the best of the sample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from dekomopt.formats import format_number, format_significant
from dekomopt.structures.outlier import TIE_TOLERANCE, tied

_BLOCK = 256


def dominates(points: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Which rows of ``points`` dominate ``point`` (all objectives minimised, at the tolerance).

    Rows with a NaN dominate nothing; a ``point`` with a NaN is dominated by nothing.
    """
    p = np.atleast_2d(np.asarray(points, dtype=float))
    q = np.asarray(point, dtype=float)
    return _dominates(p[:, None, :], q[None, None, :])[:, 0]


def _dominates(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Broadcast ``a`` dominates ``b`` over the last axis."""
    tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(b))
    with np.errstate(invalid="ignore"):
        no_worse = a <= b + tol
        better = a < b - tol
    return no_worse.all(axis=-1) & better.any(axis=-1)


def pareto_mask(points: np.ndarray) -> np.ndarray:
    """True for rows no other row dominates (see :func:`dominates`).

    Equal rows (within the tolerance) do not dominate each other, so all copies of a frontier
    point stay. Rows with a NaN are never on the frontier and dominate nothing.
    """
    p = np.asarray(points, dtype=float)
    if p.ndim != 2:
        raise ValueError(f"points must be a 2-D array (structures × objectives), got {p.shape}")
    ok = ~np.isnan(p).any(axis=1)
    mask = np.zeros(len(p), dtype=bool)
    idx = np.flatnonzero(ok)
    q = p[idx]
    kept = np.ones(len(q), dtype=bool)
    for start in range(0, len(q), _BLOCK):
        block = q[start : start + _BLOCK]
        kept[start : start + _BLOCK] = ~_dominates(q[None, :, :], block[:, None, :]).any(axis=1)
    mask[idx[kept]] = True
    return mask


SHORT = {
    "theil_between_share": "Theil between share",
    "travel_km": "travel km",
    "n_regions": "regions",
    "need_match": "need match",
    "gini": "Gini",
    "max_power": "max power",
    "fte_spread": "FTE spread",
}
"""Short names of the scores in printed lines and marks."""

How = Literal["proven", "programme", "enumerated", "search", "sampled", "today"]
"""How an objective's best is known: ``proven`` (integer programme, optimal), ``programme``
(integer programme stopped at its time limit, with a gap; without a gap, a structure an
integer programme found for another score), ``enumerated`` (every plausible
structure scored: exact), ``search`` (the local search, not proven), ``sampled`` (the best of
the reference sample, not proven) or ``today`` (today's structure is better than every other
structure evaluated, not proven)."""


@dataclass(frozen=True)
class Best:
    """The best structure known for one score, and how it is known.

    ``value`` is the score of structure ``structure_id`` (a row of the frontier's pool) in the
    score's own units and direction; ``gap`` is ``(value - bound) / |value|`` where a proven
    bound exists (NaN otherwise); ``reference_best`` is the best of the reference set (NaN when
    that is not what it is compared with); ``reference`` names that set ("400 sampled");
    ``evaluated`` the structures the search scored, ``seconds`` the programmes' time and
    ``today`` today's value. ``searched_for`` is False when the search did not walk towards
    this score (it was the same in every reference structure) and met its best while
    searching the others.
    """

    objective: str
    value: float
    structure_id: int
    how: How
    reference: str
    bound: float = math.nan
    gap: float = math.nan
    reference_best: float = math.nan
    evaluated: int = 0
    seconds: float = math.nan
    today: float = math.nan
    searched_for: bool = True

    @property
    def improvement(self) -> float:
        """How much better than the reference set's best (search only; NaN otherwise); 0 when
        the two tie at the tolerance."""
        if self.how != "search" or math.isnan(self.reference_best):
            return math.nan
        if tied(self.value, self.reference_best):
            return 0.0
        return abs(self.value - self.reference_best)

    @property
    def today_ties(self) -> bool:
        """Whether today's value ties this best at the tolerance (today is as good)."""
        return not math.isnan(self.today) and bool(tied(self.today, self.value))

    def today_tie(self) -> str:
        """What today's tie with this best means ("today's structure is optimal too"), or ""
        when today's value is not the same."""
        if not self.today_ties or self.how == "today":
            return ""
        if self.how in ("proven", "enumerated"):
            return "today's structure is optimal too"
        return "today's structure is as good"

    def claim(self) -> str:
        """What the best is, in a few words: "travel km proven optimal (gap 0)"."""
        name = SHORT.get(self.objective, self.objective)
        if self.how == "proven":
            return f"{name} proven optimal (integer programme, gap {_gap(self.gap)})"
        if self.how == "programme" and math.isnan(self.gap):
            return (
                f"{name} best of the structures evaluated, on one an integer programme found "
                "for another score; not proven"
            )
        if self.how == "programme":
            return f"{name} best found by the integer programme, not proven (gap {_gap(self.gap)})"
        if self.how == "enumerated":
            return f"{name} optimal (every plausible structure scored)"
        bound = "" if math.isnan(self.gap) else f"; gap {_gap(self.gap)} to the programme's bound"
        if self.how == "today":
            return (
                f"{name} best known is today's structure (no structure evaluated is better), "
                f"not proven{bound}"
            )
        if self.how == "search":
            if self.improvement > 0:
                lower = self.value < self.reference_best
                by = format_significant(self.improvement, 4)
                found = "found by search" + (
                    "" if self.searched_for else " (while searching the other scores)"
                )
                return (
                    f"{name} {found}, not proven ({by} "
                    f"{'lower' if lower else 'higher'} than the best of the "
                    f"{self.reference}{bound})"
                )
            return (
                f"{name} best of the {self.reference}; the search found none better in "
                f"{format_number(self.evaluated)} structures{bound}"
            )
        return f"{name} best of the {self.reference}, not proven{bound}"

    @property
    def kind(self) -> str:
        """The mark's kind on a map: ``proven``, ``search``, ``programme`` or ``best``."""
        if self.how in ("proven", "enumerated"):
            return "proven"
        if self.how == "search" and self.improvement > 0:
            return "search"
        return "programme" if self.how == "programme" and not math.isnan(self.gap) else "best"


def _gap(gap: float) -> str:
    """A relative gap as a percentage to two significant digits; noise below the tie
    tolerance is 0."""
    return "0 %" if gap <= TIE_TOLERANCE else f"{format_significant(100 * gap, 2)} %"


MARK_ORDER = ("proven", "programme", "search", "best")
"""Kinds of mark, strongest first: a map panel shows its point's strongest."""


def marks(
    values: dict[str, np.ndarray], bests: Sequence[Best]
) -> tuple[list[list[Best]], np.ndarray]:
    """For each point, the bests it attains (its value ties the best's at the tolerance).

    ``values`` holds each score's column over the points (own direction). A point whose score
    ties a proven optimum is itself proven optimal in that score. Returns the bests per point.
    """
    n = len(next(iter(values.values()))) if values else 0
    held: list[list[Best]] = [[] for _ in range(n)]
    for best in bests:
        if best.objective not in values:
            continue
        column = np.asarray(values[best.objective], dtype=float)
        with np.errstate(invalid="ignore"):
            same = np.abs(column - best.value) <= TIE_TOLERANCE * max(1.0, abs(best.value))
        for i in np.flatnonzero(same):
            held[i].append(best)
    kinds = np.array(
        [min((MARK_ORDER.index(b.kind) for b in h), default=len(MARK_ORDER)) for h in held]
    )
    return held, kinds
