"""What a structure analysis reports, and the reference set every number in it is about.

Today's structure is placed in each score's distribution over a stated reference set: all
plausible structures (enumerated: exact), or a law estimated from sampler draws — the uniform
law over the plausible structures (the draws reweighted, the default), or the sampler's own
spanning-tree law. Scores that differ from zero only by floating-point noise are zero; a score
the same for every structure (and today) is said to be so instead of given a percentile.
Dominance on the frontier is read at :data:`~dekomopt.structures.outlier.TIE_TOLERANCE`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from dekomopt.formats import format_decimal, format_number, format_significant
from dekomopt.structures.diagnostics import canonical_labels, split_rhat
from dekomopt.structures.frontier import (
    MARK_ORDER,
    SHORT,
    Best,
    dominates,
    marks,
    pareto_mask,
)
from dekomopt.structures.outlier import (
    ESS_DEFINITION,
    TIE_TOLERANCE,
    Placement,
    denoise,
    exact_placement,
    sampled_placement,
    tied,
)

Law = Literal["uniform", "spanning-tree"]
"""Which law a sampled percentile is about: uniform over the plausible structures, or the
spanning-tree law (∝ ∏τ, τ the spanning trees of a region) that ReCom samplers are built on."""

LAW_POWER: dict[str, float] = {"uniform": 0.0, "spanning-tree": 1.0}
"""The law ∝ ∏τ ** power."""

RHAT_LIMIT = 1.01
"""Split R-hat above this (Vehtari et al. 2021) flags a sampled score's chains as unsettled."""

FRONTIER_OBJECTIVES = ("theil_between_share", "travel_km", "n_regions")
"""Minimised on the frontier (fewer regions: less coordination); need match is maximised."""


def count(n: int) -> str:
    """A count with a no-break space between thousands: ``1 939``."""
    return format_number(n)


@dataclass(frozen=True)
class Draws:
    """Sampled draws in chain order: each draw's chain, structure (row of the distinct
    structures), number of regions and ``log_tree_weight`` (sum over its regions of log
    spanning trees); the chains' stationary law is ∝ ∏τ ** ``tree_power``."""

    chain_of: np.ndarray
    structure_of: np.ndarray
    regions: np.ndarray
    log_tree_weight: np.ndarray
    chains: int
    per_chain: int
    burn_in: int
    tree_power: float
    kind: str = "recom"
    """``recom`` (chains) or ``uniform`` (independent uniform draws, one per "chain")."""

    def log_weights(self, law: str) -> np.ndarray:
        """Log importance weights (up to a constant) from the chains' law to ``law``."""
        return (LAW_POWER[law] - self.tree_power) * self.log_tree_weight

    @property
    def n(self) -> int:
        return len(self.chain_of)

    def weights(self, law: str) -> np.ndarray:
        """Importance weights towards ``law``, normalised within each number of regions, each
        number weighted by its share of the draws; they sum to 1."""
        log_w = self.log_weights(law)
        w = np.zeros(self.n)
        for k in np.unique(self.regions):
            inside = self.regions == k
            wk = np.exp(log_w[inside] - log_w[inside].max())
            w[inside] = wk / wk.sum() * inside.mean()
        return w

    def weights_ess(self, law: str) -> float:
        """The effective sample size of the weights towards ``law``, (Σw)²/Σw² (Kish's
        formula; :data:`~.outlier.ESS_DEFINITION`), summed over the region counts."""
        log_w = self.log_weights(law)
        return float(sum(_weights_ess(log_w[self.regions == k]) for k in np.unique(self.regions)))


def _weights_ess(log_w: np.ndarray) -> float:
    w = np.exp(log_w - log_w.max())
    return float(w.sum() ** 2 / (w @ w))


