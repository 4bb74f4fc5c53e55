"""``dekomopt structures``: is today's region structure unusual, and is there a better one?

Finds the plausible structures (the scenario's ``[structures]`` table), re-solves the
allocation in each, scores them, places today's structure in every score's distribution and
lists the Pareto frontier. Outputs go to one folder; the same seed gives the same files
whatever the number of workers.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.county import build_county
from dekomopt.county.model import County
from dekomopt.errors import DataError, InfeasibleError
from dekomopt.formats import format_number
from dekomopt.structures.best import best_table
from dekomopt.structures.constraints import PartRules, part_rules, sample_structures
from dekomopt.structures.diagnostics import canonical_labels
from dekomopt.structures.evaluate import METRICS, StructureContext, structure_context
from dekomopt.structures.figures import structure_maps, write_figures
from dekomopt.structures.frontier import pareto_mask
from dekomopt.structures.outlier import percentile, percentile_interval
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.space import (
    ENUMERATE_LIMIT,
    SpaceCount,
    StructureSpace,
    build_space,
    explain_empty_space,
    sample_spaces,
)
from dekomopt.structures.spec import StructuresSpec, load_with_structures

FRONTIER_OBJECTIVES = ("theil_between_share", "travel_km", "n_regions")
"""Minimised on the frontier (fewer regions: less coordination); need match is maximised."""


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
                f"{plausible[k].acceptance:.3f})"
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
    empty = {k: _why_empty(rules[k]) for k, c in plausible.items() if c.plausible == 0}
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
    notes.append(
        "ReCom chains instead of the decision diagram: fewer than "
        f"{_MIN_ACCEPTANCE:.1%} of the diagram's structures meet the exact rules "
        f"({', '.join(f'{k} regions: {plausible[k].acceptance:.2%}' for k in hopeless)}), "
        "too few to draw from it; percentiles refer to the chain's own law"
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
        "ReCom chain draws (spanning-tree weighted, not uniform)",
        tuple(notes),
        spaces,
    )


def _why_empty(rules: PartRules) -> str:
    """Which of the scenario's rules leaves no structure (counted on the diagram)."""
    part_test = "has every region pass the part test"
    if rules.part_ok is not None:
        part_test = (
            f"has every region within {rules.part_ok.limit:g} km (FTE-weighted) of an eligible "
            "partner (max_partner_km)"
        )
    return explain_empty_space(
        rules.graph, rules.k, **rules.enumerate_kwargs(), part_test=part_test
    )


_MIN_ACCEPTANCE = 0.001
"""Below this share of the diagram's draws passing the exact checks, ReCom is used instead."""


def _today(ctx: StructureContext, rules: PartRules, labels: np.ndarray) -> int | None:
    """Index of today's structure among ``labels`` (same partition up to labels), or None."""
    today = canonical_labels(ctx.today_labels[None, :])[0]
    same = np.flatnonzero((canonical_labels(labels) == today).all(axis=1))
    return int(same[0]) if len(same) else None


def _describe(ctx: StructureContext, names: dict[str, str], labels: np.ndarray) -> str:
    parts = []
    for r in range(int(labels.max()) + 1):
        members = [names[n] for n, lab in zip(ctx.nodes, labels, strict=True) if lab == r]
        parts.append(", ".join(members))
    return " | ".join(parts)


def outlier_table(
    metrics: pd.DataFrame,
    today: dict[str, float],
    chain_of: np.ndarray | None,
    names: tuple[str, ...],
) -> pd.DataFrame:
    """Per score: today's value, its percentile among ``metrics`` and (sampled) an interval."""
    rows = []
    for m in names:
        values = metrics[m].to_numpy(float)
        if np.isnan(values).all():
            continue
        p = percentile(values, today[m])
        lo, hi = (p, p) if chain_of is None else percentile_interval(values, chain_of, today[m])
        rows.append(
            {"metric": m, "today": today[m], "percentile": p, "interval_lo": lo, "interval_hi": hi}
        )
    return pd.DataFrame(rows)


