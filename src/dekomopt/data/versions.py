"""Fingerprints of the bundled data files, for provenance in outputs."""

from __future__ import annotations

import hashlib
from importlib.resources import files


def data_versions() -> dict[str, str]:
    """Bundled data file name → first 16 hex digits of its SHA-256 (README.md left out)."""
    folder = files("dekomopt.data").joinpath("files")
    return {
        entry.name: hashlib.sha256(entry.read_bytes()).hexdigest()[:16]
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.is_file() and entry.name != "README.md"
    }