@dataclass(frozen=True)
class Reference:
    """The reference set of a run, in one sentence, and what it is made of."""

    structures: int
    """Distinct plausible structures enumerated or drawn."""
    counts: tuple[int, ...]
    draws: Draws | None
    law: Law
    plausible: str = ""
    """The plausible set as counted ("all 1 939 plausible structures (3 regions)")."""

    @property
    def exact(self) -> bool:
        return self.draws is None

    def found(self) -> str:
        """The structures found, in words: "the 1 939 enumerated structures" or "the 451
        distinct structures drawn"."""
        if self.draws is None:
            return f"the {count(self.structures)} enumerated structures"
        return f"the {count(self.structures)} distinct structures drawn"

    def sentence(self) -> str:
        k = "/".join(map(str, self.counts))
        if self.draws is None:
            return (
                f"all {count(self.structures)} plausible {k}-region structures (enumerated; exact)"
            )
        d = self.draws
        chain_law = "uniform" if d.tree_power == 0 else f"∝ ∏τ^{d.tree_power:g}"
        if d.kind == "uniform":
            drawn = (
                f"{count(d.n)} independent uniform draws from the decision diagram "
                f"({count(self.structures)} distinct structures)"
            )
        else:
            drawn = (
                f"{count(d.n)} draws of {d.chains} reversible ReCom chains with stationary law "
                f"{chain_law} ({count(d.per_chain)} each after {count(d.burn_in)} burn-in "
                f"steps; {count(self.structures)} distinct structures)"
            )
        several = (
            "; each number of regions weighted by its share of the draws"
            if len(self.counts) > 1
            else ""
        )
        target = (
            (
                f"uniform over {self.plausible}"
                if self.plausible
                else f"uniform over the plausible {k}-region structures"
            )
            if self.law == "uniform"
            else f"the spanning-tree law over the plausible {k}-region structures (∝ ∏τ; "
            "favours compact regions)"
        )
        if LAW_POWER[self.law] == d.tree_power:
            tau = "; τ: spanning trees of a region" if d.tree_power else ""
            return f"{target}, estimated from {drawn}{tau}{several}"
        weights_ess = count(round(d.weights_ess(self.law)))
        return (
            f"{target}, estimated from {drawn}, reweighted by ∏τ^"
            f"{LAW_POWER[self.law] - d.tree_power:g} (τ: spanning trees of a region; effective "
            f"sample size (ESS) of the weights, (Σw)²/Σw², {weights_ess}){several}"
        )


@dataclass(frozen=True)
class Today:
    """Today's structure: its row among the distinct structures (None when absent) and, when
    it breaks a rule of the plausible set, which."""

    structure_id: int | None
    breaks: str | None

    def sentence(self, reference: Reference) -> str:
        if self.breaks is not None:
            return f"today: not plausible ({self.breaks}); placed by its own scores"
        if self.structure_id is not None:
            return f"today: plausible, structure #{self.structure_id}"
        return f"today: plausible, not among {reference.found()}; placed by its own scores"


def find_today(today_labels: np.ndarray, distinct: np.ndarray, breaks: str | None) -> Today:
    """Today's structure recognised among ``distinct`` by canonical form (labels may differ;
    the rows may have different numbers of regions)."""
    today = canonical_labels(np.asarray(today_labels)[None, :])[0]
    if not distinct.size:
        return Today(None, breaks)
    # rows are canonical one by one, so structures with any number of regions compare
    same = np.flatnonzero((canonical_labels(distinct) == today).all(axis=1))
    return Today(int(same[0]) if len(same) else None, breaks)


def clean_scores(
    scored: pd.DataFrame, today: dict, names: Sequence[str], found: str
) -> tuple[pd.DataFrame, dict, list[str]]:
    """Scores with floating-point noise set to 0 (per score, over the structures and today),
    and the between-region Theil share left undefined (NaN) where Theil T is 0. Returns the
    cleaned table, today's cleaned scores and one note per change that matters; ``found``
    names the structures in the notes ("the 451 distinct structures drawn")."""
    scored = scored.copy()
    today = dict(today)
    notes = []
    for m in names:
        both = denoise(np.r_[scored[m].to_numpy(float), float(today[m])])
        scored[m], today[m] = both[:-1], float(both[-1])
    ok = scored["status"].eq("optimal").to_numpy()
    explained = np.zeros(len(scored), dtype=bool)
    theil = scored["theil_total"].to_numpy(float)
    negative = ok & (np.isinf(theil) | (scored["min_net_per_fte"].to_numpy(float) < 0))
    if negative.any():
        notes.append(
            f"Theil T and its between-region share undefined in {count(int(negative.sum()))} of "
            f"{found}: an owner's net funding is below zero (coordination cost above its funds)"
        )
        explained |= negative
    no_inequality = ok & ~negative & (theil == 0)
    if no_inequality.any():
        scored.loc[no_inequality, "theil_between_share"] = np.nan
        notes.append(
            f"between-region Theil share undefined in {count(int(no_inequality.sum()))} of "
            f"{found}: no inequality to split (Theil T is 0)"
        )
        explained |= no_inequality
    for m in names:
        other = ok & ~explained & scored[m].isna().to_numpy()
        if other.any() and m != "need_match":
            notes.append(f"{m} undefined in {count(int(other.sum()))} of {found}")
    if today["theil_total"] == 0:
        today["theil_between_share"] = math.nan
    return scored, today, notes


