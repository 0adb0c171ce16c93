"""What the kit's three nbconvert exporters share: the file extension and the bytes of a report.

:class:`ReportExporter` is the base of :class:`~ogi_report.notebook.export_html.OgiHtmlExporter`,
:class:`~ogi_report.notebook.export_pdf.OgiPdfExporter` and
:class:`~ogi_report.notebook.export_docx.OgiDocxExporter`; the two binary ones add
:class:`BinaryReportExporter`, which turns what the exporter below it returns (the HTML page, the
executed notebook) into the file's bytes; :func:`carried_report` is the report they print.
"""

from __future__ import annotations

from typing import Any, ClassVar

from nbconvert.exporters import Exporter
from traitlets import default

from ogi_report.notebook import payload
from ogi_report.render.model import Report, report_model


def carried_report(nb: Any) -> Report:
    """The report an executed notebook carries, as published: no 数据校验 appendix (the notebook
    itself shows it); a draft stays marked 草稿."""
    carried = payload.from_notebook(nb)
    return report_model(carried.by, carried.findings)


class ReportExporter(Exporter):
    """An exporter of the report an executed notebook carries; ``extension`` names its files.

    Besides the file, it tells its caller the file's name, ``<slug>-<year><extension>`` as the
    batch and ``render`` name theirs, in ``resources["ogi_report"]["download_name"]``: JupyterLab's
    export (:mod:`ogi_report.notebook.lab.handlers`) names the download with it.
    """

    extension: ClassVar[str] = ""

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return self.extension

    def _preprocess(self, nb: Any, resources: Any) -> Any:
        """After nbconvert's preprocessors (``--execute`` runs the notebook here): the file's name,
        from the report the executed notebook carries."""
        nb_copy, resources = super()._preprocess(nb, resources)  # type: ignore[no-untyped-call]
        stem = payload.file_stem(nb_copy)
        if stem is not None:
            resources.setdefault("ogi_report", {})["download_name"] = stem + self.file_extension
        return nb_copy, resources


class BinaryReportExporter(ReportExporter):
    """An exporter writing bytes, which nbconvert's ``FilesWriter`` writes in binary mode."""

    def to_bytes(self, content: Any) -> bytes:
        """The file's bytes from what the exporter below this one returned."""
        raise NotImplementedError

    # nbconvert annotates the base method as returning a notebook; binary exporters (its own
    # PDFExporter included) return bytes, which its writers accept.
    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        """The bytes of the report the notebook carries, and nbconvert's resources."""
        content, resources = super().from_notebook_node(nb, resources, **kw)
        data = self.to_bytes(content)
        resources["output_extension"] = self.file_extension
        return data, resources
