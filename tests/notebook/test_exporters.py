"""The nbconvert exporters: one base; HTML, PDF and DOCX export the published edition of the report
the notebook carries (``--OgiHtmlExporter.review=True``: the review edition, as the notebook shows
it); the PDF exporter typesets with Typst in-process, from the command line as from Python."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from kit import SEED_DIR
from ogi_report.checks.runner import check
from ogi_report.notebook import payload
from ogi_report.notebook.export_docx import OgiDocxExporter
from ogi_report.notebook.export_html import OgiHtmlExporter
from ogi_report.notebook.export_pdf import OgiPdfExporter
from ogi_report.notebook.exporting import BinaryReportExporter, ReportExporter
from ogi_report.render.html.page import report_html
from ogi_report.render.pdf.typeset import Typesetter
from ogi_report.storage.workspace import load
from traitlets.config import Config

JUPYTER = str(Path(sys.executable).with_name("jupyter"))
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def executed() -> nbformat.NotebookNode:
    """An executed report notebook (the output the report notebook displays), without a kernel."""
    by = load(SEED_DIR).by
    result = check(by)
    output = nbformat.v4.new_output(  # type: ignore[no-untyped-call]
        "display_data", data={"text/html": report_html(by, result), payload.MIME: payload.payload(by, result)}
    )
    cell = nbformat.v4.new_code_cell("report.render(loaded, result)", outputs=[output])  # type: ignore[no-untyped-call]
    return nbformat.v4.new_notebook(cells=[cell])  # type: ignore[no-untyped-call]


def executed_notebook(path: Path) -> Path:
    nbformat.write(executed(), str(path))
    return path


def pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "nb.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))  # without page numbers


def test_exporter_is_offered_to_nbconvert_and_jupyterlab() -> None:
    from nbconvert.exporters import get_exporter

    assert get_exporter("ogi_report_pdf") is OgiPdfExporter  # type: ignore[no-untyped-call]
    exporter = OgiPdfExporter()
    assert exporter.file_extension == ".pdf"
    assert exporter.output_mimetype == "application/pdf"
    assert OgiPdfExporter.export_from_notebook == "年报 PDF"


def test_the_three_exporters_share_one_base() -> None:
    assert issubclass(OgiHtmlExporter, ReportExporter)
    assert issubclass(OgiPdfExporter, BinaryReportExporter)
    assert issubclass(OgiDocxExporter, BinaryReportExporter)
    extensions = [cls().file_extension for cls in (OgiHtmlExporter, OgiPdfExporter, OgiDocxExporter)]  # type: ignore[no-untyped-call]
    assert extensions == [".html", ".pdf", ".docx"]


def test_the_html_exporter_publishes_and_its_review_trait_keeps_the_appendix() -> None:
    published, _ = OgiHtmlExporter().from_notebook_node(executed())  # type: ignore[no-untyped-call]
    assert "海东市应急管理局2021年政府信息公开工作年度报告" in published
    assert 'id="ogi-checks"' not in published and 'class="ogi-banner"' not in published
    review = OgiHtmlExporter(config=Config({"OgiHtmlExporter": {"review": True}}))  # type: ignore[no-untyped-call]
    shown, _ = review.from_notebook_node(executed())
    assert 'id="ogi-checks"' in shown


def test_the_exporters_have_no_environment_switches() -> None:
    for cls in (OgiPdfExporter, OgiHtmlExporter):
        source = Path(sys.modules[cls.__module__].__file__ or "").read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source


@needs_poppler
def test_exporter_typesets_an_executed_notebook(tmp_path: Path) -> None:
    data, resources = OgiPdfExporter(typesetter=Typesetter()).from_notebook_node(executed())
    assert resources["output_extension"] == ".pdf" and data.startswith(b"%PDF-")
    flow = pdf_text(data, tmp_path)
    assert "海东市应急管理局2021年政府信息公开工作年度报告" in flow
    assert "report.render" not in flow  # code never shows
    assert flow.index("一、总体情况") < flow.index("六、下一步工作思路")
    assert "数据校验" not in flow  # the published edition


@needs_poppler
def test_nbconvert_command_line_writes_the_pdf(tmp_path: Path) -> None:
    notebook = executed_notebook(tmp_path / "report.ipynb")
    result = subprocess.run(
        [JUPYTER, "nbconvert", "--to", "ogi_report_pdf", str(notebook)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr
    assert "一、总体情况" in pdf_text((tmp_path / "report.pdf").read_bytes(), tmp_path)


def test_an_unexecuted_notebook_is_refused(tmp_path: Path) -> None:
    from ogi_report.errors import RenderError

    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])  # type: ignore[no-untyped-call]
    with pytest.raises(RenderError, match="笔记本尚未运行"):
        OgiPdfExporter().from_notebook_node(empty)


def test_printed_text_exports_the_same_however_the_kernel_split_it() -> None:
    # The kernel flushes a print as one stream message or several, varying from run to run; the
    # page must not vary with it (the batch on Dask is compared byte for byte with the local pool).
    whole, split = executed(), executed()
    for nb, texts in ((whole, ["leaked: []\n"]), (split, ["leaked:", " []\n"])):
        cell = next(c for c in nb.cells if c.cell_type == "code" and c.outputs)
        streams = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in texts]
        cell.outputs = [*streams, *cell.outputs]
    exporter = OgiHtmlExporter()
    page, _ = exporter.from_notebook_node(whole)
    assert "leaked: []" in page
    assert exporter.from_notebook_node(split)[0] == page
