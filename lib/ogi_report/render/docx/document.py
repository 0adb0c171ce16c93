"""The report as a Word document (DOCX), editable in Word and WPS.

Same content as the HTML report: an optional masthead, the title, the opening, the six sections with
tables 二/三/四 after their section's text, and the signature; a 草稿 notice on top when the checks
found errors.  Layout follows GB/T 9704-2012: A4, margins 37/35/28/26 mm, title 22 pt 小标宋-style,
body 16 pt 仿宋-style with a two-character first-line indent and a fixed 28.9 pt line pitch, 一、
headings in 黑体-style and （一） sub-heads in 楷体-style, page numbers "— N —" at the foot.

Tables are real Word tables whose merged cells are the printed grid of :mod:`ogi_report.spec.grid`
(derived from the format declarations), so a new format generation needs no change here; this
module only adds Word's column widths, merges, alignment and repeated header rows.

Fonts: Word has no fallback chain, so the East Asian font names are the ones Word and WPS on
Chinese Windows have (仿宋, 方正小标宋简体, 黑体, 楷体); a deployment with licensed fonts can change
:data:`FONTS`.  LibreOffice substitutes whatever CJK fonts it finds (e.g. Noto CJK) for missing ones.

The narrative is untrusted text: Markdown is reduced to paragraphs, sub-heads, bold and italic;
raw HTML is dropped, links keep only their text, and everything reaches Word as plain run text,
never as a field, hyperlink or other markup that could execute.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.runner import CheckResult
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear, Table
from ogi_report.model.narrative import fill, split_sections
from ogi_report.model.printed import table_grid as printed_grid
from ogi_report.spec.formats import TableSpec
from ogi_report.spec.grid import Grid as PrintedGrid
from ogi_report.spec.grid import GridCell, Kind
from ogi_report.storage.textfiles import write_bytes

# --------------------------------------------------------------------------------------------
# Page and type (GB/T 9704-2012).

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
MASTHEAD_PT = 26
TABLE_PT = 10.5  # 5号
FOOTER_PT = 14  # 4号
LINE_PITCH_PT = 28.9  # 22 lines in the 225 mm text block
RED = RGBColor(0xC0, 0x00, 0x00)
LATIN_FONT = "Times New Roman"
CELL_MARGIN_MM = 1.0  # narrow cell padding: table 三 and 四 have 10 and 15 columns


class FontRole(StrEnum):
    """The typefaces of an official document, by what they are used for."""

    BODY = "body"  # 仿宋
    TITLE = "title"  # 小标宋
    HEADING = "heading"  # 黑体
    SUBHEAD = "subhead"  # 楷体
    FOOTER = "footer"  # 宋体


FONTS: dict[FontRole, str] = {
    FontRole.BODY: "仿宋",
    FontRole.TITLE: "方正小标宋简体",
    FontRole.HEADING: "黑体",
    FontRole.SUBHEAD: "楷体",
    FontRole.FOOTER: "宋体",
}

# Paragraph styles of the document: built-in heading styles keep Word's navigation pane working.
STYLE_BODY = "Normal"
STYLE_TITLE = "Title"
STYLE_HEADING = "Heading 1"
STYLE_SUBHEAD = "Heading 2"
STYLE_TABLE = "表格文字"
STYLE_NOTICE = "校验提示"

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --------------------------------------------------------------------------------------------
# Table layout: the printed grid of :mod:`ogi_report.spec.grid`, with Word column widths.


@dataclass(frozen=True)
class Grid:
    """A table as printed: cells with spans, the header rows to repeat, and column widths in mm."""

    rows: int
    cols: int
    cells: tuple[GridCell, ...]
    header_rows: int
    widths_mm: tuple[float, ...]


def _widths(grid: PrintedGrid) -> tuple[float, ...]:
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


def table_grid(table: Table) -> Grid:
    """The printed layout of ``table``: every cell with its spans (from :mod:`ogi_report.spec.grid`)."""
    grid = printed_grid(table)
    return Grid(grid.rows, grid.cols, grid.cells, grid.header_rows, _widths(grid))


# --------------------------------------------------------------------------------------------
# Narrative Markdown → blocks of inline runs.


class BlockKind(StrEnum):
    """The kinds of narrative block the report prints."""

    PARAGRAPH = "paragraph"
    SUBHEAD = "subhead"


@dataclass(frozen=True)
class Span:
    """A piece of inline text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class TextBlock:
    """A paragraph or sub-head of the narrative, as inline spans."""

    kind: BlockKind
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


