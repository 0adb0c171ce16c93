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
blocks and stay in ``<tbody>``.  Values come printed in the grid (:mod:`ogi_report.model.printed`: 0 as
0, amounts exactly); a blank cell stays blank.  Text is escaped: labels are the kit's own, but
escaping costs nothing.
"""

from __future__ import annotations

from html import escape

from ogi_report.model.bureau import Table
from ogi_report.model.printed import table_grid
from ogi_report.spec.grid import Grid, GridCell, Kind


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


def table_html(table: Table | Grid) -> str:
    """One official table — its data, or its printed grid (:func:`ogi_report.model.printed.table_grid`) —
    as an HTML ``<table>`` in its printed layout."""
    grid = table if isinstance(table, Grid) else table_grid(table)
    spec_id = grid.spec.id
    parts = [f'<table class="ogi-table ogi-{spec_id}" data-table="{spec_id}">']
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
        parts += (_cell(c, in_head) for c in cells)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)
