"""The package's entry points the paper and the notebooks use, in one module.

Every analysis the paper reports goes through a function here, and each of these calls the
package's public API (or, for ``structures``, its command, whose output folder is the
contract). When the package's API changes, this module is the one place to follow it.

Every function returns plain data (numbers, strings, lists, dicts) ready to be written to the
paper's results file; nothing here formats numbers for print.

Glue written here because the package has no public function for it:

* :func:`scenario_variant` writes a scenario with some keys changed to a file of its own, so
  that its content hash is true and every command (also ``dekomopt`` on the command line)
  reads the same variant. (``Scenario.with_changes`` keeps the original file's hash, and the
  simulation's workers reload the scenario from its path.)
* :func:`fairness_of_proposal` scores one proposal with the Monte Carlo's scorer (the package
  scores draws and structures, not a proposal).
* :func:`structures` runs ``dekomopt structures`` in-process, through the command line's own
  parser, and reads its output folder; it returns the command as the paper prints it.
* :func:`monte_carlo` runs the simulation with its figures' words in the paper's language
  (:data:`FIGURE_LANGUAGE`, as ``dekomopt simulate --lang en``).
"""

from __future__ import annotations

import contextlib
import io
import json
import platform
import subprocess
import sys
import time
import tomllib
from dataclasses import asdict, is_dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w

from dekomopt import __version__ as DEKOMOPT_VERSION
from dekomopt.allocation.model import TIE_WEIGHT
from dekomopt.cli import build_parser
from dekomopt.county import allocation_problem, build_county
from dekomopt.data import data_versions
from dekomopt.errors import DataError, DekomoptError
from dekomopt.metrics import MetricsEngine
from dekomopt.proposal import propose as _propose
from dekomopt.scenario import Scenario, load_scenario
from dekomopt.simulation.runner import simulate
from dekomopt.simulation.sobol import sensitivity

ROOT = Path(__file__).resolve().parents[1]
"""The repository: ``scenarios/`` and ``benchmarks/`` are read from here."""

MC_METRICS = (
    "funding_per_fte",
    "gini_net",
    "theil_net",
    "theil_net_between_share",
    "gap_small_large_net",
    "gap_private_public_net",
    "travel_km",
)
"""The Monte Carlo metrics the paper tabulates (county-wide rows of ``summary.csv``)."""

FIGURE_LANGUAGE = "en"
"""The language of the figures' words: the paper's."""

__all__ = [
    "DEKOMOPT_VERSION",
    "DataError",
    "DekomoptError",
    "FIGURE_LANGUAGE",
    "MC_METRICS",
    "TIE_WEIGHT",
    "benchmark",
    "error_lines",
    "fairness_of_proposal",
    "load",
    "monte_carlo",
    "proposal",
    "scenario_variant",
    "sobol",
    "structures",
    "structures_argv",
    "versions",
]


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def scenario_variant(source: str | Path, changes: dict[str, Any], folder: str | Path) -> Path:
    """The scenario file ``source`` with ``changes`` (nested tables, TOML-like) merged in.

    Without changes this is ``source`` itself. Otherwise the variant is written to
    ``folder/<name of source>``, loaded once to validate it (a bad key raises the package's
    ScenarioError naming the file and key) and its path returned.
    """
    source = Path(source)
    if not changes:
        load_scenario(source)
        return source
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    target = Path(folder) / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(tomli_w.dumps(_merge(data, changes)), encoding="utf-8")
    load_scenario(target)
    return target


def error_lines(exc: DekomoptError) -> list[str]:
    """The package's one-line-per-problem message of a user error."""
    return exc.lines() if isinstance(exc, DataError) else str(exc).splitlines()


def load(path: str | Path) -> Scenario:
    """The validated scenario at ``path``."""
    return load_scenario(path)


def _field(record: Any, name: str) -> Any:
    return record[name] if isinstance(record, dict) else getattr(record, name)


