"""``index.html`` of one year: every bureau-year with its status, dates, counts, links and findings.

One self-contained page in Chinese (nothing loaded from elsewhere).  Its one small script is the
kit's own, generated here and never fed from data: it sorts the table by a clicked heading and
filters it by a typed name or a chosen status.  Without the script the page reads the same, only
unsorted.  Every name and message shown comes from data files and is escaped.  A phone gets a
viewport and a narrower layout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from urllib.parse import quote

from ogi_report.batch.jobs import FORMATS, Outcome, Status

_STATUS_CLASS = {Status.OK: "ok", Status.DRAFT: "draft", Status.FAILED: "failed"}

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif; margin: 2em auto; max-width: 80em;
       color: #222; line-height: 1.5; padding: 0 1em; }
h1 { font-size: 1.6em; }
.files a { margin-right: .8em; }
.tools { margin: 1em 0 .5em; display: flex; gap: .8em; flex-wrap: wrap; }
.tools input, .tools select { font: inherit; padding: .2em .4em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: .35em .6em; text-align: left; vertical-align: top; }
th { background: #f1f1f1; }
th[data-sort] { cursor: pointer; white-space: nowrap; }
th[aria-sort=ascending]::after { content: " ▲"; }
th[aria-sort=descending]::after { content: " ▼"; }
td.num { text-align: right; }
td.date { white-space: nowrap; }
.ok { color: #176f2c; }
.draft { color: #a35a00; font-weight: bold; }
.failed, .late { color: #b00020; font-weight: bold; }
.note { color: #555; font-size: .9em; white-space: pre-wrap; }
@media (max-width: 700px) {
  body { margin: .5em auto; padding: 0 .5em; font-size: 15px; }
  .wide { display: none; }
  th, td { padding: .3em .35em; }
}
@media print { a { color: inherit; text-decoration: none; } .tools { display: none; } }
"""

# Sort by a heading (numbers and dates by data-key), filter by text and status.  No data inside.
SCRIPT = """
(() => {
  const table = document.getElementById("bureaus");
  const body = table.tBodies[0];
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, index) => {
    if (!th.dataset.sort) return;
    th.addEventListener("click", () => {
      const up = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(h => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      const key = row => {
        const cell = row.cells[index];
        const text = cell.dataset.key !== undefined ? cell.dataset.key : cell.textContent.trim();
        return th.dataset.sort === "number" ? Number(text) : text;
      };
      const rows = Array.from(body.rows).sort((a, b) => {
        const x = key(a), y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
      });
      rows.forEach(row => body.appendChild(row));
    });
  });
  const text = document.getElementById("filter-text");
  const status = document.getElementById("filter-status");
  const apply = () => {
    const needle = text.value.trim().toLowerCase();
    Array.from(body.rows).forEach(row => {
      const shown = (!needle || row.cells[0].textContent.toLowerCase().includes(needle))
        && (!status.value || row.cells[1].dataset.status === status.value);
      row.hidden = !shown;
    });
  };
  text.addEventListener("input", apply);
  status.addEventListener("change", apply);
})();
"""


@dataclass(frozen=True)
class Dates:
    """A bureau-year's publication date and the deadline it is held to."""

    published: date | None
    deadline: date | None

    @property
    def late(self) -> bool:
        return self.published is not None and self.deadline is not None and self.published > self.deadline


@dataclass(frozen=True)
class YearFiles:
    """What the index links beyond each report's own outputs (only files that exist)."""

    dates: Mapping[str, Dates] = field(default_factory=dict)  # slug → dates
    review: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # slug → format → path
    overview: Mapping[str, str] = field(default_factory=dict)  # format → file name
    archive: str = ""  # <year>-reports.zip


def link(href: str, text: str) -> str:
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


