"""Reading graphs and node weights from CSV, and the ``dekomopt partitions`` subcommand."""

from __future__ import annotations

import csv
import math
from collections.abc import Hashable, Iterable
from pathlib import Path

import networkx as nx
import numpy as np

from dekomopt.errors import DataError
from dekomopt.formats import format_decimal, format_number
from dekomopt.structures.partitions import closest_balance
from dekomopt.structures.space import SpaceCount, build_space


def _rows(path: Path, header: list[str]) -> Iterable[tuple[int, list[str]]]:
    """Data rows with their line numbers, after checking the header is exactly ``header``."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(str(path), "file", f"cannot be read: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        first = next(reader, None)
        if first is None or [c.strip() for c in first] != header:
            raise DataError(str(path), "header", f"must be exactly {','.join(header)}, got {first}")
        for row in reader:
            line = reader.line_num
            cells = [c.strip() for c in row]
            if not any(cells):
                raise DataError(str(path), f"row {line}", "blank row")
            if len(cells) != len(header):
                raise DataError(str(path), f"row {line}", f"expected {len(header)} values")
            if not all(cells):
                raise DataError(str(path), f"row {line}", "empty value")
            yield line, cells


def read_edges_csv(path: str | Path) -> nx.Graph:
    """An undirected graph from a CSV with header ``a,b``; node names are kept as strings.

    A blank row, a self-loop or an edge listed twice (in either direction) is a DataError.
    """
    path = Path(path)
    graph = nx.Graph()
    for line, (a, b) in _rows(path, ["a", "b"]):
        if a == b:
            raise DataError(str(path), f"row {line}", f"self-loop at {a}")
        if graph.has_edge(a, b):
            raise DataError(str(path), f"row {line}", f"edge {a}-{b} listed twice")
        graph.add_edge(a, b)
    if graph.number_of_nodes() == 0:
        raise DataError(str(path), "rows", "no edges")
    return graph


def read_weights_csv(path: str | Path, nodes: Iterable[Hashable]) -> dict[Hashable, float]:
    """Node weights from a CSV with header ``node,weight``, covering exactly ``nodes``.

    A non-numeric, negative or non-finite weight, a node listed twice, a node not in
    ``nodes`` or a node of ``nodes`` without a weight is a DataError.
    """
    path = Path(path)
    wanted = {str(n) for n in nodes}
    weights: dict[Hashable, float] = {}
    for line, (node, text) in _rows(path, ["node", "weight"]):
        try:
            value = float(text)
        except ValueError:
            raise DataError(str(path), f"row {line}", f"weight {text!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise DataError(str(path), f"row {line}", f"weight {text} must be finite and >= 0")
        if node in weights:
            raise DataError(str(path), f"row {line}", f"node {node} listed twice")
        if node not in wanted:
            raise DataError(str(path), f"row {line}", f"node {node} is not in the graph")
        weights[node] = value
    missing = sorted(wanted - weights.keys())
    if missing:
        raise DataError(str(path), "node", f"no weight for {', '.join(missing)}")
    return weights


WRITE_LIMIT = 1_000_000
"""Most partitions ``partitions --enumerate`` writes; beyond it, ``--sample`` is suggested."""


def partitions_command(
    edges: str | Path,
    weights: str | Path | None,
    parts: int,
    balance: float | None,
    count: bool,
    enumerate_out: bool,
    out_dir: str | Path | None,
    sample: int | None = None,
    seed: int | None = None,
) -> int:
    """``dekomopt partitions``: count contiguous partitions, write them all, or sample them.

    Counts come from the decision diagram (:mod:`dekomopt.structures.space`). With ``count``
    the last line printed is ``connected partitions into K parts: N[; meeting balance TOL: M]``
    (M is exact, or "about M (lo–hi)" when fractional weights leave it to an estimate). With
    ``enumerate_out`` the partitions meeting the balance go to ``out_dir/partitions.csv``
    (``partition_id,node,part``); with ``sample`` that many, drawn independently and uniformly
    with ``seed``, go to ``out_dir/samples.csv``. Returns 0; bad input raises DataError.
    """
    if sum((count, enumerate_out, sample is not None)) != 1:
        raise DataError("partitions", "--count/--enumerate/--sample", "give exactly one of them")
    if (enumerate_out or sample is not None) and out_dir is None:
        raise DataError("partitions", "--out", "--enumerate and --sample need an output folder")
    if sample is not None and sample < 1:
        raise DataError("partitions", "--sample", f"must be at least 1, got {sample}")
    if seed is not None and seed < 0:
        raise DataError("partitions", "--seed", f"must be >= 0, got {seed}")
    graph = read_edges_csv(edges)
    node_weights = None if weights is None else read_weights_csv(weights, graph.nodes)
    n = graph.number_of_nodes()
    if not 1 <= parts <= n:
        raise DataError("partitions", "--parts", f"must be between 1 and {n}, got {parts}")
    if balance is not None and not (math.isfinite(balance) and balance >= 0):
        raise DataError("partitions", "--balance", f"must be >= 0, got {balance}")
    nodes = list(graph.nodes)
    space = build_space(graph, parts, node_weights, balance, nodes=nodes)
    if count:
        line = f"connected partitions into {parts} parts: "
        if balance is None:
            print(line + format_number(space.diagram_count))
            return 0
        total = build_space(graph, parts, nodes=nodes).diagram_count
        found = space.count(WRITE_LIMIT)
        if found.plausible == 0 and total and n <= _CLOSEST_LIMIT:
            closest = closest_balance(graph, parts, node_weights)
            print(f"no partition meets balance {balance:g}; the closest is {closest:.4g}")
        if not found.exact:
            print(
                f"estimated from {format_number(found.checked)} uniform draws of a diagram with "
                f"weights quantised to {space.quantum:.4g}, each checked against the exact "
                f"balance (acceptance {format_decimal(found.acceptance, 3)})"
            )
        print(line + f"{format_number(total)}; meeting balance {balance:g}: {_shown(found)}")
        return 0
    out = Path(out_dir)  # type: ignore[arg-type]
    out.mkdir(parents=True, exist_ok=True)
    if sample is not None:
        draw = space.sample(sample, np.random.default_rng(seed))
        if len(draw.labels) == 0:
            raise DataError("partitions", "--sample", "no partition meets the rules")
        target = out / "samples.csv"
        _write_labels(target, nodes, [draw.labels])
        note = "" if space.exact else f" (acceptance {format_decimal(draw.acceptance, 3)})"
        print(
            f"wrote {len(draw.labels)} uniform samples (seed {seed}) of "
            f"{format_number(space.diagram_count)} partitions into {parts} parts{note} to {target}"
        )
        return 0
    if space.diagram_count > WRITE_LIMIT:
        raise DataError(
            "partitions",
            "--enumerate",
            f"{format_number(space.diagram_count)} partitions to check, more than "
            f"{format_number(WRITE_LIMIT)}; use --sample 10000",
        )
    target = out / "partitions.csv"
    written = _write_labels(target, nodes, space.iter_plausible())
    print(f"wrote {written} partitions into {parts} parts to {target}")
    return 0


_CLOSEST_LIMIT = 30
"""Largest graph (nodes) for which an impossible balance is explained by the closest one."""


def _shown(found: SpaceCount) -> str:
    if found.exact:
        return format_number(found.plausible)
    lo, hi = found.interval
    return f"about {format_number(found.plausible)} ({format_number(lo)}–{format_number(hi)})"


def _write_labels(target: Path, nodes: list, chunks: Iterable[np.ndarray]) -> int:
    """Write rows of labels as ``partition_id,node,part``; returns how many were written."""
    written = 0
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["partition_id", "node", "part"])
        for labels in chunks:
            for row in labels:
                writer.writerows(
                    (written, node, int(p)) for node, p in zip(nodes, row, strict=True)
                )
                written += 1
    return written
