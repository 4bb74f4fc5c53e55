"""Reading graphs and node weights from CSV, and the ``dekomopt partitions`` subcommand."""

from __future__ import annotations

import csv
import math
from collections.abc import Hashable, Iterable
from pathlib import Path

import networkx as nx

from dekomopt.errors import DataError
from dekomopt.structures.partitions import closest_balance, count_partitions, enumerate_partitions


def _rows(path: Path, header: list[str]) -> Iterable[tuple[int, list[str]]]:
    """Data rows with their line numbers, after checking the header is exactly ``header``."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(path, "file", f"cannot be read: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        first = next(reader, None)
        if first is None or [c.strip() for c in first] != header:
            raise DataError(path, "header", f"must be exactly {','.join(header)}, got {first}")
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells):
                raise DataError(path, f"row {line}", "blank row")
            if len(cells) != len(header):
                raise DataError(path, f"row {line}", f"expected {len(header)} values")
            if not all(cells):
                raise DataError(path, f"row {line}", "empty value")
            yield line, cells


def read_edges_csv(path: str | Path) -> nx.Graph:
    """An undirected graph from a CSV with header ``a,b``; node names are kept as strings.

    A blank row, a self-loop or an edge listed twice (in either direction) is a DataError.
    """
    path = Path(path)
    graph = nx.Graph()
    for line, (a, b) in _rows(path, ["a", "b"]):
        if a == b:
            raise DataError(path, f"row {line}", f"self-loop at {a}")
        if graph.has_edge(a, b):
            raise DataError(path, f"row {line}", f"edge {a}-{b} listed twice")
        graph.add_edge(a, b)
    if graph.number_of_nodes() == 0:
        raise DataError(path, "rows", "no edges")
    return graph


def read_weights_csv(path: str | Path, nodes: Iterable[Hashable]) -> dict[str, float]:
    """Node weights from a CSV with header ``node,weight``, covering exactly ``nodes``.

    A non-numeric, negative or non-finite weight, a node listed twice, a node not in
    ``nodes`` or a node of ``nodes`` without a weight is a DataError.
    """
    path = Path(path)
    wanted = {str(n) for n in nodes}
    weights: dict[str, float] = {}
    for line, (node, text) in _rows(path, ["node", "weight"]):
        try:
            value = float(text)
        except ValueError:
            raise DataError(path, f"row {line}", f"weight {text!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise DataError(path, f"row {line}", f"weight {text} must be finite and >= 0")
        if node in weights:
            raise DataError(path, f"row {line}", f"node {node} listed twice")
        if node not in wanted:
            raise DataError(path, f"row {line}", f"node {node} is not in the graph")
        weights[node] = value
    missing = sorted(wanted - weights.keys())
    if missing:
        raise DataError(path, "node", f"no weight for {', '.join(missing)}")
    return weights


def partitions_command(
    edges: str | Path,
    weights: str | Path | None,
    parts: int,
    balance: float | None,
    count: bool,
    enumerate_out: bool,
    out_dir: str | Path | None,
) -> int:
    """``dekomopt partitions``: count contiguous partitions or write them all to CSV.

    With ``count`` the last line printed is
    ``connected partitions into K parts: N[; meeting balance TOL: M]``. With ``enumerate_out``
    the partitions meeting the balance go to ``out_dir/partitions.csv``
    (``partition_id,node,part``). Returns 0; bad input raises DataError.
    """
    if count == enumerate_out:
        raise DataError("partitions", "--count/--enumerate", "give exactly one of the two")
    if enumerate_out and out_dir is None:
        raise DataError("partitions", "--out", "--enumerate needs an output folder")
    graph = read_edges_csv(edges)
    node_weights = None if weights is None else read_weights_csv(weights, graph.nodes)
    n = graph.number_of_nodes()
    if not 1 <= parts <= n:
        raise DataError("partitions", "--parts", f"must be between 1 and {n}, got {parts}")
    if balance is not None and not (math.isfinite(balance) and balance >= 0):
        raise DataError("partitions", "--balance", f"must be >= 0, got {balance}")
    if count:
        result = count_partitions(graph, parts, node_weights, balance)
        line = f"connected partitions into {parts} parts: {result.total}"
        if balance is not None:
            if result.feasible == 0 and result.total:
                closest = closest_balance(graph, parts, node_weights)
                print(f"no partition meets balance {balance:g}; the closest is {closest:.4g}")
            line += f"; meeting balance {balance:g}: {result.feasible}"
        print(line)
        return 0
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "partitions.csv"
    nodes = list(graph.nodes)
    written = 0
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["partition_id", "node", "part"])
        for pid, labels in enumerate(enumerate_partitions(graph, parts, node_weights, balance)):
            writer.writerows((pid, node, int(p)) for node, p in zip(nodes, labels, strict=True))
            written += 1
    print(f"wrote {written} partitions into {parts} parts to {target}")
    return 0
