"""The ``propose`` output folder: which files are the command's, and which it must not write.

An output folder holds one run's files (:func:`~dekomopt.runfolder.staged`): a run removes
the files an earlier ``propose`` wrote there (:func:`earlier_outputs`) and never any other
file. It writes no file over a file it reads (:func:`overwritten_inputs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from dekomopt.errors import DataError

if TYPE_CHECKING:
    from dekomopt.county.model import County
    from dekomopt.scenario import Scenario

TABLE_FILES = ("allocation.csv", "regions.csv", "owners.csv", "partners.csv")
RECORD_FILES = ("rules.json", "provenance.json")
REPORT_FILENAMES: dict[str, str] = {"nb": "rapport.html", "nn": "rapport.html", "en": "report.html"}
"""The report's file per language; its PDF has the same name ending in ``.pdf``."""
WORKBOOK_FILENAMES: dict[str, str] = {
    "nb": "forslag.xlsx",
    "nn": "forslag.xlsx",
    "en": "proposal.xlsx",
}
REPORT_FILES = tuple(
    dict.fromkeys(
        [
            *(
                name
                for html in REPORT_FILENAMES.values()
                for name in (html, html.replace(".html", ".pdf"))
            ),
            *WORKBOOK_FILENAMES.values(),
        ]
    )
)
"""The report, its PDF and the workbook in every language (nb and nn share the names)."""
ALTERNATIVE_FILE = re.compile(r"alternative-[0-9]+-(regions|recipients)\.csv")
YEAR_FOLDER = re.compile(r"[0-9]{4}")
"""A plan over several years writes each year's files into a folder named by the year."""

_FILES = frozenset((*TABLE_FILES, *RECORD_FILES, *REPORT_FILES))


def is_output_file(name: str) -> bool:
    """Whether ``name`` is a file name ``propose`` writes in a run's (or a year's) folder."""
    return name in _FILES or ALTERNATIVE_FILE.fullmatch(name) is not None


def _foreign(folder: Path) -> list[str]:
    """The entries of a year folder that ``propose`` does not write."""
    return sorted(p.name for p in folder.iterdir() if p.is_dir() or not is_output_file(p.name))


def earlier_outputs(folder: Path) -> list[str]:
    """The names in ``folder`` an earlier ``propose`` run wrote: its tables, records, report
    files, alternatives, and year folders holding nothing else (a year folder with other
    files is not the command's)."""
    if not folder.is_dir():
        return []

    def ours(path: Path) -> bool:
        if path.is_dir():
            return YEAR_FOLDER.fullmatch(path.name) is not None and not _foreign(path)
        return is_output_file(path.name)

    return [path.name for path in sorted(folder.iterdir()) if ours(path)]


def run_outputs(folder: Path, years: Iterable[int], n_alternatives: int) -> list[str]:
    """Every name a run may write into ``folder`` (one folder per year when ``years`` has
    more than one) together with the earlier run's outputs there: what the run replaces.

    Raises DataError when a year folder the run writes holds files of its own (they would be
    lost with the folder)."""
    years = list(years)
    if len(years) > 1:
        own = [str(y) for y in years]
        lines = []
        for name in own:
            held = _foreign(folder / name) if (folder / name).is_dir() else []
            if held:
                lines.append(
                    f"{folder / name} holds {', '.join(held)}, which dekomopt propose does not "
                    "write; move them or give another --out"
                )
        if lines:
            raise DataError("--out", "", lines[0], tuple(("", line) for line in lines[1:]))
    else:
        alternatives = [
            f"alternative-{i}-{part}.csv"
            for i in range(1, n_alternatives + 1)
            for part in ("regions", "recipients")
        ]
        own = [*TABLE_FILES, *RECORD_FILES, *REPORT_FILES, *alternatives]
    return list(dict.fromkeys([*own, *earlier_outputs(folder)]))


def input_paths(scenario: Scenario, county: County) -> list[tuple[str, Path]]:
    """The files a run reads, each with what named it: the scenario, and every file it (or
    ``--previous``, relative to the working folder) names."""
    from dekomopt.scenario.files import split_sheet

    out = [("the scenario", scenario.path)]
    for record in county.input_files:
        path, _sheet = split_sheet(Path(record.path))
        out.append(
            (record.key, path if record.key == "--previous" else scenario.resolve(str(path)))
        )
    return out


def overwritten_inputs(
    folder: Path, outputs: Iterable[str], inputs: Iterable[tuple[str, Path]]
) -> list[str]:
    """One line per input file (``(what named it, path)``) that writing or replacing
    ``outputs`` in ``folder`` would overwrite or remove; empty when there is none."""
    targets = [(folder / name).resolve() for name in outputs]
    lines = []
    for what, path in inputs:
        where = path.resolve()
        hit = next((t for t in targets if where == t or t in where.parents), None)
        if hit is not None:
            lines.append(
                f"--out {folder}: the run would overwrite {path} ({what}), which it reads; "
                "give another --out, or copy the file elsewhere and name the copy"
            )
    return lines
