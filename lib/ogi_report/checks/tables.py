"""The rules on the tables themselves: table 三's and 四's arithmetic (T3-A, T3-B, T3-C, T4), the
values allowed in a cell (N) and blank cells (BLANK).  Blank cells count as 0 in sums; a total
over cells that are all blank is not judged (nothing was printed to add up: BLANK reports them)."""

from __future__ import annotations

from collections.abc import Iterator

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.model.bureau import Table, sum_values
from ogi_report.model.values import check_value, expected_text, format_value
from ogi_report.spec.formats import TABLE_IDS, Cell
from ogi_report.spec.ids import RuleId, TableId
from ogi_report.storage.provenance import invalid_cells, unread_cells


@rule(
    RuleId.T3_A,
    Severity.ERROR,
    "表三各列：一＋二＝三（七）总计＋四（表中注明的勾稽关系）",
    "表三每一列（六类申请人及总计）须满足表中注明的勾稽关系：「一、本年新收」加「二、上年结转」，"
    "等于「三、本年度办理结果」的「（七）总计」加「四、结转下年度继续办理」。空白单元格按 0 计算。",
)
def t3_balance(ctx: Context) -> Iterator[Found]:
    t3 = ctx.by.t3
    unread = _unread(ctx, TableId.T3)
    for col in t3.spec.blocks[0].columns:
        if any((row, col.key) in unread for row in ("new", "carried_over", "total", "carried_forward")):
            continue  # a sum over a cell the import could not read says nothing (IMPORT reports it)
        left = t3.number("new", col.key) + t3.number("carried_over", col.key)
        right = t3.number("total", col.key) + t3.number("carried_forward", col.key)
        if left != right:
            yield Found(
                f"「一、本年新收」加「二、上年结转」为 {format_value(left)}，"
                f"「（七）总计」加「四、结转下年度」为 {format_value(right)}，"
                "两者应相等：请核对这一列的收到数、办理结果和结转数",
                table="表三",
                row="一＋二 与 三（七）＋四",
                column=col.label,
                found=format_value(left),
                expected=format_value(right),
            )


@rule(
    RuleId.T3_B,
    Severity.ERROR,
    "表三各列：（七）总计＝（一）至（六）各项之和",
    "表三每一列的「（七）总计」须等于（一）至（六）各项办理结果之和（含（三）至（六）的各分项）。"
    "只检查填写了的总计：省略的总计由工具计算；各项全部空白时不计算（由 BLANK 报出空白）。",
)
def t3_results(ctx: Context) -> Iterator[Found]:
    yield from _row_totals(ctx.by.t3, _unread(ctx, TableId.T3))


@rule(
    RuleId.T3_C,
    Severity.ERROR,
    "表三各行：总计＝六类申请人之和",
    "表三每一行的「总计」列须等于自然人与五类法人或其他组织之和。",
)
def t3_applicants(ctx: Context) -> Iterator[Found]:
    yield from _column_totals(ctx.by.t3, _unread(ctx, TableId.T3))


@rule(
    RuleId.T4,
    Severity.ERROR,
    "表四：行政复议、未经复议直接起诉、复议后起诉各自四项结果之和＝总计",
    "表四的行政复议、未经复议直接起诉、复议后起诉三组，各自的「总计」须等于结果维持、结果纠正、"
    "其他结果、尚未审结四项之和。",
)
def t4_totals(ctx: Context) -> Iterator[Found]:
    yield from _column_totals(ctx.by.t4, _unread(ctx, TableId.T4))


def _unread(ctx: Context, table_id: TableId) -> set[Cell]:
    """The cells of one table an import could not read (still blank): sums over them are not checked."""
    return {(row, col) for t, row, col in unread_cells(ctx.by) if t == table_id}


