"""The Word report: content, official merged cells, page setup, untrusted narrative, the exporter."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from kit import SEED_DIR, SEED_TEXT, build_by, with_cells
from ogi_report.checks.runner import check
from ogi_report.errors import RenderError
from ogi_report.model.bureau import BureauYear, Cell, Table
from ogi_report.model.narrative import fill
from ogi_report.model.values import Value, format_value
from ogi_report.notebook import payload
from ogi_report.notebook.export_docx import OgiDocxExporter
from ogi_report.render.docx.document import FONTS, FontRole, markdown_blocks, render_docx, write_docx
from ogi_report.spec.formats import FORMATS, CellKind, TableSpec
from ogi_report.storage.workspace import load


@dataclass(frozen=True)
class Merged:
    """A cell as Word stores it: top-left grid position, spans (from gridSpan / vMerge) and text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def merged_cells(table: Any) -> list[Merged]:
    """Rebuild every cell's spans from the table XML, independently of python-docx's cell API."""
    origins: dict[tuple[int, int], list[Any]] = {}
    open_above: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if tc.vMerge == "continue":
                origin = open_above[c]
                origins[origin][2] = r - origin[0] + 1
            else:
                origins[(r, c)] = [r, c, 1, span, text]
                if tc.vMerge == "restart":
                    open_above[c] = (r, c)
                else:
                    open_above.pop(c, None)
            c += span
    return [Merged(*values) for values in origins.values()]


def find(cells: list[Merged], text: str) -> Merged:
    hits = [m for m in cells if m.text == text]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def open_docx(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def body_texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def distinct_table(spec: TableSpec) -> Table:
    """Every cell a different number, so a value printed in the wrong cell is caught."""
    cells: dict[Cell, Value] = {}
    for n, (_block, row, col) in enumerate(spec.cells(), start=1):
        cells[(row.key, col.key)] = n * 7 if col.kind is not CellKind.DECIMAL else None
    return Table(spec, cells)


def distinct_by(fmt_id: str) -> BureauYear:
    by = build_by(fmt_id)
    return replace(by, tables={spec.id: distinct_table(spec) for spec in by.format.tables})


@pytest.fixture(scope="module")
def seed() -> tuple[BureauYear, bytes]:
    loaded = load(SEED_DIR)
    return loaded.by, render_docx(loaded.by, check(loaded.by, loaded.previous))


# --------------------------------------------------------------------------------------------
# Content.


def test_seed_title_headings_and_paragraphs_in_order(seed: tuple[BureauYear, bytes]) -> None:
    _by, data = seed
    doc = open_docx(data)
    texts = body_texts(doc)
    assert texts[0] == "海东市应急管理局文件"
    assert texts[1] == "海东市应急管理局2021年政府信息公开工作年度报告"
    assert doc.paragraphs[1].style.name == "Title"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在问题与不足",
        "六、下一步工作思路",
    ]
    subheads = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert subheads == [
        "（一）进一步健全机制，加强政务公开组织领导。",
        "（二）进一步突出重点，抓住提高公开水平关键。",
    ]
    # Every prose line of the published report appears, in order (the seed's text was extracted
    # from a PDF: spaces and a line broken across a page are normalised away).
    body = squeeze("".join(texts))
    pos = 0
    for line in SEED_TEXT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or "\t" in line:
            continue
        found = body.find(squeeze(line), pos)
        assert found >= 0, line
        pos = found + len(squeeze(line))
    assert texts[-2:] == ["海东市应急管理局", "2022年1月7日"]
    assert doc.paragraphs[-1].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert "草稿" not in "".join(texts)


def test_tables_follow_their_sections(seed: tuple[BureauYear, bytes]) -> None:
    _by, data = seed
    doc = open_docx(data)
    assert len(doc.tables) == 3
    order: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            order.append("table")
        elif child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text.startswith(("二、", "三、", "四、", "五、")):
                order.append(text[:2])
    assert order == ["二、", "table", "三、", "table", "四、", "table", "五、"]


