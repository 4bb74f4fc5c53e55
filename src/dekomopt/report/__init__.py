"""The forum report: a self-contained HTML file (nb, nn or en), an Excel workbook and a PDF.

``write_report`` writes ``rapport.html`` (nb, nn) or ``report.html`` (en) with inline CSS,
SVG figures and the what-if explorer; ``write_spreadsheet`` writes the same tables with
totals as formulas; ``write_pdf`` prints the HTML to A4. Numbers use the Norwegian format
(``1 234 567 kr``, ``12,5 %``) in every language.

Names are imported from their modules when first used (writing a CSV needs no matplotlib).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "catalogue": ["LANGUAGES", "MESSAGES"],
        "geography": ["Geography", "geography_from_proposal"],
        "html": ["REPORT_FILENAMES", "render_html", "write_report"],
        "pdf": ["write_pdf"],
        "spreadsheet": ["sheet_names", "write_spreadsheet"],
    },
)