@dataclass(frozen=True)
class OutlierRow:
    """One line of ``outlier.csv``: today's place in one score under one law (percentile,
    interval and the shares strictly below and above today in percent, 0–100; ESS rounded to
    a whole number)."""

    metric: str
    today: float
    law: str
    placed: Placement
    rhat: float

    def record(self) -> dict[str, object]:
        p = self.placed
        return {
            "metric": self.metric,
            "today": self.today,
            "law": self.law,
            "percentile": 100 * p.percentile,
            "interval_lo": 100 * p.lo,
            "interval_hi": 100 * p.hi,
            "ess": round(p.ess) if math.isfinite(p.ess) else math.nan,
            "rhat": self.rhat,
            "used": p.used,
            "left_out": p.left_out,
            "same_for_every_structure": p.constant,
            "below": 100 * p.below,
            "above": 100 * p.above,
        }


def outlier_frame(rows: Sequence[OutlierRow]) -> pd.DataFrame:
    return pd.DataFrame([r.record() for r in rows])


def outlier_table(
    scored: pd.DataFrame,
    today: dict,
    names: Sequence[str],
    draws: Draws | None,
    level: float = 0.95,
) -> list[OutlierRow]:
    """Per score and law: today's value, its percentile and interval, and how many structures
    (or draws) had a value. Enumerated: one ``exact`` row per score; sampled: a ``uniform`` and
    a ``spanning-tree`` row (see :data:`Law`), with split R-hat of the score over the chains;
    sampled intervals at ``level``."""
    rows = []
    for m in names:
        values = scored[m].to_numpy(float)
        if draws is None:
            rows.append(
                OutlierRow(m, today[m], "exact", exact_placement(values, today[m]), math.nan)
            )
            continue
        per_draw = values[draws.structure_of]
        chains = per_draw.reshape(draws.chains, -1)
        finite = chains[np.isfinite(chains)]
        rhat = math.nan
        if draws.per_chain >= 4 and not np.isnan(chains).any() and finite.size:
            # infinite scores rank above (or below) every finite one; R-hat reads ranks
            ranked = np.clip(chains, finite.min() - 1, finite.max() + 1)
            rhat = split_rhat(ranked)
        for law in LAW_POWER:
            placed = sampled_placement(
                per_draw,
                today[m],
                draws.chain_of,
                draws.log_weights(law),
                group_of=draws.regions,
                level=level,
            )
            rows.append(OutlierRow(m, today[m], law, placed, rhat))
    return rows


