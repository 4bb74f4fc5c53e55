"""Sobol sensitivity of the fairness metrics to the rule parameters (SALib).

The parameters and their ranges are the scenario's ``[sensitivity]`` table
(:class:`~dekomopt.scenario.schema.SensitivitySpec`, documented in ``scenarios/README.md``).

Each Saltelli/Sobol sample is one set of rule values; the rules are part of the LP's
structure and objective, so every sample gets its own allocator (built from the county model
made once) and is solved on the scenario's base data. Indices are first-order (S1) and total
(ST) with SALib's bootstrap 95 % confidence intervals; second-order terms are not computed.
An index no larger than what whole-krone rounding (or floating-point noise) alone can give
is 0 (:func:`_index_noise`).

A metric gets no indices when it has no variance to apportion (the same in every run, or
spread over the runs by no more than whole-krone rounding can move it:
:mod:`dekomopt.metrics.noise`) or
when it is undefined in some run (Saltelli's estimators need the metric in every run of the
design; leaving runs out would bias them): its rows say why. An index is marked
:data:`UNRELIABLE` when its 95 % interval is wider than ±:data:`MAX_HALF_WIDTH`, or when it
lies outside [0, 1] by more than that interval (and the precision it is shown with, three
decimals): the base sample is too small for it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dekomopt.allocation.fast import FastAllocator
from dekomopt.allocation.highs import solver_name
from dekomopt.county import allocation_problem, build_county
from dekomopt.county.model import County
from dekomopt.errors import InfeasibleError, ScenarioError
from dekomopt.formats import format_number, format_significant, stored, stored_table
from dekomopt.metrics import MetricsEngine, snap_zero
from dekomopt.notes import Note, note
from dekomopt.proposal.record import Provenance
from dekomopt.runfolder import RECORDS, staged
from dekomopt.scenario import Scenario
from dekomopt.scenario.schema import RulesTable
from dekomopt.simulation.provenance import library_versions
from dekomopt.simulation.reasons import infeasible_reason
from dekomopt.sobolsize import sobol_samples_problem

METRICS = (
    "theil_net_between_share",
    "theil_net",
    "gap_small_large_net",
    "gap_private_public_net",
    "gini_net",
)

RULE_FIELDS = {"uh_share_min", "special_ed_share_min", "key_tolerance", "distance_cost"}

MAX_HALF_WIDTH = 0.1
"""An index whose 95 % confidence half-width is above this is :data:`UNRELIABLE`."""
SHOWN_PRECISION = 0.0005
"""Half the last decimal an index is shown with: an index this close to [0, 1] is in it."""
UNRELIABLE = note("sens_unreliable")
"""The note of an index the base sample is too small for (see the module doc)."""
INDEX_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")

_UNDEFINED_WHEN = {
    "gini_net": note("sens_when_gini_net"),
    "theil_net": note("sens_when_theil_net"),
    "theil_net_between_share": note("sens_when_theil_net_between_share"),
    "gap_small_large_net": note("sens_when_gap_small_large_net"),
    "gap_private_public_net": note("sens_when_gap_private_public_net"),
}
"""When each metric is undefined (:mod:`dekomopt.metrics`)."""
_UNDEFINED_OTHERWISE = note("sens_when_other")


@dataclass(frozen=True)
class FailedRun:
    """A model run whose rules cannot all hold: its index in the Saltelli sample and the
    reason (:func:`~dekomopt.simulation.reasons.infeasible_reason`, English, naming the rules
    that clash)."""

    run: int
    reason: str

    def __str__(self) -> str:
        return f"sample {self.run}: {self.reason}"


def _rules(base: RulesTable, values: dict[str, float]) -> RulesTable:
    """The scenario's rules with one sample's values."""
    changes = {k: v for k, v in values.items() if k in RULE_FIELDS}
    if "key_weight_distance" in values:
        d = values["key_weight_distance"]
        changes["key_weight_distance"] = d
        changes["key_weight_fte"] = max(0.0, 1.0 - d - base.key_weights.special)
    return changed_rules(base, **changes)


def changed_rules(rules: RulesTable, **changes: Any) -> RulesTable:
    """``rules`` with some values changed and validated again (the key weights also as
    ``key_weight_fte``, ``key_weight_distance``, ``key_weight_special``, the others keeping
    theirs)."""
    values = rules.model_dump()
    weights = values["key_weights"]
    for part in ("fte", "distance", "special"):
        if f"key_weight_{part}" in changes:
            weights[part] = changes.pop(f"key_weight_{part}")
    return type(rules).model_validate({**values, **changes, "key_weights": weights})


@dataclass(frozen=True)
class MetricSpread:
    """One metric over the model runs: in how many it is defined, its standard deviation
    over those (None with fewer than two), whether it is the same in every run (up to
    floating-point noise), and why it has no indices (None when it has)."""

    metric: str
    defined_runs: int
    sd: float | None
    constant: bool
    no_indices: Note | None


@dataclass(frozen=True)
class SensitivityFacts:
    """What a Sobol run records (``sensitivity.json``): its provenance (the shared record of
    :mod:`dekomopt.proposal.record`: scenario file and content hash, input files, data
    versions, seed, solver, versions), sample sizes, the parameters and ranges varied, the
    infeasible samples with their conflicts, and each metric's spread."""

    provenance: Provenance
    base_samples: int
    model_runs: int
    seed: int
    parameters: dict[str, tuple[float, float]]
    failed_runs: int
    failures: tuple[FailedRun, ...]
    metrics: tuple[MetricSpread, ...]
    libraries: dict[str, str] = field(default_factory=library_versions)
    """Versions of the libraries that shape the numbers, SALib's among them."""
    method: str = (
        "SALib Sobol (Saltelli sampling, first-order and total indices, 95 % bootstrap CI)"
    )
    max_half_width: float = MAX_HALF_WIDTH
    """Indices with a wider 95 % half-width are marked unreliable."""

    @property
    def constant(self) -> tuple[str, ...]:
        """The metrics the same in every run (up to floating-point noise)."""
        return tuple(m.metric for m in self.metrics if m.constant)

    @property
    def output_sd(self) -> dict[str, float | None]:
        """Each metric's standard deviation over the runs it is defined in."""
        return {m.metric: m.sd for m in self.metrics}

    def to_json(self, table: pd.DataFrame) -> str:
        """The contents of ``sensitivity.json``, with the indices of ``table`` (null where
        missing, with the note saying why)."""
        record = asdict(self)
        record["provenance"] = dict(self.provenance)
        record["failures"] = [str(f) for f in self.failures]
        record["metrics"] = [{f.name: getattr(m, f.name) for f in fields(m)} for m in self.metrics]
        record["indices"] = table.to_dict("records")
        return json.dumps(stored(record), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _no_indices(
    metric: str,
    y: np.ndarray,
    negative_net: np.ndarray,
    samples: np.ndarray,
    names: list[str],
    noise: float = 0.0,
) -> Note | None:
    """Why ``metric`` (values ``y`` over the solved runs, NaN where undefined; ``negative_net``
    whether a run has an owner with net funding per FTE below 0; ``samples`` the runs'
    parameter values, columns ``names``; ``noise`` the most whole-krone rounding moves it in
    any run, :attr:`~dekomopt.metrics.Scores.noise`) gets no indices; None when it gets
    them."""
    undefined = np.isnan(y)
    when = _UNDEFINED_WHEN.get(metric, _UNDEFINED_OTHERWISE)
    if undefined.all():
        return note("sens_undefined_all", when=when)
    if undefined.any():
        counts = {"n": int(undefined.sum()), "runs": len(y)}
        narrow = _narrow(samples, undefined, names)
        if metric.startswith("theil_") and negative_net[undefined].all():
            return note("sens_undefined_negative_net", **counts, narrow=narrow)
        return note("sens_undefined_some", **counts, when=when, narrow=narrow)
    if _constant(y):
        return note("sens_constant")
    spread = float(np.ptp(y))
    if spread <= 2 * noise:
        return note(
            "sens_rounding_noise",
            spread=format_significant(spread),
            noise=format_significant(2 * noise),
        )
    return None


def _index_noise(y: np.ndarray, noise: float) -> dict[str, float]:
    """How large S1 and ST of a parameter that moves the metric (values ``y``) only by
    whole-krone rounding (by at most ``2 * noise``) can come out: SALib's estimators are
    ``mean(f_B (f_ABi − f_A)) / var`` and ``mean((f_A − f_ABi)²) / (2 var)``; with
    floating-point noise added."""
    var = float(np.var(y))
    move = 2 * noise
    if var <= 0:
        return {"S1": 0.0, "ST": 0.0}
    return {
        "S1": move * float(np.mean(np.abs(y))) / var + 1e-12,
        "ST": move**2 / (2 * var) + 1e-12,
    }


def _constant(y: np.ndarray) -> bool:
    """Whether the defined values ``y`` are all the same up to floating-point noise."""
    y = y[~np.isnan(y)]
    return bool(y.size) and float(np.ptp(y)) <= 1e-9 * max(1.0, abs(float(y.mean())))


def _narrow(samples: np.ndarray, undefined: np.ndarray, names: list[str]) -> Note:
    """Which range to narrow: a parameter whose values set the runs in ``undefined`` apart
    from the others, if one does."""
    for i, name in enumerate(names):
        inside, outside = samples[undefined, i], samples[~undefined, i]
        if inside.min() > outside.max():
            value = format_significant(outside.max())
            return note("sens_narrow_above", parameter=name, value=value)
        if inside.max() < outside.min():
            value = format_significant(outside.min())
            return note("sens_narrow_below", parameter=name, value=value)
    return note("sens_narrow_ranges")


def _index_note(values: dict[str, float]) -> Note | str:
    """:data:`UNRELIABLE` for an index pair whose intervals are too wide or which lies
    outside [0, 1] beyond its interval; else empty."""
    for key in ("S1", "ST"):
        value, half = values[key], values[f"{key}_conf"]
        beyond = half + SHOWN_PRECISION
        if half > MAX_HALF_WIDTH or value < -beyond or value > 1 + beyond:
            return UNRELIABLE
    return ""


DISTANCE_PARAMETERS = ("key_weight_distance", "distance_cost", "travel_cost_nok_per_km_fte")
"""Parameters whose effect goes through the distance to the partners."""


def sensitivity(
    scenario: Scenario,
    n: int | None = None,
    seed: int | None = None,
    metrics: tuple[str, ...] = METRICS,
) -> tuple[pd.DataFrame, SensitivityFacts]:
    """Sobol indices of ``metrics`` for the parameters of the scenario's ``[sensitivity]``.

    ``n`` is SALib's base sample size (:func:`~dekomopt.sobolsize.sobol_samples_problem`
    says which; default the table's ``samples``); the
    model runs n·(parameters + 2) times. Only a sample whose rules cannot all hold is left
    out (and counted, with its conflict); any other failure stops the run. A metric with no
    indices (see the module doc) has NaN indices and its rows' ``note`` says why; an index
    the sample is too small for has the note :data:`UNRELIABLE`; other rows have "". Returns
    the table (metric, parameter, S1, S1_conf, ST, ST_conf, note: a
    :class:`~dekomopt.notes.Note`, its English text in the files) and facts about the run.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    table = scenario.spec.sensitivity
    parameters = table.ranges()
    n = table.samples if n is None else n
    seed = scenario.spec.scenario.seed if seed is None else seed
    wrong = sobol_samples_problem(n)
    if wrong is not None:
        raise ValueError(f"samples {wrong}, got {n}")
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
    noise = np.zeros((len(samples), len(metrics)))
    negative_net = np.zeros(len(samples), dtype=bool)
    solved = np.zeros(len(samples), dtype=bool)
    failures: list[FailedRun] = []
    solvers: Counter[str] = Counter()
    rounding: Counter[str] = Counter()
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
            failures.append(FailedRun(j, infeasible_reason(exc)))
            continue
        solved[j] = True
        solvers[alloc.solver] += 1
        rounding[alloc.rounding_method] += 1
        own = alloc.owner_amounts.reshape(problem.n_owners, -1).sum(axis=1)
        edges = alloc.edge_amounts.reshape(len(edge_region), -1).sum(axis=1)
        partner = np.bincount(edge_region, edges, problem.n_regions)
        scores = scorer.score(own[None], partner[None], base.owner_fte[None], part[None])
        outputs[j] = [scores.scalars[m][0] for m in metrics]
        noise[j] = [scores.noise[m][0] if m in scores.noise else 0.0 for m in metrics]
        net = scores.owners["net_per_fte"][0]
        negative_net[j] = bool((net[np.isfinite(net)] < 0).any())
    rows = []
    spreads = []
    for k, metric in enumerate(metrics):
        y = outputs[:, k]
        defined = np.isfinite(y)
        krone_noise = float(np.nanmax(noise[:, k], initial=0.0))
        missing = (
            _no_indices(
                metric, y[solved], negative_net[solved], samples[solved], names, krone_noise
            )
            if solved.any()
            else note("sens_no_run_solved")
        )
        if failures and missing is None:
            missing = note("sens_not_solved", n=len(failures), runs=len(samples))
        if missing is None:
            indices = sobol_analyze.analyze(
                problem_def, y, calc_second_order=False, seed=seed, print_to_console=False
            )
            within = _index_noise(y, krone_noise)
            for key in ("S1", "ST"):
                for column in (key, f"{key}_conf"):
                    small = np.abs(indices[column]) <= within[key]
                    indices[column] = np.where(small, 0.0, indices[column])
        else:
            indices = {key: np.full(len(names), np.nan) for key in INDEX_COLUMNS}
        spreads.append(
            MetricSpread(
                metric,
                int(defined.sum()),
                float(np.std(y[defined])) if defined.sum() > 1 else None,
                _constant(y),
                missing,
            )
        )
        for i, name in enumerate(names):
            values = {key: float(snap_zero(indices[key][i])) for key in INDEX_COLUMNS}
            why = missing if missing is not None else _index_note(values)
            rows.append({"metric": metric, "parameter": name, **values, "note": why})
    facts = SensitivityFacts(
        provenance=_provenance(scenario, county, seed, solvers, rounding),
        base_samples=n,
        model_runs=len(samples),
        seed=seed,
        parameters={k: (float(lo), float(hi)) for k, (lo, hi) in parameters.items()},
        failed_runs=len(failures),
        failures=tuple(failures),
        metrics=tuple(spreads),
    )
    return pd.DataFrame(rows), facts


def _provenance(
    scenario: Scenario,
    county: County,
    seed: int,
    solvers: Counter[str],
    rounding: Counter[str],
) -> Provenance:
    """The run's record: the scenario (file and content hash), its files, data versions,
    seed, the solver and rounding methods of the solved runs, versions, time."""
    return Provenance.of(
        scenario,
        county,
        seed=seed,
        solver=", ".join(solvers) or solver_name(),
        rounding=", ".join(
            f"{method} ({format_number(runs)} runs)" for method, runs in rounding.items()
        ),
    )


OUTPUTS = ("sensitivity.csv", RECORDS["sensitivity"])
"""The files :func:`write_sensitivity` writes."""


def write_sensitivity(
    scenario: Scenario, n: int | None, seed: int | None, out: str | Path
) -> tuple[pd.DataFrame, SensitivityFacts]:
    """Run :func:`sensitivity`, write ``sensitivity.csv`` (empty cells where an index is
    missing) and ``sensitivity.json`` (null there); the table and the facts. The two files
    replace an earlier run's together once both are written (a stopped run leaves ``out`` as
    it was: :func:`~dekomopt.runfolder.staged`)."""
    table, facts = sensitivity(scenario, n, seed)
    with staged(out, OUTPUTS) as stage:
        stored_table(table).to_csv(stage / "sensitivity.csv", index=False, lineterminator="\n")
        (stage / "sensitivity.json").write_text(facts.to_json(table), encoding="utf-8")
    return table, facts
