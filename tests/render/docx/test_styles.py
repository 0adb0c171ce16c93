"""The Word document's page and type: A4 with the official margins, the page number, fonts and sizes."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Mm
from docxkit import open_docx
from ogi_report.model.bureau import BureauYear
from ogi_report.render.docx.styles import FONTS, FontRole


def test_a4_margins_footer(seed: tuple[BureauYear, bytes]) -> None:
    doc = open_docx(seed[1])
    section = doc.sections[0]
    tolerance = 1000  # EMU; Word stores twips
    for got, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(got - Mm(mm)) < tolerance
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —"
    assert [i.text for i in footer._p.iter(qn("w:instrText"))] == [" PAGE "]


def test_east_asian_fonts_and_body_format(seed: tuple[BureauYear, bytes]) -> None:
    doc = open_docx(seed[1])

    def east_asia(style: str) -> str:
        return str(doc.styles[style].element.rPr.rFonts.get(qn("w:eastAsia")))

    assert east_asia("Normal") == FONTS[FontRole.BODY] == "仿宋"
    assert east_asia("Title") == "方正小标宋简体"
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("Heading 2") == "楷体"
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert doc.styles["Title"].font.size.pt == 22
    assert abs(normal.paragraph_format.line_spacing.pt - 28.9) < 0.1
    assert normal.paragraph_format.first_line_indent.pt == 32
    assert normal.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert doc.styles["Title"].paragraph_format.alignment == 1  # centred
