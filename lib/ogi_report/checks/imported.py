"""The rule on imported data: cells the importer could not read from the published report (IMPORT).

A cell that could not be read is not a cell the bureau left blank: it is reported here, under its
own rule, and not as BLANK (:func:`ogi_report.checks.tables.blank_cells` skips it); the sums
over it (T3-A, T3-B, T3-C, T4) are not checked either, as they would judge a figure never read.  The record of
what was read is the import's (:mod:`ogi_report.storage.provenance`); once the analyst fills such a
cell in by hand, it is no longer reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.spec.formats import TABLE_IDS
from ogi_report.spec.ids import RuleId
from ogi_report.storage.provenance import invalid_cells, unread_cells


@rule(
    RuleId.IMPORT,
    Severity.ERROR,
    "导入时未能从报告中读出的单元格",
    "用 ogi-report import 从已发布的报告导入时，未能读出的单元格（表格无法定位、行名无法对应、"
    "数值无法确定属于哪一列）留为空白并记入数据目录的 import.json：这些单元格在此报出，而不作为"
    "报告本身的空白（BLANK）报出；涉及这些单元格的加总核对（T3-A、T3-B、T3-C、T4）也暂不进行。"
    "请对照原报告填写；填写后不再报出，加总核对照常进行。",
)
def unread(ctx: Context) -> Iterator[Found]:
    cells = unread_cells(ctx.by) - set(invalid_cells(ctx.by))  # those were read: rule N says what they hold
    for table_id in TABLE_IDS:
        table = ctx.by.tables.get(table_id)
        if table is None:
            continue
        for _block, row, col in table.spec.cells():
            if (table_id, row.key, col.key) in cells:
                yield Found(
                    "导入时未能从报告中读出此单元格：请对照原报告填写",
                    table=table.spec.name,
                    row=row.display_label,
                    column=col.label,
                    found="未读出",
                    expected="原报告中的数值",
                )


RULES = (unread,)
