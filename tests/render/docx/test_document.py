"""The Word report: content in order, drafts, untrusted narrative, the exporter."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn
from docxkit import body_texts, find, merged_cells, open_docx, squeeze
from kit import SEED_TEXT, build_by, with_cells
from lxml import etree
from ogi_report.checks.runner import check
from ogi_report.errors import RenderError
from ogi_report.model.bureau import BureauYear
from ogi_report.model.narrative import fill
from ogi_report.notebook import payload
from ogi_report.notebook.export_docx import OgiDocxExporter
from ogi_report.render.docx.document import render_docx, write_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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


HOSTILE = (
    "<script>alert('x')</script>详见[点我](javascript:alert(1))和"
    '<a href="javascript:alert(2)">链接</a>，以及 <https://example.org/a> 与 {PAGE} 字样。'
)


def test_untrusted_narrative_is_inert() -> None:
    narrative = fill(build_by()).replace("本年度未收取信息处理费。", f"本年度未收取信息处理费。{HOSTILE}\x07")
    data = render_docx(replace(build_by(), narrative=narrative))
    texts = "".join(body_texts(open_docx(data)))
    # What the page shows as text (typed HTML, a link markdown-it refuses) is text here too; a
    # link keeps its text; a character XML cannot hold is dropped.
    assert (
        "本年度未收取信息处理费。<script>alert('x')</script>详见[点我](javascript:alert(1))和"
        '<a href="javascript:alert(2)">链接</a>，以及 https://example.org/a 与 {PAGE} 字样。'
    ) in texts
    assert "\x07" not in texts
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = package.read("word/document.xml")
        rels = package.read("word/_rels/document.xml.rels").decode()
        others = "".join(
            package.read(name).decode("utf-8", "replace")
            for name in package.namelist()
            if name != "word/document.xml"
        )
    # Nothing but run text: no hyperlink, field, script element or javascript: attribute.
    for tag in (b"w:hyperlink", b"w:fldSimple", b"w:instrText", b"w:fldChar", b"<script"):
        assert tag not in document
    root = etree.fromstring(document)
    assert all(etree.QName(el).namespace == W_NS for el in root.iter())
    assert not [v for el in root.iter() for v in el.attrib.values() if "javascript" in v.lower()]
    assert "hyperlink" not in rels and "javascript" not in others


def test_narrative_blocks_reach_word_as_paragraphs_and_subheads() -> None:
    body = "### （一）小标题\n\n第一行\n第二行 **加粗** *斜体*\n\n- 甲\n- 乙\n1. 丙\n\\*不是斜体\\*"
    narrative = build_by().narrative.replace("本年度未收取信息处理费。", body)
    paragraphs = open_docx(render_docx(replace(build_by(), narrative=narrative))).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "（一）小标题")
    assert [(p.style.name, p.text) for p in paragraphs[start : start + 5]] == [
        ("Heading 2", "（一）小标题"),
        ("Normal", "第一行第二行 加粗 斜体"),  # wrapped Chinese lines join without a space
        ("Normal", "甲"),  # a bullet item is a plain paragraph
        ("Normal", "乙"),
        ("Normal", "1. 丙*不是斜体*"),  # a numbered item keeps its number
    ]
    runs = [(r.text, bool(r.bold), bool(r.italic)) for r in paragraphs[start + 1].runs]
    assert runs[1:] == [("加粗", True, False), (" ", False, False), ("斜体", False, True)]


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
