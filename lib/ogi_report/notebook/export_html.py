"""nbconvert exporter writing an executed report notebook as the shared, self-contained HTML page.

``jupyter nbconvert --to ogi_report_html executed.ipynb`` (entry point declared in pyproject) and
JupyterLab's 「文件 › 保存并导出笔记本为… › 年报网页（HTML）」 both land here.  The
template (``templates/ogi_report``, based on nbconvert's ``base``) prints only the cells' outputs in
the kit's page shell (:mod:`ogi_report.render.html.page`): no code, no prompts, no scripts, CSS inlined.

What it prints is the published edition: the report output the notebook displays (banner and
数据校验 appendix, for the analyst) is replaced by the report as published, rebuilt from the data
the notebook carries — no appendix, and a banner only on a draft.  ``--OgiHtmlExporter.review=True``
keeps the notebook's own display: the review edition.

The exporter holds no per-notebook state, so one instance serves a whole batch
(:func:`html_exporter` keeps one per edition per process).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

from nbconvert.exporters import TemplateExporter
from traitlets import Bool, default

from ogi_report.checks.findings import Severity
from ogi_report.errors import OgiError, RenderError
from ogi_report.notebook import payload
from ogi_report.notebook.exporting import ReportExporter, carried_report
from ogi_report.render.html import page

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
FALLBACK_TITLE = "政府信息公开工作年度报告"


def plain_text(text: Any) -> str:
    """Text of an output (a string or nbformat's list of lines) without terminal colour codes."""
    joined = "".join(text) if isinstance(text, list) else str(text)
    return _ANSI.sub("", joined)


def _templates_dir() -> str:
    return str(resources.files("ogi_report").joinpath("templates"))


def notebook_title(nb: Any) -> str:
    """The page title: the carried report's title (marked 草稿 on errors), else a generic one."""
    try:
        carried = payload.from_notebook(nb)
    except OgiError:  # not run, or it failed before displaying the report
        return FALLBACK_TITLE
    return page.page_title(carried.by.meta.title, carried.counts[Severity.ERROR])


class OgiHtmlExporter(ReportExporter, TemplateExporter):
    """Export an executed report notebook as the report's standalone HTML page."""

    export_from_notebook = "年报网页（HTML）"
    output_mimetype = "text/html"
    extension = ".html"

    review = Bool(
        False,
        help="Export the review edition (the report with its 数据校验 appendix, as the notebook shows "
        "it) instead of the published report.",
    ).tag(config=True)

    @default("template_name")
    def _template_name_default(self) -> str:
        return "ogi_report"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [_templates_dir()]

    @default("template_extension")
    def _template_extension_default(self) -> str:
        return ".html.j2"

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @default("display_data_priority")
    def _display_data_priority_default(self) -> list[str]:
        # Only HTML (sanitized) and plain text are printed; images, JavaScript and widgets never.
        return ["text/html", "text/plain"]

    def default_filters(self) -> Any:
        yield from super().default_filters()  # type: ignore[no-untyped-call]
        yield ("ogi_clean", page.sanitize_page)
        yield ("ogi_plain", plain_text)

    def _preprocess(self, nb: Any, resources: Any) -> Any:
        """After nbconvert's preprocessors (``--execute`` runs the notebook here): refuse a
        notebook that was never run, and take the page title from the executed notebook."""
        nb_copy, resources = super()._preprocess(nb, resources)
        if not any(cell.get("outputs") for cell in nb_copy["cells"] if cell["cell_type"] == "code"):
            # An unexecuted notebook would export as an empty page that looks like success.
            raise RenderError(
                "笔记本尚未运行，没有可导出的报告：请先在 JupyterLab 中“运行全部单元格”再导出，"
                "或在命令行加 --execute（jupyter nbconvert --execute --to ...）"
            )
        _coalesce_streams(nb_copy)
        resources.setdefault("ogi_report", {}).update(title=notebook_title(nb_copy), css=page.stylesheet())
        if not self.review:
            _publish(nb_copy)
        return nb_copy, resources

    # nbconvert annotates the base method as returning a notebook; template exporters return text.
    def from_notebook_node(  # type: ignore[override]
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """The page of the report the notebook shows, and nbconvert's resources."""
        output, resources = super().from_notebook_node(nb, resources, **kw)
        return str(output), resources


def _coalesce_streams(nb: Any) -> None:
    """Merge each run of stream outputs of one name into one (in the copy exported).

    The kernel splits a cell's printed text into messages as its buffers flush, which varies from
    run to run (「leaked:」 and 「 []」, or 「leaked: []」): merged, the same notebook always exports
    the same page.
    """
    for cell in nb["cells"]:
        merged: list[Any] = []
        for output in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (
                last is not None
                and output.get("output_type") == "stream"
                and last.get("output_type") == "stream"
                and last.get("name") == output.get("name")
            ):
                last["text"] = "".join((plain_text(last.get("text", "")), plain_text(output.get("text", ""))))
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


def _publish(nb: Any) -> None:
    """Replace the report the notebook displays with its published edition (in the copy exported)."""
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if payload.MIME in data:
                data["text/html"] = page.report_fragment(carried_report(nb))
                return


@cache
def html_exporter(review: bool = False) -> OgiHtmlExporter:
    """The process's HTML exporter of an edition, built on first use (its template environment is
    costly)."""
    return OgiHtmlExporter(review=review)  # type: ignore[no-untyped-call]


def export_html(nb: Any, review: bool = False) -> str:
    """The standalone HTML page of an executed report notebook: the published edition, or with
    ``review`` the notebook's own display (report and 数据校验 appendix)."""
    html, _resources = html_exporter(review).from_notebook_node(nb)
    return html
