"""``dekomopt structures``: is today's region structure unusual, and is there a better one?

Finds the plausible structures (the scenario's ``[structures]`` table), re-solves the
allocation in each, scores them, places today's structure in every score's distribution and
lists the Pareto frontier. Every output states its reference set (see
:mod:`dekomopt.structures.summary`). Outputs go to one folder; the same seed gives the same
files whatever the number of workers.
"""

from __future__ import annotations

import json
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt.county import build_county
from dekomopt.county.model import County
from dekomopt.data import load_polygons
from dekomopt.errors import DataError, InfeasibleError
from dekomopt.structures.constraints import (
    TREE_POWER,
    PartRules,
    chain_lengths,
    part_rules,
    sample_structures,
)
from dekomopt.structures.diagnostics import canonical_labels
from dekomopt.structures.evaluate import METRICS, StructureContext, structure_context
from dekomopt.structures.figures import MapPanel, structure_maps, write_figures
from dekomopt.structures.outlier import TIE_TOLERANCE
from dekomopt.structures.recom import log_tree_weights
from dekomopt.structures.runner import evaluate_structures
from dekomopt.structures.spec import StructuresSpec, load_with_structures
from dekomopt.structures.summary import (
    Draws,
    Law,
    Reference,
    clean_scores,
    find_today,
    frontier_table,
    outlier_frame,
    outlier_table,
    print_summary,
)


def find_all(
    spec: StructuresSpec,
    county: County,
    counts: tuple[int, ...],
    method: str,
    samples: int,
    chains: int,
    seed: np.random.SeedSequence,
) -> tuple[np.ndarray, np.ndarray | None, dict[int, str]]:
    """Structures for every region count (rows over the municipalities), the chain of each
    sampled draw (None when enumerated) and, per count, why it has no structure."""
    rows, chain_rows, empty = [], [], {}
    seeds = seed.spawn(len(counts))
    chain_base = 0
    for k, child in zip(counts, seeds, strict=True):
        rules = part_rules(spec, county, k)
        if method == "enumerate":
            found = rules.enumerate()
        else:
            found = _sample(rules, samples, chains, child)
            if found is not None:
                found, chain_of = found
                chain_rows.append(chain_of + chain_base)
                chain_base += chains
        if found is None or not len(found):
            empty[k] = rules.why_empty()
            continue
        rows.append(found)
    if not rows:
        raise InfeasibleError(
            "no plausible structure: "
            + "; ".join(f"{k} regions: {why}" for k, why in empty.items()),
            conflicts=("structures",),
        )
    labels = np.concatenate(rows)
    return labels, (np.concatenate(chain_rows) if chain_rows else None), empty


def _sample(rules: PartRules, samples: int, chains: int, seed: np.random.SeedSequence):
    try:
        return sample_structures(rules, samples, chains, seed)
    except DataError:
        if rules.count() == 0:
            return None
        raise


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
    chains: int,
    workers: int,
    seed: int | None,
    out: str,
    law: Law = "uniform",
) -> int:
    """Run the analysis and write its files to ``out``; print a summary. Returns 0.

    Sampled percentiles are about ``law``: uniform over the plausible structures (the draws
    reweighted) or the sampler's own spanning-tree law; enumerated ones are exact.
    """
    began = time.perf_counter()
    loaded, spec = load_with_structures(scenario)
    county = build_county(loaded)
    method = "enumerate" if enumerate else ("sample" if sample is not None else spec.method)
    samples = sample if sample is not None else spec.samples
    if method == "sample":
        chain_lengths(samples, chains)  # refuses too few chains or draws before any work
    seed = loaded.spec.scenario.seed if seed is None else seed
    graph = county.adjacency_graph(spec.link_kinds)
    ctx = structure_context(loaded, county, tuple(graph.nodes))
    counts = spec.region_counts(len(ctx.today_regions))
    labels, chain_of, empty = find_all(
        spec, county, counts, method, samples, chains, np.random.SeedSequence(seed)
    )
    # sampled draws repeat structures; each distinct one is solved once
    distinct, draw_structure = np.unique(canonical_labels(labels), axis=0, return_inverse=True)
    draw_structure = draw_structure.reshape(-1)
    scored = evaluate_structures(ctx, distinct, workers=workers)
    today = evaluate_structures(ctx, ctx.today_labels[None, :]).iloc[0].to_dict()
    names = dict(zip(county.owners["owner_id"], county.owners["owner_name"], strict=True))
    descriptions = [_describe(ctx, names, row) for row in distinct]
    report(
        loaded,
        spec,
        county,
        ctx,
        counts,
        method,
        samples,
        chains,
        seed,
        law,
        labels=distinct,
        chain_of=chain_of,
        structure_of=draw_structure,
        empty=empty,
        scored=scored,
        today=today,
        descriptions=descriptions,
        folder=Path(out),
        began=began,
    )
    return 0


