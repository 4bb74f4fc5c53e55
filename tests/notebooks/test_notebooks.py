"""Every notebook runs top to bottom in quick mode, without warnings, and writes its results
where it says (its own folder under ``DEKOMOPT_OUT``); notebooks are committed without
outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def _outputs(nb, name: str) -> str:
    return "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "stream" and o.get("name") == name
    )


def test_the_researchers_notebooks_are_there():
    assert {p.stem for p in NOTEBOOKS} >= {
        "fairness-under-uncertainty",
        "region-structures",
        "sensitivity",
        "rogaland-proposal",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_is_committed_without_outputs(path, monkeypatch, tmp_path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert "DEKOMOPT_OUT" in nb.cells[0].source  # the first cell says where results go
    monkeypatch.setenv("DEKOMOPT_QUICK", "1")
    monkeypatch.setenv("DEKOMOPT_OUT", str(tmp_path))
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = _outputs(nb, "stderr")
    assert "Warning" not in errors, errors
    written = [
        Path(line.removeprefix("written: ").split(" (")[0])
        for line in _outputs(nb, "stdout").splitlines()
        if line.startswith("written: ")
    ]
    assert written, "the notebook does not say where it wrote its results"
    for target in written:
        assert target.is_absolute() and target.exists(), target
        assert target.is_relative_to(tmp_path / path.stem), target
