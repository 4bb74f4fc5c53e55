"""Sobol sensitivity of the fairness metrics to the rule parameters (SALib).

The parameters and their ranges are the scenario's ``[sensitivity]`` table
(:class:`~dekomopt.scenario.schema.SensitivitySpec`, documented in ``scenarios/README.md``).

Each Saltelli/Sobol sample is one set of rule values; the rules are part of the LP's
structure and objective, so every sample gets its own allocator (built from the county model
made once) and is solved on the scenario's base data. Indices are first-order (S1) and total
(ST) with SALib's bootstrap 95 % confidence intervals; second-order terms are not computed.
Indices within floating-point noise of 0 are 0.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dekomopt import __version__
from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.problem import changed_rules
from dekomopt.county import allocation_problem, build_county
from dekomopt.errors import InfeasibleError, ScenarioError
from dekomopt.metrics import MetricsEngine, snap_zero
from dekomopt.scenario import Scenario
from dekomopt.scenario.schema import RulesTable

METRICS = (
    "theil_net_between_share",
    "theil_net",
    "gap_small_large_net",
    "gap_private_public_net",
    "gini_net",
)

RULE_FIELDS = {"uh_share_min", "special_ed_share_min", "key_tolerance", "distance_cost"}


def _rules(base: RulesTable, values: dict[str, float]) -> RulesTable:
    """The scenario's rules with one sample's values."""
    changes = {k: v for k, v in values.items() if k in RULE_FIELDS}
    if "key_weight_distance" in values:
        d = values["key_weight_distance"]
        changes["key_weight_distance"] = d
        changes["key_weight_fte"] = max(0.0, 1.0 - d - base.key_weights.special)
    return changed_rules(base, **changes)


@dataclass(frozen=True)
class SensitivityFacts:
    """What a Sobol run records (``sensitivity.json``): the scenario (file and content hash),
    sample sizes, seed, the parameters and ranges varied, the infeasible samples with their
    conflicts, the metrics constant over the samples and each metric's spread."""

    scenario: str
    scenario_file_sha256: str
    scenario_content_sha256: str
    base_samples: int
    model_runs: int
    seed: int
    parameters: dict[str, tuple[float, float]]
    failed_runs: int
    failures: tuple[str, ...]
    constant: tuple[str, ...]
    output_sd: dict[str, float]
    dekomopt_version: str = __version__
    method: str = (
        "SALib Sobol (Saltelli sampling, first-order and total indices, 95 % bootstrap CI)"
    )

    def to_json(self) -> str:
        """The contents of ``sensitivity.json``."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


DISTANCE_PARAMETERS = ("key_weight_distance", "distance_cost", "travel_cost_nok_per_km_fte")
"""Parameters whose effect goes through the distance to the partners."""


def sensitivity(
    scenario: Scenario,
    n: int | None = None,
    seed: int | None = None,
    metrics: tuple[str, ...] = METRICS,
) -> tuple[pd.DataFrame, SensitivityFacts]:
    """Sobol indices of ``metrics`` for the parameters of the scenario's ``[sensitivity]``.

    ``n`` is SALib's base sample size (a power of 2; default the table's ``samples``); the
    model runs n·(parameters + 2) times. Only a sample whose rules cannot all hold is left
    out (and counted, with its conflict); any other failure stops the run. A metric constant
    over the samples (up to floating-point noise) has no variance to apportion: its indices
    are NaN and ``constant`` in the facts names it. Returns the table (metric, parameter, S1,
    S1_conf, ST, ST_conf) and facts about the run.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    table = scenario.spec.sensitivity
    parameters = table.ranges()
    n = table.samples if n is None else n
    seed = scenario.spec.scenario.seed if seed is None else seed
    if n < 2 or n & (n - 1):
        raise ValueError(f"samples must be a power of 2 (at least 2), got {n}")
    names = list(parameters)
    problem_def = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(parameters[k]) for k in names],
    }
    samples = sobol_sample.sample(problem_def, n, calc_second_order=False, seed=seed)
    county = build_county(scenario)
    needs_place = [k for k in names if k in DISTANCE_PARAMETERS]
    if needs_place and not county.travel_known:
        raise ScenarioError(
            str(scenario.path),
            "sensitivity.vary",
            f"{', '.join(needs_place)} need the distance to the partners, and a partner's place "
            "is unknown: give its campus kommunenummer (partners.extra or partners.extra_csv), "
            "or leave them out of vary",
        )
    base = allocation_problem(scenario, county)
    spec_metrics = scenario.spec.metrics
    outputs = np.full((len(samples), len(metrics)), np.nan)
    failures: list[str] = []
    part = np.asarray(base.owner_participates, dtype=bool)
    edge_region = np.asarray(base.edge_region, dtype=np.int64)
    for j, row in enumerate(samples):
        values = dict(zip(names, row.tolist(), strict=True))
        problem = base.with_(rules=_rules(base.rules, values))
        travel = values.get("travel_cost_nok_per_km_fte", spec_metrics.travel_cost_nok_per_km_fte)
        scorer = MetricsEngine.for_problem(
            problem, spec_metrics.model_copy(update={"travel_cost_nok_per_km_fte": travel})
        )
        try:
            alloc = FastAllocator(problem).solve()
        except InfeasibleError as exc:
            failures.append(f"sample {j}: {' '.join(str(exc).split())}")
            continue
        own = alloc.owner_amounts.reshape(problem.n_owners, -1).sum(axis=1)
        edges = alloc.edge_amounts.reshape(len(edge_region), -1).sum(axis=1)
        partner = np.bincount(edge_region, edges, problem.n_regions)
        scores = scorer.score(own[None], partner[None], base.owner_fte[None], part[None])
        outputs[j] = [scores.scalars[m][0] for m in metrics]
    rows = []
    constant = []
    for k, metric in enumerate(metrics):
        y = outputs[:, k]
        flat = np.all(np.isfinite(y)) and np.ptp(y) <= 1e-9 * max(1.0, abs(y.mean()))
        if flat:
            constant.append(metric)
        if not np.all(np.isfinite(y)) or flat:
            # Undefined in some sample, or constant up to rounding: no variance to apportion.
            indices = {
                key: np.full(len(names), np.nan) for key in ("S1", "S1_conf", "ST", "ST_conf")
            }
        else:
            indices = sobol_analyze.analyze(
                problem_def, y, calc_second_order=False, seed=seed, print_to_console=False
            )
        for i, name in enumerate(names):
            rows.append(
                {"metric": metric, "parameter": name}
                | {
                    key: float(snap_zero(indices[key][i]))
                    for key in ("S1", "S1_conf", "ST", "ST_conf")
                }
            )
    facts = SensitivityFacts(
        scenario=scenario.path.name,
        scenario_file_sha256=scenario.sha256,
        scenario_content_sha256=scenario.content_sha256,
        base_samples=n,
        model_runs=len(samples),
        seed=seed,
        parameters={k: (float(lo), float(hi)) for k, (lo, hi) in parameters.items()},
        failed_runs=len(failures),
        failures=tuple(failures),
        constant=tuple(constant),
        output_sd={m: float(np.nanstd(outputs[:, k])) for k, m in enumerate(metrics)},
    )
    return pd.DataFrame(rows), facts


def write_sensitivity(
    scenario: Scenario, n: int | None, seed: int | None, out: str | Path
) -> tuple[pd.DataFrame, SensitivityFacts]:
    """Run :func:`sensitivity`, write ``sensitivity.csv`` and ``sensitivity.json``; the
    table and the facts."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table, facts = sensitivity(scenario, n, seed)
    table.to_csv(out / "sensitivity.csv", index=False, float_format="%.6g")
    (out / "sensitivity.json").write_text(facts.to_json(), encoding="utf-8")
    return table, facts
