"""nbconvert exporter writing an executed report notebook as the report's Word document.

``jupyter nbconvert --to ogi_report_docx executed.ipynb`` (entry point declared in pyproject) and
JupyterLab's "File › Save and Export Notebook As › 政府信息公开年报 Word" both land here.  The
notebook's code and outputs are not what is printed: the report notebook carries the bureau-year
and its findings in one output (:mod:`ogi_report.notebook.payload`), from which
:mod:`ogi_report.render.docx.document` builds the document.  Like nbconvert's PDF exporters it
returns bytes, which nbconvert's ``FilesWriter`` writes in binary mode.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters import Exporter
from traitlets import default

from ogi_report.notebook import payload
from ogi_report.render.docx.document import DOCX_MIMETYPE, render_docx


class OgiDocxExporter(Exporter):
    """Export an executed report notebook as the report in DOCX."""

    export_from_notebook = "政府信息公开年报 Word"
    output_mimetype = DOCX_MIMETYPE

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".docx"

    # nbconvert annotates the base method as returning a notebook; binary exporters (its own
    # PDFExporter included) return bytes, which its writers accept.
    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        """The DOCX bytes of the report the notebook carries, and nbconvert's resources."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        carried = payload.from_notebook(nb_copy)
        data = render_docx(carried.by, carried.findings)
        resources["output_extension"] = self.file_extension
        return data, resources
