"""Tables 二/三/四 in Word: every value in its cell, the official merged cells, header rows and keeps."""

from __future__ import annotations

from typing import Any

import pytest
from docx.oxml.ns import qn
from docxkit import Merged, distinct_by, find, merged_cells, open_docx
from kit import build_by, with_cells
from ogi_report.model.bureau import BureauYear, Table
from ogi_report.model.values import format_value
from ogi_report.render.docx.document import render_docx
from ogi_report.spec.formats import FORMATS


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
