"""Hypothesis over argument lists of every command: exit status 0 or 2, never a traceback.

The heavy work is made small, not skipped: ``simulate`` runs at most 20 draws in one process,
``sensitivity`` reuses one small Sobol result, and ``propose``, ``report`` and ``structures``
stop after their arguments are parsed (their numbers are all checked by the parser).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import dekomopt.cli as cli
from dekomopt.cli import build_parser, main

ROGALAND = str(Path(__file__).resolve().parents[2] / "scenarios" / "rogaland-2025.toml")

NUMBERS = st.one_of(
    st.sampled_from(["1", "2", "3", "8"]),
    st.sampled_from(["0", "-1", "-7", "100", "1e3", "2.5", "nan", "inf", "-0", "10" * 10, "x", ""]),
)
OPTIONS: dict[str, dict[str, st.SearchStrategy[str] | None]] = {
    "validate": {},
    "init": {"--year": NUMBERS, "--regions": NUMBERS},
    "national": {"--total-nok": NUMBERS, "--year": NUMBERS},
    "propose": {
        "--alternatives": NUMBERS,
        "--slack": NUMBERS,
        "--lang": st.just("nn"),
        "--write-lp": st.sampled_from(["model.lp", "model.txt"]),
    },
    "report": {"--alternatives": NUMBERS, "--slack": NUMBERS},
    "simulate": {
        "--draws": NUMBERS,
        "--seed": NUMBERS,
        "--workers": NUMBERS,
        "--scheduler": st.sampled_from(["tcp://127.0.0.1:1", "nonsense"]),
        "--connect-timeout": NUMBERS,
        "--resume": None,
    },
    "sensitivity": {"--samples": NUMBERS, "--seed": NUMBERS},
    "structures": {
        "--enumerate": None,
        "--sample": NUMBERS,
        "--chains": NUMBERS,
        "--workers": NUMBERS,
        "--seed": NUMBERS,
    },
    "partitions": {
        "--parts": NUMBERS,
        "--balance": NUMBERS,
        "--count": None,
        "--enumerate": None,
    },
}


def test_every_command_is_fuzzed():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert set(commands) == set(OPTIONS)


@st.composite
def argument_lists(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    args = [command]
    if command != "partitions" and draw(st.integers(0, 9)) > 0 or draw(st.integers(0, 9)) == 0:
        args.append(draw(st.sampled_from([ROGALAND] * 6 + ["missing.toml", "--help"])))
    if command == "partitions":
        args += ["--edges", draw(st.sampled_from(["EDGES", "missing.csv"]))]
    options = OPTIONS[command]
    for name in draw(st.lists(st.sampled_from(sorted(options) or ["--out"]), max_size=4)):
        value = options.get(name)
        args.append(name)
        if value is not None:
            args.append(draw(value))
    if draw(st.integers(0, 9)) == 0:
        args.append(draw(st.sampled_from(["--bogus", "extra", "-1"])))
    return args


@pytest.fixture(scope="module")
def small_sobol():
    from dekomopt.scenario import load_scenario
    from dekomopt.simulation import sobol

    scenario = load_scenario(ROGALAND).with_changes(sensitivity={"vary": ("uh_share_min",)})
    return sobol.sensitivity(scenario, 8, 0, metrics=("gini_net",))


@pytest.fixture
def light(monkeypatch, small_sobol):
    from dekomopt.simulation import runner, sobol

    real = runner.simulate

    def small_simulate(scenario, out, **kw):
        kw.update(draws=min(kw["draws"], 20), chunk_size=10, workers=1, progress=False)
        kw.update(figures=False, connect_timeout=min(kw["connect_timeout"], 1.0))
        return real(scenario, out, **kw)

    def small_sensitivity(scenario, n=None, seed=None, metrics=sobol.METRICS):
        table, facts = small_sobol
        n = scenario.spec.sensitivity.samples if n is None else n
        return table, replace(facts, base_samples=n, seed=seed)

    monkeypatch.setattr(runner, "simulate", small_simulate)
    monkeypatch.setattr(sobol, "sensitivity", small_sensitivity)
    for name in ("cmd_propose", "cmd_structures"):
        monkeypatch.setattr(cli, name, lambda args: 0)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=argument_lists())
def test_exit_status_is_0_or_2_and_never_a_traceback(light, argv):
    with tempfile.TemporaryDirectory() as folder:
        edges = Path(folder) / "edges.csv"
        edges.write_text("a,b\n1,2\n2,3\n3,1\n", encoding="utf-8")
        argv = [str(edges) if a == "EDGES" else a for a in argv]
        if "--out" in argv:
            argv[argv.index("--out") + 1 :] = [folder + "/out", *argv[argv.index("--out") + 1 :]]
        elif argv[0] != "validate":
            argv += ["--out", folder + "/out"]
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(argv)
        text = stdout.getvalue() + stderr.getvalue()
        event(f"{argv[0]} exit {code}")
        assert code in (0, 2), (argv, text)
        assert "Traceback" not in text, (argv, text)
        if code == 2:
            errors = [line for line in stderr.getvalue().splitlines() if line.startswith("error")]
            assert errors, (argv, text)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", ROGALAND, "--draws", "0"], "argument --draws: must be 1 or more, got 0"),
        (["simulate", ROGALAND, "--workers", "0"], "argument --workers: must be between 1"),
        (["sensitivity", ROGALAND, "--samples", "0"], "argument --samples: must be between 8"),
        (["sensitivity", ROGALAND, "--samples", "3"], "argument --samples: must be between 8"),
        (
            ["structures", ROGALAND, "--sample", "100", "--chains", "0"],
            "--chains: must be 2 or more",
        ),
        (
            ["propose", ROGALAND, "--alternatives", "-1"],
            "--alternatives: must be 0 or more, got -1",
        ),
        (["simulate", ROGALAND, "--connect-timeout", "nan"], "--connect-timeout: must be a finite"),
    ],
)
def test_the_reported_mistakes_are_one_line(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err


@pytest.mark.parametrize(("asked", "used"), [("100", 128), ("9", 16), ("64", 64)])
def test_sobol_samples_are_rounded_up_with_a_note(light, capsys, tmp_path, asked, used):
    argv = ["sensitivity", ROGALAND, "--samples", asked, "--lang", "en", "--out", str(tmp_path)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert f"({used} base samples)" in captured.out
    assert (f"rounded up to {used}" in captured.err) == (int(asked) != used)


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (
            ["structures", ROGALAND, "--sample", "0", "--chains", "1", "--law", "even",
             "--workers", "0", "--seed", "-1", "--best", "0", "--search", "x", "--lang", "sv",
             "--bogus"],
            ["--sample", "--chains", "--law", "--workers", "--seed", "--best", "--search",
             "--lang", "'--bogus'"],
        ),
        (
            ["sensitivity", ROGALAND, "--samples", "3", "--seed", "-2"],
            ["--samples", "--seed"],
        ),
        (
            ["propose", ROGALAND, "--alternatives", "-1", "--slack", "x", "--lang", "de",
             "--csv-dialect", "excel"],
            ["--alternatives", "--slack", "--lang", "--csv-dialect"],
        ),
        (
            ["simulate", ROGALAND, "--draws", "0", "--connect-timeout", "0", "extra.toml"],
            ["--draws", "--connect-timeout", "'extra.toml'"],
        ),
    ],
)  # fmt: skip
def test_every_bad_option_of_a_command_is_a_line_at_once(capsys, tmp_path, argv, named):
    """Values out of range, not a number, not one of the choices, and arguments the command
    does not take: one line each, all in one run, nothing written."""
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == "" and len(lines) == len(named), lines
    for line, option in zip(lines, named, strict=True):
        assert line.startswith(f"error: dekomopt {argv[0]}: ")
        assert f"argument {option}" in line
    assert not (tmp_path / "out").exists()


def test_bad_values_come_with_the_mistake_that_stops_the_parse(capsys):
    """A missing argument or two options that exclude each other end argparse's parse; the
    bad values met before are reported with it, one line each."""
    assert main(["structures", "--workers", "0", "--lang", "sv"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": ")[2] for line in lines] == [
        "argument --workers",
        "argument --lang",
        "the following arguments are required",
    ]
    assert main(["structures", ROGALAND, "--seed", "x", "--enumerate", "--sample", "5"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and "argument --seed: expected a whole number" in lines[0]
    assert "not allowed with argument --enumerate" in lines[1]
