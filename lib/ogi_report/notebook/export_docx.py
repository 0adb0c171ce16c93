"""nbconvert exporter writing an executed report notebook as the report's Word document.

``jupyter nbconvert --to ogi_report_docx executed.ipynb`` (entry point declared in pyproject) and
JupyterLab's 「文件 › 保存并导出笔记本为… › 年报 Word」 both land here.  The
notebook's code and outputs are not what is printed: the report notebook carries the bureau-year
and its findings in one output (:mod:`ogi_report.notebook.payload`), from which
:mod:`ogi_report.render.docx.document` builds the published edition (a draft's marked 草稿).
"""

from __future__ import annotations

from typing import Any

from ogi_report.notebook import payload
from ogi_report.notebook.exporting import BinaryReportExporter
from ogi_report.render.docx.document import DOCX_MIMETYPE, render_docx


class OgiDocxExporter(BinaryReportExporter):
    """Export an executed report notebook as the report in DOCX."""

    export_from_notebook = "年报 Word"
    output_mimetype = DOCX_MIMETYPE
    extension = ".docx"

    def to_bytes(self, content: Any) -> bytes:
        """The DOCX of the report the (copied, preprocessed) notebook carries."""
        carried = payload.from_notebook(content)
        return render_docx(carried.by, carried.findings)
