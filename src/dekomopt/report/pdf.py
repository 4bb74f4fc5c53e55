"""The report as PDF, printed by headless Chromium from the self-contained HTML.

Chromium is used rather than WeasyPrint: the report's explorer and figures are drawn the way
the forum's browsers draw them, the A4 page CSS (running header, page numbers through
``@page`` margin boxes) is supported, and Debian ships it as one package with no Python
dependencies. Nothing is fetched: the HTML has no external references and the network
features of the browser are switched off.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from dekomopt.errors import DekomoptError

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-pdf-header-footer",
)


def chromium() -> str:
    """The Chromium executable on PATH, or a :class:`DekomoptError` saying how to get it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise DekomoptError("--pdf needs Chromium on PATH (Debian: apt-get install chromium)")
    return found


def write_pdf(html_path: str | Path, pdf_path: str | Path | None = None) -> Path:
    """Print ``html_path`` to A4 PDF and return its path.

    The default is the report's own name with ``.pdf`` beside it: ``rapport.pdf`` for
    ``rapport.html`` (nb, nn), ``report.pdf`` for ``report.html`` (en).
    """
    source = Path(html_path).resolve()
    target = Path(pdf_path) if pdf_path else source.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="dekomopt-pdf-") as profile:
        result = subprocess.run(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={target.resolve()}",
                source.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    if result.returncode != 0 or not target.exists():
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise DekomoptError(f"{target}: Chromium could not print the report ({last})")
    return target