_DROPPED_HTML = re.compile(r"<(script|style|iframe|object|embed|template)\b.*?(</\1\s*>|\Z)", re.I | re.S)
_HTML_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>|<\?[^<>]*>")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*)>", re.I)
_TARGET = r"\((?:[^()]|\([^()]*\))*\)"  # a link target, which may hold one level of parentheses
_IMAGE = re.compile(r"!\[([^\]]*)\]" + _TARGET)
_LINK = re.compile(r"\[([^\]]*)\]" + _TARGET)
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_ORDERED = re.compile(r"^\s*\d+[.)、]\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE = re.compile(
    r"\*\*(?P<b>.+?)\*\*|__(?P<b2>.+?)__|(?<![*\w])\*(?P<i>[^*\s][^*]*?)\*(?!\*)|`(?P<c>[^`]+)`"
)
_ESCAPABLE = "\\`*_{}[]()#+-.!<>|"
# Characters XML 1.0 cannot hold (lxml refuses them); untrusted text may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PRIVATE = 0xF0000  # escaped characters are parked in a private-use plane while parsing


def clean_text(text: str) -> str:
    """Text safe to place in a Word run: no characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def _escape_out(text: str) -> str:
    return re.sub(r"\\([" + re.escape(_ESCAPABLE) + "])", lambda m: chr(_PRIVATE + ord(m.group(1))), text)


def _escape_back(text: str) -> str:
    return "".join(chr(ord(ch) - _PRIVATE) if ord(ch) >= _PRIVATE else ch for ch in text)


def inline_spans(text: str) -> tuple[Span, ...]:
    """Inline Markdown reduced to text with bold/italic; links and HTML become plain text or go."""
    text = _escape_out(text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _REF_LINK.sub(lambda m: m.group(1), text)
    text = _HTML_TAG.sub("", text)
    spans: list[Span] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            spans.append(Span(text[pos : match.start()]))
        if match.group("b") is not None or match.group("b2") is not None:
            spans.append(Span(match.group("b") or match.group("b2"), bold=True))
        elif match.group("i") is not None:
            spans.append(Span(match.group("i"), italic=True))
        else:
            spans.append(Span(match.group("c")))
        pos = match.end()
    if pos < len(text):
        spans.append(Span(text[pos:]))
    out = [Span(clean_text(html.unescape(_escape_back(s.text))), s.bold, s.italic) for s in spans]
    return tuple(s for s in out if s.text)


def _join(lines: Sequence[str]) -> str:
    """Soft-wrapped lines joined: no space between Chinese characters, one between Latin words."""
    text = ""
    for line in lines:
        if text and text[-1].isascii() and text[-1].isalnum() and line[:1].isascii() and line[:1].isalnum():
            text += " "
        text += line
    return text


def markdown_blocks(markdown: str) -> list[TextBlock]:
    """A section body's paragraphs and sub-heads; list items become paragraphs of their own."""
    markdown = _HTML_COMMENT.sub("", _DROPPED_HTML.sub("", markdown))
    blocks: list[TextBlock] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            spans = inline_spans(_join(pending))
            if spans:
                blocks.append(TextBlock(BlockKind.PARAGRAPH, spans))
            pending.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or _FENCE.match(line) or _RULE.match(line):
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            spans = inline_spans(heading.group(1))
            if spans:
                blocks.append(TextBlock(BlockKind.SUBHEAD, spans))
            continue
        line = _QUOTE.sub("", line)
        if _BULLET.match(line) and not _RULE.match(line):
            flush()
            line = _BULLET.sub("", line)
        elif _ORDERED.match(line):
            flush()
        pending.append(line)
    flush()
    return blocks


# --------------------------------------------------------------------------------------------
# Word XML helpers (python-docx has no API for East Asian fonts, table header rows or fields).


def _set_fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set a run or style's fonts, replacing theme fonts (which would override the names)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _set_lang(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _indent_chars(paragraph_format: Any, chars: int, size_pt: float) -> None:
    """A first-line indent of ``chars`` characters, in Word's own unit and as a length."""
    paragraph_format.first_line_indent = Pt(chars * size_pt)
    ind = paragraph_format._element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _row_flag(tr: Any, name: str) -> None:
    tr_pr = tr.get_or_add_trPr()
    flag = OxmlElement(name)
    tr_pr.append(flag)


def _page_field(paragraph: Any) -> None:
    """Append a PAGE field (the only field in the document; the narrative never makes one)."""
    parts = (("w:fldChar", "begin"), ("w:instrText", " PAGE "), ("w:fldChar", "separate"), ("w:t", "1"))
    for tag, value in (*parts, ("w:fldChar", "end")):
        run = paragraph.add_run()
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), value)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = value
        run._r.append(el)


# --------------------------------------------------------------------------------------------
# The document.