def fairness_of_proposal(scenario: Scenario, owners: pd.DataFrame, regions: pd.DataFrame) -> dict:
    """Every scalar fairness metric of one proposal, scored as the Monte Carlo scores a draw
    (net funding per FTE after travel and coordination costs; FTE-weighted Gini and Theil T
    with the between/within-region split; gaps; Banzhaf power of each region's largest owner).
    """
    problem = allocation_problem(scenario, build_county(scenario))
    if list(problem.region_ids) != list(regions["region"]):
        raise ValueError("the proposal's regions are not in the model's order")
    scorer = MetricsEngine.for_problem(problem, scenario.spec.metrics)
    scores = scorer.score(
        owners["amount_nok"].to_numpy(float)[None],
        regions["partners_nok"].to_numpy(float)[None],
        np.asarray(problem.owner_fte, dtype=float)[None],
        np.asarray(problem.owner_participates, dtype=bool)[None],
    )
    return {name: float(values[0]) for name, values in scores.scalars.items()}


def proposal(path: str | Path) -> dict[str, Any]:
    """The scenario's proposal: regions, rules, budget and the proposal's own fairness."""
    scenario = load_scenario(path)
    p = _propose(scenario)
    regions = p.regions
    region_rows: list[Any] = list(regions.itertuples(index=False))
    rules = [
        {
            "rule": str(_field(r, "rule")),
            "name": str(_field(r, "name")),
            "met": bool(_field(r, "met")),
            "binding": bool(_field(r, "binding")),
        }
        for r in p.rules
    ]
    owners = p.owners
    return {
        "scenario_name": p.scenario_name,
        "county": p.county,
        "regime": p.regime,
        "year": int(p.year),
        "budget_total_nok": int(p.budget_total_nok),
        "budget_nok": int(p.budget_nok),
        "set_asides": [[str(n), int(a)] for n, a in p.set_asides],
        "budget_illustrative": bool(p.budget_illustrative),
        "structure_illustrative": bool(p.structure_illustrative),
        "allocated_nok": int(p.allocation["amount_nok"].sum()),
        "regions": [
            {
                "region": str(row.region),
                "teacher_fte": float(row.teacher_fte),
                "key_share": float(row.key_share),
                "amount_nok": int(row.amount_nok),
                "owners_nok": int(row.owners_nok),
                "partners_nok": int(row.partners_nok),
                "nok_per_fte": float(row.nok_per_fte),
            }
            for row in region_rows
        ],
        "rules": rules,
        "owners": int(len(owners)),
        "owners_private": int((owners["owner_kind"] == "private").sum()),
        "owners_imputed": int(owners["fte_imputed"].sum()),
        "imputed_names": [str(n) for n in owners.loc[owners["fte_imputed"], "owner_name"]],
        "caveats": list(p.caveats),
        "fairness": fairness_of_proposal(scenario, owners, regions),
        "provenance": dict(p.provenance),
    }


def monte_carlo(
    path: str | Path, draws: int, seed: int, out: str | Path, workers: int = 1
) -> dict[str, Any]:
    """``dekomopt simulate`` through its API: the county-wide statistics of :data:`MC_METRICS`
    (mean, sd, 95 % interval, Monte Carlo SE), the draws' status and the figures, their words
    in :data:`FIGURE_LANGUAGE` (``figure_language`` says which, as the run recorded it).
    """
    out = Path(out)
    scenario = load_scenario(path)
    result = simulate(
        scenario,
        out,
        draws=draws,
        seed=seed,
        workers=workers,
        progress=False,
        lang=FIGURE_LANGUAGE,
    )
    summary = result.summary[result.summary["owner"] == ""].set_index("metric")
    rows = []
    for m in MC_METRICS:
        if m not in summary.index:
            continue
        r: Any = summary.loc[m]
        rows.append(
            {
                "metric": m,
                "unit": str(r["unit"]),
                **{k: float(r[k]) for k in ("mean", "sd", "q025", "q975", "mc_se")},
            }
        )
    status = result.draws["status"].value_counts()
    return {
        "draws": int(len(result.draws)),
        "seed": int(seed),
        "status": {str(k): int(v) for k, v in status.items()},
        "uncertainty": scenario.spec.uncertainty.model_dump(mode="json"),
        "metrics": rows,
        "figures": sorted(str(p) for p in result.figures),
        "figure_language": result.provenance.figure_language,
        "out": str(out),
    }


