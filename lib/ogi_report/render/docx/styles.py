"""The Word document's page and type (GB/T 9704-2012): page size and margins, paragraph styles, fonts.

A4, margins 37/35/28/26 mm, title 22 pt 小标宋-style, body 16 pt 仿宋-style with a two-character
first-line indent and a fixed 28.9 pt line pitch, 一、 headings in 黑体-style and （一） sub-heads in
楷体-style, page numbers "— N —" at the foot, and a 草稿 line in the header of a draft.

Fonts: Word has no fallback chain, so the East Asian font names are the ones Word and WPS on
Chinese Windows have (仿宋, 方正小标宋简体, 黑体, 楷体); a deployment with licensed fonts can change
:data:`FONTS`.  LibreOffice substitutes whatever CJK fonts it finds (e.g. Noto CJK) for missing ones.

python-docx has no API for East Asian fonts, first-line indents in characters, paragraph borders or
fields: the helpers here write that XML.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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

DRAFT_HEADER = "草稿（数据校验未通过，不得发布）"

# Characters XML 1.0 cannot hold (lxml refuses them); untrusted text may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text safe to place in a Word run: no characters XML cannot hold."""
    return _NOT_XML.sub("", text)


# --------------------------------------------------------------------------------------------
# Word XML helpers.


def set_fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
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


def red_rule(paragraph: Any) -> None:
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


# --------------------------------------------------------------------------------------------
# Styles and page.


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
    set_fonts(rpr, FONTS[role])
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


def _setup_title(doc: Any) -> None:
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


def setup_styles(doc: Any) -> None:
    """Give the document the report's paragraph styles (body, title, headings, table text, notice)."""
    # docDefaults carry theme fonts and en-US; replace them so nothing falls back to Calibri.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, FONTS[FontRole.BODY])
    _set_lang(rpr_default)
    body = _style_paragraph(doc, STYLE_BODY, FontRole.BODY, BODY_PT, exact_pt=LINE_PITCH_PT)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent_chars(body.paragraph_format, 2, BODY_PT)
    _setup_title(doc)
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


def _page_number(doc: Any, footer: Any) -> None:
    """The footer's "— N —" (GB/T 9704: 4号 宋体 digits between dashes)."""
    footer.style = doc.styles[STYLE_TABLE]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _page_field(footer)
    footer.add_run(" —")
    for run in footer.runs:
        run.font.size = Pt(FOOTER_PT)
        set_fonts(run._r.get_or_add_rPr(), FONTS[FontRole.FOOTER])


def setup_page(doc: Any, draft: bool) -> None:
    """A4 with the official margins, the page number at the foot and, on a draft, the 草稿 header."""
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
    _page_number(doc, section.footer.paragraphs[0])
    if draft:
        header = section.header.paragraphs[0]
        header.style = doc.styles[STYLE_NOTICE]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run(DRAFT_HEADER)
