"""The 2019 generation: 政府信息公开工作年度报告格式（试行）, 国办公开办函〔2019〕60号, for 2019 and 2020."""

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

# Items 五, 六 and 八 count last year's items and this year's change before their decisions.
_V1_ITEMS = (
    Column("previous", "上一年项目数量"),
    Column("change", "本年增/减", CellKind.SIGNED),
)
_V1_DECISIONS = (*_V1_ITEMS, Column("decisions", "处理决定数量"))

TABLE2_V1 = table2(
    item_block(
        "一",
        (
            Column("new_made", "本年新制作数量"),
            Column("new_published", "本年新公开数量"),
            Column("total_published", "对外公开总数量"),
        ),
        REGULATIONS,
        Row("normative_documents", "规范性文件"),
    ),
    item_block("五", _V1_DECISIONS, LICENSING, Row("other_services", "其他对外管理服务事项")),
    item_block("六", _V1_DECISIONS, *ENFORCEMENT_ROWS),
    item_block("八", _V1_ITEMS, Row("fees", "行政事业性收费")),
    item_block(
        "九",
        (Column("items", "采购项目数量"), Column("amount", "采购总金额", CellKind.DECIMAL)),
        Row("procurement", "政府集中采购"),
    ),
)

# （六）其他处理 is a single row in the trial format.
_T3_OTHER_V1 = (Row("other", "（六）其他处理", (RESULTS,), in_total=True),)

FORMAT_V1 = FormatSpec(
    id=FormatId.V2019,
    name="政府信息公开工作年度报告格式（试行）",
    basis="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=sections(("五、政府信息公开工作存在的主要问题及改进情况",)),
    tables=(TABLE2_V1, table3(_T3_OTHER_V1), TABLE4),
)
