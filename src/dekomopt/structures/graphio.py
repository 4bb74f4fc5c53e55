"""Reading graphs and node weights from CSV, and the ``dekomopt partitions`` subcommand."""

from __future__ import annotations

import csv
import json
import math
import platform
from collections.abc import Hashable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import numpy as np

from dekomopt import __version__
from dekomopt.errors import DataError
from dekomopt.formats import format_decimal, format_number, stored
from dekomopt.scenario.files import sha256_of
from dekomopt.structures.partitions import closest_balance
from dekomopt.structures.problems import Problems
from dekomopt.structures.space import SpaceCount, build_space


def _rows(
    path: Path, header: list[str], problems: list[tuple[str, str]]
) -> Iterable[tuple[int, list[str]]]:
    """Data rows with their line numbers, after checking the header is exactly ``header``.

    A row that is blank, has the wrong number of values or an empty value is added to
    ``problems`` (``row N``, what is wrong) and skipped, so that every row is checked in one
    pass; an unreadable file or a wrong header raises DataError at once.
    """
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
                problems.append((f"row {line}", "blank row"))
            elif len(cells) != len(header):
                problems.append(
                    (f"row {line}", f"expected {len(header)} values, got {len(cells)}: {row}")
                )
            elif not all(cells):
                empty = [name for name, cell in zip(header, cells, strict=True) if not cell]
                problems.append((f"row {line}", f"empty value in {', '.join(empty)}"))
            else:
                yield line, cells


def _raise(path: Path, problems: list[tuple[str, str]]) -> None:
    """Raise every problem found in ``path`` as one DataError (one line each)."""
    if problems:
        (field, message), *more = problems
        raise DataError(str(path), field, message, tuple(more))


def read_edges_csv(path: str | Path) -> nx.Graph:
    """An undirected graph from a CSV with header ``a,b``; node names are kept as strings.

    A blank or malformed row, a self-loop or an edge listed twice (in either direction) is a
    DataError; every such row is named in one error, one line each. Each edge keeps the row
    it came from (``row``).
    """
    path = Path(path)
    graph = nx.Graph()
    problems: list[tuple[str, str]] = []
    for line, (a, b) in _rows(path, ["a", "b"], problems):
        if a == b:
            problems.append((f"row {line}", f"self-loop at {a}"))
        elif graph.has_edge(a, b):
            first = graph.edges[a, b]["row"]
            problems.append((f"row {line}", f"edge {a}-{b} listed twice (also row {first})"))
        else:
            graph.add_edge(a, b, row=line)
    _raise(path, problems)
    if graph.number_of_nodes() == 0:
        raise DataError(str(path), "rows", "no edges")
    return graph


def graph_caveats(graph: nx.Graph, path: str | Path) -> list[str]:
    """What may be a typo in an edges file: a graph in several pieces (each named by its
    nodes, the smallest first), and node names that differ only in case or spacing."""
    caveats = []
    pieces = sorted(nx.connected_components(graph), key=lambda c: (len(c), sorted(c)))
    if len(pieces) > 1:
        shown = "; ".join(", ".join(sorted(c)[:6]) + (" …" if len(c) > 6 else "") for c in pieces)
        caveats.append(
            f"{path}: the graph is in {len(pieces)} pieces not linked to each other ({shown}); "
            "a misspelt node name makes a piece of its own: check the names"
        )
    by_key: dict[str, list[str]] = {}
    for node in graph.nodes:
        by_key.setdefault("".join(str(node).split()).casefold(), []).append(str(node))
    for names in by_key.values():
        if len(names) > 1:
            rows = ", ".join(
                f"{name!r} (row {', '.join(str(graph.edges[e]['row']) for e in graph.edges(name))})"
                for name in sorted(names)
            )
            caveats.append(f"{path}: {rows} differ only in case or spacing: one node or two?")
    return caveats