def test_seed_values_in_their_cells(seed: tuple[BureauYear, bytes]) -> None:
    by, data = seed
    t2, t3, t4 = (merged_cells(t) for t in open_docx(data).tables)
    licensing = find(t2, "行政许可")
    assert next(m.text for m in t2 if m.row == licensing.row and m.col == 1) == "34"
    punishment = find(t2, "行政处罚")
    assert next(m.text for m in t2 if m.row == punishment.row and m.col == 1) == "1"
    assert_values(by.t3, t3)
    assert [m.text for m in sorted(t4, key=lambda m: m.col) if m.row == 3] == ["0"] * 15


def assert_values(table: Table, cells: list[Merged]) -> None:
    """Each value sits in the row of its label and the column of its heading."""
    by_pos = {(m.row, m.col): m for m in cells}
    header_depth = max(len(c.path) for c in table.spec.blocks[0].columns) + 1
    for block in table.spec.blocks:
        for row in block.rows:
            label = find(cells, row.label)
            for col in block.columns:
                heading = next(m for m in cells if m.text == col.label and m.row < header_depth)
                assert by_pos[(label.row, heading.col)].text == format_value(table.get(row.key, col.key)), (
                    row.label,
                    col.label,
                )


@pytest.mark.parametrize("fmt_id", ["2021", "2019"])
def test_every_value_in_its_cell(fmt_id: str) -> None:
    by = distinct_by(fmt_id)
    t2, t3, t4 = (merged_cells(t) for t in open_docx(render_docx(by)).tables)
    assert_values(by.t3, t3)
    # Table 四: one data row; above each value its result heading and its 行政复议/诉讼 group.
    spec = by.t4.spec
    for j, (_block, row, col) in enumerate(spec.cells()):
        value = next(m for m in t4 if m.row == 3 and m.col == j)
        assert value.text == format_value(by.t4.get(row.key, col.key))
        above = [m for m in t4 if m.col <= j < m.col + m.colspan and m.row < 3]
        assert [m.text for m in sorted(above, key=lambda m: m.row)] == [*row.path, row.label, col.label]
    # Table 二: each block's values on the row of their label, under their heading.
    by_pos = {(m.row, m.col): m for m in t2}
    for block in by.t2.spec.blocks:
        for row in block.rows:
            label = find(t2, row.label)
            for k, col in enumerate(block.columns, start=1):
                assert by_pos[(label.row, k)].text == format_value(by.t2.get(row.key, col.key))


def test_blank_cells_stay_blank() -> None:
    by = with_cells(build_by(), "t3", {("new", "research"): None})
    t3 = merged_cells(open_docx(render_docx(by)).tables[1])
    new = find(t3, "一、本年新收政府信息公开申请数量")
    research = find(t3, "科研机构")
    assert next(m for m in t3 if m.row == new.row and m.col == research.col).text == ""


# --------------------------------------------------------------------------------------------
# The official merged cells.


def test_table3_merges_v2(seed: tuple[BureauYear, bytes]) -> None:
    t3 = merged_cells(open_docx(seed[1]).tables[1])
    corner = find(t3, FORMATS["2021"].table("t3").corner)
    assert (corner.row, corner.col, corner.rowspan, corner.colspan) == (0, 0, 3, 3)
    assert (find(t3, "申请人情况").row, find(t3, "申请人情况").col, find(t3, "申请人情况").colspan) == (
        0,
        3,
        7,
    )
    legal = find(t3, "法人或其他组织")
    assert (legal.row, legal.col, legal.rowspan, legal.colspan) == (1, 4, 1, 5)
    for label in ("自然人", "总计"):
        assert (find(t3, label).row, find(t3, label).rowspan, find(t3, label).colspan) == (1, 2, 1)
    results = find(t3, "三、本年度办理结果")
    assert (results.col, results.rowspan, results.colspan) == (0, 22, 1)
    refused = find(t3, "（三）不予公开")
    assert (refused.col, refused.rowspan) == (1, 8)
    assert (find(t3, "（四）无法提供").rowspan, find(t3, "（五）不予处理").rowspan) == (3, 5)
    assert find(t3, "（六）其他处理").rowspan == 3
    for label in (
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "四、结转下年度继续办理",
    ):
        assert (find(t3, label).col, find(t3, label).colspan) == (0, 3)
    assert (find(t3, "（一）予以公开").col, find(t3, "（一）予以公开").colspan) == (1, 2)
    assert (find(t3, "（七）总计").col, find(t3, "（七）总计").colspan) == (1, 2)
    assert find(t3, "1.属于国家秘密").colspan == 1
    assert max(m.row + m.rowspan for m in t3) == 3 + 25