def _date_cells(dates: Dates | None) -> str:
    if dates is None:
        return '<td class="date" data-key=""></td><td class="date wide" data-key=""></td>'
    shown = dates.published.isoformat() if dates.published else "未填写"
    mark = '<br><span class="late">逾期</span>' if dates.late else ""
    deadline = dates.deadline.isoformat() if dates.deadline else ""
    return (
        f'<td class="date" data-key="{shown if dates.published else ""}">{shown}{mark}</td>'
        f'<td class="date wide" data-key="{deadline}">{deadline}</td>'
    )


def _row(o: Outcome, files: YearFiles) -> str:
    links = [link(name, fmt.upper()) for fmt in FORMATS if (name := o.outputs.get(fmt))]
    review = files.review.get(o.slug, {})
    links += [link(path, f"审阅版 {fmt.upper()}") for fmt, path in review.items()]
    if executed := o.outputs.get("ipynb"):
        links.append(link(executed, "执行记录"))
    return (
        "<tr>"
        f"<td>{escape(o.name)}<br><small>{escape(o.slug)}</small></td>"
        f'<td class="{_STATUS_CLASS[o.status]}" data-status="{o.status.value}">{escape(o.status_label)}</td>'
        + _date_cells(files.dates.get(o.slug))
        + f'<td class="num">{o.errors}</td><td class="num">{o.warnings}</td>'
        f"<td>{' · '.join(links)}</td>"
        f'<td class="wide">{_findings_list(o)}{_message(o.message)}</td>'
        "</tr>"
    )


def _head() -> str:
    columns = (
        ("机关", "text", ""),
        ("状态", "text", ""),
        ("发布日期", "text", ""),
        ("期限", "text", "wide"),
        ("错误", "number", ""),
        ("警告", "number", ""),
        ("输出", "", ""),
        ("校验发现", "", "wide"),
    )
    cells = "".join(
        f'<th scope="col"{f" data-sort={chr(34)}{kind}{chr(34)}" if kind else ""}'
        f"{f' class={chr(34)}{cls}{chr(34)}' if cls else ''}>{label}</th>"
        for label, kind, cls in columns
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _year_links(files: YearFiles) -> str:
    links = [link(name, f"年度概览 {fmt.upper()}") for fmt, name in files.overview.items()]
    if files.archive:
        links.append(link(files.archive, "全部已发布文件（zip）"))
    links += [link("summary.csv", "summary.csv"), link("findings.csv", "findings.csv")]
    return f'<p class="files">{"".join(links)}</p>'


def index_html(year: int, outcomes: Sequence[Outcome], files: YearFiles | None = None) -> str:
    """The year's index page: every bureau-year, its status, dates, counts, outputs and findings."""
    files = files or YearFiles()
    ordered = sorted(outcomes, key=lambda o: (o.year, o.slug))
    counts = {s: sum(1 for o in outcomes if o.status is s) for s in Status}
    skipped = sum(1 for o in outcomes if o.skipped)
    late = sum(1 for o in outcomes if (d := files.dates.get(o.slug)) is not None and d.late)
    title = f"{year} 年政府信息公开工作年度报告 · 批量生成结果"
    options = "".join(f'<option value="{s.value}">{s.label}</option>' for s in Status)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f"<p>共 {len(outcomes)} 份：已通过 {counts[Status.OK]}，草稿 {counts[Status.DRAFT]}，"
        f"失败 {counts[Status.FAILED]}（其中未变跳过 {skipped}）；逾期发布 {late}。"
        "草稿含校验错误，不得发布。</p>\n"
        + _year_links(files)
        + '\n<div class="tools"><label>查找机关 <input id="filter-text" type="search"></label>'
        f'<label>状态 <select id="filter-status"><option value="">全部</option>{options}</select></label>'
        '<span class="note">点击表头排序</span></div>\n'
        '<table id="bureaus">\n'
        + _head()
        + "\n<tbody>\n"
        + "\n".join(_row(o, files) for o in ordered)
        + f"\n</tbody>\n</table>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
