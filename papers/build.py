"""Build the paper: run every analysis through the package, write the results and figures,
compile ``paper.typ`` to PDF.

    python papers/build.py            # the full build (the draws and samples the paper states)
    python papers/build.py --quick    # fewer draws and samples; what the tests run

Outputs (under ``papers/build/`` unless ``--out``): ``results.json`` (every number the
paper prints, raw and as printed), ``figures/``, ``scenarios/`` (the variants the paper
analyses, see :data:`PAPER_CHANGES`), ``runs/`` (each command's own output folder) and
``paper.pdf``.

``--set rogaland-2025:budget.total_nok=25000000`` changes one key of one scenario before
anything runs (repeatable; the value is read as TOML, else as a string).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PAPER = Path(__file__).resolve().parent
sys.path.insert(0, str(PAPER))

import analyses  # noqa: E402  (the paper's one door into the package)

from dekomopt.formats import format_nok  # noqa: E402


@dataclass(frozen=True)
class Mode:
    """How much computing one build does."""

    name: str
    draws: int
    """Monte Carlo draws per scenario."""
    sobol_samples: int
    """Saltelli base samples (a power of 2); model runs = samples × (parameters + 2)."""
    structure_samples: int
    """Structures drawn where they are sampled rather than enumerated."""
    chains: int
    benchmarks: bool
    """Run the project's benchmark scripts (full mode only)."""


QUICK = Mode(
    "quick", draws=400, sobol_samples=16, structure_samples=1_000, chains=2, benchmarks=False
)
FULL = Mode(
    "full", draws=10_000, sobol_samples=256, structure_samples=20_000, chains=4, benchmarks=True
)

GROSS_EQUAL = 1e-5
"""A Gini of gross funding per teacher below this is whole-krone rounding: the key gives every
owner the same amount per teacher."""

SCENARIOS = ("rogaland-2025", "rogaland-2026", "vestland-2026", "nordland-2026")
"""The bundled scenarios the paper analyses, in the order it presents them."""

REFERENCE = "rogaland-2025"
"""The scenario whose ``[metrics]``, ``[uncertainty]`` and ``[structures]`` tables the paper
lends to the scenarios that have none, so that all four are scored alike."""

BENCHMARKS: tuple[tuple[str, list[str]], ...] = (
    ("allocation.py", []),
    ("montecarlo.py", ["--draws", "2000", "--naive-sample", "20", "--long", "0"]),
    # the decision diagram's counting and our ReCom against GerryChain's; the scoring of
    # every structure (several minutes) is left to `python benchmarks/structures.py`
    ("structures.py", ["--only", "counting"]),
    ("structures.py", ["--only", "legacy"]),
)
BENCHMARK_TIMEOUT = 600.0


def _reference_tables() -> dict[str, Any]:
    path = analyses.ROOT / "scenarios" / f"{REFERENCE}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def paper_changes(name: str, mode: Mode) -> dict[str, Any]:
    """What the paper adds to a bundled scenario: the reference's ``[metrics]`` and
    ``[uncertainty]`` tables where the scenario has none, and a ``[structures]`` table
    (the reference's for Rogaland; sampling today's number of regions elsewhere)."""
    ref = _reference_tables()
    own = tomllib.loads((analyses.ROOT / "scenarios" / f"{name}.toml").read_text("utf-8"))
    changes: dict[str, Any] = {}
    for table in ("metrics", "uncertainty"):
        if table not in own:
            changes[table] = ref[table]
    changes["uncertainty"] = {**changes.get("uncertainty", {}), "draws": mode.draws}
    if "structures" not in own:
        if own["scenario"]["county"] == ref["scenario"]["county"]:
            changes["structures"] = ref["structures"]
        else:
            changes["structures"] = {
                "links": "land+sea",
                "method": "sample",
                "samples": mode.structure_samples,
                "chains": mode.chains,
            }
    return changes


class BuildError(Exception):
    """A mistake in the build's own arguments, one line per problem."""


def parse_setting(text: str) -> tuple[str, list[str], Any]:
    """``scenario:table.key=value`` as (scenario, [table, key], value)."""
    try:
        target, value_text = text.split("=", 1)
        scenario, dotted = target.split(":", 1)
    except ValueError:
        raise BuildError(f"--set {text!r}: expected SCENARIO:TABLE.KEY=VALUE") from None
    if scenario not in SCENARIOS:
        raise BuildError(f"--set {text!r}: unknown scenario (one of {', '.join(SCENARIOS)})")
    try:
        value = tomllib.loads(f"v = {value_text}")["v"]
    except tomllib.TOMLDecodeError:
        value = value_text
    return scenario, dotted.split("."), value


