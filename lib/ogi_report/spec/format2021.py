"""The 2021 generation: 政府信息公开工作年度报告格式（2021年版）, 国办公开办函〔2021〕30号, from 2021 on."""

from __future__ import annotations

from ogi_report.spec.ids import FormatId
from ogi_report.spec.parts import CellKind, Column, FormatSpec, Row
from ogi_report.spec.shared import (
    ENFORCEMENT_ROWS,
    LICENSING,
    REGULATIONS,
    RESULTS,
    TABLE4,
    item_block,
    sections,
    table2,
    table3,
)

_DECISIONS = Column("decisions", "本年处理决定数量")

TABLE2_V2 = table2(
    item_block(
        "一",
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        REGULATIONS,
        Row("normative_documents", "行政规范性文件"),
    ),
    item_block("五", (_DECISIONS,), LICENSING),
    item_block("六", (_DECISIONS,), *ENFORCEMENT_ROWS),
    item_block(
        "八",
        (Column("amount", "本年收费金额（单位：万元）", CellKind.DECIMAL),),
        Row("fees_10k_yuan", "行政事业性收费"),
    ),
)

# （六）其他处理 has three items of its own since 2021.
_T3_OTHER_V2 = tuple(
    Row(key, text, (RESULTS, "（六）其他处理"), in_total=True)
    for key, text in (
        ("other.overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other.other", "3.其他"),
    )
)

FORMAT_V2 = FormatSpec(
    id=FormatId.V2021,
    name="政府信息公开工作年度报告格式（2021年版）",
    basis="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=sections(()),
    tables=(TABLE2_V2, table3(_T3_OTHER_V2), TABLE4),
)