def sobol(path: str | Path, samples: int, seed: int) -> dict[str, Any]:
    """``dekomopt sensitivity`` through its API: S1 and ST with their 95 % intervals for each
    metric and rule parameter, the parameter ranges and the failed model runs."""
    table, record = sensitivity(load_scenario(path), samples, seed)
    facts = asdict(record) if is_dataclass(record) else dict(record)
    return {
        "samples": int(samples),
        "seed": int(seed),
        "model_runs": int(facts["model_runs"]),
        "failed_runs": int(facts["failed_runs"]),
        "parameters": {k: list(v) for k, v in facts["parameters"].items()},
        "output_sd": record.output_sd,
        "no_indices": {m.metric: m.no_indices for m in record.metrics if m.no_indices},
        "indices": [
            {
                "metric": str(r.metric),
                "parameter": str(r.parameter),
                **{k: float(getattr(r, k)) for k in ("S1", "S1_conf", "ST", "ST_conf")},
                "note": str(r.note),
            }
            for r in table.itertuples(index=False)
        ],
    }


def _csv_records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    frame = pd.read_csv(path)
    return json.loads(frame.to_json(orient="records"))


def structures_argv(
    path: str | Path,
    *,
    sample: int | None = None,
    chains: int = 4,
    seed: int | None = None,
) -> list[str]:
    """The ``dekomopt structures`` arguments of one analysis (without ``--out`` and
    ``--workers``, which change where the files go and how fast, not a number): every
    plausible structure (``--enumerate``), or ``sample`` draws; figures in
    :data:`FIGURE_LANGUAGE`."""
    argv = ["structures", str(path)]
    argv += (
        ["--enumerate"] if sample is None else ["--sample", str(sample), "--chains", str(chains)]
    )
    if seed is not None:
        argv += ["--seed", str(seed)]
    return [*argv, "--lang", FIGURE_LANGUAGE]


def structures(
    path: str | Path,
    out: str | Path,
    *,
    sample: int | None = None,
    chains: int = 4,
    seed: int | None = None,
    workers: int = 1,
    shown: str | Path | None = None,
) -> dict[str, Any]:
    """``dekomopt structures`` (enumeration, or ``sample`` draws) run in-process through the
    command line's own parser, read back from its folder.

    Returns the command as a reader types it (``dekomopt structures <shown> …``, ``shown``
    being how the paper names the scenario file, default ``path``), what it printed, its
    provenance, today's percentile table, the Pareto frontier and the figures it drew.
    """
    out = Path(out)
    argv = structures_argv(path, sample=sample, chains=chains, seed=seed)
    args = build_parser().parse_args([*argv, "--out", str(out), "--workers", str(workers)])
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        args.func(args)
    provenance = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    command = ["dekomopt", argv[0], str(path if shown is None else shown), *argv[2:]]
    return {
        "command": " ".join(command),
        "printed": printed.getvalue(),
        "provenance": provenance,
        "outlier": _csv_records(out / "outlier.csv"),
        "frontier": _csv_records(out / "frontier.csv"),
        "figures": sorted(str(p) for p in out.rglob("*.png")),
        "out": str(out),
    }


def benchmark(script: str, args: list[str], timeout: float) -> dict[str, Any]:
    """Run ``benchmarks/<script>`` with ``args``; its printed output, time and exit status."""
    command = [sys.executable, str(ROOT / "benchmarks" / script), *args]
    began = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
        )
        output, status = done.stdout, ("ok" if done.returncode == 0 else "failed")
        if done.returncode:
            output += done.stderr[-2000:]
    except subprocess.TimeoutExpired as exc:
        captured = exc.stdout or ""
        output = captured.decode() if isinstance(captured, bytes) else captured
        status = "timeout"
    return {
        "command": "python benchmarks/" + " ".join([script, *args]),
        "status": status,
        "seconds": round(time.perf_counter() - began, 1),
        "output": output,
    }


def versions() -> dict[str, Any]:
    """Package, data and library versions, Python and the platform."""

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    libraries = ("numpy", "scipy", "pandas", "highspy", "PuLP", "SALib", "matplotlib", "typst")
    return {
        "dekomopt": DEKOMOPT_VERSION,
        "data": data_versions(),
        "libraries": {name: of(name) for name in libraries},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "seeding": "numpy.random.SeedSequence",
    }
