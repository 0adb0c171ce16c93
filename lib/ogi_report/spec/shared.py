"""What both generations declare alike: table 三 but its （六）, table 四, the six sections, and the
parts of table 二 that did not change (its title, the 第二十条 item blocks, the rows kept from 2019).

:mod:`ogi_report.spec.format2021` and :mod:`ogi_report.spec.format2019` assemble a generation from
these and from what is their own.
"""

from __future__ import annotations

from ogi_report.spec.ids import TableId
from ogi_report.spec.parts import Block, Column, Layout, Row, SectionSpec, TableSpec

# ---------------------------------------------------------------------------------------------
# Table 二: one block per 第二十条 item the generation reports.

LICENSING = Row("licensing", "行政许可")
REGULATIONS = Row("regulations", "规章")
ENFORCEMENT_ROWS = (Row("punishment", "行政处罚"), Row("enforcement", "行政强制"))  # 第（六）项


def item_block(item: str, columns: tuple[Column, ...], *rows: Row) -> Block:
    """The block of 第二十条第（``item``）项, ``item`` being the item's Chinese number (一, 五 …)."""
    return Block(f"第二十条第（{item}）项", columns, rows)


def table2(*blocks: Block) -> TableSpec:
    """Table 二 of a generation, from its item blocks."""
    return TableSpec(id=TableId.T2, number="二", title="二、主动公开政府信息情况", blocks=blocks)


# ---------------------------------------------------------------------------------------------
# Table 三 — shared by both generations except for （六）其他处理.

_T3_COLUMNS = (
    Column("natural_person", "自然人", path=("申请人情况",)),
    Column("commercial", "商业企业", path=("申请人情况", "法人或其他组织")),
    Column("research", "科研机构", path=("申请人情况", "法人或其他组织")),
    Column("social_welfare", "社会公益组织", path=("申请人情况", "法人或其他组织")),
    Column("legal_service", "法律服务机构", path=("申请人情况", "法人或其他组织")),
    Column("other_org", "其他", path=("申请人情况", "法人或其他组织")),
    Column("total", "总计", total=True, path=("申请人情况",)),
)

RESULTS = "三、本年度办理结果"


def _t3_rows(other: tuple[Row, ...]) -> tuple[Row, ...]:
    """The rows of table 三 with ``other`` as its （六）其他处理."""

    def group(label: str, items: tuple[tuple[str, str], ...]) -> tuple[Row, ...]:
        return tuple(Row(key, text, (RESULTS, label), in_total=True) for key, text in items)

    return (
        Row("new", "一、本年新收政府信息公开申请数量"),
        Row("carried_over", "二、上年结转政府信息公开申请数量"),
        Row("granted", "（一）予以公开", (RESULTS,), in_total=True),
        Row(
            "partly_granted",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            (RESULTS,),
            in_total=True,
        ),
        *group(
            "（三）不予公开",
            (
                ("refused.state_secret", "1.属于国家秘密"),
                ("refused.prohibited_by_law", "2.其他法律行政法规禁止公开"),
                ("refused.three_safeties", "3.危及“三安全一稳定”"),
                ("refused.third_party", "4.保护第三方合法权益"),
                ("refused.internal_affairs", "5.属于三类内部事务信息"),
                ("refused.process_info", "6.属于四类过程性信息"),
                ("refused.enforcement_files", "7.属于行政执法案卷"),
                ("refused.inquiry", "8.属于行政查询事项"),
            ),
        ),
        *group(
            "（四）无法提供",
            (
                ("unable.not_held", "1.本机关不掌握相关政府信息"),
                ("unable.needs_creation", "2.没有现成信息需要另行制作"),
                ("unable.unclear", "3.补正后申请内容仍不明确"),
            ),
        ),
        *group(
            "（五）不予处理",
            (
                ("not_processed.petition", "1.信访举报投诉类申请"),
                ("not_processed.repeated", "2.重复申请"),
                ("not_processed.publication", "3.要求提供公开出版物"),
                ("not_processed.excessive", "4.无正当理由大量反复申请"),
                ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
            ),
        ),
        *other,
        Row("total", "（七）总计", (RESULTS,), total=True),
        Row("carried_forward", "四、结转下年度继续办理"),
    )


T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def table3(other: tuple[Row, ...]) -> TableSpec:
    """Table 三 with the generation's （六）其他处理 rows ``other`` (their path under :data:`RESULTS`)."""
    return TableSpec(
        id=TableId.T3,
        number="三",
        title="三、收到和处理政府信息公开申请情况",
        blocks=(Block("", _T3_COLUMNS, _t3_rows(other), row_header=""),),
        corner=T3_CORNER,
        label_columns=3,
        blank_allowed=False,
    )


# ---------------------------------------------------------------------------------------------
# Table 四 — the same in both generations.

_T4_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计", total=True),
)

TABLE4 = TableSpec(
    id=TableId.T4,
    number="四",
    title="四、政府信息公开行政复议、行政诉讼情况",
    blocks=(
        Block(
            "",
            _T4_COLUMNS,
            (
                Row("review", "行政复议"),
                Row("litigation_direct", "未经复议直接起诉", ("行政诉讼",)),
                Row("litigation_after_review", "复议后起诉", ("行政诉讼",)),
            ),
            row_header="",
        ),
    ),
    layout=Layout.WIDE,
    blank_allowed=False,
)


# ---------------------------------------------------------------------------------------------
# Sections.

SUBHEADS_ONE = (
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
)


def sections(five_variants: tuple[str, ...]) -> tuple[SectionSpec, ...]:
    """The six sections, with the other headings a generation allows for section 五."""
    return (
        SectionSpec("一", "一、总体情况", subheads=SUBHEADS_ONE),
        SectionSpec("二", "二、主动公开政府信息情况", table=TableId.T2),
        SectionSpec("三", "三、收到和处理政府信息公开申请情况", table=TableId.T3),
        SectionSpec("四", "四、政府信息公开行政复议、行政诉讼情况", table=TableId.T4),
        SectionSpec("五", "五、存在的主要问题及改进情况", variants=five_variants),
        SectionSpec("六", "六、其他需要报告的事项"),
    )