def _style_paragraph(doc: Any, name: str, role: FontRole, size: float, *, exact_pt: float | None) -> Any:
    styles = doc.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name not in (STYLE_BODY,) and style.base_style is None:
        style.base_style = styles[STYLE_BODY]
    font = style.font
    font.size = Pt(size)
    font.bold = False
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, FONTS[role])
    _set_lang(rpr)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact_pt is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact_pt)
    fmt.widow_control = False
    return style


def _setup_styles(doc: Any) -> None:
    # docDefaults carry theme fonts and en-US; replace them so nothing falls back to Calibri.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, FONTS[FontRole.BODY])
    _set_lang(rpr_default)
    body = _style_paragraph(doc, STYLE_BODY, FontRole.BODY, BODY_PT, exact_pt=LINE_PITCH_PT)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent_chars(body.paragraph_format, 2, BODY_PT)
    title = _style_paragraph(doc, STYLE_TITLE, FontRole.TITLE, TITLE_PT, exact_pt=None)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(LINE_PITCH_PT)
    # The template's Title style draws a blue rule under the title: not part of an official report.
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    # Its contextual spacing would swallow the space between the masthead's red rule and the
    # title (both are Title paragraphs), leaving the title on the rule.
    for spacing in title_ppr.findall(qn("w:contextualSpacing")):
        title_ppr.remove(spacing)
    for name, role in ((STYLE_HEADING, FontRole.HEADING), (STYLE_SUBHEAD, FontRole.SUBHEAD)):
        style = _style_paragraph(doc, name, role, BODY_PT, exact_pt=LINE_PITCH_PT)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _indent_chars(style.paragraph_format, 2, BODY_PT)
    table_style = _style_paragraph(doc, STYLE_TABLE, FontRole.BODY, TABLE_PT, exact_pt=None)
    table_style.paragraph_format.first_line_indent = Pt(0)
    table_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    notice = _style_paragraph(doc, STYLE_NOTICE, FontRole.HEADING, 12, exact_pt=None)
    notice.paragraph_format.first_line_indent = Pt(0)
    notice.font.color.rgb = RED


def _setup_page(doc: Any, draft: bool) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    # GB/T 9704: the page number sits about 7 mm below the text block.
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 6)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles[STYLE_TABLE]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _page_field(footer)
    footer.add_run(" —")
    for run in footer.runs:
        run.font.size = Pt(FOOTER_PT)
        _set_fonts(run._r.get_or_add_rPr(), FONTS[FontRole.FOOTER])
    if draft:
        header = section.header.paragraphs[0]
        header.style = doc.styles[STYLE_NOTICE]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run("草稿（数据校验未通过，不得发布）")


def _add_spans(paragraph: Any, spans: Sequence[Span]) -> None:
    for span in spans:
        run = paragraph.add_run(clean_text(span.text))
        if span.bold:
            run.bold = True
        if span.italic:
            run.italic = True


def _add_block(doc: Any, block: TextBlock) -> None:
    style = STYLE_SUBHEAD if block.kind is BlockKind.SUBHEAD else STYLE_BODY
    _add_spans(doc.add_paragraph(style=style), block.spans)


_ALIGN = {
    Kind.BLOCK_TITLE: WD_ALIGN_PARAGRAPH.LEFT,
    Kind.COLUMN_HEADER: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.HEADER_LABEL: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.CORNER: WD_ALIGN_PARAGRAPH.CENTER,
    Kind.ROW_LABEL: WD_ALIGN_PARAGRAPH.LEFT,  # a row's own label; row groups are centred
    Kind.VALUE: WD_ALIGN_PARAGRAPH.RIGHT,
}


def _add_table(doc: Any, grid: Grid) -> Any:
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
    # python-docx rebuilds the whole cell list on every table.cell()/row.cells call, which made a
    # report's tables cost a second; the cells are taken once before and once after merging.
    # Before merging, a region's corner cells are untouched by the merges of other regions.
    unmerged = table._cells
    # Likewise a paragraph's style setter searches every style for the default each time.
    style_id = doc.part.get_style_id(doc.styles[STYLE_TABLE], WD_STYLE_TYPE.PARAGRAPH)

    def at(row: int, col: int) -> Any:
        return unmerged[row * grid.cols + col]

    for i, width in enumerate(grid.widths_mm):
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
    return table


def _findings(result: CheckResult | Sequence[Finding] | None) -> tuple[Finding, ...]:
    if result is None:
        return ()
    if isinstance(result, CheckResult):
        return result.findings
    return tuple(result)


def _date_text(by: BureauYear) -> str:
    d = by.meta.publish_date
    return f"{d.year}年{d.month}月{d.day}日" if d is not None else ""


