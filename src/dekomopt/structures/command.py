"""``dekomopt structures``: is today's region structure unusual, and is there a better one?

Finds the plausible structures (the scenario's ``[structures]`` table), re-solves the
allocation in each, scores them, places today's structure in every score's distribution and
lists the Pareto frontier. Outputs go to one folder; the same seed gives the same files
whatever the number of workers.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.allocation.highs import solver_name
from dekomopt.county import build_county
from dekomopt.county.model import County
from dekomopt.data import load_polygons
from dekomopt.errors import DataError, InfeasibleError
from dekomopt.formats import format_decimal, format_number, format_percent, stored, stored_table
from dekomopt.proposal.record import Provenance
from dekomopt.report.catalogue import LANGUAGES
from dekomopt.runfolder import interrupted_line, staged, stop_on_sigterm
from dekomopt.scenario import Scenario, load_scenario
from dekomopt.structures.best import BestStructure, programme_bests, region_fte_spread
from dekomopt.structures.constraints import (
    TREE_POWER,
    chain_lengths,
    part_rules,
    sample_structures,
    spec_problems,
)
from dekomopt.structures.diagnostics import canonical_labels
from dekomopt.structures.evaluate import METRICS, StructureContext, structure_context
from dekomopt.structures.figures import (
    MapPanel,
    panel_title,
    reference_title,
    structure_maps,
    write_figures,
)
from dekomopt.structures.frontier import SHORT, Best, How
from dekomopt.structures.outlier import TIE_TOLERANCE, denoise, tied
from dekomopt.structures.problems import Problems
from dekomopt.structures.recom import log_tree_weights
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.search import (
    SEARCHED,
    SearchResult,
    better,
    objective_values,
    search_structures,
)
from dekomopt.structures.space import (
    ENUMERATE_LIMIT,
    SpaceCount,
    StructureSpace,
    build_space,
    sample_spaces,
)
from dekomopt.structures.spec import StructuresSpec
from dekomopt.structures.summary import (
    Draws,
    Law,
    OutlierRow,
    Reference,
    clean_scores,
    count,
    find_today,
    frontier_size,
    frontier_table,
    outlier_frame,
    outlier_table,
    print_summary,
)


@dataclass(frozen=True)
class Found:
    """The structures to score and how they were found.

    ``labels`` has one row per draw (rows over the municipalities); ``chain_of`` is the ReCom
    chain of each draw (None otherwise); ``empty`` says, per region count, why it has none.
    ``method`` is ``enumerate`` (every plausible structure), ``uniform`` (independent uniform
    draws from the decision diagram) or ``recom``; ``reference`` names the set the percentiles
    refer to; ``notes`` say how the set was counted and why the method was chosen.
    """

    labels: np.ndarray
    chain_of: np.ndarray | None
    empty: dict[int, str]
    method: str
    plausible: dict[int, SpaceCount]
    reference: str
    notes: tuple[str, ...]
    spaces: dict[int, StructureSpace]

    def holds(self, labels: np.ndarray) -> bool:
        """Whether a structure with ``labels`` is in the plausible set (drawn or not)."""
        k = int(np.max(labels)) + 1
        return k in self.spaces and self.spaces[k].contains(labels)


def _count_text(counts: dict[int, SpaceCount]) -> str:
    return ", ".join(f"{c.describe()} with {k} regions" for k, c in counts.items())


def find_all(
    spec: StructuresSpec,
    county: County,
    counts: tuple[int, ...],
    requested: str | None,
    samples: int,
    chains: int,
    seed: np.random.SeedSequence,
) -> Found:
    """Count the plausible structures first, then enumerate, sample uniformly or run ReCom.

    ``requested`` is ``enumerate``, ``sample`` or None (choose from the count: enumerate up to
    :data:`~dekomopt.structures.space.ENUMERATE_LIMIT` structures, else sample ``samples``).
    An enumeration beyond the limit is refused with the count and a suggested ``--sample``.
    ReCom is used only where the diagram's draws almost never pass the exact checks.
    """
    rules = {k: part_rules(spec, county, k) for k in counts}
    spaces = {k: build_space(r.graph, k, **r.enumerate_kwargs()) for k, r in rules.items()}
    count_seed, sample_seed = seed.spawn(2)
    count_rng = np.random.default_rng(count_seed)
    plausible = {k: s.count(ENUMERATE_LIMIT, count_rng) for k, s in spaces.items()}
    total = sum(c.plausible for c in plausible.values())
    all_exact = all(c.exact for c in plausible.values())
    total_text = format_number(total) if all_exact else "about " + format_number(total)
    notes: list[str] = [f"plausible structures: {_count_text(plausible)}"]
    for k, space in spaces.items():
        if space.quantum is not None:
            notes.append(
                f"{k} regions: the diagram holds FTE bounds quantised to {space.quantum:.4g} FTE; "
                "the exact bounds are checked on each structure (acceptance "
                f"{format_decimal(plausible[k].acceptance, 3)})"
            )
    small = all_exact and total <= ENUMERATE_LIMIT
    if requested == "enumerate" and not small:
        raise DataError(
            "structures",
            "--enumerate",
            f"plausible structures: {_count_text(plausible)}, more than the "
            f"enumeration limit {format_number(ENUMERATE_LIMIT)}; use --sample {spec.samples}",
        )
    method = requested or ("enumerate" if small else "sample")
    if requested is None:
        what = "enumerating all" if small else f"sampling {format_number(samples)} of the"
        notes.append(
            f"{what} {total_text} plausible structures "
            f"(enumeration limit {format_number(ENUMERATE_LIMIT)})"
        )
    empty = {k: rules[k].why_empty() for k, c in plausible.items() if c.plausible == 0}
    live = [k for k in counts if k not in empty]
    if not live:
        raise InfeasibleError(
            "no plausible structure: "
            + "; ".join(f"{k} regions: {why}" for k, why in empty.items()),
            conflicts=("structures",),
        )
    regions_text = f"{'/'.join(map(str, live))} regions"
    reference = (
        f"all {total_text} plausible structures ({regions_text})"
        if all_exact
        else f"all plausible structures ({total_text}, estimated; {regions_text})"
    )
    if method == "enumerate":
        labels = np.concatenate([spaces[k].enumerate() for k in live])
        return Found(labels, None, empty, "enumerate", plausible, reference, tuple(notes), spaces)
    hopeless = [k for k in live if plausible[k].acceptance < _MIN_ACCEPTANCE]
    if not hopeless:
        rng = np.random.default_rng(sample_seed)
        per_space, _ = sample_spaces([spaces[k] for k in live], samples, rng)
        labels = np.concatenate(per_space)
        return Found(labels, None, empty, "uniform", plausible, reference, tuple(notes), spaces)
    rates = ", ".join(
        f"{k} regions: {format_percent(plausible[k].acceptance, 2)}" for k in hopeless
    )
    notes.append(
        "ReCom chains instead of the decision diagram: fewer than "
        f"{format_percent(_MIN_ACCEPTANCE)} of the diagram's structures meet the exact rules "
        f"({rates}), "
        "too few to draw from it; the chains' stationary law is uniform over the same set"
    )
    rows, chain_rows = [], []
    for i, (k, child) in enumerate(zip(live, sample_seed.spawn(len(live)), strict=True)):
        draws, chain_of = sample_structures(rules[k], samples, chains, child)
        rows.append(draws)
        chain_rows.append(chain_of + i * chains)
    return Found(
        np.concatenate(rows),
        np.concatenate(chain_rows),
        empty,
        "recom",
        plausible,
        reference,
        tuple(notes),
        spaces,
    )


_MIN_ACCEPTANCE = 0.001
"""Below this share of the diagram's draws passing the exact checks, ReCom is used instead."""


