"""A chunk's two tables as files in the run folder, and the final Parquet files' options.

``chunks/chunk-00012.owners.arrow`` and ``chunks/chunk-00012.draws.arrow`` are Arrow IPC
files (LZ4-compressed: written and read in a fraction of Parquet's time, and readable by
``pyarrow.ipc`` or ``pandas.read_feather``). Each is written to a temporary name and renamed,
the draws file last, so that its presence marks a finished chunk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

IPC_OPTIONS = ipc.IpcWriteOptions(compression="lz4")

Saved = tuple[int, tuple[pa.Table, pa.Table] | None]
"""A finished chunk, saved in the run folder: its index, and its tables if at hand."""


def parquet_options(schema: pa.Schema) -> dict:
    """zstd, and dictionary encoding for string columns only (the other columns barely repeat)."""
    strings = [
        f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
    ]
    return {"compression": "zstd", "use_dictionary": strings}


def ipc_bytes(table: pa.Table) -> bytes:
    """``table`` as the contents of an Arrow IPC file (deterministic: no timestamps)."""
    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, table.schema, options=IPC_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def temporary(path: Path) -> Path:
    """The name this process writes ``path`` under before renaming it into place (its own,
    so that a worker left over from a killed run cannot write into a resumed run's file)."""
    return path.with_name(f"{path.name}.{os.getpid()}.tmp")


def write_atomic(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` via a temporary name (removed if the write is stopped)."""
    try:
        temporary(path).write_bytes(data)
        os.replace(temporary(path), path)
    except BaseException:
        temporary(path).unlink(missing_ok=True)
        raise


def chunk_paths(out: Path, index: int) -> tuple[Path, Path]:
    """Chunk ``index``'s draws and owners files in the run folder ``out``."""
    base = out / "chunks" / f"chunk-{index:05d}"
    return Path(f"{base}.draws.arrow"), Path(f"{base}.owners.arrow")


def read_chunk(out: Path, index: int) -> tuple[pa.Table, pa.Table]:
    """Chunk ``index``'s draws and owners tables, read from the run folder ``out``."""
    tables = []
    for path in chunk_paths(out, index):
        with pa.OSFile(str(path)) as source:
            tables.append(ipc.open_file(source).read_all())
    return tables[0], tables[1]


@dataclass(frozen=True)
class ChunkFiles:
    """A chunk's two tables as file contents (what a Dask worker sends back)."""

    index: int
    draws: bytes
    owners: bytes

    def save(self, out: Path) -> None:
        """Write the chunk's files into the run folder ``out``, the draws file last."""
        draws_path, owners_path = chunk_paths(out, self.index)
        write_atomic(self.owners, owners_path)
        write_atomic(self.draws, draws_path)