def frontier_table(
    scored: pd.DataFrame,
    today: dict,
    today_id: int | None,
    descriptions: list[str],
    found_by: Sequence[str],
    bests: Sequence[Best] = (),
) -> tuple[pd.DataFrame, np.ndarray]:
    """The Pareto-optimal structures with their objectives beside today's, and the ids of every
    structure that dominates today (no worse in each objective, better in at least one).

    ``scored`` holds every structure evaluated (the reference set, any found by the integer
    programmes or the search, and today's when it is plausible: row ``today_id``, None when
    today is not plausible); ``found_by`` says per row how it was found. The frontier is over
    all of them, today included. The first row is today's (``is_today``), listed once:
    ``on_frontier`` says whether today is on the frontier, and is True on every other row, so
    the frontier's size is that column's sum. ``vs_today`` says per objective how each frontier
    structure compares with today at the tolerance; ``mark`` says which of ``bests`` each point
    attains and how that best is known (proven optimal, found by search, best of the sample),
    else how the point was found. An objective no structure has a value for is left out (and
    its column).
    """
    ok = scored["status"].eq("optimal").to_numpy()
    objectives = [m for m in FRONTIER_OBJECTIVES if scored.loc[ok, m].notna().any()]
    signs = [1.0] * len(objectives)
    if scored.loc[ok, "need_match"].notna().any():
        objectives.append("need_match")
        signs.append(-1.0)
    sign = np.array(signs)
    points = scored[objectives].to_numpy(float) * sign
    points[~ok] = np.nan
    today_point = np.array([today[m] for m in objectives]) * sign
    mask = pareto_mask(points)
    today_on = today_id is not None and bool(mask[today_id])
    if today_id is not None:
        mask[today_id] = False  # today is the first row, once
    better = dominates(points, today_point)
    columns = ["structure_id", *objectives, "gini", "max_power"]
    front = scored.loc[mask, columns].copy()
    front["dominates_today"] = better[mask]
    front["vs_today"] = [_compare(row, today_point, objectives, sign) for row in points[mask]]
    front["regions"] = [descriptions[i] for i in front["structure_id"]]
    front["is_today"] = front["structure_id"].eq(-1 if today_id is None else today_id)
    front["found_by"] = [found_by[i] for i in front["structure_id"]]
    front["on_frontier"] = True
    held, kinds = marks({m: front[m].to_numpy(float) for m in columns[1:]}, bests)
    front["mark_kind"] = [
        MARK_ORDER[k] if k < len(MARK_ORDER) else ("searched" if "search" in how else "")
        for k, how in zip(kinds, front["found_by"], strict=True)
    ]
    front["mark"] = [
        "; ".join(b.claim() for b in h) if h else how.replace("search", "found by search")
        for h, how in zip(held, front["found_by"], strict=True)
    ]
    front = front.sort_values(objectives).reset_index(drop=True)
    today_row = {
        "structure_id": today_id,
        **{m: today[m] for m in [*objectives, "gini", "max_power"]},
        "dominates_today": False,
        "vs_today": "",
        "regions": "today",
        "is_today": True,
        "found_by": "today" if today_id is None else found_by[today_id],
        "on_frontier": today_on,
        "mark_kind": "",
        "mark": "today",
    }
    front = pd.concat([pd.DataFrame([today_row]), front], ignore_index=True)
    front["structure_id"] = front["structure_id"].astype("Int64")
    order = np.lexsort(tuple(points[better].T[::-1]))
    return front, np.flatnonzero(better)[order]


def frontier_size(frontier: pd.DataFrame) -> str:
    """How many structures the frontier of :func:`frontier_table` has, and whether today's is
    one of them: "7 structures, today's not on it"."""
    n = int(frontier["on_frontier"].sum())
    said = f"{count(n)} structure{'' if n == 1 else 's'}"
    first = frontier.iloc[0]
    if pd.isna(first["structure_id"]):
        return f"{said}; today's structure is not plausible, so not on it"
    if first["on_frontier"]:
        return f"{said}, today's on it"
    return f"{said}, today's not on it"


def _compare(point: np.ndarray, today: np.ndarray, objectives: list[str], sign) -> str:
    words = []
    for m, a, b in zip(objectives, point, today, strict=True):
        if tied(a, b):
            words.append(f"{SHORT[m]} same")
        else:
            words.append(f"{SHORT[m]} {'better' if a < b else 'worse'}")
    return "; ".join(words)


def same_everywhere(sampled: bool) -> str:
    """A score with no percentile because it never differs from today's, in words that claim
    no more than was seen: every plausible structure when enumerated, the drawn ones when
    sampled."""
    return "the same in every structure drawn" if sampled else "the same for every structure"


def no_value(sampled: bool) -> str:
    """A score no structure has a value for, over what was seen."""
    return "no structure drawn has a value" if sampled else "no structure has a value"


def extreme_words(p: Placement) -> str:
    """Over an enumeration, whether today's value is the lowest or highest possible (no
    structure strictly below or above it; its ties share it), else ""."""
    if p.below == 0:
        return "none lower: today's is the lowest possible"
    if p.above == 0:
        return "none higher: today's is the highest possible"
    return ""


def _value(x: float) -> str:
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return format_significant(x, 4)


