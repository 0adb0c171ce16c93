"""The tables' XML, written from the grid, is byte for byte what python-docx's table API wrote.

The reference below is the builder the kit used before (python-docx: ``add_table``, ``merge``,
widths, styles, ``keep_with_next``); both build the same grids in fresh documents and the
serialized ``w:tbl`` elements must be equal.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from kit import build_by
from lxml import etree
from ogi_report.checks.runner import check
from ogi_report.render.docx import tables
from ogi_report.render.docx.styles import STYLE_TABLE, clean_text
from ogi_report.render.docx.tables import CELL_MARGIN_MM, column_widths
from ogi_report.render.model import report_model
from ogi_report.spec.grid import Grid, GridCell, Kind

_ALIGN = {
    Kind.BLOCK_TITLE: WD_ALIGN_PARAGRAPH.LEFT,
    Kind.COLUMN_HEADER: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.HEADER_LABEL: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.CORNER: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.ROW_LABEL: WD_ALIGN_PARAGRAPH.LEFT,
    Kind.VALUE: WD_ALIGN_PARAGRAPH.RIGHT,
}


def reference_table(doc: Any, grid: Grid) -> Any:
    """The grid as python-docx's table API builds it (the kit's builder before the XML one)."""
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
    unmerged = table._cells
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
    for i, row in enumerate(table.rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if i < grid.header_rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    merged = table._cells
    for r in range(grid.rows - 1):
        for cell in merged[r * grid.cols : (r + 1) * grid.cols]:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    return table


def _styled_document() -> Any:
    from ogi_report.render.docx.styles import setup_styles

    doc = docx.Document()
    setup_styles(doc)
    return doc


def _tbl_bytes(build: Any, grid: Grid) -> bytes:
    doc = _styled_document()
    table = build(doc, grid)
    body = doc.element.body
    assert table._tbl.getparent() is body and body[-1].tag == qn("w:sectPr")  # placed before it
    assert body[-2] is table._tbl
    return bytes(etree.tostring(table._tbl, encoding="UTF-8"))


def _grids() -> list[tuple[str, Grid]]:
    found = []
    for fmt in ("2019", "2021"):
        by = build_by(fmt)
        for section in report_model(by, check(by)).sections:
            if section.table is not None:
                found.append((f"{fmt}-{section.table.spec.id}", section.table))
    return found


GRIDS = _grids()


@pytest.mark.parametrize(("name", "grid"), GRIDS, ids=[name for name, _ in GRIDS])
def test_table_xml_is_python_docx_s_byte_for_byte(name: str, grid: Grid) -> None:
    assert _tbl_bytes(tables.add_table, grid) == _tbl_bytes(reference_table, grid)


def test_awkward_text_is_written_as_python_docx_writes_it() -> None:
    """Edge spaces, tabs, line breaks, markup characters, characters XML cannot hold, empty text."""
    _name, grid = GRIDS[0]
    texts = [" 前后空格 ", "甲\t乙", "一行\n二行\r三行", "<b>&amp;\"'</b>", "控制\x01字符", "\x02", ""]
    cells = tuple(
        dataclasses.replace(cell, text=texts[i % len(texts)]) if cell.kind is Kind.VALUE else cell
        for i, cell in enumerate(grid.cells)
    )
    awkward = dataclasses.replace(grid, cells=cells)
    assert _tbl_bytes(tables.add_table, awkward) == _tbl_bytes(reference_table, awkward)


def test_a_position_no_cell_covers_is_an_empty_cell_as_before() -> None:
    _name, grid = GRIDS[0]
    single: GridCell = next(c for c in reversed(grid.cells) if c.rowspan == c.colspan == 1)
    holed = dataclasses.replace(grid, cells=tuple(c for c in grid.cells if c is not single))
    assert _tbl_bytes(tables.add_table, holed) == _tbl_bytes(reference_table, holed)


def _document_xml(data: bytes) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


@pytest.mark.parametrize("edition", ["published", "review"])
def test_the_whole_document_is_what_python_docx_s_own_calls_write(
    edition: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft (notice, masthead, tables, signature, appendix): the document written with the
    grid's XML and the style ids looked up once equals the one python-docx's calls write."""
    from kit import with_cells
    from ogi_report.render.docx import document
    from ogi_report.render.model import Edition

    by = with_cells(build_by("2021"), "t3", {("new", "natural_person"): 999})
    model = report_model(by, check(by)).edition(Edition(edition))
    assert model.draft
    fast = _document_xml(document.report_docx(model))

    def plain_paragraph(doc: Any, style: str, text: str = "") -> Any:
        return doc.add_paragraph(text, style=style)

    monkeypatch.setattr(document, "_paragraph", plain_paragraph)
    monkeypatch.setattr(document, "add_table", reference_table)
    assert fast == _document_xml(document.report_docx(model))
