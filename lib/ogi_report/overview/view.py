"""What the year-overview notebook calls (``notebooks/year_overview.ipynb``)::

    from ogi_report.overview import view
    data = view.load(data_root)               # every bureau-year of the project
    view.overview(data, year, slugs, title)   # the cell's value: the overview, displayed

:class:`OverviewView` displays the overview in JupyterLab (``text/html``) and carries the finished
standalone page under :data:`MIME`, from which the batch writes ``output/<year>/overview.html``
(:func:`page_from_notebook`), so the page a batch publishes is the one the notebook showed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ogi_report.errors import DataError, OgiError, RenderError, in_notebook
from ogi_report.model.bureau import is_slug, is_year
from ogi_report.overview.collect import RootData, read_root
from ogi_report.overview.model import YearOverview, build_overview
from ogi_report.overview.page import CSS, overview_body, overview_page
from ogi_report.storage.workspace import Workspace

MIME = "application/vnd.ogi-report.overview+json"


def project_root(data_root: object) -> Path:
    """The project named by the ``data_root`` parameter (see :meth:`Workspace.from_parameter`)."""
    return Workspace.from_parameter(data_root).root


def selection(slugs: object) -> tuple[str, ...]:
    """The ``slugs`` parameter as patterns: a list of slugs or shell patterns (``haidong-*``), a
    comma-separated string of them, or empty for every body."""
    if slugs is None or slugs == "":
        return ()
    items = [s.strip() for s in slugs.split(",")] if isinstance(slugs, str) else slugs
    if not isinstance(items, list | tuple) or not all(isinstance(s, str) for s in items):
        raise DataError.one(
            "参数 slugs", f'读到「{slugs}」，应为代号列表，如 ["haidong-emergency", "haidong-*"]'
        )
    bad = [s for s in items if s and not is_slug(s.replace("*", "x").replace("?", "x"))]
    if bad:
        raise DataError.one(
            "参数 slugs", f"「{'、'.join(bad)}」不是代号或代号模式（小写字母、数字、连字符，可用 * ?）"
        )
    return tuple(s for s in items if s)


def load(data_root: object = "") -> RootData:
    """Every bureau-year of the project (unreadable folders kept, with the reason)."""
    try:
        return read_root(project_root(data_root))
    except OgiError as exc:
        raise in_notebook(exc) from exc


@dataclass(frozen=True)
class OverviewView:
    """The overview as a notebook display: HTML for people, the standalone page for the batch."""

    overview: YearOverview

    def page(self) -> str:
        return overview_page(self.overview)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        o = self.overview
        reported = len(o.reported)
        return {
            "text/plain": f"{o.title}：机关 {len(o.bodies)} 个，已报送 {reported} 个，"
            f"新收申请 {o.figure('new'):,.0f} 件",
            "text/html": f"<style>{CSS}</style>{overview_body(o)}",
            MIME: {"year": o.year, "title": o.title, "page": self.page()},
        }


def overview(data: RootData, year: object, slugs: object = (), title: object = "") -> OverviewView:
    """The overview of ``year`` (parameters validated; a Chinese error instead of a traceback)."""
    try:
        if not is_year(year):
            raise DataError.one("参数 year", f"读到「{year}」，应为四位整数年份，如 2021")
        if not isinstance(title, str):
            raise DataError.one("参数 title", f"读到「{title}」，应为文字（留空则用默认标题）")
        return OverviewView(build_overview(data, year, selection(slugs), title.strip()))
    except OgiError as exc:
        raise in_notebook(exc) from exc


def page_from_notebook(nb: Any) -> str:
    """The standalone page an executed overview notebook carries (RenderError when it has none)."""
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data and isinstance(data[MIME].get("page"), str):
                return str(data[MIME]["page"])
    raise RenderError("概览笔记本尚未运行或运行出错，其中没有概览页面")


def overview_of(root: Path, year: int, slugs: Sequence[str] = ()) -> YearOverview:
    """The overview of ``year`` of the project at ``root``, straight from data (no notebook)."""
    return build_overview(read_root(root), year, tuple(slugs))