def print_summary(
    reference: Reference,
    today: Today,
    outliers: Sequence[OutlierRow],
    frontier: pd.DataFrame,
    dominating: np.ndarray,
    mapped: int,
    infeasible: dict[str, int],
    notes: Sequence[str],
    seconds: float,
    over: str = "",
    bests: Sequence[Best] = (),
    best_notes: Sequence[str] = (),
    pooled: pd.DataFrame | None = None,
    why_none: Mapping[str, str] | None = None,
) -> None:
    """The summary every run prints: reference set, today, one line per score, the frontier
    (over the structures ``over`` names, the reference set's by default) with each point's
    mark, and the best structure known per score (``bests``, rows of ``pooled``, the scores
    of every structure evaluated) with ``best_notes``. ``why_none`` says per score why no
    structure has a value, where the scenario tells. Sampled, a score the same in every draw
    is said to be so of the structures drawn, not of every plausible one."""
    print(f"reference: {reference.sentence()}")
    if not reference.exact:
        print(f"  {ESS_DEFINITION}")
    print(today.sentence(reference))
    if infeasible:
        n = sum(infeasible.values())
        print(
            f"  {count(n)} of {count(reference.structures)} structures left out of every score: "
            + "; ".join(f"{reason} ({count(c)})" for reason, c in infeasible.items())
        )
    for note in notes:
        print(f"  {note}")
    law = "exact" if reference.exact else reference.law
    sampled = not reference.exact
    head = f"{'metric':22s} {'today':>10s} {'percentile':>10s}  {'interval':13s}"
    print(head + ("  ESS     R-hat" if sampled else ""))
    for row in outliers:
        if row.law != law:
            continue
        p = row.placed
        start = f"{row.metric:22s} {_value(row.today):>10s}"
        if p.constant:
            print(f"{start}  {same_everywhere(sampled)}")
            continue
        if math.isnan(p.percentile):
            why = (why_none or {}).get(row.metric)
            print(f"{start}  {no_value(sampled)}{f': {why}' if why else ''}")
            continue
        percent, lo, hi = (format_number(100 * x, 1) for x in (p.percentile, p.lo, p.hi))
        interval = "exact" if p.exact else f"{lo}–{hi}"
        line = f"{start} {percent:>10s}  {interval:13s}"
        extreme = extreme_words(p) if reference.exact else ""
        if sampled:
            rhat = "–" if math.isnan(row.rhat) else format_decimal(row.rhat, 3)
            line += f"  {count(round(p.ess)):>6s}  {rhat:>5s}"
        if p.left_out:
            unit = "structures" if reference.exact else "draws"
            total = p.used + p.left_out
            line += f"  ({count(p.left_out)} of {count(total)} {unit} without a value)"
        print(line + (f"  ({extreme})" if extreme else ""))
    print(
        "  percentile: the percent of the structures below today's value, ties counted half"
        if reference.exact
        else "  percentile: the estimated percent of the reference set below today's value, "
        "ties counted half"
    )
    unsettled = [r.metric for r in outliers if r.law == law and r.rhat > RHAT_LIMIT]
    if unsettled:
        print(
            f"  R-hat above {RHAT_LIMIT} for {', '.join(unsettled)}: the chains disagree; "
            "their percentiles are not to be trusted yet (sample more)"
        )
    _print_frontier(frontier, dominating, mapped, over or reference.found(), reference.exact)
    _print_bests(bests, best_notes, frontier, pooled)
    print(f"({seconds:.1f} s)")


