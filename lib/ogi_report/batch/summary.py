"""What a batch leaves for people: ``index.html``, ``summary.csv`` and ``findings.csv`` of one year.

The index is one self-contained page (no scripts, no CDN) in Chinese listing every bureau-year with
its status, counts and links; every name it shows is escaped, since names come from data files.
The CSV files are UTF-8 with BOM so Excel and WPS on Chinese Windows open them as text, not mojibake.
All three are written atomically.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import replace
from html import escape
from pathlib import Path
from urllib.parse import quote

from ogi_report.batch.jobs import FORMATS, Outcome, Status
from ogi_report.storage.textfiles import write_text

SUMMARY_HEADERS = (
    "机关名称",
    "代号",
    "年度",
    "状态",
    "错误数",
    "警告数",
    "用时（秒）",
    "HTML",
    "PDF",
    "DOCX",
    "执行笔记本",
    "说明",
)
FINDINGS_HEADERS = (
    "机关名称",
    "代号",
    "年度",
    "规则编号",
    "严重程度",
    "位置",
    "表",
    "行",
    "列",
    "实际值",
    "应为",
    "说明",
)
_STATUS_CLASS = {Status.OK: "ok", Status.DRAFT: "draft", Status.FAILED: "failed"}

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif; margin: 2em auto; max-width: 72em;
       color: #222; line-height: 1.5; padding: 0 1em; }
h1 { font-size: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: .35em .6em; text-align: left; vertical-align: top; }
th { background: #f1f1f1; }
td.num { text-align: right; }
.ok { color: #176f2c; }
.draft { color: #a35a00; font-weight: bold; }
.failed { color: #b00020; font-weight: bold; }
.note { color: #555; font-size: .9em; white-space: pre-wrap; }
@media print { a { color: inherit; text-decoration: none; } }
"""


# Excel and WPS run a cell starting with one of these as a formula (=HYPERLINK(…), =cmd|…), and
# names and messages come from data files anyone may edit: such cells get a leading apostrophe,
# which the spreadsheet shows as text (OWASP "CSV injection").  A plain number such as "-3" is
# not a formula and stays a number.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def csv_cell(value: object) -> object:
    """``value`` made safe to open in a spreadsheet (text that would run as a formula is quoted)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv_text(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _sorted(outcomes: Sequence[Outcome]) -> list[Outcome]:
    return sorted(outcomes, key=lambda o: (o.year, o.slug))


def summary_rows(outcomes: Sequence[Outcome]) -> list[list[object]]:
    """One row per bureau-year, in :data:`SUMMARY_HEADERS` order."""
    return [
        [
            o.name,
            o.slug,
            o.year,
            o.status_label,
            o.errors,
            o.warnings,
            f"{o.seconds:.2f}",
            *(o.outputs.get(f, "") for f in FORMATS),
            o.outputs.get("ipynb", ""),
            o.message,
        ]
        for o in _sorted(outcomes)
    ]


def findings_rows(outcomes: Sequence[Outcome]) -> list[list[object]]:
    """One row per finding of every bureau-year, in :data:`FINDINGS_HEADERS` order."""
    rows: list[list[object]] = []
    for o in _sorted(outcomes):
        for f in o.findings:
            rows.append(
                [
                    o.name,
                    o.slug,
                    o.year,
                    f.rule,
                    f.severity.label,
                    f.location,
                    f.table,
                    f.row,
                    f.column,
                    f.found,
                    f.expected,
                    f.message,
                ]
            )
    return rows


def write_summary(path: Path, outcomes: Sequence[Outcome]) -> None:
    """``summary.csv``: UTF-8 with BOM, Chinese headers."""
    write_text(path, _csv_text(SUMMARY_HEADERS, summary_rows(outcomes)), encoding="utf-8-sig")


def write_findings(path: Path, outcomes: Sequence[Outcome]) -> None:
    """``findings.csv``: every finding with its rule id, UTF-8 with BOM, Chinese headers."""
    write_text(path, _csv_text(FINDINGS_HEADERS, findings_rows(outcomes)), encoding="utf-8-sig")


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(quote(href), quote=True)}">{escape(text)}</a>'


def _findings_list(o: Outcome) -> str:
    if not o.findings:
        return ""
    items = "".join(
        f"<li>[{escape(f.rule)}] {escape(f.severity.label)} {escape(f.location)}：{escape(f.message)}</li>"
        for f in o.findings
    )
    summary = f"<summary>查看 {len(o.findings)} 条</summary>"
    return f'<details id="{escape(o.slug)}-findings">{summary}<ul>{items}</ul></details>'


def _message(text: str) -> str:
    # A data error can list dozens of problems: the first shows, the rest fold away.
    first, _, rest = text.partition("\n")
    if not first:
        return ""
    more = f"<details><summary>其余问题</summary>{escape(rest)}</details>" if rest.strip() else ""
    return f'<div class="note">{escape(first)}{more}</div>'


def index_html(year: int, outcomes: Sequence[Outcome]) -> str:
    """The year's index page: every bureau-year, its status, counts, outputs and findings."""
    rows = []
    for o in _sorted(outcomes):
        links = [_link(name, fmt.upper()) for fmt in FORMATS if (name := o.outputs.get(fmt))]
        if executed := o.outputs.get("ipynb"):
            links.append(_link(executed, "执行记录"))
        note = _message(o.message)
        rows.append(
            "<tr>"
            f"<td>{escape(o.name)}<br><small>{escape(o.slug)}</small></td>"
            f'<td class="{_STATUS_CLASS[o.status]}">{escape(o.status_label)}</td>'
            f'<td class="num">{o.errors}</td><td class="num">{o.warnings}</td>'
            f"<td>{' · '.join(links)}</td>"
            f"<td>{_findings_list(o)}{note}</td>"
            "</tr>"
        )
    counts = {s: sum(1 for o in outcomes if o.status is s) for s in Status}
    skipped = sum(1 for o in outcomes if o.skipped)
    title = f"{year} 年政府信息公开工作年度报告 · 批量生成结果"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f"<p>共 {len(outcomes)} 份：已通过 {counts[Status.OK]}，草稿 {counts[Status.DRAFT]}，"
        f"失败 {counts[Status.FAILED]}（其中未变跳过 {skipped}）。草稿含校验错误，不得发布。"
        '明细见 <a href="summary.csv">summary.csv</a> 与 <a href="findings.csv">findings.csv</a>。</p>\n'
        "<table>\n<thead><tr><th>机关</th><th>状态</th><th>错误</th><th>警告</th><th>输出</th><th>校验发现</th>"
        "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</body>\n</html>\n"
    )


def write_index(path: Path, year: int, outcomes: Sequence[Outcome]) -> None:
    """``index.html`` of one year, written atomically."""
    write_text(path, index_html(year, outcomes))


def existing_outputs(out_dir: Path, outcome: Outcome) -> Outcome:
    """``outcome`` listing only the outputs still on disk (someone may have deleted or moved one)."""
    kept = {kind: name for kind, name in outcome.outputs.items() if (out_dir / name).is_file()}
    return outcome if kept == outcome.outputs else replace(outcome, outputs=kept)


def write_year(out_dir: Path, year: int, outcomes: Sequence[Outcome]) -> None:
    """All three shared files of one year; they link only outputs that exist."""
    outcomes = [existing_outputs(out_dir, o) for o in outcomes]
    write_index(out_dir / "index.html", year, outcomes)
    write_summary(out_dir / "summary.csv", outcomes)
    write_findings(out_dir / "findings.csv", outcomes)
