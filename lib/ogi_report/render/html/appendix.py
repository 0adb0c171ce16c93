"""The 数据校验 appendix as HTML: every rule with its outcome, then every finding where it was found."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from ogi_report.checks.findings import Finding
from ogi_report.checks.runner import RuleOutcome
from ogi_report.render.model import Checks, outcome_text

_FIGURE = re.compile(r"[-+−]?[\d,.]*\d[\d,.]*")


def _head(labels: Sequence[str]) -> str:
    return "<tr>" + "".join(f'<th scope="col">{h}</th>' for h in labels) + "</tr>"


def _rules_table(outcomes: Sequence[RuleOutcome]) -> str:
    rows = []
    for outcome in outcomes:
        state, text = outcome_text(outcome)
        rule = outcome.rule
        rows.append(
            f'<tr class="ogi-{state.value}"><td>{escape(rule.id)}</td>'
            f'<td class="ogi-text">{escape(rule.title)}</td>'
            f"<td>{escape(rule.severity.label)}</td><td>{escape(text)}</td></tr>"
        )
    head = _head(("规则", "检查内容", "级别", "结果"))
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
    head = _head(("规则", "级别", "位置", "实际", "应为", "说明"))
    return f'<table class="ogi-findings"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def checks_html(checks: Checks) -> str:
    """The 数据校验 appendix: the summary, the notes, the rules table and the findings table."""
    notes = "".join(f'<p class="ogi-note">{escape(n)}</p>' for n in checks.notes)
    return (
        '<section class="ogi-checks" id="ogi-checks"><h2>数据校验</h2>'
        f'<p class="ogi-summary">{escape(checks.summary())}</p>{notes}'
        f"<h3>检查的规则</h3>{_rules_table(checks.outcomes)}"
        f"<h3>发现的问题</h3>{_findings_table(checks.findings)}</section>"
    )