def read_weights_csv(path: str | Path, nodes: Iterable[Hashable]) -> dict[Hashable, float]:
    """Node weights from a CSV with header ``node,weight``, covering exactly ``nodes``.

    A non-numeric, negative or non-finite weight, a node listed twice, a node not in
    ``nodes`` or a node of ``nodes`` without a weight is a DataError; every problem is named in
    one error, one line each.
    """
    path = Path(path)
    wanted = {str(n) for n in nodes}
    weights: dict[Hashable, float] = {}
    seen: dict[str, int] = {}
    problems: list[tuple[str, str]] = []
    for line, (node, text) in _rows(path, ["node", "weight"], problems):
        where = f"row {line}"
        try:
            value = float(text)
        except ValueError:
            problems.append((where, f"weight {text!r} of {node} is not a number"))
            value = math.nan
        else:
            if not math.isfinite(value) or value < 0:
                problems.append((where, f"weight {text} of {node} must be finite and >= 0"))
        if node in seen:
            problems.append((where, f"node {node} listed twice (also row {seen[node]})"))
        elif node not in wanted:
            problems.append((where, f"node {node} is not in the edges file's graph"))
        seen.setdefault(node, line)
        weights.setdefault(node, value)
    missing = sorted(wanted - seen.keys())
    if missing:
        problems.append(("node", f"no weight for {', '.join(missing)}"))
    _raise(path, problems)
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
    with ``seed``, go to ``out_dir/samples.csv``; both write ``out_dir/provenance.json``
    (input files with their sha256, arguments, seed, versions). A graph in several pieces, or
    node names differing only in case or spacing, is said in a caveat (a typo is likely).
    Returns 0; bad input raises DataError naming every problem of both files.
    """
    if sum((count, enumerate_out, sample is not None)) != 1:
        raise DataError("partitions", "--count/--enumerate/--sample", "give exactly one of them")
    if (enumerate_out or sample is not None) and out_dir is None:
        raise DataError("partitions", "--out", "--enumerate and --sample need an output folder")
    if sample is not None and sample < 1:
        raise DataError("partitions", "--sample", f"must be at least 1, got {sample}")
    if seed is not None and seed < 0:
        raise DataError("partitions", "--seed", f"must be >= 0, got {seed}")
    graph, node_weights = _read_inputs(edges, weights)
    for caveat in graph_caveats(graph, edges):
        print(f"caveat: {caveat}")
    n = graph.number_of_nodes()
    if not 1 <= parts <= n:
        raise DataError("partitions", "--parts", f"must be between 1 and {n}, got {parts}")
    if balance is not None and not (math.isfinite(balance) and balance >= 0):
        raise DataError("partitions", "--balance", f"must be >= 0, got {balance}")
    nodes = list(graph.nodes)
    space = build_space(graph, parts, node_weights, balance, nodes=nodes)
    if count:
        line = f"connected partitions into {_parts(parts)}: "
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
        _write_record(out, edges, weights, parts, balance, seed, "sample", len(draw.labels))
        print(
            f"wrote {len(draw.labels)} uniform samples (seed {seed}) of "
            f"{format_number(space.diagram_count)} partitions into {_parts(parts)}{note} to "
            f"{target}; provenance.json beside it"
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
    _write_record(out, edges, weights, parts, balance, None, "enumerate", written)
    print(f"wrote {written} partitions into {_parts(parts)} to {target}; provenance.json beside it")
    return 0


def _parts(k: int) -> str:
    return "1 part" if k == 1 else f"{k} parts"


def _read_inputs(
    edges: str | Path, weights: str | Path | None
) -> tuple[nx.Graph, dict[Hashable, float] | None]:
    """The graph and its weights; every problem of both files raised at once."""
    errors: list[DataError] = []
    graph = nx.Graph()
    try:
        graph = read_edges_csv(edges)
    except DataError as exc:
        errors.append(exc)
        graph = _readable_edges(Path(edges))
    node_weights = None
    if weights is not None:
        try:
            node_weights = read_weights_csv(weights, graph.nodes)
        except DataError as exc:
            errors.append(exc)
    Problems.gather(errors)
    return graph, node_weights


def _readable_edges(path: Path) -> nx.Graph:
    """The well-formed rows of an edges file with problems, to check a weights file against."""
    graph = nx.Graph()
    try:
        for _, (a, b) in _rows(path, ["a", "b"], []):
            if a != b:
                graph.add_edge(a, b)
    except DataError:
        pass
    return graph


def _write_record(
    out: Path,
    edges: str | Path,
    weights: str | Path | None,
    parts: int,
    balance: float | None,
    seed: int | None,
    mode: str,
    written: int,
) -> None:
    """``provenance.json`` of ``partitions --sample/--enumerate``: the input files (path as
    given and sha256), the arguments, the seed, and the versions (keys as in the other
    commands' records)."""
    files = [("edges", Path(edges))] + ([("weights", Path(weights))] if weights else [])
    record = {
        "command": f"partitions --{mode}",
        "input_files": [
            {"key": key, "path": str(path), "sha256": sha256_of(path.read_bytes())}
            for key, path in files
        ],
        "parts": parts,
        "balance": balance,
        "seed": seed,
        "partitions_written": written,
        "package_version": __version__,
        "python": platform.python_version(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (out / "provenance.json").write_text(
        json.dumps(stored(record), indent=2, ensure_ascii=False, allow_nan=False),
        encoding="utf-8",
    )


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
