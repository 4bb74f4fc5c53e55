"""The command line: help, version, validate on a bundled scenario."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dekomopt import __version__
from dekomopt.cli import main

ROGALAND = Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2025.toml"


def test_version(capsys):
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_help_lists_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "validate" in out


def test_validate_prints_summary(capsys):
    assert main(["validate", str(ROGALAND)]) == 0
    out = capsys.readouterr().out
    assert "Rogaland (11)" in out
    assert "Karmøy (1149) listed twice" in out
    assert "imputed    0 of 24" in out
    assert "30\u00a0000\u00a0000\u00a0kr (illustrative)" in out


def test_installed_entry_point_exit_code_two_without_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario]\nname = 3\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "dekomopt.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "bad.toml: scenario.name" in run.stderr


def test_missing_optional_package_is_one_line(monkeypatch, capsys):
    import dekomopt.cli as cli

    def needs_salib(args):
        raise ModuleNotFoundError("No module named 'SALib'", name="SALib")

    monkeypatch.setattr(cli, "cmd_validate", needs_salib)
    assert cli.main(["validate", str(ROGALAND)]) == 2
    err = capsys.readouterr().err
    assert "pip install 'dekomopt[sensitivity]'" in err
