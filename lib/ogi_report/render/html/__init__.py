"""The report as HTML: the fragment the notebook displays, the standalone page, the official tables.

:mod:`.page` walks the render model (:mod:`ogi_report.render.model`) into the fragment and wraps it in
the kit's page shell; :mod:`.tables` writes tables 二/三/四 in their printed layout and
:mod:`.appendix` the 数据校验 appendix.
"""

from ogi_report.render.html.page import (
    page_title,
    render_page,
    report_fragment,
    report_html,
    report_page,
    report_stylesheet,
    sanitize_page,
    stylesheet,
    wrap_page,
)
from ogi_report.render.html.tables import table_html
from ogi_report.render.model import DRAFT_BANNER

__all__ = [
    "DRAFT_BANNER",
    "page_title",
    "render_page",
    "report_fragment",
    "report_html",
    "report_page",
    "report_stylesheet",
    "sanitize_page",
    "stylesheet",
    "table_html",
    "wrap_page",
]
