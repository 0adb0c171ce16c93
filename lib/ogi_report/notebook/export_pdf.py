"""nbconvert exporter writing an executed report notebook as the report's PDF.

``jupyter nbconvert --to ogi_report_pdf executed.ipynb`` (entry point declared in pyproject) and
JupyterLab's "File › Save and Export Notebook As › 政府信息公开年报 PDF" both land here.  The page
is the kit's HTML export (:class:`ogi_report.notebook.export_html.OgiHtmlExporter`), printed by
:class:`ogi_report.render.pdf.printer.PdfPrinter` in the GB/T 9704 layout.  Unlike nbconvert's ``--to pdf``
(xelatex drops Chinese) and ``--to webpdf`` (downloads a browser, prints US Letter), it uses the
system Chromium and prints A4.

The browser is configured like nbconvert's own exporters, by traits: on the command line
``--OgiPdfExporter.chromium=/opt/chromium/chrome`` and ``--OgiPdfExporter.disable_sandbox=False``,
or ``c.OgiPdfExporter.chromium = ...`` in ``jupyter_nbconvert_config.py``.  A caller holding a
long-lived printer (as a batch does) passes it through ``printer``; the traits are then its own.
"""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Unicode, default

from ogi_report.notebook.export_html import OgiHtmlExporter
from ogi_report.notebook.exporting import BinaryReportExporter
from ogi_report.render.pdf.printer import DEFAULT_CHROMIUM, PdfPrinter


# Two from_notebook_node signatures meet here: the HTML page's (text) feeds the binary one's (bytes).
class OgiPdfExporter(BinaryReportExporter, OgiHtmlExporter):  # type: ignore[misc]
    """Export an executed report notebook as the report in PDF."""

    export_from_notebook = "政府信息公开年报 PDF"
    output_mimetype = "application/pdf"
    extension = ".pdf"

    chromium = Unicode(
        DEFAULT_CHROMIUM, help="The Chromium (or Chrome) executable that prints the page."
    ).tag(config=True)
    disable_sandbox = Bool(
        True,
        help="Run Chromium without its security sandbox (--no-sandbox): needed as root, e.g. in a "
        "container; the page printed is the kit's own self-contained HTML.",
    ).tag(config=True)

    def __init__(self, *args: Any, printer: PdfPrinter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self.printer = printer

    # nbconvert accepts an exporter's mimetype only if its template declares it: this template
    # (templates/ogi_report_pdf) declares application/pdf and inherits everything from ogi_report.
    @default("template_name")
    def _template_name_default(self) -> str:
        return "ogi_report_pdf"

    def to_bytes(self, content: Any) -> bytes:
        """The PDF of the report page (with this exporter's own browser unless given a printer)."""
        if self.printer is not None:
            return self.printer.print_html(content)
        with PdfPrinter(self.chromium, disable_sandbox=self.disable_sandbox) as printer:
            return printer.print_html(content)
