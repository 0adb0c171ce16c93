"""What the report notebook calls: load one bureau-year, check it, display the report.

The notebook stays a few literal lines (``notebooks/annual_report.ipynb``)::

    loaded = report.load(slug, year, data_root)
    result = report.check(loaded)
    report.render(loaded, result)          # the cell's value: the report, displayed

:func:`render` returns a :class:`ReportView`, whose display carries the report's HTML (shown by
JupyterLab and printed by the HTML exporter) and the bureau-year with its findings under
:data:`ogi_report.notebook.payload.MIME` (read by the DOCX exporter and the batch).

Failures reach the notebook as the kit's own errors with a short Chinese message instead of a
traceback dump: IPython prints an exception's ``_render_traceback_()`` in place of its traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ogi_report.checks.runner import CheckResult
from ogi_report.checks.runner import check as run_checks
from ogi_report.errors import DataError, InputError, OgiError
from ogi_report.notebook import payload
from ogi_report.render.html.page import report_html, report_stylesheet
from ogi_report.storage.workspace import Loaded, load_for

NOTEBOOK_HINT = (
    "请检查笔记本第一个单元格的参数（slug、year、data_root）和数据文件，修改后重新运行全部单元格。"
)


class _ShortTraceback:
    """Mixin: IPython shows the Chinese message and a hint instead of a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: 无法生成报告", str(self), NOTEBOOK_HINT]


class NotebookDataError(_ShortTraceback, DataError):
    """A :class:`DataError` raised in the notebook: the same problems, shown without a traceback."""


class NotebookInputError(_ShortTraceback, InputError):
    """Any other kit error raised in the notebook, shown without a traceback."""


def _short(exc: OgiError) -> OgiError:
    if isinstance(exc, DataError):
        return NotebookDataError(exc.problems)
    return NotebookInputError(str(exc))


def find_root(start: Path) -> Path:
    """The project root at or above ``start``: the first folder holding ``data/`` and ``params/``.

    Run from JupyterLab the kernel starts in ``notebooks/``, whose parent is the root.
    """
    for folder in (start, *start.parents):
        if (folder / "data").is_dir() and (folder / "params").is_dir():
            return folder
    raise DataError.one(
        start,
        "找不到项目根目录（含 data/ 与 params/ 的文件夹）：请在参数 data_root 中写明数据所在的项目根目录",
    )


def resolve_root(data_root: object) -> Path:
    """The project root named by the ``data_root`` parameter ("" means: find it from the cwd)."""
    if isinstance(data_root, os.PathLike):
        data_root = os.fspath(data_root)
    if not isinstance(data_root, str):
        raise DataError.one(
            "参数 data_root", f'读到「{data_root}」，应为文件夹路径字符串，或 "" 表示自动查找'
        )
    if not data_root.strip():
        return find_root(Path.cwd())
    root = Path(data_root).expanduser()
    if not root.is_dir():
        raise DataError.one(root, "参数 data_root 指向的文件夹不存在")
    return root


def load(slug: object, year: object, data_root: object = "") -> Loaded:
    """The bureau-year ``slug``/``year`` under the project root, with last year's data when present."""
    try:
        return load_for(slug, year, resolve_root(data_root))
    except OgiError as exc:
        raise _short(exc) from exc


def check(loaded: Loaded) -> CheckResult:
    """Every rule on the loaded bureau-year (cross-year rules when last year's data exist)."""
    try:
        return run_checks(loaded.by, loaded.previous)
    except OgiError as exc:
        raise _short(exc) from exc


@dataclass(frozen=True)
class ReportView:
    """The rendered report as a notebook display: HTML for people, the payload for exporters."""

    loaded: Loaded
    result: CheckResult
    fragment: str  # the report's HTML: banner, report, 数据校验 appendix

    def html(self) -> str:
        return self.fragment

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

    def _repr_html_(self) -> str:
        return self.display_html()

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
        raise _short(exc) from exc
    return ReportView(loaded, result, fragment)
