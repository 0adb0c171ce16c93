"""Tables 二, 三 and 四 as HTML, in the printed official layout.

The layout — every cell's place, rowspan and colspan — is :mod:`ogi_report.spec.grid`'s; this module only
maps grid cells to ``<th>``/``<td>`` with the report's CSS classes:

- ``ogi-block-title``: a 第二十条 item's title row (table 二);
- ``ogi-corner``: the block over the label columns in a repeated heading (table 三's 勾稽关系 note);
  a block's own heading row inside the body prints it as a plain column heading (信息内容);
- ``ogi-group``: a header group (``scope="colgroup"``) or, with ``ogi-label``, a row group
  (``scope="rowgroup"``); ``ogi-label``: a row's own label (``scope="row"``);
- ``ogi-num`` (and ``ogi-blank`` for a blank cell): a value.

The heading rows a one-block table repeats go in ``<thead>``; table 二's headings belong to their
blocks and stay in ``<tbody>``.  Numbers are printed with :func:`ogi_report.model.values.format_value` (0 as
0, amounts exactly); a blank cell stays blank.  Text is escaped: labels are the kit's own, but
escaping costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ogi_report.model.bureau import Table
from ogi_report.model.values import format_value
from ogi_report.spec.formats import Cell
from ogi_report.spec.grid import Grid, GridCell, Kind, build_grid, header_cells


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


def _td(text: str, colspan: int, blank: bool) -> str:
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    cls = "ogi-num ogi-blank" if blank else "ogi-num"
    return f'<td class="{cls}"{span}>{escape(text)}</td>'


def _cell(cell: GridCell, in_head: bool) -> str:
    """One grid cell as HTML."""
    kind, text, rowspan, colspan = cell.kind, cell.text, cell.rowspan, cell.colspan
    if kind is Kind.VALUE:
        return _td(text, colspan, blank=not text)
    if kind is Kind.ROW_LABEL:
        cls, scope = ("ogi-label ogi-group", "rowgroup") if cell.group else ("ogi-label", "row")
    elif kind is Kind.BLOCK_TITLE:
        cls, scope = "ogi-block-title", "colgroup"
    elif kind is Kind.CORNER:
        cls, scope = ("ogi-corner", "") if in_head else ("", "col")
    elif cell.group:  # a header group, or a row's label in a wide heading
        cls, scope = "ogi-group", "colgroup"
    else:
        cls, scope = "", "col"
    return _th(text, rowspan=rowspan, colspan=colspan, cls=cls, scope=scope)


def _rows(rows: Sequence[Sequence[GridCell]], in_head: bool) -> list[str]:
    return ["<tr>" + "".join(_cell(c, in_head) for c in cells) + "</tr>" for cells in rows]


def header_rows(leaves: Sequence[HeaderLeaf], corner: str = "", corner_columns: int = 0) -> list[str]:
    """The ``<tr>`` rows of a multi-level column header.

    A group label spans the consecutive leaves under it; a leaf spans down to the last header row.
    The corner (when ``corner_columns`` > 0) spans every header row and the label columns.
    """
    bands = [(tuple((text, Kind.COLUMN_HEADER) for text in (*leaf.path, leaf.label)),) for leaf in leaves]
    cells = header_cells(bands, left=corner_columns)
    depth = max(c.last_row for c in cells) + 1
    if corner_columns:
        cells.append(GridCell(0, 0, Kind.CORNER, corner, rowspan=depth, colspan=corner_columns))
    rows: list[list[GridCell]] = [[] for _ in range(depth)]
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        rows[cell.row].append(cell)
    return _rows(rows, in_head=True)


# A table's HTML as fixed text and the value cells between it, per layout: the labels of a table
# never change, so only the values are formatted on each call.
Segment = str | tuple[Cell, int]  # fixed HTML, or a value cell's key and colspan
_TEMPLATES: dict[int, tuple[Grid, tuple[Segment, ...]]] = {}
_CACHE_SIZE = 64


def _template(grid: Grid) -> tuple[Segment, ...]:
    cached = _TEMPLATES.get(id(grid))
    if cached is not None and cached[0] is grid:
        return cached[1]
    spec_id = grid.spec.id
    parts: list[Segment] = [f'<table class="ogi-table ogi-{spec_id}" data-table="{spec_id}">']
    for index, cells in enumerate(grid.row_cells()):
        in_head = index < grid.header_rows
        if index == 0:
            parts.append("<thead>" if in_head else "<tbody>")
        elif index == grid.header_rows:
            parts.append("</thead><tbody>")
        # A heading row inside the body (a block's title, its column headings) stays with the
        # rows it heads when the table breaks across pages.
        heading = not in_head and all(c.kind not in (Kind.VALUE, Kind.ROW_LABEL) for c in cells)
        parts.append('<tr class="ogi-keep">' if heading else "<tr>")
        parts += (_cell(c, in_head) if c.key is None else (c.key, c.colspan) for c in cells)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    merged: list[Segment] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    if len(_TEMPLATES) >= _CACHE_SIZE:
        _TEMPLATES.clear()
    _TEMPLATES[id(grid)] = (grid, tuple(merged))
    return tuple(merged)


def table_html(table: Table) -> str:
    """One official table as an HTML ``<table>`` in its printed layout."""
    values = table.cells
    out = []
    for part in _template(build_grid(table.spec)):
        if isinstance(part, str):
            out.append(part)
        else:
            value = values[part[0]]
            out.append(_td(format_value(value), part[1], blank=value is None))
    return "".join(out)
