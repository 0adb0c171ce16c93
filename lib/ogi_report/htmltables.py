"""Tables 二, 三 and 四 as HTML, in the printed official layout, derived from the format declarations.

Nothing here knows a label: every header cell, rowspan and colspan comes from :mod:`ogi_report.formats`
(column and row *paths* are the enclosing header groups).  Three shapes exist:

- blocks (table 二): each 第二十条 item prints a title row, a 信息内容 header row and its rows; a block
  narrower than the widest one lets its last cell span the remaining columns;
- rows (table 三): a corner block spanning the header rows × the label columns (the 勾稽关系 note), a
  column header whose groups span their columns, and row labels whose groups span their rows;
- wide (table 四): every row × column of the declaration becomes one printed column under the
  row's groups, above a single data row.

Numbers are printed with :func:`ogi_report.values.format_value` (0 as 0, amounts exactly); a blank
cell stays blank.  Text is escaped: labels are the kit's own, but escaping costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ogi_report.formats import Block, Layout, Row
from ogi_report.model import Table
from ogi_report.values import Value, format_value


@dataclass(frozen=True)
class HeaderLeaf:
    """One printed data column: the header groups above it and its own label."""

    path: tuple[str, ...]
    label: str


def _th(text: str, *, rowspan: int = 1, colspan: int = 1, cls: str = "", scope: str = "") -> str:
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if scope:
        attrs += f' scope="{scope}"'
    if cls:
        attrs += f' class="{cls}"'
    return f"<th{attrs}>{escape(text)}</th>"


def _td(value: Value, *, colspan: int = 1) -> str:
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    cls = "ogi-num ogi-blank" if value is None else "ogi-num"
    return f'<td class="{cls}"{span}>{escape(format_value(value))}</td>'


def _run_length(paths: Sequence[tuple[str, ...]], start: int, depth: int) -> int:
    """How many consecutive items from ``start`` share the first ``depth`` path labels."""
    prefix = paths[start][:depth]
    count = 1
    while start + count < len(paths) and paths[start + count][:depth] == prefix:
        count += 1
    return count


def header_rows(leaves: Sequence[HeaderLeaf], corner: str = "", corner_columns: int = 0) -> list[str]:
    """The ``<tr>`` rows of a multi-level column header.

    A group label spans the consecutive leaves under it; a leaf spans down to the last header row.
    The corner (when ``corner_columns`` > 0) spans every header row and the label columns.
    """
    depth = max(len(leaf.path) + 1 for leaf in leaves)
    paths = [leaf.path for leaf in leaves]
    rows: list[list[str]] = [[] for _ in range(depth)]
    if corner_columns:
        rows[0].append(_th(corner, rowspan=depth, colspan=corner_columns, cls="ogi-corner"))
    for i, leaf in enumerate(leaves):
        for level, group in enumerate(leaf.path):
            # A group is printed once, at the first leaf of its run.
            if i == 0 or paths[i - 1][: level + 1] != leaf.path[: level + 1]:
                span = _run_length(paths, i, level + 1)
                rows[level].append(_th(group, colspan=span, cls="ogi-group", scope="colgroup"))
        rows[len(leaf.path)].append(_th(leaf.label, rowspan=depth - len(leaf.path), scope="col"))
    return ["<tr>" + "".join(cells) + "</tr>" for cells in rows]


def _row_labels(rows: Sequence[Row], label_columns: int) -> list[str]:
    """The label cells of each row: groups spanning their rows, then the row's own label."""
    paths = [row.path for row in rows]
    out: list[str] = []
    for i, row in enumerate(rows):
        cells = ""
        for level, group in enumerate(row.path):
            if i == 0 or paths[i - 1][: level + 1] != row.path[: level + 1]:
                span = _run_length(paths, i, level + 1)
                cells += _th(group, rowspan=span, cls="ogi-label ogi-group", scope="rowgroup")
        own = max(label_columns - len(row.path), 1)
        cells += _th(row.label, colspan=own, cls="ogi-label", scope="row")
        out.append(cells)
    return out


def _table(spec_id: str, head: Sequence[str], body: Sequence[str]) -> str:
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    return (
        f'<table class="ogi-table ogi-{spec_id}" data-table="{spec_id}">'
        f"{thead}<tbody>{''.join(body)}</tbody></table>"
    )


def _blocks_table(table: Table) -> str:
    """Table 二: one title row, one header row and the rows of each block."""
    spec = table.spec
    width = 1 + max(len(block.columns) for block in spec.blocks)
    body: list[str] = []
    for block in spec.blocks:
        body.append(
            "<tr>" + _th(block.title, colspan=width, cls="ogi-block-title", scope="colgroup") + "</tr>"
        )
        body.append("<tr>" + _block_header(block, width) + "</tr>")
        for row in block.rows:
            cells = _th(row.label, cls="ogi-label", scope="row")
            for j, col in enumerate(block.columns):
                last = j == len(block.columns) - 1
                span = width - 1 - j if last else 1
                cells += _td(table.get(row.key, col.key), colspan=span)
            body.append("<tr>" + cells + "</tr>")
    return _table(spec.id, (), body)


def _block_header(block: Block, width: int) -> str:
    cells = _th(block.row_header, scope="col")
    for j, col in enumerate(block.columns):
        last = j == len(block.columns) - 1
        cells += _th(col.label, colspan=width - 1 - j if last else 1, scope="col")
    return cells


def _rows_table(table: Table) -> str:
    """Table 三: corner and column groups in the header; row groups spanning their rows."""
    spec = table.spec
    (block,) = spec.blocks  # a grid table has one block; blocks are table 二's shape
    leaves = [HeaderLeaf(col.path, col.label) for col in block.columns]
    head = header_rows(leaves, spec.corner or block.row_header, spec.label_columns)
    labels = _row_labels(block.rows, spec.label_columns)
    body = [
        "<tr>" + label + "".join(_td(table.get(row.key, col.key)) for col in block.columns) + "</tr>"
        for row, label in zip(block.rows, labels, strict=True)
    ]
    return _table(spec.id, head, body)


def _wide_table(table: Table) -> str:
    """Table 四: each row × column is one printed column; one data row."""
    spec = table.spec
    leaves: list[HeaderLeaf] = []
    values: list[Value] = []
    for block, row in spec.rows():
        for col in block.columns:
            leaves.append(HeaderLeaf((*row.path, row.label), col.label))
            values.append(table.get(row.key, col.key))
    body = ["<tr>" + "".join(_td(v) for v in values) + "</tr>"]
    return _table(spec.id, header_rows(leaves), body)


def table_html(table: Table) -> str:
    """One official table as an HTML ``<table>`` in its printed layout."""
    spec = table.spec
    if spec.layout is Layout.WIDE:
        return _wide_table(table)
    if any(block.title for block in spec.blocks):  # titled blocks: 第二十条 items
        return _blocks_table(table)
    return _rows_table(table)
