"""What a Monte Carlo run records about itself (``provenance.json``): the keys of the record
every command writes (:class:`dekomopt.proposal.record.Provenance`: scenario file and hashes,
data versions, seed, solver, package and Python versions, the files it names as read), the
versions of the libraries that shape the numbers, and the run's own: sizes, workers, times,
the draws' outcome."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from dekomopt.allocation.highs import solver_name
from dekomopt.formats import stored
from dekomopt.metrics import RESOLUTION_FTE
from dekomopt.notes import Note
from dekomopt.scenario import Scenario
from dekomopt.scenario.files import InputFile
from dekomopt.simulation.stats import StopCheck

CHECKED_FIELDS = (
    "scenario_content_sha256",
    "seed",
    "draws",
    "chunk_size",
    "package_version",
    "solver",
)
"""Fields a resumed run must share with the run it continues."""


@dataclass(frozen=True)
class Outcome:
    """How the run ended: draws used, chunks joined, whether the stop rule ended it early,
    the draws by status and the infeasible share against the scenario's limit."""

    draws_done: int
    chunks_used: int
    stopped_early: bool
    optimal: int
    infeasible: int
    infeasible_share: float
    max_infeasible_share: float
    stop_rule: StopCheck | None
    """The stop rule over the draws used (None without ``target_se``): the metrics it
    checked, those still at or above their unit's target, and the largest against its
    target; the CLI's "target SE reached" is :attr:`StopCheck.reached`."""
    finished: str
    wall_seconds: float

    @property
    def too_many_infeasible(self) -> bool:
        """Whether more draws were infeasible than ``[uncertainty] max_infeasible_share``."""
        return self.infeasible_share > self.max_infeasible_share


def _kindergarten_key(scenario: Scenario) -> str | None:
    spec = scenario.spec
    if spec.scenario.regime != "kollektiv-2026":
        return None
    if spec.owners.kindergarten_fte is None:
        return "teacher FTEs as drawn (no kindergarten staff file)"
    return (
        f"kindergarten staff from {spec.owners.kindergarten_fte}, the same in every draw; a "
        "non-participating owner's staff leave the key"
    )


@dataclass(frozen=True)
class Provenance:
    """The run's record; :attr:`outcome` is None and :attr:`status` "incomplete" until the
    run has finished."""

    scenario_file: str
    scenario_path: str
    scenario_sha256: str
    scenario_content_sha256: str
    scenario_name: str
    year: int
    seed: int
    draws: int
    """The draws asked for (``--draws`` or the scenario's); ``outcome.draws_done`` is how many
    the results hold."""
    chunk_size: int
    target_se: dict[str, float] | None
    """The stop rule's target per unit (``unitless``, ``kr/FTE``, …), None without one."""
    uncertainty: dict[str, Any]
    """The scenario's ``[uncertainty]`` table without ``draws``, ``chunk_size`` and
    ``target_se``: what the run used of those is :attr:`draws`, :attr:`chunk_size` and
    :attr:`target_se` (the command line may replace the scenario's)."""
    metrics: dict[str, Any]
    solver: str
    package_version: str
    python: str
    libraries: dict[str, str]
    """Versions of the libraries that shape the numbers (draws, solver, metrics, files)."""
    data_versions: dict[str, Any]
    workers: int
    scheduler: str | None
    resumed: bool
    input_files: tuple[InputFile, ...] = ()
    """The files the scenario named, as read (:meth:`InputFile.record`, as in every
    provenance.json)."""
    caveats: tuple[Note, ...] = ()
    """What the figures rest on, as propose states it (imputed FTEs, unknown partner places)."""
    scope: str = ""
    """The county or Statsforvalter office, e.g. "Agder (42)"."""
    rounding: str = "whole kroner per draw, as the allocator rounds (allocation.rounding)"
    created: str = field(default_factory=lambda: _now())
    seeding: str = "numpy.random.SeedSequence(seed).spawn(n_chunks)[chunk]"
    power: str = f"normalised Banzhaf index, exact, FTE weights in steps of {RESOLUTION_FTE}"
    mc_standard_error: str = "sd / sqrt(n) (independent draws)"
    kindergarten_key: str | None = None
    """What shares the kindergarten part in the draws (the 2026 regime), None without one."""
    figure_language: str = "nb"
    """The language of the figures' words (nb, nn or en); the numbers are the same."""
    status: Literal["incomplete", "complete"] = "incomplete"
    """"incomplete" while the run goes on and after it stopped: its folder then holds this
    run's finished chunks and no results (``--resume`` goes on); "complete" once
    ``draws.parquet``, ``owners.parquet``, ``summary.csv`` and the figures are written."""
    outcome: Outcome | None = None

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        *,
        seed: int,
        draws: int,
        chunk_size: int,
        target_se: dict[str, float] | None,
        workers: int,
        scheduler: str | None,
        resumed: bool,
        figure_language: str = "nb",
    ) -> Provenance:
        """The record of a run of ``scenario`` about to start."""
        from dekomopt import __version__
        from dekomopt.data import data_versions

        return cls(
            scenario_file=scenario.path.name,
            scenario_path=str(scenario.path),
            scenario_sha256=scenario.sha256,
            scenario_content_sha256=scenario.content_sha256,
            scenario_name=scenario.spec.scenario.name,
            year=scenario.spec.scenario.year,
            seed=seed,
            draws=draws,
            chunk_size=chunk_size,
            target_se=target_se,
            uncertainty=scenario.spec.uncertainty.model_dump(
                mode="json", exclude={"draws", "chunk_size", "target_se"}
            ),
            metrics=scenario.spec.metrics.model_dump(mode="json"),
            solver=solver_name(),
            package_version=__version__,
            python=platform.python_version(),
            libraries=library_versions(),
            data_versions=data_versions(),
            workers=1 if scheduler else workers,
            scheduler=scheduler,
            resumed=resumed,
            kindergarten_key=_kindergarten_key(scenario),
            figure_language=figure_language,
        )

    def finished(self, outcome: Outcome) -> Provenance:
        """This record with the run's outcome, complete."""
        return replace(self, outcome=outcome, status="complete")

    def to_json(self) -> str:
        """The contents of ``provenance.json``."""
        record = asdict(self)
        record["input_files"] = [f.record() for f in self.input_files]
        record["caveats"] = list(self.caveats)
        return json.dumps(stored(record), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


LIBRARIES = ("numpy", "scipy", "highspy", "pyarrow", "pandas", "SALib")
"""The libraries whose versions a run records (random draws, solver, statistics, files)."""


def library_versions() -> dict[str, str]:
    """Installed version of each of :data:`LIBRARIES` (those installed)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
