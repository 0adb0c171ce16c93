"""The report of one bureau-year as HTML: the fragment the notebook displays, and the standalone page.

:func:`report_html` builds the fragment — the 草稿 banner when the checks found errors, the masthead
and title, the opening, the six sections (each section's text before its table), the signature and
the 数据校验 appendix.  :func:`render_page` wraps it in the kit's page shell (the same shell the
nbconvert template ``ogi_report`` uses, :mod:`ogi_report.notebook.export_html`), so exporting the executed
notebook and rendering straight from data give the same page.  The PDF printer and the benchmarks
use :func:`render_page`: no notebook, no kernel.

The page is self-contained: its CSS is inlined (``report.css``, the report on screen, also shown
inline in JupyterLab; ``page.css``, the sheet around it and the kit's print additions; ``print.css``,
the GB/T 9704 print layout, last) and nothing is loaded from the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from html import escape
from importlib import resources
from typing import Any

import jinja2
import nh3

from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.runner import CheckResult, RuleOutcome
from ogi_report.model.bureau import BureauYear
from ogi_report.model.narrative import fill, split_sections
from ogi_report.render.html.tables import table_html
from ogi_report.render.markdown import NARRATIVE_ATTRIBUTES, NARRATIVE_TAGS, URL_SCHEMES, render_markdown

TEMPLATE_PACKAGE_DIR = "templates/ogi_report"
DRAFT_BANNER = "草稿 — 数据未通过校验，不得发布"

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


def chinese_date(day: date) -> str:
    """2022-01-07 → 2022年1月7日, as reports sign."""
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------------------------------
# The report itself.


def _banner(result: CheckResult) -> str:
    if not result.errors:
        return ""
    warnings = f"，警告 {len(result.warnings)} 条" if result.warnings else ""
    return (
        '<div class="ogi-banner" role="alert">'
        f"<strong>{DRAFT_BANNER}</strong>"
        f"<span>（错误 {len(result.errors)} 条{warnings}，详见文末「数据校验」）</span></div>"
    )


def _section(heading: str, number: str, body: str, table: str) -> str:
    return (
        f'<section class="ogi-section" data-section="{escape(number)}">'
        f"<h2>{escape(heading)}</h2>{render_markdown(body) if body else ''}{table}</section>"
    )


def _table_block(by: BureauYear, table_id: str) -> str:
    return f'<div class="ogi-table-wrap">{table_html(by.tables[table_id])}</div>'


def _sections(by: BureauYear, text: str) -> tuple[str, str]:
    """The opening and the sections, in the narrative's order.

    Every table is printed, once: a table whose section the narrative lacks gets the standard
    heading, placed before the next section with a higher number (the STRUCT rule reports it).
    """
    fmt = by.format
    narrative = split_sections(text, fmt)
    order = [spec.number for spec in fmt.sections]
    pending = [spec for spec in fmt.sections if spec.table]
    parts: list[str] = []

    def flush(before: str | None) -> None:
        while pending and (before is None or order.index(pending[0].number) < order.index(before)):
            spec = pending.pop(0)
            assert spec.table is not None
            parts.append(_section(spec.heading, spec.number, "", _table_block(by, spec.table)))

    for section in narrative.sections:
        spec = section.spec
        table = ""
        if spec is not None:
            flush(spec.number)
            if spec in pending:
                pending.remove(spec)
                assert spec.table is not None
                table = _table_block(by, spec.table)
        parts.append(_section(section.heading, spec.number if spec else "", section.body, table))
    flush(None)
    opening = (
        f'<div class="ogi-opening">{render_markdown(narrative.opening)}</div>' if narrative.opening else ""
    )
    return opening, "".join(parts)


def _signature(by: BureauYear) -> str:
    lines = [by.meta.signer]
    if by.meta.publish_date is not None:
        lines.append(chinese_date(by.meta.publish_date))
    return '<div class="ogi-signature">' + "".join(f"<p>{escape(x)}</p>" for x in lines) + "</div>"


# ---------------------------------------------------------------------------------------------
# The 数据校验 appendix.


_FIGURE = re.compile(r"[-+−]?[\d,.]*\d[\d,.]*")


def _outcome_text(outcome: RuleOutcome) -> tuple[str, str]:
    if not outcome.applicable:
        reason = "（无上年数据）" if outcome.rule.needs_previous else ""
        return "ogi-na", f"不适用{reason}"
    if outcome.passed:
        return "ogi-passed", "通过"
    return "ogi-failed", f"未通过（{len(outcome.findings)} 处）"


def _rules_table(outcomes: Sequence[RuleOutcome]) -> str:
    rows = []
    for outcome in outcomes:
        cls, text = _outcome_text(outcome)
        rule = outcome.rule
        rows.append(
            f'<tr class="{cls}"><td>{escape(rule.id)}</td><td class="ogi-text">{escape(rule.title)}</td>'
            f"<td>{escape(rule.severity.label)}</td><td>{escape(text)}</td></tr>"
        )
    head = (
        "<tr>" + "".join(f'<th scope="col">{h}</th>' for h in ("规则", "检查内容", "级别", "结果")) + "</tr>"
    )
    return f'<table class="ogi-rules"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _value_class(text: str) -> str:
    """A found/expected figure is aligned as a number; a heading or a phrase wraps as text."""
    return "ogi-num" if _FIGURE.fullmatch(text.strip()) else "ogi-text"


def _findings_table(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<p>未发现问题。</p>"
    rows = []
    for finding in findings:
        rows.append(
            f'<tr class="ogi-{finding.severity.value}"><td>{escape(finding.rule)}</td>'
            f"<td>{escape(finding.severity.label)}</td>"
            f'<td class="ogi-text">{escape(finding.location or "—")}</td>'
            f'<td class="{_value_class(finding.found)}">{escape(finding.found)}</td>'
            f'<td class="{_value_class(finding.expected)}">{escape(finding.expected)}</td>'
            f'<td class="ogi-text">{escape(finding.message)}</td></tr>'
        )
    labels = ("规则", "级别", "位置", "实际", "应为", "说明")
    head = "<tr>" + "".join(f'<th scope="col">{h}</th>' for h in labels) + "</tr>"
    return f'<table class="ogi-findings"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def checks_html(result: CheckResult, notes: Iterable[str] = ()) -> str:
    """The 数据校验 appendix: every rule with its outcome, then every finding where it was found."""
    outcomes = result.outcomes
    applicable = [o for o in outcomes if o.applicable]
    passed = sum(1 for o in applicable if o.passed)
    infos = sum(1 for f in result.findings if f.severity is Severity.INFO)
    summary = (
        f"共 {len(outcomes)} 条规则：通过 {passed} 条，未通过 {len(applicable) - passed} 条，"
        f"不适用 {len(outcomes) - len(applicable)} 条。"
        f"发现错误 {len(result.errors)} 条、警告 {len(result.warnings)} 条"
        + (f"、提示 {infos} 条" if infos else "")
        + "。"
    )
    note_html = "".join(f'<p class="ogi-note">{escape(n)}</p>' for n in notes if n)
    return (
        '<section class="ogi-checks" id="ogi-checks"><h2>数据校验</h2>'
        f'<p class="ogi-summary">{escape(summary)}</p>{note_html}'
        f"<h3>检查的规则</h3>{_rules_table(outcomes)}"
        f"<h3>发现的问题</h3>{_findings_table(result.findings)}</section>"
    )


def report_html(by: BureauYear, result: CheckResult, notes: Iterable[str] = ()) -> str:
    """The report of one bureau-year as an HTML fragment (what the notebook displays)."""
    masthead = f'<p class="ogi-masthead">{escape(by.meta.masthead)}</p>' if by.meta.masthead else ""
    opening, sections = _sections(by, fill(by))
    return (
        f'<article class="ogi-report" lang="zh-CN">{_banner(result)}'
        f'<header class="ogi-head">{masthead}<h1 class="ogi-title">{escape(by.meta.title)}</h1></header>'
        f"{opening}{sections}{_signature(by)}{checks_html(result, notes)}</article>"
    )


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


def render_page(by: BureauYear, result: CheckResult, notes: Iterable[str] = ()) -> str:
    """The standalone HTML page of one bureau-year, straight from data (no notebook)."""
    return wrap_page(page_title(by.meta.title, len(result.errors)), report_html(by, result, notes))