def test_table3_merges_v1() -> None:
    t3 = merged_cells(open_docx(render_docx(build_by("2019"))).tables[1])
    assert find(t3, "三、本年度办理结果").rowspan == 20
    other = find(t3, "（六）其他处理")
    assert (other.col, other.rowspan, other.colspan) == (1, 1, 2)
    assert find(t3, "申请人情况").colspan == 7


def test_table4_merges(seed: tuple[BureauYear, bytes]) -> None:
    t4 = merged_cells(open_docx(seed[1]).tables[2])
    assert (find(t4, "行政复议").row, find(t4, "行政复议").col, find(t4, "行政复议").colspan) == (0, 0, 5)
    assert (find(t4, "行政诉讼").col, find(t4, "行政诉讼").colspan) == (5, 10)
    direct, after = find(t4, "未经复议直接起诉"), find(t4, "复议后起诉")
    assert (direct.row, direct.col, direct.colspan) == (1, 5, 5)
    assert (after.row, after.col, after.colspan) == (1, 10, 5)
    review_leaves = [m for m in t4 if m.row == 1 and m.col < 5]
    assert [(m.text, m.rowspan) for m in review_leaves] == [
        (label, 2) for label in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    ]
    assert len([m for m in t4 if m.row == 2]) == 10
    assert len([m for m in t4 if m.row == 3]) == 15


def test_table2_blocks(seed: tuple[BureauYear, bytes]) -> None:
    t2 = merged_cells(open_docx(seed[1]).tables[0])
    for block in FORMATS["2021"].table("t2").blocks:
        assert (find(t2, block.title).col, find(t2, block.title).colspan) == (0, 4)
    assert [m.colspan for m in t2 if m.text == "本年处理决定数量"] == [3, 3]
    assert find(t2, "本年收费金额（单位：万元）").colspan == 3
    assert len([m for m in t2 if m.text == "信息内容"]) == 4


def test_header_rows_repeat_and_rows_do_not_split(seed: tuple[BureauYear, bytes]) -> None:
    t2, t3, t4 = open_docx(seed[1]).tables

    def flags(table: Any, name: str) -> list[bool]:
        return [tr.trPr is not None and tr.trPr.find(qn(name)) is not None for tr in table._tbl.tr_lst]

    assert flags(t3, "w:tblHeader") == [True] * 3 + [False] * 25
    assert flags(t4, "w:tblHeader") == [True, True, True, False]
    assert not any(flags(t2, "w:tblHeader"))  # its headings belong to each block
    for table in (t2, t3, t4):
        assert all(flags(table, "w:cantSplit"))
        # kept on one page when it fits: every row but the last keeps with the next
        keep = [
            all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
            for row in table.rows
        ]
        assert keep == [True] * (len(keep) - 1) + [False]


def test_table_text_size_and_number_alignment(seed: tuple[BureauYear, bytes]) -> None:
    doc = open_docx(seed[1])
    assert 10.5 <= doc.styles["表格文字"].font.size.pt <= 12
    t3 = doc.tables[1]
    value = t3.rows[3].cells[-1].paragraphs[0]
    assert (value.text, value.alignment) == ("0", 2)


# --------------------------------------------------------------------------------------------
# Page and type.


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


# --------------------------------------------------------------------------------------------
# Drafts and untrusted narrative.


def test_draft_notice_when_errors() -> None:
    by = with_cells(build_by(), "t3", {("new", "natural_person"): 999})
    result = check(by)
    assert result.errors
    doc = open_docx(render_docx(by, result))
    assert body_texts(doc)[0].startswith("草稿")
    assert any("T3-A" in text for text in body_texts(doc))
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    clean = open_docx(render_docx(build_by(), check(build_by())))
    assert not body_texts(clean)[0].startswith("草稿")


