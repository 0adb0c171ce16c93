"""The official format as data: both generations, as docs/format.md lists them."""

from __future__ import annotations

import pytest
from ogi_report.spec.formats import FORMATS, CellKind, Layout, format_for_year

V2_T3_ROWS = [
    "new", "carried_over", "granted", "partly_granted",
    "refused.state_secret", "refused.prohibited_by_law", "refused.three_safeties", "refused.third_party",
    "refused.internal_affairs", "refused.process_info", "refused.enforcement_files", "refused.inquiry",
    "unable.not_held", "unable.needs_creation", "unable.unclear",
    "not_processed.petition", "not_processed.repeated", "not_processed.publication",
    "not_processed.excessive", "not_processed.confirmation",
    "other.overdue_correction", "other.unpaid_fee", "other.other", "total", "carried_forward",
]  # fmt: skip
T3_COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
]


@pytest.mark.parametrize(
    ("year", "fmt"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2030, "2021"), (2015, "2019")]
)
def test_format_for_year(year: int, fmt: str) -> None:
    assert format_for_year(year).id == fmt


def test_table3_keys_v2_and_v1() -> None:
    v2 = FORMATS["2021"].table("t3")
    v1 = FORMATS["2019"].table("t3")
    assert [r.key for _b, r in v2.rows()] == V2_T3_ROWS
    v1_rows = [k for k in V2_T3_ROWS if not k.startswith("other.")]
    v1_rows.insert(v1_rows.index("total"), "other")
    assert [r.key for _b, r in v1.rows()] == v1_rows
    for spec in (v2, v1):
        assert [c.key for c in spec.blocks[0].columns] == T3_COLUMNS
        assert spec.corner.startswith("（本列数据的勾稽关系为")
        assert spec.label_columns == 3 and not spec.blank_allowed
    # "三、本年度办理结果" spans 22 rows in v2, 20 in v1
    assert sum(1 for _b, r in v2.rows() if r.path[:1] == ("三、本年度办理结果",)) == 22
    assert sum(1 for _b, r in v1.rows() if r.path[:1] == ("三、本年度办理结果",)) == 20


def test_table3_totals() -> None:
    spec = FORMATS["2021"].table("t3")
    block = spec.blocks[0]
    assert block.total_row is not None and block.total_row.key == "total"
    assert block.total_column is not None and block.total_column.key == "total"
    in_total = [r.key for r in block.rows if r.in_total]
    assert in_total == V2_T3_ROWS[2:23]


def test_table4() -> None:
    for fmt in FORMATS.values():
        t4 = fmt.table("t4")
        assert t4.layout is Layout.WIDE
        assert [r.key for _b, r in t4.rows()] == ["review", "litigation_direct", "litigation_after_review"]
        assert [c.key for c in t4.blocks[0].columns] == ["upheld", "corrected", "other", "pending", "total"]
        assert len(list(t4.cells())) == 15


def test_table2_v2() -> None:
    t2 = FORMATS["2021"].table("t2")
    assert [b.title for b in t2.blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [r.key for _b, r in t2.rows()] == [
        "regulations",
        "normative_documents",
        "licensing",
        "punishment",
        "enforcement",
        "fees_10k_yuan",
    ]
    assert [c.label for c in t2.blocks[0].columns] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    fee = t2.blocks[3].columns[0]
    assert fee.kind is CellKind.DECIMAL and fee.label == "本年收费金额（单位：万元）"


def test_table2_v1() -> None:
    t2 = FORMATS["2019"].table("t2")
    assert len(t2.blocks) == 5
    kinds = {(r.key, c.key): c.kind for _b, r, c in t2.cells()}
    assert kinds[("licensing", "change")] is CellKind.SIGNED
    assert kinds[("procurement", "amount")] is CellKind.DECIMAL
    assert [r.label for _b, r in t2.rows()] == [
        "规章",
        "规范性文件",
        "行政许可",
        "其他对外管理服务事项",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
        "政府集中采购",
    ]


def test_sections() -> None:
    v2, v1 = FORMATS["2021"], FORMATS["2019"]
    assert [s.heading for s in v2.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert v2.sections[0].subheads == (
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    )
    assert "五、政府信息公开工作存在的主要问题及改进情况" in v1.sections[4].variants
    assert [s.table for s in v2.sections] == [None, "t2", "t3", "t4", None, None]


def test_row_labels() -> None:
    row = FORMATS["2021"].table("t3").blocks[0].row("refused.state_secret")
    assert row.display_label == "三、本年度办理结果/（三）不予公开/1.属于国家秘密"
    assert row.qualified_label == "（三）不予公开/1.属于国家秘密"
    assert FORMATS["2021"].table("t3").is_total("granted", "total")
    assert not FORMATS["2021"].table("t3").is_total("granted", "research")
