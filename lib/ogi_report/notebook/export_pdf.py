"""nbconvert exporter writing an executed report notebook as the report's PDF.

``jupyter nbconvert --to ogi_report_pdf executed.ipynb`` (entry point declared in pyproject) and
JupyterLab's "File › Save and Export Notebook As › 政府信息公开年报 PDF" both land here.  The page
is the kit's HTML export (:class:`ogi_report.notebook.export_html.OgiHtmlExporter`), printed by
:class:`ogi_report.render.pdf.printer.PdfPrinter` in the GB/T 9704 layout.  Unlike nbconvert's ``--to pdf``
(xelatex drops Chinese) and ``--to webpdf`` (downloads a browser, prints US Letter), it uses the
system Chromium and prints A4.  A batch passes its own long-lived printer through ``printer``.
"""

from __future__ import annotations

from typing import Any

from traitlets import default

from ogi_report.notebook.export_html import OgiHtmlExporter
from ogi_report.render.pdf.printer import PdfPrinter


class OgiPdfExporter(OgiHtmlExporter):
    """Export an executed report notebook as the report in PDF."""

    export_from_notebook = "政府信息公开年报 PDF"
    output_mimetype = "application/pdf"

    def __init__(self, *args: Any, printer: PdfPrinter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self.printer = printer

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    # nbconvert accepts an exporter's mimetype only if its template declares it: this template
    # (templates/ogi_report_pdf) declares application/pdf and inherits everything from ogi_report.
    @default("template_name")
    def _template_name_default(self) -> str:
        return "ogi_report_pdf"

    # The HTML exporter returns text; binary exporters (nbconvert's own PDFExporter included)
    # return bytes, which nbconvert's writers accept.
    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        """The PDF bytes of the report page, and nbconvert's resources."""
        html, resources = super().from_notebook_node(nb, resources, **kw)
        if self.printer is not None:
            data = self.printer.print_html(html)
        else:
            with PdfPrinter() as printer:
                data = printer.print_html(html)
        resources["output_extension"] = self.file_extension
        return data, resources