def _row_totals(table: Table, unread: set[Cell]) -> Iterator[Found]:
    """Each block's total row against the sum of the rows it totals, column by column (a column
    with a cell the import could not read is left to rule IMPORT)."""
    for block in table.spec.blocks:
        total = block.total_row
        if total is None:
            continue
        parts = [r for r in block.rows if r.in_total]
        for col in block.columns:
            if any((r.key, col.key) in unread for r in (total, *parts)):
                continue
            given = table.get(total.key, col.key)
            values = [table.get(r.key, col.key) for r in parts]
            if all(v is None for v in values):
                continue  # nothing printed to add up (a 总计 column left blank): BLANK says so
            expected = sum_values(values)
            if given is not None and given != expected:
                yield Found(
                    f"「{total.label}」为 {format_value(given)}，但（一）至（六）各项之和为 "
                    f"{format_value(expected)}：请核对各办理结果，或更正总计",
                    table=table.spec.name,
                    row=total.display_label,
                    column=col.label,
                    found=format_value(given),
                    expected=format_value(expected),
                )


def _column_totals(table: Table, unread: set[Cell]) -> Iterator[Found]:
    """Each block's total column against the sum of the other columns, row by row (a row with a
    cell the import could not read is left to rule IMPORT)."""
    for block in table.spec.blocks:
        total = block.total_column
        if total is None:
            continue
        parts = [c for c in block.columns if not c.total]
        for row in block.rows:
            if any((row.key, c.key) in unread for c in (total, *parts)):
                continue
            given = table.get(row.key, total.key)
            values = [table.get(row.key, c.key) for c in parts]
            if all(v is None for v in values):
                continue  # nothing printed to add up: BLANK says so
            expected = sum_values(values)
            if given is not None and given != expected:
                names = "、".join(c.label for c in parts)
                yield Found(
                    f"「{total.label}」为 {format_value(given)}，但{names}之和为 {format_value(expected)}："
                    "请核对这一行",
                    table=table.spec.name,
                    row=row.display_label,
                    column=total.label,
                    found=format_value(given),
                    expected=format_value(expected),
                )


@rule(
    RuleId.N,
    Severity.ERROR,
    "件数为非负整数（仅第一版的本年增/减可为负）；行政事业性收费为非负数",
    "表二、表三、表四的件数须为非负整数，只有试行格式表二的「本年增/减」可为负数；行政事业性收费、"
    "采购总金额等金额须为非负数，可有小数。位数过多的数值也会报出。读入数据文件时发现的同类问题也标为 N；"
    "从已发布报告导入时印成别的文字的单元格（如「251000元」）也在此报出，并给出原文。",
)
def cell_values(ctx: Context) -> Iterator[Found]:
    printed = invalid_cells(ctx.by)  # imported cells the report printed as something else (「251000元」)
    for table_id in TABLE_IDS:
        table = ctx.by.tables[table_id]
        for _block, row, col in table.spec.cells():
            if (text := printed.get((table_id, row.key, col.key))) is not None:
                yield Found(
                    f"报告在此印的是「{text}」，不是{expected_text(col.kind)}：请按原报告改为数字（单位按表头）",
                    table=table.spec.name,
                    row=row.display_label,
                    column=col.label,
                    found=text,
                    expected=expected_text(col.kind),
                )
                continue
            problem = check_value(table.get(row.key, col.key), col.kind)
            if problem:
                yield Found(
                    problem,
                    table=table.spec.name,
                    row=row.display_label,
                    column=col.label,
                    found=str(table.get(row.key, col.key)),
                )


@rule(
    RuleId.BLANK,
    Severity.ERROR,
    "表三、表四不得有空白或“/”单元格（无数据写 0）",
    "表三、表四的每个单元格都须填写数字：空白或写“/”的单元格会被报出，没有数据请填 0。表二允许空白。",
)
def blank_cells(ctx: Context) -> Iterator[Found]:
    unread = unread_cells(ctx.by)  # cells an import could not read: rule IMPORT, not a published blank
    for table_id in TABLE_IDS:
        table = ctx.by.tables[table_id]
        if table.spec.blank_allowed:
            continue
        for _block, row, col in table.spec.cells():
            if table.get(row.key, col.key) is None and (table_id, row.key, col.key) not in unread:
                yield Found(
                    "单元格为空白：没有数据请填 0",
                    table=table.spec.name,
                    row=row.display_label,
                    column=col.label,
                    found="空白",
                    expected="数字（无则 0）",
                )


RULES = (t3_balance, t3_results, t3_applicants, t4_totals, cell_values, blank_cells)