def _sections_in_order(by: BureauYear, text: str) -> Iterator[tuple[str, str, TableSpec | None]]:
    """(heading, body, table) for each section to print; tables of missing sections still print."""
    fmt = by.format
    narrative = split_sections(text, fmt)
    order = [s.number for s in fmt.sections]
    present = {s.spec.number for s in narrative.sections if s.spec is not None}
    printed: set[str] = set()

    def missing_before(index: int) -> Iterator[tuple[str, str, TableSpec | None]]:
        for spec in fmt.sections[:index]:
            if spec.table and spec.number not in present and spec.number not in printed:
                printed.add(spec.number)
                yield spec.heading, "", fmt.table(spec.table)

    for section in narrative.sections:
        spec = section.spec
        if spec is not None:
            yield from missing_before(order.index(spec.number))
        table = None
        if spec is not None and spec.table and spec.number not in printed:
            printed.add(spec.number)
            table = fmt.table(spec.table)
        yield section.heading, section.body, table
    yield from missing_before(len(order))


def render_docx(by: BureauYear, result: CheckResult | Sequence[Finding] | None = None) -> bytes:
    """The report of ``by`` as DOCX bytes; ``result`` (a check result or its findings) marks drafts."""
    findings = list(_findings(result))
    try:
        text = fill(by)
    except DataError as exc:
        # Unknown placeholders stay visible in the text; the notice says which ones.
        text = by.narrative
        findings.extend(Finding("PLACEHOLDER", Severity.ERROR, str(p)) for p in exc.problems)
    errors = [f for f in findings if f.severity is Severity.ERROR]

    doc = Document()
    _setup_styles(doc)
    _setup_page(doc, draft=bool(errors))
    props = doc.core_properties
    props.title = clean_text(by.meta.title)
    props.author = clean_text(by.meta.name)
    props.subject = "政府信息公开工作年度报告"
    props.language = "zh-CN"
    props.last_modified_by = "ogi-report"
    props.comments = ""
    if by.meta.publish_date is not None:
        stamp = datetime.combine(by.meta.publish_date, time())
        props.created = stamp
        props.modified = stamp
    # The template's body starts with one empty paragraph; the report starts with its own.
    body = doc.element.body
    for paragraph in list(doc.paragraphs):
        body.remove(paragraph._p)

    if errors:
        notice = doc.add_paragraph(style=STYLE_NOTICE)
        notice.add_run(f"草稿：数据校验发现 {len(errors)} 处错误，改正前不得发布").bold = True
        for finding in errors:
            doc.add_paragraph(clean_text(str(finding)), style=STYLE_NOTICE)
    if by.meta.masthead:
        masthead = doc.add_paragraph(style=STYLE_TITLE)
        run = masthead.add_run(clean_text(by.meta.masthead))
        run.font.size = Pt(MASTHEAD_PT)
        run.font.color.rgb = RED
        _red_rule(masthead)
    doc.add_paragraph(clean_text(by.meta.title), style=STYLE_TITLE)

    narrative = split_sections(text, by.format)
    for block in markdown_blocks(narrative.opening):
        _add_block(doc, block)
    tables = {spec.id: by.tables[spec.id] for spec in by.format.tables if spec.id in by.tables}
    for heading, section_body, table_spec in _sections_in_order(by, text):
        heading_spans = inline_spans(heading)
        _add_spans(doc.add_paragraph(style=STYLE_HEADING), heading_spans)
        for block in markdown_blocks(section_body):
            _add_block(doc, block)
        if table_spec is not None and table_spec.id in tables:
            _add_table(doc, table_grid(tables[table_spec.id]))

    # The signature block (a blank line, the body's name, the date) never breaks across pages.
    lines = [line for line in (by.meta.signer, _date_text(by)) if line]
    doc.add_paragraph(style=STYLE_BODY).paragraph_format.keep_with_next = True
    for n, line in enumerate(lines):
        if line:
            paragraph = doc.add_paragraph(clean_text(line), style=STYLE_BODY)
            paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.right_indent = Pt(2 * BODY_PT)
            ind = paragraph.paragraph_format._element.get_or_add_pPr().get_or_add_ind()
            ind.set(qn("w:firstLineChars"), "0")

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# The pPr children that follow w:pBdr in the schema (CT_PPrBase), for inserting it in order.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _red_rule(paragraph: Any) -> None:
    """The red line under a masthead (版头中的分隔线), drawn as the paragraph's bottom border."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Word rejects a pPr whose children are out of schema order.
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    paragraph.paragraph_format.space_after = Pt(LINE_PITCH_PT)


def write_docx(by: BureauYear, path: Path, result: CheckResult | Sequence[Finding] | None = None) -> Path:
    """Render ``by`` and write it to ``path`` atomically; returns the path."""
    write_bytes(path, render_docx(by, result))
    return path