def frontier_table(
    metrics: pd.DataFrame, today: dict[str, float], descriptions: list[str]
) -> pd.DataFrame:
    """The Pareto-optimal structures, with whether each one dominates today's."""
    objectives = list(FRONTIER_OBJECTIVES)
    points = metrics[objectives].to_numpy(float)
    today_point = np.array([today[m] for m in objectives])
    if metrics["need_match"].notna().any():
        objectives.append("need_match")
        points = np.c_[points, -metrics["need_match"].to_numpy(float)]
        today_point = np.r_[today_point, -today["need_match"]]
    ok = metrics["status"].eq("optimal").to_numpy()
    mask = pareto_mask(np.where(ok[:, None], points, np.nan))
    front = metrics.loc[mask, ["structure_id", *objectives, "gini", "max_power"]].copy()
    fp = points[mask]
    front["dominates_today"] = np.all(fp <= today_point, axis=1) & np.any(fp < today_point, axis=1)
    front["regions"] = [descriptions[i] for i in front["structure_id"]]
    return front.sort_values(objectives).reset_index(drop=True)


def structures_command(
    scenario: str,
    enumerate: bool,
    sample: int | None,
    chains: int,
    workers: int,
    seed: int | None,
    out: str,
    prove_best: float | None = None,
) -> int:
    """Run the analysis and write its files to ``out``; print a summary. Returns 0.

    ``prove_best`` (seconds per programme) also solves the integer programmes of
    :mod:`dekomopt.structures.best` and writes ``best.csv`` (each objective's best structure,
    proven or found by search, with its gap).
    """
    began = time.perf_counter()
    loaded, spec = load_with_structures(scenario)
    county = build_county(loaded)
    if sample is not None and sample < 1:
        raise DataError("structures", "--sample", f"must be at least 1, got {sample}")
    if workers < 1:
        raise DataError("structures", "--workers", f"must be at least 1, got {workers}")
    if prove_best is not None and not prove_best > 0:
        raise DataError(
            "structures", "--best", f"must be a positive number of seconds, got {prove_best}"
        )
    if chains < 2:
        raise DataError("structures", "--chains", f"must be at least 2, got {chains}")
    requested = "enumerate" if enumerate else ("sample" if sample is not None else None)
    if requested is None and "method" in spec.model_fields_set:
        requested = spec.method
    samples = sample if sample is not None else spec.samples
    seed = loaded.spec.scenario.seed if seed is None else seed
    graph = county.adjacency_graph(spec.link_kinds)
    ctx = structure_context(loaded, county, tuple(graph.nodes))
    counts = spec.region_counts(len(ctx.today_regions))
    found = find_all(spec, county, counts, requested, samples, chains, np.random.SeedSequence(seed))
    for note in found.notes:
        print(note)
    labels, chain_of, empty, method = found.labels, found.chain_of, found.empty, found.method
    # sampled draws repeat structures; each distinct one is solved once
    distinct, draw_structure = np.unique(canonical_labels(labels), axis=0, return_inverse=True)
    draw_structure = draw_structure.reshape(-1)
    scored = evaluate_structures(ctx, distinct, workers=workers, progress=True)
    today_row = evaluate_structures(ctx, ctx.today_labels[None, :]).iloc[0]
    today: dict[str, float] = {str(key): value for key, value in today_row.items()}
    rules = part_rules(spec, county, len(ctx.today_regions))
    today_id = _today(ctx, rules, distinct)
    names = dict(zip(county.owners["owner_id"], county.owners["owner_name"], strict=True))
    descriptions = [_describe(ctx, names, row) for row in distinct]

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    n, m = distinct.shape
    pd.DataFrame(
        {
            "structure_id": np.repeat(np.arange(n), m),
            "kommunenummer": np.tile(np.array(ctx.nodes, dtype=object), n),
            "region": distinct.ravel().astype(int) + 1,
        }
    ).to_csv(folder / "structures.csv", index=False)
    scored["draws"] = np.bincount(draw_structure, minlength=n)
    scored["is_today"] = scored["structure_id"].eq(-1 if today_id is None else today_id)
    scored.to_parquet(folder / "metrics.parquet", index=False)
    per_draw = scored.iloc[draw_structure].reset_index(drop=True)
    if chain_of is not None:
        pd.DataFrame(
            {
                "draw": np.arange(len(draw_structure)),
                "chain": chain_of,
                "structure_id": draw_structure,
            }
        ).to_csv(folder / "draws.csv", index=False)
    if method == "uniform":
        pd.DataFrame(
            {"draw": np.arange(len(draw_structure)), "structure_id": draw_structure}
        ).to_csv(folder / "draws.csv", index=False)
    # independent uniform draws: each draw its own "chain", so the interval is binomial
    interval_of = np.arange(len(draw_structure)) if method == "uniform" else chain_of
    outliers = outlier_table(per_draw, today, interval_of, METRICS)
    outliers.to_csv(folder / "outlier.csv", index=False)
    frontier = frontier_table(scored, today, descriptions)
    frontier.to_csv(folder / "frontier.csv", index=False)
    write_figures(per_draw, today, METRICS, folder / "figures")
    from dekomopt.data import load_polygons

    best = frontier.sort_values("theil_between_share").head(3)
    structure_maps(
        load_polygons(county.name),
        ctx.nodes,
        [("today", ctx.today_labels)]
        + [(f"frontier #{int(s)}", distinct[int(s)]) for s in best["structure_id"]],
        folder / "figures" / "map_today_and_frontier.png",
    )
    infeasible = scored.loc[~scored["status"].eq("optimal"), "reason"].value_counts().to_dict()
    provenance = {
        "scenario": str(loaded.path),
        "scenario_sha256": loaded.sha256,
        "dekomopt": version("dekomopt"),
        "seed": seed,
        "method": method,
        "samples": samples if method != "enumerate" else None,
        "chains": chains if method == "recom" else None,
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
        "structures_spec": spec.model_dump(mode="json"),
        "region_counts": list(counts),
        "structures": int(n),
        "draws": int(len(draw_structure)),
        "empty_counts": {str(k): v for k, v in empty.items()},
        "infeasible": infeasible,
        "today_regions": list(ctx.today_regions),
        "today_structure_id": today_id,
        "today_contiguous": today_id is not None,
        "today_plausible": found.holds(canonical_labels(ctx.today_labels[None, :])[0]),
        "edges": "every region linked to every eligible partner at its FTE-weighted km",
        "scores": "from LP amounts before rounding to whole kroner",
        "notes": list(ctx.notes),
    }
    (folder / "provenance.json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False))
    _print_summary(provenance, outliers, frontier, time.perf_counter() - began)
    if prove_best is not None:
        live = [part_rules(spec, county, k) for k in counts if k not in empty]
        table, best_labels = best_table(
            ctx,
            live,
            scored,
            distinct,
            exhaustive=method == "enumerate",
            today=today,
            time_limit=prove_best,
        )
        table["regions"] = [_describe(ctx, names, row) for row in best_labels]
        table.to_csv(folder / "best.csv", index=False)
        columns = ("objective", "value", "how", "gap", "today")
        for objective, value, how, gap, now in zip(
            *(table[c].tolist() for c in columns), strict=True
        ):
            shown = "" if math.isnan(gap) else f", gap {gap:.1e}"
            print(f"best {objective}: {value:.4g} ({how}{shown}); today {now:.4g}")
    return 0


def _print_summary(
    provenance: dict, outliers: pd.DataFrame, frontier: pd.DataFrame, seconds: float
) -> None:
    where = (
        f"structure #{provenance['today_structure_id']}"
        if provenance["today_contiguous"]
        else "plausible, not drawn"
        if provenance["today_plausible"]
        else "not in the reference set (not contiguous, other region count, or breaks a rule)"
    )
    print(
        f"{format_number(provenance['structures'])} structures scored "
        f"({provenance['method']}; reference set: {provenance['reference_set']}); "
        f"today: {where}"
    )
    if provenance["infeasible"]:
        print(f"  allocation infeasible in: {provenance['infeasible']}")
    print(f"{'metric':22s} {'today':>12s} {'percentile':>10s}  interval")
    for row in outliers.itertuples(index=False):
        interval = (
            "exact"
            if row.interval_lo == row.interval_hi
            else f"{row.interval_lo:.3f}–{row.interval_hi:.3f}"
        )
        print(f"{row.metric:22s} {row.today:12.4g} {row.percentile:10.3f}  {interval}")
    print(
        f"frontier: {len(frontier)} structures, "
        f"{int(frontier['dominates_today'].sum())} better than today in every objective "
        f"({seconds:.1f} s)"
    )
