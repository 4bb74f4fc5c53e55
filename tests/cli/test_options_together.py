"""Options that do nothing without another are refused with the other bad options."""

from __future__ import annotations

import pytest

from dekomopt.cli import main


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["propose", "scenarios/rogaland-2025.toml", "--slack", "0.1"],
            "argument --slack: only takes effect with --alternatives",
        ),
        (
            ["report", "scenarios/rogaland-2025.toml", "--slack", "0.1"],
            "argument --slack: only takes effect with --alternatives",
        ),
        (
            ["simulate", "scenarios/rogaland-2025.toml", "--connect-timeout", "5"],
            "argument --connect-timeout: only takes effect with --scheduler",
        ),
    ],
)
def test_an_option_without_the_one_it_needs_is_refused(args, line, tmp_path, capsys):
    assert main([*args, "--out", str(tmp_path / "out"), "--bogus"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert any(line in e for e in err), err
    assert any("'--bogus'" in e for e in err), err
    assert not (tmp_path / "out").exists()
