"""What the report notebook calls: load one bureau-year, check it, display the report.

The notebook stays a parameters cell and one call (``notebooks/annual_report.ipynb``)::

    report.show(slug, year, data_root)     # the cell's value: the report, displayed

One cell loads, checks and displays, so running it again always replaces what it showed: a failed
load leaves the Chinese error in place of the report, never a previous bureau's report below it.
:func:`load`, :func:`check` and :func:`render` are its steps, for callers that want them apart.

:func:`render` returns a :class:`ReportView`, whose display carries the report's HTML (shown by
JupyterLab and printed by the HTML exporter) and the bureau-year with its findings under
:data:`ogi_report.notebook.payload.MIME` (read by the DOCX exporter and the batch).

Failures reach the notebook as the kit's own errors with a short Chinese message instead of a
traceback dump (:class:`~ogi_report.errors.NotebookDataError`, :func:`~ogi_report.errors.in_notebook`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ogi_report.checks.runner import CheckResult
from ogi_report.checks.runner import check as run_checks
from ogi_report.errors import OgiError, in_notebook
from ogi_report.notebook import payload
from ogi_report.render.html.page import report_html, report_stylesheet
from ogi_report.storage.workspace import Loaded, Workspace


def resolve_workspace(data_root: object) -> Workspace:
    """The project named by the ``data_root`` parameter (see :meth:`Workspace.from_parameter`)."""
    return Workspace.from_parameter(data_root)


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


def show(slug: object, year: object, data_root: object = "") -> ReportView:
    """The notebook's one call: the report of bureau-year ``slug``/``year``, checked, ready to display."""
    loaded = load(slug, year, data_root)
    return render(loaded, check(loaded))
