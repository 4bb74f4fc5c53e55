"""The forum report: a self-contained HTML file (nb, nn or en) and an Excel workbook.

``write_report`` writes ``rapport.html`` (nb, nn) or ``report.html`` (en) with inline CSS and
SVG figures; ``write_spreadsheet`` writes the same tables with totals as formulas. Numbers
use the Norwegian format (``1 234 567 kr``, ``12,5 %``) in every language.
"""

from dekomopt.formats import format_nok, format_percent
from dekomopt.report.catalogue import LANGUAGES, MESSAGES
from dekomopt.report.geography import Geography, geography_from_proposal
from dekomopt.report.html import REPORT_FILENAMES, render_html, write_report
from dekomopt.report.spreadsheet import sheet_names, write_spreadsheet

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "REPORT_FILENAMES",
    "Geography",
    "format_nok",
    "format_percent",
    "geography_from_proposal",
    "render_html",
    "sheet_names",
    "write_report",
    "write_spreadsheet",
]
