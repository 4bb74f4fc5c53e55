"""The forum report: a self-contained HTML file (nb, nn or en), an Excel workbook and a PDF.

``write_report`` writes ``rapport.html`` (nb, nn) or ``report.html`` (en) with inline CSS,
SVG figures and the what-if explorer; ``write_spreadsheet`` writes the same tables with
totals as formulas; ``write_pdf`` prints the HTML to A4 under the same name (``rapport.pdf``,
``report.pdf``). Every file takes its name from the report's language. Numbers use the
Norwegian format (``1 234 567 kr``, ``12,5 %``) in every language.

The names below are imported from their modules on first use (PEP 562): writing a CSV file
needs no matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dekomopt.report.catalogue import LANGUAGES, MESSAGES
    from dekomopt.report.geography import Geography, geography_from_proposal
    from dekomopt.report.html import REPORT_FILENAMES, render_html, write_report
    from dekomopt.report.pdf import write_pdf
    from dekomopt.report.spreadsheet import sheet_names, write_spreadsheet

_HOME = {
    "LANGUAGES": "dekomopt.report.catalogue",
    "MESSAGES": "dekomopt.report.catalogue",
    "Geography": "dekomopt.report.geography",
    "geography_from_proposal": "dekomopt.report.geography",
    "REPORT_FILENAMES": "dekomopt.report.html",
    "render_html": "dekomopt.report.html",
    "write_report": "dekomopt.report.html",
    "write_pdf": "dekomopt.report.pdf",
    "sheet_names": "dekomopt.report.spreadsheet",
    "write_spreadsheet": "dekomopt.report.spreadsheet",
}
__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "REPORT_FILENAMES",
    "Geography",
    "geography_from_proposal",
    "render_html",
    "sheet_names",
    "write_pdf",
    "write_report",
    "write_spreadsheet",
]


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOME[name]), name)