def _nest(keys: list[str], value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {keys[-1]: value}
    for key in reversed(keys[:-1]):
        out = {key: out}
    return out


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# -- formatting: every number the paper prints is formatted here, once ----------------------


_SUPERSCRIPT = str.maketrans(
    "-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
)


def num(x: float | None, decimals: int = 0) -> str:
    """``x`` to ``decimals`` decimals, thousands grouped by a no-break space, a decimal point
    and a true minus sign; ``–`` when missing."""
    if x is None or not math.isfinite(x):
        return "–"
    rounded = round(float(x), decimals) + 0.0
    shown = f"{abs(rounded):,.{decimals}f}".replace(",", "\u00a0")
    return ("\u2212" if rounded < 0 else "") + shown


def dec(x: float | None, digits: int = 4) -> str:
    """A unitless value to ``digits`` significant digits (``1.2·10⁻⁵`` when small)."""
    if x is None or not math.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    shown = f"{x:.{digits}g}"
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        shown = f"{mantissa}·10" + str(int(exponent)).translate(_SUPERSCRIPT)
    return shown.replace("-", "\u2212", 1) if shown.startswith("-") else shown


def index(x: float | None) -> str:
    """A Sobol index or its interval half-width, to two decimals."""
    return num(x, 2)


def value_in(unit: str, x: float) -> str:
    """A Monte Carlo statistic in its unit."""
    if unit == "kr/FTE":
        return num(x) + "\u00a0kr"
    if unit == "km":
        return num(x, 1) + "\u00a0km"
    return dec(x)


def standard_error_in(unit: str, x: float) -> str:
    """A Monte Carlo standard error in its unit, to at least two significant digits (so that
    no nonzero error shows as 0)."""
    if unit not in ("kr/FTE", "km") or x is None or not math.isfinite(x) or x == 0:
        return value_in(unit, x)
    shown = {"kr/FTE": 0, "km": 1}[unit]
    decimals = max(shown, 1 - math.floor(math.log10(abs(x))))
    return num(x, decimals) + "\u00a0" + ("kr" if unit == "kr/FTE" else "km")


def fmt_proposal(p: dict[str, Any]) -> dict[str, Any]:
    f = p["fairness"]
    return {
        "budget_total": format_nok(p["budget_total_nok"]),
        "budget": format_nok(p["budget_nok"]),
        "allocated": format_nok(p["allocated_nok"]),
        "set_asides": [[n, format_nok(a)] for n, a in p["set_asides"]],
        "regions": [
            {
                "region": r["region"],
                "fte": num(r["teacher_fte"], 1),
                "key": num(100 * r["key_share"], 2) + "\u00a0%",
                "amount": format_nok(r["amount_nok"]),
                "partners": format_nok(r["partners_nok"]),
                "per_fte": format_nok(r["nok_per_fte"]),
            }
            for r in p["regions"]
        ],
        "rules_met": sum(r["met"] for r in p["rules"]),
        "rules_checked": len(p["rules"]),
        "binding": sorted({r["rule"] for r in p["rules"] if r["binding"]}),
        "gini_net": dec(f["gini_net"]),
        "theil_net": dec(f["theil_net"]),
        "theil_between_share": dec(f["theil_net_between_share"], 3),
        "gap_small_large": format_nok(f["gap_small_large_net"]) + "/FTE",
        "gap_private_public": format_nok(f["gap_private_public_net"]) + "/FTE",
        "travel_km": num(f["travel_km"], 1) + "\u00a0km",
        "power": [
            [k.removeprefix("power_largest_"), dec(v, 3)]
            for k, v in f.items()
            if k.startswith("power_largest_")
        ],
        "decides_alone": sum(v >= 1 - 1e-9 for k, v in f.items() if k.startswith("power_largest_")),
        "gross_equal": f["gini_gross"] < GROSS_EQUAL,
        "small_word": _direction(f["gap_small_large_net"]),
        "private_word": _direction(f["gap_private_public_net"]),
    }


STEPS = ("proposal", "monte_carlo", "sobol", "structures")
"""The analyses of one scenario, in the order the build runs them and times them."""


class Stopwatch:
    """Seconds per step, each from the end of the one before (to a tenth of a second)."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, step: str) -> None:
        """Record the seconds since the last lap as ``step``'s, and the running total."""
        now = time.perf_counter()
        self.laps[step] = round(now - self.last, 1)
        self.laps["total"] = round(now - self.start, 1)
        self.last = now


def fmt_timings(timings: dict[str, dict[str, float]]) -> list[dict[str, str]]:
    """One row per scenario: the seconds of each step (:data:`STEPS`) and of all of them."""
    return [
        {"scenario": name, **{step: num(t[step], 1) for step in (*STEPS, "total")}}
        for name, t in timings.items()
    ]


def _direction(gap: float) -> str:
    """How a group's mean compares with the other's, in words."""
    return "less" if gap < -0.5 else ("more" if gap > 0.5 else "the same")


def fmt_mc(mc: dict[str, Any]) -> dict[str, Any]:
    between = next((r for r in mc["metrics"] if r["metric"] == "theil_net_between_share"), None)
    return {
        "between_interval": "–"
        if between is None
        else f"{dec(between['q025'], 3)} – {dec(between['q975'], 3)}",
        "draws": num(mc["draws"]),
        "status": ", ".join(f"{num(n)} {k}" for k, n in sorted(mc["status"].items())),
        "metrics": [
            {
                "metric": r["metric"],
                "mean": value_in(r["unit"], r["mean"]),
                "interval": f"{value_in(r['unit'], r['q025'])} – {value_in(r['unit'], r['q975'])}",
                "se": standard_error_in(r["unit"], r["mc_se"]),
            }
            for r in mc["metrics"]
        ],
    }


def fmt_sobol(s: dict[str, Any]) -> dict[str, Any]:
    metric = "theil_net_between_share"
    rows = [r for r in s["indices"] if r["metric"] == metric]
    return {
        "samples": num(s["samples"]),
        "runs": num(s["model_runs"]),
        "failed": num(s["failed_runs"]),
        "metric": metric,
        "ranges": [[k, f"{dec(lo, 3)} – {dec(hi, 3)}"] for k, (lo, hi) in s["parameters"].items()],
        "rows": [
            {
                "parameter": r["parameter"],
                "S1": f"{index(r['S1'])} ± {index(r['S1_conf'])}",
                "ST": f"{index(r['ST'])} ± {index(r['ST_conf'])}",
                "note": r.get("note", ""),
            }
            for r in rows
        ],
        "all_nan": all(not math.isfinite(r["ST"]) for r in rows),
        "why": s.get("no_indices", {}).get(metric, ""),
    }


def _structure_id(value: Any) -> str:
    """A structure's number as the structures command prints it; today's has none."""
    return "today" if value is None or value != value else str(int(value))


def reference_counts(row: dict[str, Any], sampled: bool) -> str:
    """What one percentile is over: "1 663 of 1 939 structures" (enumerated) or "356 of
    1 000 draws" (sampled), from ``outlier.csv``'s ``used`` and ``left_out``."""
    used, left = int(row["used"]), int(row["left_out"])
    unit = "draws" if sampled else "structures"
    return f"{num(used)} of {num(used + left)} {unit}"


def _outlier_row(r: dict[str, Any], sampled: bool) -> dict[str, str]:
    """One percentile row as the paper prints it. Sampled, a score the same in every draw is
    said of the structures drawn; enumerated, a percentile with no structure strictly below
    (above) today says that today's value is the lowest (highest) possible."""
    lo, hi = r.get("interval_lo"), r.get("interval_hi")
    if r.get("same_for_every_structure"):
        percentile = "–"
        interval = (
            "the same in every structure drawn" if sampled else "the same for every structure"
        )
    elif int(r["used"]) == 0:
        percentile = "–"
        interval = "no structure drawn has a value" if sampled else "no structure has a value"
    else:
        percentile = num(r["percentile"], 1)
        if not sampled and r.get("below") == 0:
            percentile += " (lowest possible)"
        elif not sampled and r.get("above") == 0:
            percentile += " (highest possible)"
        interval = "exact" if lo == hi else f"{num(lo, 1)} – {num(hi, 1)}"
    return {
        "metric": r["metric"],
        "law": r["law"],
        "today": dec(r["today"]),
        "percentile": percentile,
        "interval": interval,
        "over": reference_counts(r, sampled),
        "left_out": int(r["left_out"]),
    }


def _why_left_out(prov: dict[str, Any]) -> list[str]:
    """The command's own notes on why structures have no value for a score."""
    return [str(n) for n in prov.get("notes", []) if "undefined" in str(n)]


NEGATIVE_NET = "net funding is below zero"
"""How the structures command's note says that Theil T is undefined in a structure because an
owner's net funding is below zero."""


def _why_between_left_out(prov: dict[str, Any]) -> str:
    """Why the between-region share has no value in some structures, in the paper's words when
    the command gives the one reason the paper explains, else the command's notes."""
    notes = _why_left_out(prov)
    if len(notes) == 1 and NEGATIVE_NET in notes[0]:
        return (
            "some owner’s net funding per teacher is below zero (its region’s coordination "
            "cost exceeds its funds), and Theil T, a logarithm, has no value"
        )
    return "; ".join(f"“{n}”" for n in notes)


def fmt_structures(st: dict[str, Any]) -> dict[str, Any]:
    prov = st["provenance"]
    sampled = prov.get("draws") is not None
    outlier = [_outlier_row(r, sampled) for r in st["outlier"]]
    today_row = next((r for r in st["frontier"] if r.get("is_today")), None)
    alternatives = [r for r in st["frontier"] if not r.get("is_today")]
    today_id = prov.get("today_structure_id")
    today_on = today_row is not None and bool(today_row.get("on_frontier"))
    today_label = (
        f"today (on the frontier as #{today_id})" if today_on else "today (not on the frontier)"
    )
    frontier = [
        {
            "id": today_label if r.get("is_today") else _structure_id(r["structure_id"]),
            "theil_between_share": dec(r["theil_between_share"], 3),
            "travel_km": num(r["travel_km"], 1),
            "regions": num(r["n_regions"]),
            "gini": dec(r["gini"], 4),
            "dominates": "–" if r.get("is_today") else ("yes" if r["dominates_today"] else "no"),
        }
        for r in ([today_row] if today_row is not None else []) + alternatives[:10]
    ]
    best = min(alternatives, key=lambda r: r["theil_between_share"], default=None)
    today = {r["metric"]: r["today"] for r in st["outlier"]}
    between = next(
        (
            r
            for r in st["outlier"]
            if r["metric"] == "theil_between_share" and r["law"] != "spanning-tree"
        ),
        None,
    )
    maps = prov.get("maps", {})
    return {
        "best": None
        if best is None
        else {
            "id": _structure_id(best["structure_id"]),
            "theil_between_share": dec(best["theil_between_share"], 3),
            "travel_km": num(best["travel_km"], 1),
            "gini": dec(best["gini"], 4),
        },
        "today_between": dec(today.get("theil_between_share"), 3),
        "today_travel": num(today.get("travel_km"), 1),
        "today_gini": dec(today.get("gini"), 4),
        "method": prov.get("method", ""),
        "sampled": sampled,
        "reference": prov.get("reference"),
        "structures": num(prov.get("structures")),
        "draws": num(prov.get("draws")),
        "region_counts": "/".join(str(k) for k in prov.get("region_counts", [])),
        "today_plausible": bool(prov.get("today_plausible")),
        "today_id": None
        if prov.get("today_structure_id") is None
        else str(prov["today_structure_id"]),
        "today_breaks": prov.get("today_breaks"),
        "plausible": num(sum(int(c["count"]) for c in prov.get("plausible", {}).values())),
        "command": st["command"],
        "printed": st["printed"],
        "outlier": outlier,
        "between_over": None if between is None else reference_counts(between, sampled),
        "between_left_out": None if between is None else num(between["left_out"]),
        "why_left_out": _why_left_out(prov),
        "why_between_left_out": _why_between_left_out(prov),
        "frontier": frontier,
        "frontier_size": num(sum(bool(r.get("on_frontier")) for r in st["frontier"])),
        "frontier_over": prov["frontier"]["over"].replace("'", "’"),
        "dominating": num(len(prov["frontier"]["dominating_today"])),
        "dominating_on_frontier": num(sum(bool(r["dominates_today"]) for r in alternatives)),
        "map_ids": [str(i) for i in maps.get(MAP_FIGURE, [])],
    }


def _fairest_travels_more(st: dict[str, Any]) -> bool:
    """Whether the frontier structure with the lowest between-region share has a longer mean
    travel than today's structure."""
    alternatives = [r for r in st["frontier"] if not r.get("is_today")]
    best = min(alternatives, key=lambda r: r["theil_between_share"], default=None)
    today = next((o["today"] for o in st["outlier"] if o["metric"] == "travel_km"), None)
    return best is not None and today is not None and best["travel_km"] > today


def attempt(
    label: str, analysis: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any
) -> dict[str, Any]:
    """The analysis's results, or ``{"error": ...}`` when the package fails in it.

    A failing analysis does not stop the build: the paper states the failure in place of the
    results (and in a list at its end), and the build says it on stderr.
    """
    try:
        return analysis(*args, **kwargs)
    except Exception as exc:  # the paper reports any failure of the package, word for word
        message = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        print(f"warning: {label} failed: {message}", file=sys.stderr, flush=True)
        return {"error": message}


def _unless_failed(
    fmt: Callable[[dict[str, Any]], dict[str, Any]], result: dict[str, Any]
) -> dict[str, Any]:
    return {"error": result["error"]} if "error" in result else fmt(result)


# -- the build --------------------------------------------------------------------------------


def _copy_figure(source: str | None, target: Path) -> str | None:
    if source is None or not Path(source).exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return str(target)


MAP_FIGURE = "map_today_and_frontier.png"
"""The map the paper shows: today's structure and the first frontier structures (their
numbers are in the structures command's provenance, ``maps``)."""

MC_FIGURE = "theil_split.png"
"""The Monte Carlo figure the paper shows: net Theil T split between and within regions."""


def _pick(paths: list[str], name: str) -> str | None:
    """The path among ``paths`` whose file name is exactly ``name``."""
    return next((p for p in paths if Path(p).name == name), None)


@dataclass(frozen=True)
class Variant:
    """A scenario as the paper analyses it."""

    name: str
    path: Path
    changes: dict[str, Any]
    overridden: bool


def prepare(mode: Mode, out: Path, settings: list[str]) -> list[Variant]:
    """Every scenario variant written and validated before anything runs; every problem with
    the settings or a variant raises BuildError, one line each."""
    overrides: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for text in settings:
        try:
            target, keys, value = parse_setting(text)
        except BuildError as exc:
            problems.append(str(exc))
            continue
        overrides[target] = _merge(overrides.get(target, {}), _nest(keys, value))
    variants = []
    for name in SCENARIOS:
        changes = _merge(paper_changes(name, mode), overrides.get(name, {}))
        source = analyses.ROOT / "scenarios" / f"{name}.toml"
        try:
            path = analyses.scenario_variant(source, changes, out / "scenarios")
        except analyses.DekomoptError as exc:
            problems += analyses.error_lines(exc)
            continue
        variants.append(Variant(name, path, changes, bool(overrides.get(name))))
    if problems:
        raise BuildError("\n".join(problems))
    return variants


def run(mode: Mode, out: Path, variants: list[Variant], workers: int) -> dict[str, Any]:
    """Every analysis of every scenario; returns the results document."""
    began = time.perf_counter()
    doc: dict[str, Any] = {
        "mode": asdict(mode),
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python papers/build.py", *sys.argv[1:]]),
        "versions": analyses.versions(),
        "workers": workers,
        "cpus": os.cpu_count(),
        "scenarios": {},
        "timings": {},
    }
    for variant in variants:
        clock = Stopwatch()
        name, path, changes = variant.name, variant.path, variant.changes
        scenario = analyses.load(path)
        seed = scenario.spec.scenario.seed
        runs = out / "runs" / name
        entry: dict[str, Any] = {
            "file": str(
                path.relative_to(analyses.ROOT) if path.is_relative_to(analyses.ROOT) else path
            ),
            "source": f"scenarios/{name}.toml",
            "sha256": scenario.sha256,
            "seed": seed,
            "changes": changes,
            "changes_text": [
                f"[{table}] "
                + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in keys.items())
                for table, keys in changes.items()
            ],
            "overridden": variant.overridden,
        }
        print(f"{name}: proposal", file=sys.stderr, flush=True)
        entry["proposal"] = analyses.proposal(path)
        clock.lap("proposal")
        print(f"{name}: Monte Carlo, {mode.draws} draws", file=sys.stderr, flush=True)
        entry["monte_carlo"] = attempt(
            f"{name}: Monte Carlo",
            analyses.monte_carlo,
            path,
            mode.draws,
            seed,
            runs / "simulation",
            workers=workers,
        )
        clock.lap("monte_carlo")
        print(f"{name}: Sobol, {mode.sobol_samples} base samples", file=sys.stderr, flush=True)
        entry["sobol"] = attempt(f"{name}: Sobol", analyses.sobol, path, mode.sobol_samples, seed)
        clock.lap("sobol")
        print(f"{name}: structures", file=sys.stderr, flush=True)
        spec = scenario.spec.structures
        entry["structures"] = attempt(
            f"{name}: structures",
            analyses.structures,
            path,
            runs / "structures",
            sample=None if spec.method == "enumerate" else mode.structure_samples,
            chains=mode.chains,
            seed=seed,
            workers=workers,
            shown=entry["file"],
        )
        clock.lap("structures")
        figures = out / "figures"
        mc_figures = entry["monte_carlo"].get("figures", [])
        st_figures = entry["structures"].get("figures", [])
        entry["figures"] = {
            "mc": _copy_figure(_pick(mc_figures, MC_FIGURE), figures / f"{name}-montecarlo.png"),
            "map": _copy_figure(_pick(st_figures, MAP_FIGURE), figures / f"{name}-map.png"),
        }
        entry["fmt"] = {
            "proposal": fmt_proposal(entry["proposal"]),
            "monte_carlo": _unless_failed(fmt_mc, entry["monte_carlo"]),
            "sobol": _unless_failed(fmt_sobol, entry["sobol"]),
            "structures": _unless_failed(fmt_structures, entry["structures"]),
        }
        doc["scenarios"][name] = entry
        doc["timings"][name] = clock.laps
    doc["benchmarks"] = (
        [analyses.benchmark(s, a, BENCHMARK_TIMEOUT) for s, a in BENCHMARKS]
        if mode.benchmarks
        else []
    )
    doc["benchmark_seconds"] = round(sum(float(b["seconds"]) for b in doc["benchmarks"]), 1)
    doc["tradeoff_everywhere"] = all(
        "error" not in s["structures"] and _fairest_travels_more(s["structures"])
        for s in doc["scenarios"].values()
    )
    doc["failures"] = [
        f"{name}, {part}: {s[part]['error']}"
        for name, s in doc["scenarios"].items()
        for part in ("monte_carlo", "sobol", "structures")
        if "error" in s[part]
    ]
    doc["seconds"] = round(time.perf_counter() - began, 1)
    doc["fmt"] = {
        "draws": num(mode.draws),
        "sobol_samples": num(mode.sobol_samples),
        "structure_samples": num(mode.structure_samples),
        "chains": str(mode.chains),
        "seconds": num(doc["seconds"], 0),
        "benchmark_seconds": num(doc["benchmark_seconds"], 0),
        "timings": fmt_timings(doc["timings"]),
        "gross_equal": dec(GROSS_EQUAL),
        "tie_weight": dec(analyses.TIE_WEIGHT),
    }
    return doc


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by None (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def compile_pdf(results: Path, pdf: Path) -> None:
    """Typst, offline, with its embedded fonts only: ``paper.typ`` reading ``results``."""
    import typst

    typst.compile(
        str(PAPER / "paper.typ"),
        output=str(pdf),
        root="/",
        ignore_system_fonts=True,
        sys_inputs={"results": str(results.resolve())},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer draws and samples")
    parser.add_argument("--out", type=Path, default=PAPER / "build", help="output folder")
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="SCENARIO:TABLE.KEY=VALUE",
        help="change one scenario key",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    mode = QUICK if args.quick else FULL
    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    try:
        doc = run(mode, out, prepare(mode, out, args.settings), args.workers)
    except BuildError as exc:
        lines = str(exc).splitlines()
    except analyses.DekomoptError as exc:
        lines = analyses.error_lines(exc)
    else:
        lines = []
    if lines:
        for line in lines:
            print(f"error: {line}", file=sys.stderr)
        return 2
    results = out / "results.json"
    results.write_text(
        json.dumps(finite(doc), indent=1, ensure_ascii=False, default=str) + "\n", "utf-8"
    )
    compile_pdf(results, out / "paper.pdf")
    print(f"results: {results}")
    print(f"paper:   {out / 'paper.pdf'} ({mode.name} build, {doc['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
