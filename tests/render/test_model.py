"""The one render model: sections in the narrative's order with their tables, signature, draft state,
the 数据校验 appendix — and the HTML page and the Word document showing the same narrative text."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import lxml.html
import pytest
from docxkit import open_docx
from kit import SEED_DIR, build_by, with_cells
from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.runner import check
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.model.printed import table_grid
from ogi_report.render.docx.document import render_docx
from ogi_report.render.html.page import report_html
from ogi_report.render.model import OutcomeState, Report, outcome_text, report_model
from ogi_report.render.prose import Heading, Paragraph
from ogi_report.storage.workspace import load


@pytest.fixture(scope="module")
def seed() -> Report:
    loaded = load(SEED_DIR)
    return report_model(loaded.by, check(loaded.by, loaded.previous), ("上年数据未找到",))


def tables_of(report: Report) -> list[str | None]:
    return [s.table.spec.id if s.table else None for s in report.sections]


# ---------------------------------------------------------------------------------------------
# Head, sections and tables.


def test_the_seed_in_its_order_with_each_table_after_its_section(seed: Report) -> None:
    assert seed.masthead == "海东市应急管理局文件"
    assert seed.title == "海东市应急管理局2021年政府信息公开工作年度报告"
    assert seed.opening.source.startswith("2021年，市应急管理局认真按照")
    assert [s.number for s in seed.sections] == list("一二三四五六")
    assert [s.heading for s in seed.sections][4:] == ["五、存在问题与不足", "六、下一步工作思路"]
    assert tables_of(seed) == [None, "t2", "t3", "t4", None, None]
    by = load(SEED_DIR).by
    for section in seed.sections[1:4]:
        assert section.table is not None
        assert section.table.cells == table_grid(by.tables[section.table.spec.id]).cells
    first = seed.sections[0].body.blocks
    assert isinstance(first[0], Paragraph) and first[1] == Heading(3, first[1].spans)
    assert first[1].text == "（一）进一步健全机制，加强政务公开组织领导。"


def test_a_missing_section_gets_its_table_under_the_standard_heading_in_order() -> None:
    by = replace(build_by(), narrative="开头。\n\n## 一、总体情况\n\n正文。\n\n## 五、存在问题\n\n无。\n")
    report = report_model(by)
    assert [s.number for s in report.sections] == list("一二三四五")
    assert tables_of(report) == [None, "t2", "t3", "t4", None]
    standard = {spec.number: spec.heading for spec in by.format.sections}
    for section in report.sections[1:4]:
        assert section.heading == standard[section.number] and not section.body
    assert report.sections[4].heading == "五、存在问题"


def test_tables_of_sections_missing_at_the_end_come_last() -> None:
    report = report_model(replace(build_by(), narrative="## 一、总体情况\n\n## 二、主动公开\n"))
    assert [s.number for s in report.sections] == list("一二三四")
    assert tables_of(report) == [None, "t2", "t3", "t4"]
    assert not report.opening


def test_every_table_is_printed_once() -> None:
    narrative = "## 三、申请\n\n甲\n\n## 二、主动公开\n\n乙\n\n## 附、其他\n\n丙\n\n## 三、又一次\n"
    report = report_model(replace(build_by(), narrative=narrative))
    # 二 comes before 三 in the report: its table goes before 三 under the standard heading.
    assert [(s.number, s.heading) for s in report.sections] == [
        ("二", "二、主动公开政府信息情况"),
        ("三", "三、申请"),
        ("二", "二、主动公开"),
        ("", "附、其他"),
        ("三", "三、又一次"),
        ("四", "四、政府信息公开行政复议、行政诉讼情况"),
    ]
    assert tables_of(report) == ["t2", "t3", None, None, None, "t4"]


# ---------------------------------------------------------------------------------------------
# Signature, draft state, appendix.


def test_signature_signs_with_the_chinese_date(seed: Report) -> None:
    assert (seed.signature.signer, seed.signature.date) == ("海东市应急管理局", "2022年1月7日")
    assert seed.publish_date == date(2022, 1, 7) and seed.name == "海东市应急管理局"
    undated = report_model(build_by(publish_date=None))
    assert (undated.signature.signer, undated.signature.date) == ("测试市测试局", "")


def test_draft_state_counts_errors_and_warnings() -> None:
    by = with_cells(build_by(), "t3", {("new", "natural_person"): 999})
    result = check(by)
    report = report_model(by, result)
    assert report.draft and report.draft.errors == result.errors
    assert report.draft.warnings == result.warnings
    assert not report_model(build_by(), check(build_by())).draft
    assert not report_model(build_by()).draft and report_model(build_by()).checks is None
    # Findings alone: the draft state, no appendix.
    warning = Finding("X", Severity.WARNING, "注意")
    error = Finding("Y", Severity.ERROR, "错误")
    alone = report_model(build_by(), [warning, error])
    assert (alone.draft.errors, alone.draft.warnings, alone.checks) == ((error,), (warning,), None)


def test_appendix_holds_every_outcome_the_findings_and_the_notes(seed: Report) -> None:
    checks = seed.checks
    assert checks is not None
    loaded = load(SEED_DIR)
    result = check(loaded.by, loaded.previous)
    assert checks.outcomes == result.outcomes and checks.findings == result.findings
    assert checks.notes == ("上年数据未找到",)
    noted = report_model(loaded.by, result, ("", "注")).checks
    assert noted is not None and noted.notes == ("注",)
    states = {o.rule.id: outcome_text(o) for o in checks.outcomes}
    assert states["X-1"] == (OutcomeState.NOT_APPLICABLE, "不适用（无上年数据）")
    assert states["STRUCT"][0] is OutcomeState.FAILED and states["STRUCT"][1].startswith("未通过（")
    assert re.fullmatch(
        r"共 \d+ 条规则：通过 \d+ 条，未通过 \d+ 条，不适用 \d+ 条。发现错误 0 条、警告 \d+ 条.*。",
        checks.summary(),
    )


def test_the_narrative_is_filled_unless_given() -> None:
    broken = replace(build_by(), narrative="共{{ t9.nothing }}件。\n\n## 一、总体情况\n")
    with pytest.raises(DataError):
        report_model(broken)
    assert report_model(broken, text=broken.narrative).opening.source == "共{{ t9.nothing }}件。"
    assert report_model(build_by()).opening.source == "根据《条例》，测试市测试局编制本报告。"


# ---------------------------------------------------------------------------------------------
# Both outputs walk the model: the page and the document show the same narrative text.

HOSTILE = """见<script>alert(1)</script>。<!-- 注释 -->