def test_untrusted_narrative_is_inert() -> None:
    narrative = fill(build_by()).replace(
        "本年度未收取信息处理费。",
        "本年度未收取信息处理费。<script>alert('x')</script>详见[点我](javascript:alert(1))和"
        '<a href="javascript:alert(2)">链接</a>，以及 <https://example.org/a> 与 {PAGE} 字样。\x07',
    )
    data = render_docx(replace(build_by(), narrative=narrative))
    doc = open_docx(data)
    texts = "".join(body_texts(doc))
    assert "详见点我和链接，以及 https://example.org/a 与 {PAGE} 字样。" in texts
    assert "alert" not in texts and "<" not in texts
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        everything = "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())
        document = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "javascript" not in everything and "script" not in document
    for tag in ("w:hyperlink", "w:fldSimple", "w:instrText", "w:fldChar"):
        assert tag not in document
    assert "hyperlink" not in rels


def test_markdown_blocks() -> None:
    blocks = markdown_blocks(
        "### （一）小标题\n\n第一行\n第二行 **加粗** *斜体*\n\n- 甲\n- 乙\n1. 丙\n\\*不是斜体\\*"
    )
    assert [(b.kind.value, b.text) for b in blocks] == [
        ("subhead", "（一）小标题"),
        ("paragraph", "第一行第二行 加粗 斜体"),
        ("paragraph", "甲"),
        ("paragraph", "乙"),
        ("paragraph", "1. 丙*不是斜体*"),
    ]
    bold = blocks[1].spans
    assert [(s.text, s.bold, s.italic) for s in bold][1:] == [
        ("加粗", True, False),
        (" ", False, False),
        ("斜体", False, True),
    ]


def test_bold_reaches_word() -> None:
    narrative = build_by().narrative.replace("本年度未收取信息处理费。", "本年度**未收取**信息处理费。")
    doc = open_docx(render_docx(replace(build_by(), narrative=narrative)))
    runs = [r for p in doc.paragraphs for r in p.runs if r.text == "未收取"]
    assert len(runs) == 1 and runs[0].bold


def test_missing_table_section_still_prints_its_table() -> None:
    by = build_by()
    narrative = re.sub(r"## 四、.*?(?=## 五、)", "", by.narrative, flags=re.S)
    doc = open_docx(render_docx(replace(by, narrative=narrative)))
    assert len(doc.tables) == 3
    assert "四、政府信息公开行政复议、行政诉讼情况" in [
        p.text for p in doc.paragraphs if p.style.name == "Heading 1"
    ]


def test_write_docx_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.docx"
    assert write_docx(build_by(), target) == target
    assert open_docx(target.read_bytes()).tables
    assert [p.name for p in target.parent.iterdir()] == ["report.docx"]


# --------------------------------------------------------------------------------------------
# The nbconvert exporter.


def report_notebook(by: BureauYear) -> Any:
    from nbformat import v4

    data = payload.payload(by, check(by))
    output = v4.new_output("display_data", data={payload.MIME: data, "text/plain": "报告数据"})
    return v4.new_notebook(
        cells=[v4.new_markdown_cell("# 报告"), v4.new_code_cell("ogi.show(report)", outputs=[output])]
    )


def test_exporter_builds_docx_from_notebook(tmp_path: Path) -> None:
    from nbconvert.exporters import get_exporter
    from nbconvert.writers import FilesWriter

    assert get_exporter("ogi_report_docx") is OgiDocxExporter
    exporter = OgiDocxExporter()
    assert exporter.file_extension == ".docx"
    assert exporter.output_mimetype.endswith("wordprocessingml.document")
    by = with_cells(build_by("2019"), "t3", {("new", "natural_person"): 999})
    data, resources = exporter.from_notebook_node(report_notebook(by))
    assert isinstance(data, bytes)
    doc = open_docx(data)
    assert body_texts(doc)[0].startswith("草稿")
    assert by.meta.title in body_texts(doc)
    assert find(merged_cells(doc.tables[1]), "三、本年度办理结果").rowspan == 20
    path = FilesWriter(build_directory=str(tmp_path)).write(data, resources, notebook_name="report")
    assert Path(path).name == "report.docx"
    assert Path(path).read_bytes() == data


def test_exporter_without_payload() -> None:
    from nbformat import v4

    with pytest.raises(RenderError):
        OgiDocxExporter().from_notebook_node(v4.new_notebook(cells=[v4.new_code_cell("1")]))
