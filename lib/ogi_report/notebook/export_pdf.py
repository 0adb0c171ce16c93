"""nbconvert exporter writing an executed report notebook as the report's PDF.

``jupyter nbconvert --to ogi_report_pdf executed.ipynb`` (entry point declared in pyproject) and
JupyterLab's 「文件 › 保存并导出笔记本为… › 年报 PDF」 both land here.  Like the
Word exporter it prints the report the notebook carries (:mod:`ogi_report.notebook.payload`), not
the notebook's cells: the published edition (a draft's is marked 草稿 on every page), typeset by
:class:`ogi_report.render.pdf.typeset.Typesetter` in the GB/T 9704 layout as PDF/A-2b — the same
code ``ogi-report render --format pdf`` and the batch use.  Unlike nbconvert's ``--to pdf`` (xelatex
drops Chinese) and ``--to webpdf`` (downloads a browser, prints US Letter), nothing outside this
process is needed but the fonts.

A caller holding a long-lived typesetter (as a batch does) passes it through ``typesetter``.
"""

from __future__ import annotations

from typing import Any

from ogi_report.notebook.exporting import BinaryReportExporter, carried_report
from ogi_report.render.pdf.typeset import Typesetter


class OgiPdfExporter(BinaryReportExporter):
    """Export an executed report notebook as the report in PDF."""

    export_from_notebook = "年报 PDF"
    output_mimetype = "application/pdf"
    extension = ".pdf"

    def __init__(self, *args: Any, typesetter: Typesetter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self.typesetter = typesetter

    def to_bytes(self, content: Any) -> bytes:
        """The PDF of the report the (copied, preprocessed) notebook carries."""
        if self.typesetter is None:
            self.typesetter = Typesetter()  # kept: a second export reuses its fonts
        return self.typesetter.pdf(carried_report(content))