def report(
    loaded,
    spec: StructuresSpec,
    county: County,
    ctx: StructureContext,
    counts: tuple[int, ...],
    method: str,
    samples: int,
    chains: int,
    seed: int,
    law: Law,
    *,
    labels: np.ndarray,
    chain_of: np.ndarray | None,
    structure_of: np.ndarray,
    empty: dict[int, str],
    scored: pd.DataFrame,
    today: dict,
    descriptions: list[str],
    folder: Path,
    began: float,
) -> None:
    """Write every output of a run to ``folder`` and print its summary.

    ``labels`` are the distinct structures found (rows over ``ctx.nodes``); with ``chain_of``
    they were sampled, ``structure_of`` giving each draw's row.
    """
    graph = part_rules(spec, county, counts[0]).graph
    log_tree = log_tree_weights(graph, ctx.nodes, labels)
    n_regions = labels.max(axis=1).astype(int) + 1
    draws = None
    if chain_of is not None:
        per_chain, burn_in = chain_lengths(samples, chains)
        draws = Draws(
            chain_of=chain_of,
            structure_of=structure_of,
            regions=n_regions[structure_of],
            log_tree_weight=log_tree[structure_of],
            chains=chains,
            per_chain=per_chain,
            burn_in=burn_in,
            tree_power=TREE_POWER,
        )
    reference = Reference(len(labels), counts, draws, law)
    today_at = find_today(ctx.today_labels, labels, _today_breaks(spec, county, counts, ctx))
    scored, today, notes = clean_scores(scored, today, METRICS, reference.found())
    scored["log_tree_weight"] = log_tree

    folder.mkdir(parents=True, exist_ok=True)
    n, m = labels.shape
    pd.DataFrame(
        {
            "structure_id": np.repeat(np.arange(n), m),
            "kommunenummer": np.tile(np.array(ctx.nodes, dtype=object), n),
            "region": labels.ravel().astype(int) + 1,
        }
    ).to_csv(folder / "structures.csv", index=False)
    scored["draws"] = np.bincount(structure_of, minlength=n)
    today_id = -1 if today_at.structure_id is None else today_at.structure_id
    scored["is_today"] = scored["structure_id"].eq(today_id)
    scored.to_parquet(folder / "metrics.parquet", index=False)
    if draws is not None:
        pd.DataFrame(
            {
                "draw": np.arange(draws.n),
                "chain": draws.chain_of,
                "structure_id": draws.structure_of,
                "log_tree_weight": draws.log_tree_weight,
            }
        ).to_csv(folder / "draws.csv", index=False)
    outliers = outlier_table(scored, today, METRICS, draws)
    outlier_frame(outliers).to_csv(folder / "outlier.csv", index=False)
    frontier, dominating = frontier_table(scored, today, today_at.structure_id, descriptions)
    frontier.to_csv(folder / "frontier.csv", index=False)

    title = _wrap(f"reference: {reference.sentence()}")
    # a score the same everywhere is said so in the summary, not drawn
    drawn = [r.metric for r in outliers if not r.placed.constant and r.law in ("exact", law)]
    if draws is None:
        write_figures(scored, today, drawn, folder / "figures", title)
    else:
        per_draw = scored.iloc[draws.structure_of].reset_index(drop=True)
        write_figures(per_draw, today, drawn, folder / "figures", title, draws.weights(law))
    polygons = load_polygons(county.name)
    names = dict(zip(county.owners["owner_id"], county.owners["owner_name"], strict=True))
    fte = np.asarray(ctx.base.owner_fte, dtype=float)[ctx.node_owner]
    frontier_ids = [int(i) for i in frontier.loc[~frontier["regions"].eq("today"), "structure_id"]]
    mapped = {
        "map_today_and_frontier.png": frontier_ids[:MAX_MAPS],
        "map_today_and_dominating.png": [int(i) for i in dominating[:MAX_MAPS]],
    }
    for name, ids in mapped.items():
        if name.endswith("dominating.png") and not ids:
            continue
        structure_maps(
            polygons,
            ctx.nodes,
            [MapPanel("today", ctx.today_labels)]
            + [MapPanel(_map_title(i, dominating), labels[i]) for i in ids],
            list(ctx.today_regions),
            fte,
            names,
            folder / "figures" / name,
        )
    infeasible = {
        str(reason): int(n)
        for reason, n in scored.loc[~scored["status"].eq("optimal"), "reason"]
        .value_counts()
        .items()
    }
    provenance = {
        "scenario": str(loaded.path),
        "scenario_sha256": loaded.sha256,
        "dekomopt": version("dekomopt"),
        "seed": seed,
        "method": method,
        "samples": samples if method == "sample" else None,
        "chains": chains if method == "sample" else None,
        "sampler": f"reversible ReCom, stationary law ∝ ∏τ(region)^{TREE_POWER:g}"
        if draws
        else None,
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
        "dominating_today": [int(i) for i in dominating],
        "tie_tolerance": TIE_TOLERANCE,
        "maps": mapped,
        "edges": "every region linked to every eligible partner at its FTE-weighted km",
        "scores": "from LP amounts before rounding to whole kroner; noise below 1e-12 is 0",
        "notes": [*ctx.notes, *notes],
    }
    (folder / "provenance.json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False))
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
    )


MAX_MAPS = 8
"""Alternative structures drawn beside today's on one map (and named in the summary)."""


def _map_title(i: int, dominating: np.ndarray) -> str:
    return f"#{i}: dominates today" if i in set(dominating.tolist()) else f"#{i}: on the frontier"


def _wrap(text: str, width: int = 95) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
