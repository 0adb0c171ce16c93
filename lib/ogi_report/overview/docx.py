"""The overview as a Word document (python-docx): the same blocks, editable for a report upward.

Headings, the key figures, the named alerts, every table (the summed official tables with their
merged headings) and, for each chart, the table of its numbers under the chart's title: Word has no
use for the SVG, and the numbers are what a report upward copies.  A4 portrait, the 黑体 role's
first font for all text.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from ogi_report.model.printed import table_grid
from ogi_report.overview.blocks import Block, Chart, DataTable, Document, Heading, Keys, Official, Para, Style
from ogi_report.render.fonts import Role, load_setup
from ogi_report.spec.grid import Kind

_COLOURS = {Style.OK: "176F2C", Style.WARN: "A35A00", Style.BAD: "B00020", Style.NOTE: "666666"}


def _run(
    paragraph: object, text: str, *, bold: bool = False, style: str = "", size: float | None = None
) -> None:
    run = paragraph.add_run(text)  # type: ignore[attr-defined]
    run.bold = bold or style in (Style.WARN, Style.BAD)
    if style in _COLOURS:
        run.font.color.rgb = RGBColor.from_string(_COLOURS[style])
    if size:
        run.font.size = Pt(size)


def _plain(doc: object, table: DataTable) -> None:
    t = doc.add_table(rows=1 + len(table.rows), cols=len(table.headers))  # type: ignore[attr-defined]
    t.style = "Table Grid"
    cells = t._cells  # one scan: python-docx's cell() rescans the table each time
    width = len(table.headers)
    for i, head in enumerate(table.headers):
        _run(cells[i].paragraphs[0], head, bold=True)
    for r, row in enumerate(table.rows, start=1):
        for c, text in enumerate(row):
            p = cells[r * width + c].paragraphs[0]
            _run(p, text.text + (f"（{text.small}）" if text.small else ""), style=text.style)
            if text.style == Style.NUMBER:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _official(doc: object, block: Official) -> None:
    grid = table_grid(block.table)
    t = doc.add_table(rows=grid.rows, cols=grid.cols)  # type: ignore[attr-defined]
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = t._cells
    for c in grid.cells:
        cell = cells[c.row * grid.cols + c.col]
        p = cell.paragraphs[0]
        _run(p, c.text, bold=c.kind not in (Kind.VALUE, Kind.ROW_LABEL), size=8)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c.kind is Kind.VALUE else WD_ALIGN_PARAGRAPH.CENTER
    for c in grid.cells:
        if c.rowspan > 1 or c.colspan > 1:
            first = cells[c.row * grid.cols + c.col]
            last = cells[(c.row + c.rowspan - 1) * grid.cols + c.col + c.colspan - 1]
            first.merge(last)


def _block(doc: object, block: Block) -> None:
    add = doc.add_paragraph  # type: ignore[attr-defined]
    if isinstance(block, Heading):
        doc.add_heading(block.text, level=block.level)  # type: ignore[attr-defined]
    elif isinstance(block, Para):
        p = add()
        for i, part in enumerate(block.parts):
            _run(
                p,
                part.text,
                bold=i == 0 and len(block.parts) > 1,
                style=block.style if i == 0 else part.style,
            )
    elif isinstance(block, Keys):
        for key in block.items:
            p = add()
            _run(p, f"{key.label}：", bold=True)
            _run(p, key.value + (f"（{key.detail}）" if key.detail else ""))
    elif isinstance(block, DataTable):
        _plain(doc, block)
    elif isinstance(block, Official):
        _official(doc, block)
    elif isinstance(block, Chart):
        _run(add(), block.title, bold=True)
        if block.numbers is not None:
            _plain(doc, block.numbers)
        if block.note:
            _run(add(), block.note, style=Style.NOTE)
    else:
        for chart in block.charts:
            _block(doc, chart)


def overview_docx(doc_model: Document) -> bytes:
    """The DOCX of the overview ``doc_model``."""
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    chain = load_setup().installed(Role.HEITI)
    family = chain[0].face.css if chain else "SimHei"
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[style_name]
        style.font.name = family
        style.element.rPr.rFonts.set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", family
        )
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(doc_model.title, level=0)
    _run(doc.add_paragraph(), doc_model.subtitle, style=Style.NOTE)
    for block in doc_model.blocks:
        _block(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
