"""Tables 二, 三 and 四 as Word tables: the printed grid with Word's widths, merges and header rows.

The merged cells are the printed grid of :mod:`ogi_report.spec.grid` (derived from the format
declarations, filled by :mod:`ogi_report.model.printed`), so a new format generation needs no change
here; this module only adds Word's column widths, merges, alignment and repeated header rows.

The table's XML is written from the grid in one piece and parsed once (lxml, through python-docx's
parser), rather than built by python-docx's table API: merging cells there walks and rebuilds the
table's cells on every call, which was two thirds of a report's DOCX time.  The XML is the one
python-docx wrote (``w:tcW`` summed over merged columns, ``w:vMerge`` continuation cells with an
empty paragraph, ``w:keepNext`` on every row's paragraphs but the last's), byte for byte
(``tests/render/docx/test_table_xml.py`` builds both); the document, its styles and sections are
still python-docx's.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm
from docx.table import Table

from ogi_report.render.docx.styles import STYLE_TABLE, TABLE_PT, TEXT_WIDTH_MM, clean_text
from ogi_report.spec.grid import Grid, GridCell, Kind

CELL_MARGIN_MM = 1.0  # narrow cell padding: table 三 and 四 have 10 and 15 columns

# A cell's paragraph alignment (``w:jc``) by its kind.
_ALIGN = {
    Kind.BLOCK_TITLE: "left",
    Kind.COLUMN_HEADER: "center",
    Kind.HEADER_LABEL: "center",
    Kind.CORNER: "center",
    Kind.ROW_LABEL: "left",  # a row's own label; row groups are centred
    Kind.VALUE: "right",
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


def _twips(mm: float) -> int:
    """A width in mm as Word's twips, rounded as python-docx rounds it."""
    return int(Mm(mm).twips)


def _run(text: str) -> str:
    """A ``w:r`` holding ``text`` as python-docx's ``add_run`` writes it (tabs and line breaks as
    ``w:tab`` and ``w:br``, edge spaces preserved)."""
    parts: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            chunk = "".join(buffer)
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            parts.append(f"<w:t{space}>{escape(chunk)}</w:t>")
            buffer.clear()

    for char in text:
        if char == "\t":
            flush()
            parts.append("<w:tab/>")
        elif char in "\r\n":
            flush()
            parts.append("<w:br/>")
        else:
            buffer.append(char)
    flush()
    return f"<w:r>{''.join(parts)}</w:r>"


def _tc_width(widths: list[int], col: int, span: int, ending: str) -> str:
    """A cell's ``w:tcPr`` opening: its width over the columns it spans, and the span."""
    width = sum(widths[col : col + span])
    grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{grid_span}{ending}'


def table_xml(grid: Grid, table_style: str, paragraph_style: str) -> str:
    """The ``w:tbl`` of ``grid``: fixed column widths, merges, alignment, header rows repeated,
    rows never split, every row kept with the next (the table stays on one page when it fits)."""
    widths = [_twips(mm) for mm in column_widths(grid)]
    margin = round(CELL_MARGIN_MM * 1440 / 25.4)
    # What each grid position holds: a cell's top-left corner, a vertical merge's continuation,
    # or nothing (a horizontal merge's covered columns).
    starts: dict[tuple[int, int], GridCell] = {}
    below: dict[tuple[int, int], GridCell] = {}
    covered: set[tuple[int, int]] = set()
    for item in grid.cells:
        starts[(item.row, item.col)] = item
        for r in range(item.row, item.row + item.rowspan):
            for c in range(item.col, item.col + item.colspan):
                if (r, c) != (item.row, item.col):
                    covered.add((r, c))
            if r > item.row:
                below[(r, item.col)] = item
    out = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblStyle w:val="{escape(table_style)}"/><w:tblW w:type="auto" w:w="0"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/>'
        "</w:tblCellMar>"
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0"'
        ' w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    p_style = f'<w:pStyle w:val="{escape(paragraph_style)}"/>'
    for row in range(grid.rows):
        header = "<w:tblHeader/>" if row < grid.header_rows else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        keep = "<w:keepNext/>" if row < grid.rows - 1 else ""
        for col in range(grid.cols):
            if (cell := starts.get((row, col))) is not None:
                restart = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
                align = "center" if cell.group else _ALIGN[cell.kind]
                run = _run(clean_text(cell.text)) if cell.text else ""
                out.append(
                    _tc_width(widths, col, cell.colspan, f'{restart}<w:vAlign w:val="center"/></w:tcPr>')
                    + f'<w:p><w:pPr>{p_style}{keep}<w:jc w:val="{align}"/></w:pPr>{run}</w:p></w:tc>'
                )
            elif (above := below.get((row, col))) is not None:
                out.append(_tc_width(widths, col, above.colspan, "<w:vMerge/></w:tcPr><w:p/></w:tc>"))
            elif (row, col) not in covered:  # a position no cell of the grid covers: left empty
                out.append(_tc_width(widths, col, 1, "</w:tcPr><w:p/></w:tc>"))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def add_table(doc: Any, grid: Grid) -> Any:
    """Append the printed grid of a table to ``doc`` as a Word table; returns the table."""
    # Style ids as python-docx's style setters find them (a document's own ids may differ).
    table_style = doc.part.get_style_id(doc.styles["Table Grid"], WD_STYLE_TYPE.TABLE)
    paragraph_style = doc.part.get_style_id(doc.styles[STYLE_TABLE], WD_STYLE_TYPE.PARAGRAPH)
    tbl = parse_xml(table_xml(grid, table_style, paragraph_style))
    body = doc._body
    body._element._insert_tbl(tbl)  # where ``doc.add_table`` puts it: before the section settings
    return Table(tbl, body)
