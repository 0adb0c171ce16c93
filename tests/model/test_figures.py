"""TXT: figures quoted in the narrative, recognised by real reports' phrasings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from kit import build_by, with_cells
from ogi_report.checks.runner import check
from ogi_report.model.bureau import BureauYear
from ogi_report.model.figures import narrative_figures

HUAIAN_LINES = (34, 39)  # 02_huaian-city-gov-2024.txt, lines 34–39 (wrapped as the PDF prints them)


def figures(text: str) -> list[tuple[str, int]]:
    return [(f.measure.name, f.value) for f in narrative_figures(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("本年收到政府信息公开申请12件。", [("new", 12)]),
        ("本年新收政府信息公开申请 12 件。", [("new", 12)]),
        ("共受理政府信息公开申请 3119 件。", [("new", 3119)]),
        ("全年受理申请3,119件。", [("new", 3119)]),
        ("上年结转政府信息公开申请3件。", [("carried_over", 3)]),
        ("含上年度结转申请 34 件。", [("carried_over", 34)]),
        ("结转下年度继续办理5件。", [("carried_forward", 5)]),
        (
            "予以公开 7 件，部分公开2件，不予公开1件，无法提供4件，不予处理3件。",
            [("granted", 7), ("partly_granted", 2), ("refused", 1), ("unable", 4), ("not_processed", 3)],
        ),
        ("发生政府信息公开行政复议 2 件，行政诉讼 1 件。", [("review", 2), ("litigation", 1)]),
        # other meanings: not figures of the tables
        ("全市全年备案政府信息依申请公开领域行政复议案件134件，行政诉讼案件57件。", []),
        ("收到行政复议申请3件。", [("review", 3)]),  # a review count, not 新收
        ("受理群众来信投诉12件。", []),
        ("受理申请12件，同比增长20%。", []),
        ("依法公开行政许可结果信息 34 条。", []),
    ],
)
def test_phrasings(sentence: str, expected: list[tuple[str, int]]) -> None:
    assert figures(sentence) == expected


def test_huaian_2024_wrapped_paragraph(reports_dir: Path) -> None:
    lines = (reports_dir / "02_huaian-city-gov-2024.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[HUAIAN_LINES[0] - 1 : HUAIAN_LINES[1]])
    assert "共受理政府信息公开申请 3119 件" in text
    found = list(narrative_figures(text))
    assert [(f.measure.name, f.value, f.line) for f in found] == [
        ("new", 3119, 1),
        ("carried_over", 34, 2),
        ("review", 351, 3),  # "行政复议 351" and "件" on the next line
        ("litigation", 46, 5),
    ]


def test_suqian_2024_filing_sentence_not_flagged(reports_dir: Path) -> None:
    lines = (reports_dir / "04_suqian-city-2024.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[43:46])  # "…全市全年备案政府信息依申请公开领域\n行政复议案件134件…"
    assert "134件" in text
    by = build_by()
    by = replace(by, narrative=by.narrative + "\n" + text + "\n")
    assert by.t4.get("review", "total") != 134
    assert "TXT" not in check(by).rule_ids()


def _with_text(by: BureauYear, text: str) -> BureauYear:
    return replace(by, narrative=by.narrative.replace("本年度未收取", text + "\n\n本年度未收取"))


@pytest.fixture
def huaian_by() -> BureauYear:
    """Table values of 淮安 2024 for the figures its text quotes (review 351 = 72+64+178+37)."""
    by = build_by()
    t3 = with_cells(by, "t3", {("new", "total"): 3119, ("carried_over", "total"): 34})
    t4 = with_cells(
        t3,
        "t4",
        {
            ("review", "total"): 351,
            ("litigation_direct", "total"): 26,
            ("litigation_after_review", "total"): 20,
        },
    )
    return t4


TEXT = (
    "全市共受理政府信息公开申请 3119 件，答\n复 3050 件（含上年度结转申请 34 件）。"
    "政府信息公开行政复议 351\n件；政府信息公开行政诉讼 46 件。"
)


def test_agreeing_figures_not_flagged(huaian_by: BureauYear) -> None:
    result = check(_with_text(huaian_by, TEXT))
    assert not [f for f in result.findings if f.rule == "TXT"]


@pytest.mark.parametrize(
    ("old", "new", "where", "found", "expected"),
    [
        ("3119 件", "3120 件", "表三「一、本年新收政府信息公开申请数量」总计", "3120", "3119"),
        ("结转申请 34", "结转申请 35", "表三「二、上年结转政府信息公开申请数量」总计", "35", "34"),
        ("行政复议 351", "行政复议 350", "表四「行政复议」总计", "350", "351"),
        ("行政诉讼 46", "行政诉讼 64", "表四「行政诉讼」两项总计之和", "64", "46"),
    ],
)
def test_disagreeing_figure_flagged(
    huaian_by: BureauYear, old: str, new: str, where: str, found: str, expected: str
) -> None:
    result = check(_with_text(huaian_by, TEXT.replace(old, new)))
    txt = [f for f in result.findings if f.rule == "TXT"]
    assert [(f.severity.value, f.row, f.found, f.expected) for f in txt] == [
        ("warning", where, found, expected)
    ]
    assert txt[0].table.startswith("正文（第")


def test_carried_forward_and_results_flagged() -> None:
    by = build_by()
    cf = by.t3.get("carried_forward", "total")
    text = (
        f"结转下年度继续办理{cf}件，予以公开{by.t3.get('granted', 'total')}件。结转下年度继续办理{cf + 1}件。"
    )
    txt = [f for f in check(_with_text(by, text)).findings if f.rule == "TXT"]
    assert [(f.row, f.found) for f in txt] == [("表三「四、结转下年度继续办理」总计", str(cf + 1))]


def test_text_right_after_a_heading_is_read() -> None:
    assert figures("## 三、收到和处理政府信息公开申请情况\n本年新收申请5件。") == [("new", 5)]


def test_line_number_of_a_figure() -> None:
    found = list(narrative_figures("第一段。\n\n第二段\n第二行新收申请\n5件。"))
    assert [(f.value, f.line) for f in found] == [(5, 5)]  # the line the number stands on
