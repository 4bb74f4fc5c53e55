from __future__ import annotations

import csv

import pytest

from dekomopt.errors import DataError
from dekomopt.structures import partitions_command, read_edges_csv, read_weights_csv


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def path4(tmp_path):
    return _write(tmp_path / "edges.csv", "a,b\nA,B\nB,C\nC,D\n")


def test_read_edges(path4):
    graph = read_edges_csv(path4)
    assert sorted(graph.edges) == [("A", "B"), ("B", "C"), ("C", "D")]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("x,y\nA,B\n", "header", "a,b"),
        ("a,b\nA,B\n\nB,C\n", "row 3", "blank"),
        ("a,b\nA,B\nB,A\n", "row 3", "twice"),
        ("a,b\nA,A\n", "row 2", "self-loop"),
        ("a,b\nA,\n", "row 2", "empty"),
    ],
)
def test_bad_edge_files(tmp_path, text, field, message):
    path = _write(tmp_path / "e.csv", text)
    with pytest.raises(DataError, match=message) as info:
        read_edges_csv(path)
    assert info.value.field == field and info.value.source == str(path)


def test_read_weights(tmp_path):
    path = _write(tmp_path / "w.csv", "node,weight\nA,1.5\nB,2\n")
    assert read_weights_csv(path, ["A", "B"]) == {"A": 1.5, "B": 2.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("node,weight\nA,x\nB,1\n", "not a number"),
        ("node,weight\nA,-1\nB,1\n", ">= 0"),
        ("node,weight\nA,1\n", "no weight for B"),
        ("node,weight\nA,1\nB,1\nZ,1\n", "not in the edges file.s graph"),
        ("node,w\nA,1\nB,1\n", "node,weight"),
    ],
)
def test_bad_weight_files(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        read_weights_csv(_write(tmp_path / "w.csv", text), ["A", "B"])


def test_count_command_prints_count_last(path4, tmp_path, capsys):
    weights = _write(tmp_path / "w.csv", "node,weight\nA,1\nB,1\nC,1\nD,1\n")
    assert partitions_command(path4, weights, 2, 0.0, True, False, None) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "connected partitions into 2 parts: 3; meeting balance 0: 1"
    )
    assert partitions_command(path4, None, 3, None, True, False, None) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "connected partitions into 3 parts: 3"


def test_count_command_explains_impossible_balance(path4, tmp_path, capsys):
    weights = _write(tmp_path / "w.csv", "node,weight\nA,1\nB,1\nC,1\nD,5\n")
    partitions_command(path4, weights, 2, 0.1, True, False, None)
    lines = capsys.readouterr().out.splitlines()
    assert "closest is 0.25" in lines[0]
    assert lines[-1].endswith("meeting balance 0.1: 0")


def test_enumerate_command_writes_csv(path4, tmp_path, capsys):
    out = tmp_path / "out"
    assert partitions_command(path4, None, 2, None, False, True, out) == 0
    with (out / "partitions.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3 * 4
    assert {r["partition_id"] for r in rows} == {"0", "1", "2"}
    first = [(r["node"], r["part"]) for r in rows if r["partition_id"] == "0"]
    assert first[0] == ("A", "0") and {p for _, p in first} == {"0", "1"}
    assert "wrote 3 partitions" in capsys.readouterr().out


def test_sample_command_writes_seeded_uniform_samples(path4, tmp_path, capsys):
    for name in ("a", "b"):
        partitions_command(path4, None, 2, None, False, False, tmp_path / name, sample=50, seed=4)
    a = (tmp_path / "a" / "samples.csv").read_text()
    assert a == (tmp_path / "b" / "samples.csv").read_text()
    rows = list(csv.DictReader(a.splitlines()))
    assert len(rows) == 50 * 4
    assert "wrote 50 uniform samples (seed 4) of 3 partitions" in capsys.readouterr().out


def test_count_with_fractional_weights_is_exact_when_small(path4, tmp_path, capsys):
    weights = _write(tmp_path / "w.csv", "node,weight\nA,1.5\nB,1.25\nC,1\nD,1.75\n")
    partitions_command(path4, weights, 2, 0.1, True, False, None)
    # parts {A,B} | {C,D}: 2.75 and 2.75 of mean 2.75; {A} | {B,C,D} is 1.5 against 4
    assert capsys.readouterr().out.splitlines()[-1].endswith("meeting balance 0.1: 1")


def test_command_rejects_bad_options(path4, tmp_path):
    with pytest.raises(DataError, match="--sample"):
        partitions_command(path4, None, 2, None, False, False, tmp_path, sample=0)
    with pytest.raises(DataError, match="exactly one"):
        partitions_command(path4, None, 2, None, False, False, None)
    with pytest.raises(DataError, match="--parts"):
        partitions_command(path4, None, 9, None, True, False, None)
    with pytest.raises(DataError, match="--out"):
        partitions_command(path4, None, 2, None, False, True, None)
    with pytest.raises(DataError, match="cannot be read"):
        partitions_command(tmp_path / "missing.csv", None, 2, None, True, False, None)


def test_every_bad_row_of_both_files_is_named_at_once(tmp_path, capsys):
    from dekomopt.cli import main

    edges = _write(tmp_path / "e.csv", "a,b\nA,B\nB,\nC,C\nD;E\nA,B,C\nB,D\n")
    weights = _write(tmp_path / "w.csv", "node,weight\nA,1\nB,-1\nD,x\nZ,1\n")
    args = ["partitions", "--edges", str(edges), "--weights", str(weights), "--parts", "2"]
    assert main([*args, "--count"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"error: {edges}: row 3: empty value in b",
        f"error: {edges}: row 4: self-loop at C",
        f"error: {edges}: row 5: expected 2 values, got 1: ['D;E']",
        f"error: {edges}: row 6: expected 2 values, got 3: ['A', 'B', 'C']",
        f"error: {weights}: row 3: weight -1 of B must be finite and >= 0",
        f"error: {weights}: row 4: weight 'x' of D is not a number",
        f"error: {weights}: row 5: node Z is not in the edges file's graph",
    ]


def test_a_misspelt_node_is_said_to_split_the_graph(tmp_path, capsys):
    path = _write(tmp_path / "e.csv", "a,b\nA,B\nb,C\n")
    assert partitions_command(path, None, 1, None, True, False, None) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"caveat: {path}: the graph is in 2 pieces")
    names = "'B' (row 2), 'b' (row 3)"
    assert out[1] == f"caveat: {path}: {names} differ only in case or spacing: one node or two?"
    assert out[-1] == "connected partitions into 1 part: 0"


def test_samples_and_enumerations_record_seed_and_file_hashes(path4, tmp_path):
    import hashlib
    import json

    partitions_command(path4, None, 2, None, False, False, tmp_path / "s", sample=5, seed=7)
    partitions_command(path4, None, 2, None, False, True, tmp_path / "e")
    digest = hashlib.sha256(path4.read_bytes()).hexdigest()
    for folder, seed in (("s", 7), ("e", None)):
        record = json.loads((tmp_path / folder / "provenance.json").read_text())
        assert record["seed"] == seed
        assert record["input_files"] == [{"key": "edges", "path": str(path4), "sha256": digest}]
        assert {"package_version", "python", "created"} <= record.keys()
