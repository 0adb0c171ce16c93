"""The nbconvert exporters: one base, and the PDF exporter's browser options as traits.

The traits work like nbconvert's own (``--WebPDFExporter.disable_sandbox``): set on the
``jupyter nbconvert`` command line or in its config.  A stand-in "browser" records how it was
started, so no Chromium is needed.
"""

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
from ogi_report.render.pdf.printer import DEFAULT_CHROMIUM, PdfPrinter
from ogi_report.storage.workspace import load
from traitlets.config import Config

JUPYTER = str(Path(sys.executable).with_name("jupyter"))


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


def fake_browser(folder: Path) -> tuple[Path, Path]:
    """An executable that writes its arguments to a file and exits, as a browser that failed to start."""
    record = folder / "argv.txt"
    script = folder / "fake-chromium"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\nexit 1\n', encoding="utf-8")
    script.chmod(0o755)
    return script, record


def test_exporter_is_offered_to_nbconvert_and_jupyterlab() -> None:
    from nbconvert.exporters import get_exporter

    assert get_exporter("ogi_report_pdf") is OgiPdfExporter  # type: ignore[no-untyped-call]
    exporter = OgiPdfExporter()
    assert exporter.file_extension == ".pdf"
    assert exporter.output_mimetype == "application/pdf"
    assert OgiPdfExporter.export_from_notebook == "政府信息公开年报 PDF"


def test_the_three_exporters_share_one_base() -> None:
    assert issubclass(OgiHtmlExporter, ReportExporter)
    assert issubclass(OgiPdfExporter, BinaryReportExporter) and issubclass(OgiPdfExporter, OgiHtmlExporter)
    assert issubclass(OgiDocxExporter, BinaryReportExporter)
    extensions = [cls().file_extension for cls in (OgiHtmlExporter, OgiPdfExporter, OgiDocxExporter)]  # type: ignore[no-untyped-call]
    assert extensions == [".html", ".pdf", ".docx"]


def test_browser_options_are_configurable_traits() -> None:
    traits = OgiPdfExporter.class_traits(config=True)
    assert {"chromium", "disable_sandbox"} <= set(traits)
    default = OgiPdfExporter()
    assert (default.chromium, default.disable_sandbox) == (DEFAULT_CHROMIUM, True)
    config = Config({"OgiPdfExporter": {"chromium": "/opt/chrome/chrome", "disable_sandbox": False}})
    configured = OgiPdfExporter(config=config)
    assert (configured.chromium, configured.disable_sandbox) == ("/opt/chrome/chrome", False)


def test_the_exporter_has_no_environment_switches() -> None:
    source = Path(sys.modules[OgiPdfExporter.__module__].__file__ or "").read_text(encoding="utf-8")
    assert "environ" not in source


@pytest.mark.parametrize(
    ("extra", "sandboxed"), [([], False), (["--OgiPdfExporter.disable_sandbox=False"], True)]
)
def test_traits_set_on_the_nbconvert_command_line_take_effect(
    tmp_path: Path, extra: list[str], sandboxed: bool
) -> None:
    notebook = executed_notebook(tmp_path / "report.ipynb")
    browser, record = fake_browser(tmp_path)
    result = subprocess.run(
        [
            JUPYTER,
            "nbconvert",
            "--to",
            "ogi_report_pdf",
            f"--OgiPdfExporter.chromium={browser}",
            *extra,
            str(notebook),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode != 0 and "Chromium" in result.stderr  # the stand-in exits at once
    argv = record.read_text(encoding="utf-8").split("\n")
    assert "--headless" in argv and "--remote-debugging-pipe" in argv
    assert ("--no-sandbox" not in argv) is sandboxed
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_exporter_prints_an_executed_notebook(tmp_path: Path) -> None:
    with PdfPrinter() as printer:
        data, resources = OgiPdfExporter(printer=printer).from_notebook_node(executed())
    assert resources["output_extension"] == ".pdf"
    pdf = tmp_path / "nb.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flow = re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))  # without page numbers
    assert "海东市应急管理局2021年政府信息公开工作年度报告" in flow
    assert "report.render" not in flow  # code never shows
    assert flow.index("一、总体情况") < flow.index("六、下一步工作思路") < flow.index("数据校验")
