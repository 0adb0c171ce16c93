"""What the report notebook calls: load one bureau-year, check it, display the report.

The notebook stays a few literal lines (``notebooks/annual_report.ipynb``)::

    loaded = report.load(slug, year, data_root)
    result = report.check(loaded)
    report.render(loaded, result)          # the cell's value: the report, displayed

:func:`render` returns a :class:`ReportView`, whose display carries the report's HTML (shown by
JupyterLab and printed by the HTML exporter) and the bureau-year with its findings under
:data:`ogi_report.notebook.payload.MIME` (read by the DOCX exporter and the batch).

Failures reach the notebook as the kit's own errors with a short Chinese message instead of a
traceback dump (:class:`~ogi_report.errors.NotebookDataError`, :func:`~ogi_report.errors.in_notebook`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ogi_report.checks.runner import CheckResult
from ogi_report.checks.runner import check as run_checks
from ogi_report.errors import DataError, OgiError, in_notebook
from ogi_report.notebook import payload
from ogi_report.render.html.page import report_html, report_stylesheet
from ogi_report.storage.workspace import Loaded, Workspace


def resolve_workspace(data_root: object) -> Workspace:
    """The project named by the ``data_root`` parameter ("" means: find it from the cwd).

    Run from JupyterLab the kernel starts in ``notebooks/``, whose parent is the project root.
    """
    if isinstance(data_root, os.PathLike):
        data_root = os.fspath(data_root)
    if not isinstance(data_root, str):
        raise DataError.one(
            "参数 data_root", f'读到「{data_root}」，应为文件夹路径字符串，或 "" 表示自动查找'
        )
    if data_root.strip():
        root = Path(data_root).expanduser()
        if not root.is_dir():
            raise DataError.one(root, "参数 data_root 指向的文件夹不存在")
        return Workspace(root)
    found = Workspace.find(Path.cwd())
    if found is None:
        raise DataError.one(
            Path.cwd(),
            "找不到项目根目录（含 data/ 与 params/ 的文件夹）：请在参数 data_root 中写明数据所在的项目根目录",
        )
    return found


def load(slug: object, year: object, data_root: object = "") -> Loaded:
    """The bureau-year ``slug``/``year`` under the project root, with last year's data when present."""
    try:
        return resolve_workspace(data_root).load(slug, year)
    except OgiError as exc:
        raise in_notebook(exc) from exc


def check(loaded: Loaded) -> CheckResult:
    """Every rule on the loaded bureau-year (cross-year rules when last year's data exist)."""
    try:
        return run_checks(loaded.by, loaded.previous)
    except OgiError as exc:
        raise in_notebook(exc) from exc


@dataclass(frozen=True)
class ReportView:
    """The rendered report as a notebook display: HTML for people, the payload for exporters."""

    loaded: Loaded
    result: CheckResult
    fragment: str  # the report's HTML: banner, report, 数据校验 appendix

    def summary(self) -> str:
        """One line for plain-text frontends."""
        return (
            f"{self.loaded.by.meta.title}：错误 {len(self.result.errors)} 条，"
            f"警告 {len(self.result.warnings)} 条"
        )

    def display_html(self) -> str:
        """The fragment with the report's CSS, for JupyterLab (the exported page drops the style
        element: its head carries the whole stylesheet)."""
        return f"<style>{report_stylesheet()}</style>{self.fragment}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": self.summary(),
            "text/html": self.display_html(),
            payload.MIME: payload.payload(self.loaded.by, self.result),
        }


def render(loaded: Loaded, result: CheckResult) -> ReportView:
    """The report of ``loaded`` with its findings, ready to display."""
    notes = (loaded.previous_problem,) if loaded.previous_problem else ()
    try:
        fragment = report_html(loaded.by, result, notes)
    except OgiError as exc:
        raise in_notebook(exc) from exc
    return ReportView(loaded, result, fragment)
