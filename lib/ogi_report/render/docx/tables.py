"""Tables 二, 三 and 四 as Word tables: the printed grid with Word's widths, merges and header rows.

The merged cells are the printed grid of :mod:`ogi_report.spec.grid` (derived from the format
declarations, filled by :mod:`ogi_report.model.printed`), so a new format generation needs no change
here; this module only adds Word's column widths, merges, alignment and repeated header rows.
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from ogi_report.render.docx.styles import STYLE_TABLE, TABLE_PT, TEXT_WIDTH_MM, clean_text
from ogi_report.spec.grid import Grid, Kind

CELL_MARGIN_MM = 1.0  # narrow cell padding: table 三 and 四 have 10 and 15 columns

_ALIGN = {
    Kind.BLOCK_TITLE: WD_ALIGN_PARAGRAPH.LEFT,
    Kind.COLUMN_HEADER: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.HEADER_LABEL: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.CORNER: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.ROW_LABEL: WD_ALIGN_PARAGRAPH.LEFT,  # a row's own label; row groups are centred
    Kind.VALUE: WD_ALIGN_PARAGRAPH.RIGHT,
}


def column_widths(grid: Grid) -> tuple[float, ...]:
    """Column widths in mm filling the text width.

    With at most one label column every column gets the same width (tables 二 and 四).  With several
    (table 三), value columns hold a five-digit count on one line (a digit is half a character)
    and group label columns fit their longest label on three lines (at most four characters a
    line); the row labels take what is left.
    """
    label_cols = grid.label_columns
    if label_cols <= 1:
        return tuple(TEXT_WIDTH_MM / grid.cols for _ in range(grid.cols))
    value_cols = grid.cols - label_cols
    char_mm = TABLE_PT * 0.3528  # one CJK character of table text
    value_mm = 5 * char_mm / 2 + 2 * CELL_MARGIN_MM + 0.5  # 0.5 mm: Word's rounding of widths
    group_mm: list[float] = []
    for level in range(label_cols - 1):
        longest = max(
            (len(c.text) for c in grid.cells if c.kind is Kind.ROW_LABEL and c.group and c.col == level),
            default=2,
        )
        group_mm.append(min(-(-longest // 3), 4) * char_mm + 2 * CELL_MARGIN_MM + 1)
    last = TEXT_WIDTH_MM - value_cols * value_mm - sum(group_mm)
    return (*group_mm, last, *(value_mm for _ in range(value_cols)))


def _new_table(doc: Any, grid: Grid) -> Any:
    """An empty centred grid table with narrow cell margins."""
    table = doc.add_table(rows=grid.rows, cols=grid.cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_MM * 1440 / 25.4)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )
    return table


def _fill_cells(doc: Any, table: Any, grid: Grid) -> None:
    """Widths, merges, alignment and text of every cell of the grid."""
    # python-docx rebuilds the whole cell list on every table.cell()/row.cells call, which made a
    # report's tables cost a second; the cells are taken once before merging.  Before merging, a
    # region's corner cells are untouched by the merges of other regions.
    unmerged = table._cells
    # Likewise a paragraph's style setter searches every style for the default each time.
    style_id = doc.part.get_style_id(doc.styles[STYLE_TABLE], WD_STYLE_TYPE.PARAGRAPH)

    def at(row: int, col: int) -> Any:
        return unmerged[row * grid.cols + col]

    for i, width in enumerate(column_widths(grid)):
        table.columns[i].width = Mm(width)
        for r in range(grid.rows):
            at(r, i).width = Mm(width)
    for item in grid.cells:
        cell = at(item.row, item.col)
        if item.rowspan > 1 or item.colspan > 1:
            cell = cell.merge(at(item.row + item.rowspan - 1, item.col + item.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph._p.style = style_id
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if item.group else _ALIGN[item.kind]
        if item.text:
            paragraph.add_run(clean_text(item.text))


def _row_flag(tr: Any, name: str) -> None:
    tr.get_or_add_trPr().append(OxmlElement(name))


def _keep_rows(table: Any, grid: Grid) -> None:
    """Rows never split; header rows repeat; the table stays on one page when it fits."""
    for i, row in enumerate(table.rows):
        _row_flag(row._tr, "w:cantSplit")
        if i < grid.header_rows:
            _row_flag(row._tr, "w:tblHeader")
    # Keep each table on one page when it fits: a page break would cut the vertically merged
    # group labels (三、本年度办理结果) in two, and table 二's block headings cannot repeat.  Word
    # ignores this for a table longer than a page, which then breaks between rows under its
    # repeated header rows.
    merged = table._cells
    for r in range(grid.rows - 1):
        for cell in merged[r * grid.cols : (r + 1) * grid.cols]:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def add_table(doc: Any, grid: Grid) -> Any:
    """Append the printed grid of a table to ``doc`` as a Word table; returns the table."""
    table = _new_table(doc, grid)
    _fill_cells(doc, table, grid)
    _keep_rows(table, grid)
    return table
