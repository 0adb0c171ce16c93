"""The report of one bureau-year as HTML: the fragment the notebook displays, and the standalone page.

:func:`report_html` builds the fragment from the report's model (:mod:`ogi_report.render.model`) —
the 草稿 banner when the checks found errors, the masthead and title, the opening, the six sections
(each section's text before its table), the signature and, in the review edition
(:class:`~ogi_report.render.model.Edition`), the 数据校验 appendix.  The notebook displays the review
edition; what a bureau publishes is the published one (a draft's still carries the banner).
:func:`render_page` wraps it in the kit's page shell (the same shell the nbconvert template
``ogi_report`` uses, :mod:`ogi_report.notebook.export_html`), so exporting the executed notebook and
rendering straight from data give the same page.

The page is self-contained: its CSS is inlined (``report.css``, the report on screen, also shown
inline in JupyterLab; ``page.css``, the sheet around it and the kit's print additions; ``print.css``,
the GB/T 9704 print layout, last) and nothing is loaded from the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from html import escape
from importlib import resources
from typing import Any

import jinja2
import nh3

from ogi_report.checks.runner import CheckResult
from ogi_report.model.bureau import BureauYear
from ogi_report.render.html.appendix import checks_html
from ogi_report.render.html.tables import table_html
from ogi_report.render.markdown import NARRATIVE_ATTRIBUTES, NARRATIVE_TAGS, URL_SCHEMES, markdown_html
from ogi_report.render.model import DRAFT_BANNER, Edition, Report, Section, Signature, report_model
from ogi_report.render.prose import Prose

TEMPLATE_PACKAGE_DIR = "templates/ogi_report"

# Everything the report fragment uses; the page shell sanitizes every notebook output to this list,
# so a notebook that displays something else (a script, a remote image) cannot smuggle it in.
PAGE_TAGS = NARRATIVE_TAGS | {
    "article", "section", "header", "footer", "div", "span", "h1", "h2",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
PAGE_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in NARRATIVE_ATTRIBUTES.items()},
    "*": {"class", "id", "lang", "role", "title"},
    "table": {"data-table"},
    "section": {"data-section"},
    "th": {"rowspan", "colspan", "scope"},
    "td": {"rowspan", "colspan"},
}


def sanitize_page(html: str) -> str:
    """``html`` reduced to what a report page may contain (see :data:`PAGE_TAGS`)."""
    return nh3.clean(
        html,
        tags=set(PAGE_TAGS),
        attributes=PAGE_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


# ---------------------------------------------------------------------------------------------
# The report itself, walking the model.


def _banner(report: Report) -> str:
    if not report.draft:
        return ""
    return (
        '<div class="ogi-banner" role="alert">'
        f"<strong>{DRAFT_BANNER}</strong><span>{escape(report.draft_notice)}</span></div>"
    )


def _prose(prose: Prose) -> str:
    return markdown_html(prose.tokens) if prose else ""


def _section(section: Section) -> str:
    table = ""
    if section.table is not None:
        table = f'<div class="ogi-table-wrap">{table_html(section.table)}</div>'
    return (
        f'<section class="ogi-section" data-section="{escape(section.number)}">'
        f"<h2>{escape(section.heading)}</h2>{_prose(section.body)}{table}</section>"
    )


def _signature(signature: Signature) -> str:
    lines = [signature.signer]
    if signature.date:
        lines.append(signature.date)
    return '<div class="ogi-signature">' + "".join(f"<p>{escape(x)}</p>" for x in lines) + "</div>"


def _fragment(report: Report) -> str:
    masthead = f'<p class="ogi-masthead">{escape(report.masthead)}</p>' if report.masthead else ""
    opening = f'<div class="ogi-opening">{_prose(report.opening)}</div>' if report.opening else ""
    return (
        f'<article class="ogi-report" lang="zh-CN">{_banner(report)}'
        f'<header class="ogi-head">{masthead}<h1 class="ogi-title">{escape(report.title)}</h1></header>'
        f"{opening}{''.join(_section(s) for s in report.sections)}{_signature(report.signature)}"
        f"{checks_html(report.checks) if report.checks else ''}</article>"
    )


def report_html(
    by: BureauYear, result: CheckResult, notes: Iterable[str] = (), edition: Edition = Edition.REVIEW
) -> str:
    """The report of one bureau-year as an HTML fragment (by default the review edition, which the
    notebook displays)."""
    return report_fragment(report_model(by, result, notes).edition(edition))


def report_fragment(report: Report) -> str:
    """A report's model (already the edition to print) as an HTML fragment."""
    return _fragment(report)


# ---------------------------------------------------------------------------------------------
# The page shell, shared with the nbconvert template.


def _template_file(name: str) -> str:
    return resources.files("ogi_report").joinpath(f"{TEMPLATE_PACKAGE_DIR}/{name}").read_text("utf-8")


@cache
def report_stylesheet() -> str:
    """The report's screen CSS, scoped to ``.ogi-report`` (also shown inline in JupyterLab)."""
    return _template_file("report.css")


@cache
def stylesheet() -> str:
    """The page's CSS: the report's, the page's (sheet and print additions), then print.css (GB/T 9704)."""
    return "\n".join(_template_file(name) for name in ("report.css", "page.css", "print.css"))


@cache
def _shell() -> Any:  # a template module: its macros are attributes
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_file), autoescape=True, keep_trailing_newline=False
    )
    return env.get_template("shell.html.j2").module


def page_title(title: str, errors: int) -> str:
    """The browser title: the report's title, marked 草稿 when the data failed the checks."""
    return f"【草稿】{title}" if errors else title


def page_head(title: str) -> str:
    """The page from ``<!DOCTYPE html>`` to the opening of its main element."""
    return str(_shell().head(title, stylesheet()))


def page_foot() -> str:
    """The page from the end of its main element to ``</html>``."""
    return str(_shell().foot())


def wrap_page(title: str, body: str) -> str:
    """A standalone page around an already-built ``body`` (sanitized to :data:`PAGE_TAGS`)."""
    return page_head(title) + sanitize_page(body) + page_foot()


def render_page(
    by: BureauYear, result: CheckResult, notes: Iterable[str] = (), edition: Edition = Edition.PUBLISHED
) -> str:
    """The standalone HTML page of one bureau-year, straight from data (no notebook); by default the
    published edition."""
    return report_page(report_model(by, result, notes).edition(edition))


def report_page(report: Report) -> str:
    """The standalone page of a report's model (already the edition to print)."""
    return wrap_page(page_title(report.title, len(report.draft.errors)), report_fragment(report))