def _describe(ctx: StructureContext, names: dict[str, str], labels: np.ndarray) -> str:
    parts = []
    for r in range(int(labels.max()) + 1):
        members = [names[n] for n, lab in zip(ctx.nodes, labels, strict=True) if lab == r]
        parts.append(", ".join(members))
    return " | ".join(parts)


def _today_breaks(spec: StructuresSpec, county: County, counts, ctx: StructureContext):
    """Why today's structure is outside the plausible set, or None."""
    k = len(ctx.today_regions)
    if k not in counts:
        return f"{k} geographic regions, outside the {'/'.join(map(str, counts))} analysed"
    rules = part_rules(spec, county, k)
    if rules.nodes != ctx.nodes:
        raise DataError("structures", "nodes", "the structure graph and the scores disagree")
    return rules.breaks(ctx.today_labels, ctx.today_regions)


def structures_command(
    scenario: str,
    enumerate: bool,
    sample: int | None,
    chains: int | None,
    workers: int,
    seed: int | None,
    out: str,
    law: Law | None = None,
    prove_best: float | None = None,
    lang: str = "nb",
    search: int | None = None,
) -> int:
    """``dekomopt structures``: :func:`analyse_structures` on the scenario file ``scenario``.
    Returns 0, or :data:`~dekomopt.cli.EXIT_INTERRUPTED` after Ctrl-C or SIGTERM, with one
    line saying what ``out`` holds (the earlier run's files as they were, or nothing)."""
    from dekomopt.cli import EXIT_INTERRUPTED

    try:
        with stop_on_sigterm():
            analyse_structures(
                load_scenario(scenario),
                out,
                enumerate=enumerate,
                sample=sample,
                chains=chains,
                workers=workers,
                seed=seed,
                law=law,
                prove_best=prove_best,
                lang=lang,
                search=search,
            )
    except KeyboardInterrupt:
        print(interrupted_line("structures", out, lang), file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def analyse_structures(
    scenario: Scenario,
    out: str | Path,
    *,
    enumerate: bool = False,
    sample: int | None = None,
    chains: int | None = None,
    workers: int = 1,
    seed: int | None = None,
    law: Law | None = None,
    prove_best: float | None = None,
    lang: str = "nb",
    search: int | None = None,
) -> Path:
    """Run the structure analysis of ``scenario`` (as loaded, or changed in memory with
    :meth:`~dekomopt.scenario.Scenario.with_changes`), write its files to ``out`` and print a
    summary. Returns the folder.

    The files (:data:`OUTPUTS`) replace an earlier run's in ``out`` only when all are written
    (:func:`~dekomopt.runfolder.staged`): a run that stops leaves ``out`` as it was.

    ``enumerate`` scores every plausible structure, ``sample`` draws that many; neither
    chooses from the count (and the ``[structures]`` table). Sampled percentiles are about
    ``law`` (default uniform over the plausible structures, or the spanning-tree law, see
    :data:`~dekomopt.structures.summary.Law`); enumerated ones are exact. ``chains`` (default
    the table's) is the number of ReCom chains, run only where the decision diagram cannot
    hold the rules. A ``law`` or ``chains`` given where it has no use is refused with
    ``enumerate``, else said to be unused.

    ``prove_best`` (seconds per programme) also solves the integer programmes of
    :mod:`dekomopt.structures.best`; ``search`` (a number of structures to score) runs the local
    search of :mod:`dekomopt.structures.search` from the best sampled structures. Their
    structures, and today's when it is plausible, join the frontier's set (scored like every
    other), and ``best.csv`` lists each score's best structure known, with how it is known
    and its gap.

    The figures' words are in ``lang`` (nb, nn or en), their numbers Norwegian. Every problem
    with the arguments or the ``[structures]`` table is raised at once
    (:class:`~dekomopt.structures.problems.Problems`).
    """
    began = time.perf_counter()
    loaded, spec = scenario, scenario.spec.structures
    county = build_county(loaded)
    flags: list[tuple[str, str]] = []
    if lang not in LANGUAGES:
        flags.append(("--lang", f"must be one of {', '.join(LANGUAGES)}, got {lang!r}"))
    if sample is not None and sample < 1:
        flags.append(("--sample", f"must be at least 1, got {sample}"))
    if workers < 1:
        flags.append(("--workers", f"must be at least 1, got {workers}"))
    if prove_best is not None and not prove_best > 0:
        flags.append(("--best", f"must be a positive number of seconds, got {prove_best}"))
    if search is not None and search < 1:
        flags.append(("--search", f"must be at least 1 structure to score, got {search}"))
    if chains is not None and chains < 2:
        flags.append(("--chains", f"must be at least 2, got {chains}"))
    if enumerate and law is not None:
        flags.append(
            ("--law", "applies to sampled percentiles only; with --enumerate they are exact")
        )
    if enumerate and chains is not None:
        flags.append(("--chains", "applies to ReCom sampling only; --enumerate draws nothing"))
    if prove_best is not None and not county.travel_known:
        flags.append(
            (
                "--best",
                "the travel programme needs every eligible partner's place, and one is unknown: "
                "give its campus kommunenummer (partners.extra or partners.extra_csv)",
            )
        )
    lines = [f"structures: {flag}: {what}" for flag, what in flags]
    lines += [f"{loaded.path}: {key}: {what}" for key, what in spec_problems(spec, county)]
    if lines:
        raise Problems(lines)
    for warning in county.warnings:
        print(f"caveat: {warning}")
    requested = "enumerate" if enumerate else ("sample" if sample is not None else None)
    if requested is None and "method" in spec.model_fields_set:
        requested = spec.method
    samples = sample if sample is not None else spec.samples
    seed = loaded.spec.scenario.seed if seed is None else seed
    run_chains = spec.chains if chains is None else chains
    graph = county.adjacency_graph(spec.link_kinds)
    ctx = structure_context(loaded, county, tuple(graph.nodes))
    counts = spec.region_counts(len(ctx.today_regions))
    found = find_all(
        spec, county, counts, requested, samples, run_chains, np.random.SeedSequence(seed)
    )
    for note in found.notes:
        print(note)
    if law is not None and found.method == "enumerate":
        print(
            f"note: --law {law} not used: every plausible structure was enumerated, so each "
            "percentile is exact over them"
        )
    if chains is not None and found.method != "recom":
        print(
            f"note: --chains {chains} not used: no ReCom chain was run ("
            + (
                "every plausible structure was enumerated)"
                if found.method == "enumerate"
                else "the draws are independent uniform draws from the decision diagram)"
            )
        )
    # sampled draws repeat structures; each distinct one is solved once
    distinct, draw_structure = np.unique(
        canonical_labels(found.labels), axis=0, return_inverse=True
    )
    draw_structure = draw_structure.reshape(-1)
    scored = evaluate_structures(ctx, distinct, workers=workers, progress=True)
    today_row = evaluate_structures(ctx, ctx.today_labels[None, :]).iloc[0]
    today: dict[str, float] = {str(key): value for key, value in today_row.items()}
    live = [part_rules(spec, county, k) for k in counts if k not in found.empty]
    pool = evaluated_pool(
        ctx,
        found,
        distinct,
        scored,
        live,
        prove_best,
        search,
        np.random.SeedSequence(seed),
        workers,
    )
    if _today_breaks(spec, county, counts, ctx) is None:
        pool = pool.with_today(ctx.today_labels, today_row)
    names = dict(zip(county.owners["owner_id"], county.owners["owner_name"], strict=True))
    descriptions = [_describe(ctx, names, row) for row in pool.labels]
    with staged(out, OUTPUTS) as folder:
        report(
            loaded,
            spec,
            county,
            ctx,
            counts,
            found,
            samples,
            run_chains,
            seed,
            law or "uniform",
            labels=distinct,
            structure_of=draw_structure,
            scored=scored,
            today=today,
            descriptions=descriptions,
            folder=folder,
            began=began,
            lang=lang,
            pool=pool,
            prove_best=prove_best,
        )
    return Path(out)


_REFERENCE_WORD = {"enumerate": "enumerated", "uniform": "sampled", "recom": "ReCom-drawn"}
"""How a reference structure was found, by method."""


@dataclass(frozen=True)
class Pool:
    """Every structure evaluated: the reference set (the first ``reference`` rows, as found),
    then those the search scored, then the programmes' structures not among them.

    ``found_by`` says per row how it was found ("sampled", "search", "sampled + integer
    programme", "today", ...); ``programme`` holds the programmes' answers and
    ``programme_rows`` their rows; ``search`` the search's result (None when not run) and
    ``notes`` why a part was not run. ``today`` is today's row when today's structure is
    plausible (see :meth:`with_today`), else None.
    """

    labels: np.ndarray
    scores: pd.DataFrame
    found_by: list[str]
    reference: int
    programme: tuple[BestStructure, ...] = ()
    programme_rows: tuple[int, ...] = ()
    search: SearchResult | None = None
    notes: tuple[str, ...] = ()
    today: int | None = None

    def with_today(self, labels: np.ndarray, scores: pd.Series) -> Pool:
        """The pool with today's (plausible) structure among the structures evaluated: its
        row when it was found already, else a last row with ``scores`` (found by "today").
        Its frontier and each score's best are then over today too."""
        today = canonical_labels(np.asarray(labels)[None, :])[0]
        same = np.flatnonzero((canonical_labels(self.labels) == today).all(axis=1))
        if len(same):
            return replace(self, today=int(same[0]))
        row = len(self.labels)
        extra = scores.to_frame().T.astype(self.scores.dtypes.to_dict())
        extra["structure_id"] = row
        return replace(
            self,
            labels=np.concatenate([self.labels, today[None, :].astype(self.labels.dtype)]),
            scores=pd.concat([self.scores, extra], ignore_index=True),
            found_by=[*self.found_by, "today"],
            today=row,
        )

    def over(self) -> str:
        """The frontier's set in words: "the 400 sampled structures, 2 from the integer
        programmes and 1 500 scored by the search"."""
        word = self.found_by[0].split(" + ")[0] if self.found_by else "found"
        parts = [f"the {count(self.reference)} {word} structures"]
        if self.search is not None and self.search.evaluated:
            parts.append(f"{count(self.search.evaluated)} scored by the search")
        among = 0
        if self.programme:
            new = (
                len(self.labels)
                - self.reference
                - (self.search.evaluated if self.search else 0)
                - self.found_by.count("today")
            )
            among = len(set(self.programme_rows)) - new
            if new:
                parts.append(f"{count(new)} from the integer programmes")
        if self.today is not None and self.found_by[self.today] == "today":
            parts.append("today's structure")
        said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        among_them = []
        if among:
            among_them.append(f"the integer programmes' {'other ' if new else ''}{count(among)}")
        if self.today is not None and self.found_by[self.today] != "today":
            among_them.append("today's structure")
        if among_them:
            said += f" ({' and '.join(among_them)} among them)"
        return said


def evaluated_pool(
    ctx: StructureContext,
    found: Found,
    distinct: np.ndarray,
    scored: pd.DataFrame,
    rules: list,
    prove_best: float | None,
    search: int | None,
    seed: np.random.SeedSequence,
    workers: int,
) -> Pool:
    """The reference structures joined by the search's (``search`` structures at most, seeded
    from ``seed``'s third child) and the programmes' (``prove_best`` seconds each), each scored
    with the scenario's LP like the reference set."""
    labels, scores = distinct, scored
    found_by = [_REFERENCE_WORD[found.method]] * len(distinct)
    notes: list[str] = []
    result = None
    if search is not None and found.method == "enumerate":
        notes.append(
            "search not run: every plausible structure was enumerated and scored, so each "
            "score's best is exact"
        )
    elif search is not None:
        result = search_structures(
            ctx,
            found.spaces,
            distinct,
            scored,
            budget=search,
            seed=seed.spawn(3)[2],
            workers=workers,
        )
        labels, scores = result.labels, result.scores
        found_by += ["search"] * result.evaluated
    programme: list[BestStructure] = []
    rows: list[int] = []
    if prove_best is not None:
        programme = programme_bests(ctx, rules, time_limit=prove_best)
        index = {row.tobytes(): i for i, row in enumerate(canonical_labels(labels))}
        new: list[np.ndarray] = []
        for best in programme:
            row = canonical_labels(best.labels[None, :].astype(labels.dtype))[0]
            key = row.tobytes()
            if key not in index:
                index[key] = len(labels) + len(new)
                new.append(row)
                found_by.append("integer programme")
            elif "integer programme" not in found_by[index[key]]:
                found_by[index[key]] += " + integer programme"
            rows.append(index[key])
        if new:
            extra = evaluate_structures(ctx, np.stack(new), workers=workers)
            labels = np.concatenate([labels, np.stack(new)])
            scores = pd.concat([scores, extra], ignore_index=True)
            scores["structure_id"] = np.arange(len(scores))
    return Pool(
        labels,
        scores,
        found_by,
        len(distinct),
        tuple(programme),
        tuple(rows),
        result,
        tuple(notes),
    )


def score_bests(
    ctx: StructureContext,
    pool: Pool,
    pooled: pd.DataFrame,
    today: dict,
    method: str,
    n: int,
) -> tuple[list[Best], list[str]]:
    """The best structure known per score over ``pooled`` (the pool's cleaned scores; the
    first ``n`` rows the reference set, today's row among them when plausible), each with how
    it is known, and notes on the scores left out.

    Where an integer programme proved its optimum, that structure is the best. Where it stopped
    at its time limit, the best is the best of everything evaluated (the reference set, the
    search's, the programme's and today's), marked by how it was found, with the programme's
    bound and the gap to it. A score with no value, or the same for every structure, has no
    best."""
    reference = f"{count(n)} {_REFERENCE_WORD[method]} structures"
    evaluated = pool.search.evaluated if pool.search else 0
    programme = {b.column: (b, i) for b, i in zip(pool.programme, pool.programme_rows, strict=True)}
    fte = np.asarray(ctx.base.owner_fte, dtype=float)[ctx.node_owner]
    columns: dict[str, tuple[np.ndarray, float, float]] = {}
    for column in ("travel_km", *SEARCHED):
        values = objective_values(pooled, column) if column in SEARCHED else _travel(pooled)
        columns[column] = (values, SEARCHED.get(column, 1.0), float(today[column]))
    if "fte_spread" in programme:
        spreads = np.array([region_fte_spread(row, fte) for row in pool.labels])
        columns["fte_spread"] = (spreads, 1.0, region_fte_spread(ctx.today_labels, fte))
    bests: list[Best] = []
    for column, (values, sign, today_value) in columns.items():
        if np.isnan(values).all():
            continue
        finite = values[np.isfinite(values)]
        i = first_best(values)
        stated = programme.get(column)
        if stated is None:
            if not better(float(finite.min()), float(finite.max())):
                continue
            bests.append(
                Best(
                    column,
                    sign * float(values[i]),
                    i,
                    _how_found(pool, i, method),
                    reference,
                    reference_best=sign * float(np.nanmin(values[:n])),
                    evaluated=evaluated,
                    today=today_value,
                )
            )
            continue
        b, row = stated
        how: How = "proven" if b.proven else "programme"
        # a programme stopped at its time limit can be beaten by a structure evaluated
        if not b.proven and better(float(values[i]), float(values[row])):
            how = _how_found(pool, i, method)
        else:
            i = row
        value = float(values[i])
        bound = float(denoise(np.array([value, b.bound]))[1])
        gap = (value - bound) / abs(value) if value else 0.0
        bests.append(
            Best(
                column,
                value,
                i,
                how,
                reference,
                bound=bound,
                gap=0.0 if gap <= TIE_TOLERANCE else gap,
                reference_best=float(np.nanmin(values[:n])) if column == "fte_spread" else np.nan,
                evaluated=evaluated,
                seconds=b.seconds,
                today=today_value,
            )
        )
    notes = _search_notes(pool.search) if pool.search is not None else []
    return bests, notes


def first_best(values: np.ndarray) -> int:
    """The first row whose value ties the smallest (at the tie tolerance; NaN left out): the
    reference set's rows come first, so a structure found later is the best only when it is
    better, not when it differs by noise."""
    return int(np.flatnonzero(tied(values, float(np.nanmin(values))))[0])


def _how_found(pool: Pool, row: int, method: str) -> How:
    """How the structure in ``row`` of the pool was found, as a best's mark says it."""
    if pool.found_by[row] == "today":
        return "today"
    if row < pool.reference:
        if method == "enumerate":
            return "enumerated"
        return "search" if pool.search else "sampled"
    return "search" if "search" in pool.found_by[row] else "programme"


def _why_no_value(loaded, county: County) -> dict[str, str]:
    """Why a score can have no value in any structure, where the scenario says so."""
    why = {}
    if loaded.spec.owners.needs is None:
        why["need_match"] = (
            "it needs the owners' reported needs (owners.needs; needs drawn under "
            "[uncertainty] are for simulate)"
        )
    if not county.travel_known:
        why["travel_km"] = "a partner has no campus place ([partners] kommunenummer)"
    return why


def _nothing_differs(
    loaded, county: County, outliers: Sequence[OutlierRow], law: str
) -> str | None:
    """One note when no score has a percentile (each is the same everywhere or has no
    value), naming what the scenario lacks for the structures to differ; None otherwise."""
    if any(not math.isnan(r.placed.percentile) for r in outliers if r.law == law):
        return None
    metrics = loaded.spec.metrics
    lacks = []
    if metrics.coordination_cost_nok == 0 and metrics.travel_cost_nok_per_km_fte == 0:
        lacks.append(
            "a cost that depends on the regions ([metrics] coordination_cost_nok or "
            "travel_cost_nok_per_km_fte)"
        )
    if not county.travel_known:
        lacks.append("a partner's campus place for travel ([partners] kommunenummer)")
    if loaded.spec.owners.needs is None:
        lacks.append("the owners' reported needs for need match (owners.needs)")
    seen = "structures" if law == "exact" else "structures drawn"
    said = f"no score differs between the {seen}, so they say nothing about today's"
    if not lacks:
        return said
    return f"{said}; for them to, give {'; '.join(lacks)}"


def _search_notes(search: SearchResult) -> list[str]:
    """What the search did not do, and why: scores skipped, budget not spent."""
    notes = []
    why = {
        "constant": "the same for every structure drawn",
        "missing": "no structure drawn has a value",
    }
    for reason, words in why.items():
        left = [SHORT[s.objective] for s in search.skipped if s.why == reason]
        if left:
            notes.append(f"not searched: {', '.join(left)} ({words}; nothing to search for)")
    if search.found and search.evaluated < search.budget:
        notes.append(
            f"the search stopped after {count(search.evaluated)} of its "
            f"{count(search.budget)} structures: every walker's moves and restarts led "
            "to structures already scored"
        )
    return notes


def _travel(pooled: pd.DataFrame) -> np.ndarray:
    values = pooled["travel_km"].to_numpy(float).copy()
    values[~pooled["status"].eq("optimal").to_numpy() | ~np.isfinite(values)] = np.nan
    return values


def best_frame(bests: list[Best], descriptions: list[str]) -> pd.DataFrame:
    """``best.csv``: per score its best structure, how it is known, its gap and the regions."""
    return pd.DataFrame(
        [
            {
                "objective": b.objective,
                "value": b.value,
                "how": b.how,
                "mark": b.claim(),
                "structure_id": b.structure_id,
                "today": b.today,
                "today_the_same": b.today_ties,
                "bound": b.bound,
                "gap": b.gap,
                "best_of_reference": b.reference_best,
                "improvement": b.improvement,
                "seconds": b.seconds,
                "regions": descriptions[b.structure_id],
            }
            for b in bests
        ]
    )


def report(
    loaded,
    spec: StructuresSpec,
    county: County,
    ctx: StructureContext,
    counts: tuple[int, ...],
    found: Found,
    samples: int,
    chains: int,
    seed: int,
    law: Law,
    *,
    prove_best: float | None = None,
    labels: np.ndarray,
    structure_of: np.ndarray,
    scored: pd.DataFrame,
    today: dict,
    descriptions: list[str],
    folder: Path,
    began: float,
    lang: str = "nb",
    pool: Pool | None = None,
) -> None:
    """Write every output of a run to ``folder`` and print its summary; the figures' words
    are in ``lang``.

    ``labels`` are the distinct structures ``found`` (rows over ``ctx.nodes``);
    ``structure_of`` gives each draw's row (one draw per structure when enumerated). Today's
    percentiles are over them; the frontier is over ``pool`` (default: them alone), whose
    ``descriptions`` name each row.
    """
    if pool is None:
        pool = Pool(labels, scored, [_REFERENCE_WORD[found.method]] * len(labels), len(labels))
    method, empty = found.method, found.empty
    graph = part_rules(spec, county, counts[0]).graph
    log_tree = log_tree_weights(graph, ctx.nodes, labels)
    n_regions = labels.max(axis=1).astype(int) + 1
    draws = None
    if method == "recom" and found.chain_of is not None:
        per_chain, burn_in = chain_lengths(samples, chains)
        draws = Draws(
            chain_of=found.chain_of,
            structure_of=structure_of,
            regions=n_regions[structure_of],
            log_tree_weight=log_tree[structure_of],
            chains=chains,
            per_chain=per_chain,
            burn_in=burn_in,
            tree_power=TREE_POWER,
            kind="recom",
        )
    elif method == "uniform":
        # independent draws: each its own "chain" of one, so the interval is binomial
        draws = Draws(
            chain_of=np.arange(len(structure_of)),
            structure_of=structure_of,
            regions=n_regions[structure_of],
            log_tree_weight=log_tree[structure_of],
            chains=len(structure_of),
            per_chain=1,
            burn_in=0,
            tree_power=0.0,
            kind="uniform",
        )
    reference = Reference(len(labels), counts, draws, law, found.reference)
    today_at = find_today(ctx.today_labels, labels, _today_breaks(spec, county, counts, ctx))
    pooled, _, _ = clean_scores(pool.scores, today, METRICS, "")
    scored, today, notes = clean_scores(scored, today, METRICS, reference.found())
    scored["log_tree_weight"] = log_tree

    folder.mkdir(parents=True, exist_ok=True)
    n, m = labels.shape
    every = pool.labels
    pd.DataFrame(
        {
            "structure_id": np.repeat(np.arange(len(every)), m),
            "kommunenummer": np.tile(np.array(ctx.nodes, dtype=object), len(every)),
            "region": every.ravel().astype(int) + 1,
            "found_by": np.repeat(np.array(pool.found_by, dtype=object), m),
        }
    ).to_csv(folder / "structures.csv", index=False)
    if len(every) > n:
        extra = pooled.iloc[n:].copy()
        extra.insert(1, "found_by", pool.found_by[n:])
        extra.to_csv(folder / "found.csv", index=False)
    bests, best_notes = score_bests(ctx, pool, pooled, today, found.method, n)
    if bests:
        stored_table(best_frame(bests, descriptions)).to_csv(folder / "best.csv", index=False)
    scored["draws"] = np.bincount(structure_of, minlength=n)
    today_id = -1 if today_at.structure_id is None else today_at.structure_id
    scored["is_today"] = scored["structure_id"].eq(today_id)
    scored.to_parquet(folder / "metrics.parquet", index=False)
    if draws is not None:
        pd.DataFrame(
            {
                "draw": np.arange(draws.n),
                "chain": draws.chain_of if draws.kind == "recom" else -1,
                "structure_id": draws.structure_of,
                "log_tree_weight": draws.log_tree_weight,
            }
        ).to_csv(folder / "draws.csv", index=False)
    outliers = outlier_table(scored, today, METRICS, draws)
    why_none = _why_no_value(loaded, county)
    silent = _nothing_differs(loaded, county, outliers, "exact" if draws is None else law)
    notes += [silent] if silent else []
    stored_table(outlier_frame(outliers), whole=("ess",)).to_csv(
        folder / "outlier.csv", index=False
    )
    frontier, dominating = frontier_table(
        pooled, today, pool.today, descriptions, pool.found_by, bests
    )
    today_on_frontier = bool(frontier["on_frontier"].iloc[0])
    frontier.to_csv(folder / "frontier.csv", index=False)

    title = reference_title(reference, lang)
    # a score the same everywhere is said so in the summary, not drawn
    drawn = [r.metric for r in outliers if not r.placed.constant and r.law in ("exact", law)]
    if draws is None:
        write_figures(scored, today, drawn, folder / "figures", title, lang=lang)
    else:
        per_draw = scored.iloc[draws.structure_of].reset_index(drop=True)
        write_figures(per_draw, today, drawn, folder / "figures", title, draws.weights(law), lang)
    polygons = load_polygons(county.name)
    names = dict(zip(county.owners["owner_id"], county.owners["owner_name"], strict=True))
    fte = np.asarray(ctx.base.owner_fte, dtype=float)[ctx.node_owner]
    frontier_ids = [int(i) for i in frontier.loc[~frontier["regions"].eq("today"), "structure_id"]]
    mapped = {
        "map_today_and_frontier.png": frontier_ids[:MAX_MAPS],
        "map_today_and_dominating.png": [int(i) for i in dominating[:MAX_MAPS]],
    }
    dominates = set(dominating.tolist())
    alternatives = frontier[~frontier["regions"].eq("today")]
    kinds = dict(
        zip(alternatives["structure_id"].astype(int), alternatives["mark_kind"], strict=True)
    )
    for name, ids in mapped.items():
        if name.endswith("dominating.png") and not ids:
            continue
        structure_maps(
            polygons,
            ctx.nodes,
            [
                MapPanel(
                    panel_title(None, False, lang, on_frontier=today_on_frontier), ctx.today_labels
                )
            ]
            + [MapPanel(panel_title(i, i in dominates, lang, kinds.get(i)), every[i]) for i in ids],
            list(ctx.today_regions),
            fte,
            names,
            folder / "figures" / name,
            lang,
        )
    infeasible = {
        str(reason): int(n)
        for reason, n in scored.loc[~scored["status"].eq("optimal"), "reason"]
        .value_counts()
        .items()
    }
    provenance = {
        **run_record(loaded, county, seed),
        "caveats": list(county.warnings),
        "method": method,
        "samples": samples if method != "enumerate" else None,
        "chains": chains if method == "recom" else None,
        "sampler": f"reversible ReCom, stationary law ∝ ∏τ(region)^{TREE_POWER:g}"
        if method == "recom"
        else None,
        "reference_set": found.reference,
        "plausible": {
            str(k): {
                "count": c.plausible,
                "exact": c.exact,
                "interval": list(c.interval),
                "diagram": c.diagram,
                "acceptance": c.acceptance,
            }
            for k, c in found.plausible.items()
        },
        "law": law if draws else "exact",
        "reference": reference.sentence(),
        "structures_spec": spec.model_dump(mode="json"),
        "region_counts": list(counts),
        "structures": int(n),
        "draws": draws.n if draws else None,
        "empty_counts": {str(k): v for k, v in empty.items()},
        "infeasible": infeasible,
        "today_regions": list(ctx.today_regions),
        "today_structure_id": today_at.structure_id,
        "today_plausible": today_at.breaks is None,
        "today_breaks": today_at.breaks,
        "today_pool_id": pool.today,
        "frontier_structures": int(frontier["on_frontier"].sum()),
        "today_on_frontier": today_on_frontier,
        "frontier": frontier_size(frontier),
        "dominating_today": [int(i) for i in dominating],
        "tie_tolerance": TIE_TOLERANCE,
        "maps": mapped,
        "frontier_over": pool.over(),
        "best": [
            {
                "objective": b.objective,
                "structure_id": b.structure_id,
                "how": b.how,
                "mark": b.claim(),
            }
            for b in bests
        ],
        "found": {
            "integer_programmes": [
                {
                    "objective": b.column,
                    "structure_id": int(i),
                    "proven": b.proven,
                    "gap": b.gap,
                    "seconds_limit": prove_best,
                }
                for b, i in zip(pool.programme, pool.programme_rows, strict=True)
            ],
            "search": None
            if pool.search is None
            else {
                "budget": pool.search.budget,
                "evaluated": pool.search.evaluated,
                "seed": f"numpy SeedSequence({seed}).spawn(3)[2]",
                "not_searched": {s.objective: s.why for s in pool.search.skipped},
            },
        },
        "edges": "every region linked to every eligible partner at its FTE-weighted km",
        "scores": SCORES_NOTE,
        "notes": [*ctx.notes, *notes],
    }
    (folder / "provenance.json").write_text(
        json.dumps(stored(provenance), indent=2, ensure_ascii=False, allow_nan=False)
    )
    print_summary(
        reference,
        today_at,
        outliers,
        frontier,
        dominating,
        MAX_MAPS,
        infeasible,
        [*ctx.notes, *notes],
        time.perf_counter() - began,
        pool.over(),
        bests,
        [*pool.notes, *best_notes],
        pooled,
        why_none,
    )


SCORES_NOTE = (
    "from LP amounts before rounding to whole kroner; a score within 1e-9 (relative to the "
    "largest of its column, at least 1) of 0 is 0, and scores within 1e-9 (relative) of each "
    "other are equal"
)
"""How the structures' scores are read (:data:`~dekomopt.structures.outlier.NOISE` and
:data:`~dekomopt.structures.outlier.TIE_TOLERANCE`)."""


def run_record(scenario: Scenario, county: County, seed: int | None) -> dict[str, object]:
    """The shared provenance record of a run (the keys ``propose``, ``simulate`` and
    ``sensitivity`` write): scenario file and hashes, data versions, seed, solver, versions,
    time and the files the scenario named."""
    return dict(
        Provenance.of(
            scenario,
            county,
            seed=seed,
            solver=solver_name(),
            rounding="none: scores are read from the LP's amounts before whole-krone rounding",
        )
    )


OUTPUTS = (
    "structures.csv",
    "found.csv",
    "best.csv",
    "metrics.parquet",
    "draws.csv",
    "outlier.csv",
    "frontier.csv",
    "figures",
    "provenance.json",
)
"""Every file (and the ``figures`` folder) a run writes, some only in some runs: a run
removes an earlier run's before it moves its own in."""

MAX_MAPS = 8
"""Alternative structures drawn beside today's on one map (and named in the summary)."""