def _print_frontier(
    frontier: pd.DataFrame, dominating: np.ndarray, mapped: int, over: str, complete: bool
) -> None:
    """The frontier's first ``mapped`` structures and the first ``mapped`` structures that
    dominate today are named, and drawn on the maps; the rest are in the files. Every claim
    names the set it is over (``over``); unless that set is every plausible structure
    (``complete``), a structure not evaluated may still dominate today, and the lines say so."""
    objectives = [c for c in (*FRONTIER_OBJECTIVES, "need_match") if c in frontier.columns]
    missing = [SHORT[m] for m in FRONTIER_OBJECTIVES if m not in objectives]
    if missing:
        print(f"frontier leaves out {', '.join(missing)}: no structure has a value")
    print(
        f"frontier ({', '.join(SHORT[m] for m in objectives)}; "
        f"{'need match maximised, ' if 'need_match' in objectives else ''}the rest minimised) "
        f"over {over}: {frontier_size(frontier)}"
    )
    widths = [max(10, len(SHORT[m])) for m in objectives]
    print(
        f"  {'structure':>9s} "
        + " ".join(f"{SHORT[m]:>{w}s}" for m, w in zip(objectives, widths, strict=True))
        + f" {'Gini (no objective)':>19s}  vs today | mark"
    )
    for record in frontier.head(mapped + 1).to_dict("records"):
        today = record["regions"] == "today"
        name = "today" if today else f"#{record['structure_id']}"
        if today and not pd.isna(record["structure_id"]):
            name = f"today #{record['structure_id']}"
        values = " ".join(
            f"{_value(float(record[m])):>{w}s}" for m, w in zip(objectives, widths, strict=True)
        )
        mark = "" if today else f" | {record['mark']}"
        print(
            f"  {name:>9s} {values} {_value(float(record['gini'])):>19s}  "
            f"{record['vs_today']}{mark}"
        )
    if len(frontier) > mapped + 1:
        print(f"  ({count(len(frontier) - mapped - 1)} more in frontier.csv; not on the map)")
    n = len(dominating)
    rule = (
        f"no worse in every objective, better in at least one; relative tolerance {TIE_TOLERANCE:g}"
    )
    if n == 0:
        print(f"no structure among {over} dominates today ({rule})")
        if not complete:
            print(f"  {NOT_EVERY_STRUCTURE}")
        return
    names = ", ".join(f"#{i}" for i in dominating[:mapped])
    more = (
        f" and {count(n - mapped)} more (provenance.json, frontier.dominating_today)"
        if n > mapped
        else ""
    )
    print(
        f"{count(n)} structure{'s' if n > 1 else ''} among {over} "
        f"dominate{'' if n > 1 else 's'} today ({rule}): {names}{more}"
    )
    if not complete:
        print(f"  {NOT_EVERY_STRUCTURE}")
    print(
        f"  maps: figures/map_today_and_frontier.png, figures/map_today_and_dominating.png "
        f"(the first {min(n, mapped)} named)"
    )


NOT_EVERY_STRUCTURE = (
    "not every plausible structure was evaluated: one that was not may dominate today's "
    "structure or a structure on this frontier"
)
"""Said under a sampled run's frontier: its dominance and frontier claims hold only over the
structures evaluated."""


def _print_bests(
    bests: Sequence[Best],
    notes: Sequence[str],
    frontier: pd.DataFrame,
    pooled: pd.DataFrame | None,
) -> None:
    """One line per score's best structure: value, structure, how it is known, today's value,
    and whether it is on the frontier (and if not, why)."""
    if not bests and not notes:
        return
    on = set(frontier.loc[frontier["on_frontier"], "structure_id"].dropna().astype(int))
    if bests:
        print("best structure per score (how it is known; today's value):")
    alternatives = frontier[~frontier["regions"].eq("today")]
    for b in bests:
        claim = b.claim()
        holders = alternatives.loc[alternatives["mark"].str.contains(claim, regex=False)]
        if b.structure_id in on:
            where = "on the frontier"
        elif len(holders):
            where = (
                f"not on the frontier: #{holders['structure_id'].iloc[0]} there has the same "
                f"{SHORT.get(b.objective, b.objective)} and is better in another objective"
            )
        else:
            where = "not on the frontier (dominated)"
            if pooled is not None:
                shown = [m for m in (*FRONTIER_OBJECTIVES, "need_match") if m in frontier.columns]
                undefined = [
                    SHORT[m] for m in shown if math.isnan(float(pooled[m].iloc[b.structure_id]))
                ]
                if undefined:
                    are = "is" if len(undefined) == 1 else "are"
                    where = f"not on the frontier: its {', '.join(undefined)} {are} undefined"
        if b.objective not in (*FRONTIER_OBJECTIVES, "need_match"):
            where = f"{SHORT.get(b.objective, b.objective)} is no frontier objective"
        print(
            f"  {SHORT.get(b.objective, b.objective):20s} {_value(b.value):>10s}  "
            f"#{b.structure_id}: {b.claim()}; today {_value(b.today)}"
            f"{f' ({b.today_tie()})' if b.today_tie() else ''}; {where}"
        )
    for note in notes:
        print(f"  {note}")