## 一、总体情况

# 一级 <script>x()</script>

## 二级

### （一）三级[点我](javascript:alert(1))

#### 四级<a href="javascript:alert(2)">链接</a>

##### 五级

###### 六级 <img src=x onerror=alert(3)>

正文**加粗***斜体*`代码`，[网站](https://www.example.gov.cn/)与<https://example.org/a>。
第二行 &lt;b&gt; \\*星\\*

> 引用<iframe src="https://example.com"></iframe>

- 甲<!-- 隐藏 -->
- 乙

---

```
<script>围栏</script>
```

## 六、其他需要报告的事项

本年度未收取信息处理费。
"""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(by: BureauYear) -> str:
    """The narrative as the page shows it: the report without tables, banner and appendix."""
    root = lxml.html.fragment_fromstring(report_html(by, check(by)))
    for cls in ("ogi-checks", "ogi-banner", "ogi-table-wrap", "ogi-signature"):
        for el in root.find_class(cls):
            el.drop_tree()
    return squeeze(root.text_content())


def document_text(by: BureauYear) -> str:
    """The narrative as Word shows it: every body paragraph but the 草稿 notice and the signature."""
    doc = open_docx(render_docx(by, check(by)))
    paragraphs = [p for p in doc.paragraphs if p.style.name != "校验提示"]
    return squeeze("".join(p.text for p in paragraphs[:-3]))  # a blank line, signer and date


def test_page_and_document_show_the_same_hostile_narrative() -> None:
    by = replace(build_by(), narrative=HOSTILE)
    page, document = page_text(by), document_text(by)
    assert page == document
    for shown in (
        "见<script>alert(1)</script>。<!--注释-->",
        "一级<script>x()</script>",
        "（一）三级[点我](javascript:alert(1))",
        '四级<ahref="javascript:alert(2)">链接</a>',
        "六级<imgsrc=xonerror=alert(3)>",
        "正文加粗斜体代码，网站与https://example.org/a。第二行<b>*星*",
        "甲<!--隐藏-->乙",
        "<script>围栏</script>",
    ):
        assert shown in document


def test_page_and_document_show_the_same_seed_text() -> None:
    by = load(SEED_DIR).by
    assert page_text(by) == document_text(by)
