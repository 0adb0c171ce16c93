"""The overview as one self-contained HTML page (no scripts, no CDN; charts inline as SVG).

The page walks the overview's blocks (:mod:`ogi_report.overview.document`); every text that comes
from data (names, messages) is escaped.  The charts sit beside the tables of their numbers, one
under the other on a phone.
"""

from __future__ import annotations

from html import escape

from ogi_report.overview.blocks import (
    Block,
    Chart,
    DataTable,
    Document,
    Heading,
    Keys,
    Official,
    Para,
    Text,
)
from ogi_report.overview.document import document
from ogi_report.overview.model import YearOverview
from ogi_report.render.html.tables import table_html

CSS = """
:root { --ink: #222; --muted: #666; --line: #c8c8c8; --ok: #176f2c; --warn: #a35a00; --bad: #b00020; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); line-height: 1.55;
  font-family: "黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
    "PingFang SC", sans-serif; }
main.ogi-overview { max-width: 76em; margin: 0 auto; padding: 1.2em 1.2em 3em; }
h1 { font-size: 1.65em; margin: .2em 0 .1em; }
h2 { font-size: 1.3em; margin: 1.8em 0 .6em; padding-bottom: .2em; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.08em; margin: 1.4em 0 .5em; }
.sub, .note { color: var(--muted); font-size: .92em; }
.keys { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5em, 1fr)); gap: .7em;
  margin: 1em 0; }
.key { border: 1px solid var(--line); border-radius: 4px; padding: .55em .8em; }
.key .label { color: var(--muted); font-size: .88em; }
.key .value { font-size: 1.7em; font-weight: bold; line-height: 1.2; }
.key .detail { font-size: .86em; color: var(--muted); }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .92em; }
th, td { border: 1px solid var(--line); padding: .3em .55em; vertical-align: top; }
thead th { background: #f1f1f1; }
table.data th[scope=row] { text-align: left; font-weight: normal; }
td.num, td.ogi-num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.wrap { overflow-x: auto; }
table.status td, table.status th { white-space: nowrap; }
table.status td:last-child { white-space: normal; }
table.ogi-table { width: 100%; }
.ok { color: var(--ok); } .warn { color: var(--warn); font-weight: bold; }
.bad { color: var(--bad); font-weight: bold; }
p.warn { color: var(--ink); font-weight: normal; margin: .3em 0; }
.alerts { border-left: 4px solid var(--warn); padding: .4em .9em; background: #fff8ec; margin: 1em 0; }
figure.chart { margin: 1em 0 1.6em; break-inside: avoid; }
figure.chart figcaption { font-weight: bold; margin-bottom: .3em; }
.chart-body { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1em;
  align-items: start; }
.chart-body .numbers:empty { display: none; }
svg.ogi-chart { width: 100%; height: auto; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.pair .chart-body { grid-template-columns: 1fr; }
@media (max-width: 700px) {
  .chart-body, .pair { grid-template-columns: 1fr; }
  main.ogi-overview { padding: .6em; }
}
@media print {
  @page { size: A4; margin: 18mm 15mm 18mm 15mm; }
  body { font-size: 10pt; }
  main.ogi-overview { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, .key { break-inside: avoid; }
  thead { display: table-header-group; }
  .wrap { overflow: visible; }
}
"""


def _text(t: Text, tag: str = "span") -> str:
    small = f"<br><small>{escape(t.small)}</small>" if t.small else ""
    cls = f' class="{t.style}"' if t.style else ""
    return f"<{tag}{cls}>{escape(t.text)}{small}</{tag}>"


def data_table(table: DataTable) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
    rows = []
    for row in table.rows:
        first, rest = row[0], row[1:]
        small = f"<br><small>{escape(first.small)}</small>" if first.small else ""
        rows.append(
            f'<tr><th scope="row">{escape(first.text)}{small}</th>'
            + "".join(_text(c, "td") for c in rest)
            + "</tr>"
        )
    cls = f"data {table.kind}".strip()
    return (
        f'<div class="wrap"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def chart(c: Chart) -> str:
    numbers = data_table(c.numbers) if c.numbers else ""
    note = f'<p class="note">{escape(c.note)}</p>' if c.note else ""
    return (
        f'<figure class="chart" id="chart-{c.key}"><figcaption>{escape(c.title)}</figcaption>'
        f'<div class="chart-body"><div class="svg">{c.svg}</div><div class="numbers">{numbers}</div></div>'
        f"{note}</figure>"
    )


def block_html(block: Block) -> str:
    """One block as HTML."""
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        cls = f' class="{block.style}"' if block.style else ""
        runs = "".join(
            f"<b>{escape(t.text)}</b>" if i == 0 and len(block.parts) > 1 else escape(t.text)
            for i, t in enumerate(block.parts)
        )
        return f"<p{cls}>{runs}</p>"
    if isinstance(block, Keys):
        return (
            '<section class="keys">'
            + "".join(
                f'<div class="key"><div class="label">{escape(k.label)}</div>'
                f'<div class="value">{escape(k.value)}</div>'
                + (f'<div class="detail">{escape(k.detail)}</div>' if k.detail else "")
                + "</div>"
                for k in block.items
            )
            + "</section>"
        )
    if isinstance(block, DataTable):
        return data_table(block)
    if isinstance(block, Official):
        return f'<div class="wrap">{table_html(block.table)}</div>'
    if isinstance(block, Chart):
        return chart(block)
    return '<div class="pair">' + "".join(chart(c) for c in block.charts) + "</div>"


def body_html(doc: Document) -> str:
    """The page's content (without the document shell): also what the notebook displays."""
    parts, alerts = [], []
    for block in doc.blocks:
        if isinstance(block, Para) and block.style == "warn":
            alerts.append(block_html(block))
            continue
        if alerts:  # consecutive warnings share one box
            parts.append(f'<section class="alerts">{"".join(alerts)}</section>')
            alerts = []
        parts.append(block_html(block))
    return (
        f'<main class="ogi-overview"><h1>{escape(doc.title)}</h1><p class="sub">{escape(doc.subtitle)}</p>'
        + "".join(parts)
        + "</main>"
    )


def overview_body(o: YearOverview) -> str:
    return body_html(document(o))


def overview_page(o: YearOverview) -> str:
    """The standalone page: ``lang="zh-CN"``, a phone viewport, CSS inline, nothing loaded."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(o.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + overview_body(o)
        + "\n</body>\n</html>\n"
    )
