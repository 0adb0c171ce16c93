"""T3-HINT: from several table 三 errors back to their cause.

One mistyped cell of a table whose totals are filled in breaks every equation it takes part in —
its column's （七）总计 (T3-B), its row's 总计 (T3-C), and through them 一＋二＝三＋四 (T3-A) — so the
analyst reads several errors for one typo.  The rules of :mod:`ogi_report.checks.tables` are read
here as linear equations over the cells, exactly as those rules evaluate them; a cell explains the
errors when the equations it appears in are exactly the broken ones and one change of it mends them
all.  The hint names that cell and its value, and says that totals left blank are computed by the
kit (so the same mistake would have cost one error, not several).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.model.bureau import Table
from ogi_report.model.values import format_value
from ogi_report.spec.formats import Cell
from ogi_report.spec.ids import RuleId

Number = int | Decimal


@dataclass(frozen=True)
class Equation:
    """One equation a table 三 rule checks: Σ coefficient × cell = 0, as the rule evaluates it."""

    rule: RuleId
    terms: dict[Cell, int]  # cell → +1 or -1
    given_total: bool  # a total the data give (T3-B, T3-C), which the kit could have computed

    def residual(self, table: Table) -> Number:
        return sum((coef * table.number(*cell) for cell, coef in self.terms.items()), start=0)


def equations(table: Table) -> list[Equation]:
    """The equations of T3-A (every column), T3-B (each given 总计 row cell) and T3-C (each given
    总计 column cell) over ``table``'s first block, table 三's only one."""
    block = table.spec.blocks[0]
    out: list[Equation] = []
    for col in block.columns:
        terms = {("new", col.key): 1, ("carried_over", col.key): 1}
        terms |= {("total", col.key): -1, ("carried_forward", col.key): -1}
        out.append(Equation(RuleId.T3_A, terms, False))
    total_row, total_col = block.total_row, block.total_column
    if total_row is not None:
        for col in block.columns:
            if table.get(total_row.key, col.key) is not None:
                terms = {(total_row.key, col.key): 1}
                terms |= {(r.key, col.key): -1 for r in block.rows if r.in_total}
                out.append(Equation(RuleId.T3_B, terms, True))
    if total_col is not None:
        for row in block.rows:
            if table.get(row.key, total_col.key) is not None:
                terms = {(row.key, total_col.key): 1}
                terms |= {(row.key, c.key): -1 for c in block.columns if not c.total}
                out.append(Equation(RuleId.T3_C, terms, True))
    return out


def culprits(table: Table, broken: list[Equation]) -> list[tuple[Cell, Number]]:
    """The typed-in cells that alone explain ``broken`` (none of the others), with the change that
    mends every broken equation at once."""
    found: list[tuple[Cell, Number]] = []
    others = [e for e in equations(table) if e not in broken]
    candidates = set(broken[0].terms).intersection(*(e.terms for e in broken[1:]))
    for cell in sorted(candidates):
        if cell in table.computed or any(cell in e.terms for e in others):
            continue
        changes = {-e.residual(table) * e.terms[cell] for e in broken}  # coef is ±1
        if len(changes) == 1:
            (change,) = changes
            if change:
                found.append((cell, change))
    return found


@rule(
    RuleId.T3_HINT,
    Severity.INFO,
    "表三多处不平衡时：指出可以解释全部错误的单元格，提示总计可留空",
    "表三有两处以上 T3-A、T3-B、T3-C 错误时，找出只改一个单元格就能使它们全部消除的那个单元格，"
    "写明它的现值和应有值；错误涉及填写了的总计时，提示总计可以留空（工作簿中清除总计单元格，"
    "或 table3.csv 中清空），由工具按各项计算。只是提示：错误本身由 T3-A、T3-B、T3-C 报出。",
)
def t3_cause(ctx: Context) -> Iterator[Found]:
    table = ctx.by.t3
    broken = [e for e in equations(table) if e.residual(table) != 0]
    if len(broken) < 2:
        return
    errors = f"表三的 {len(broken)} 处不平衡"
    totals = (
        "表三的总计（「（七）总计」行与「总计」列）可以留空：工具会按各项计算，一个单元格填错时只报一处错误"
        "（工作簿中清除总计单元格的内容，或在 table3.csv 中清空它们）。"
        if any(e.given_total for e in broken)
        else ""
    )
    found = culprits(table, broken)
    if len(found) == 1:
        ((row_key, col_key), change) = found[0]
        block = table.spec.blocks[0]
        row, col = block.row(row_key), next(c for c in block.columns if c.key == col_key)
        value = table.number(row_key, col_key)
        more = "多" if change < 0 else "少"
        size: Number = -change if change < 0 else change
        yield Found(
            f"{errors}可由一个单元格解释：「{row.label}」/「{col.label}」为 {format_value(value)}，"
            f"比它所在的行与列允许的{more} {format_value(size)}；改为 {format_value(value + change)}，"
            f"这些错误会全部消除。{totals}",
            table=table.spec.name,
            row=row.display_label,
            column=col.label,
            found=format_value(value),
            expected=format_value(value + change),
        )
    elif totals:
        yield Found(f"{errors}不能由单个单元格解释。{totals}", table=table.spec.name)


RULES = (t3_cause,)
