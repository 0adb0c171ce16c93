"""The rules across two years of one body (X-1, X-2): they run only when last year's data are given."""

from __future__ import annotations

from collections.abc import Iterator

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.model.bureau import BureauYear
from ogi_report.model.values import format_value
from ogi_report.spec.ids import RuleId


def _previous(ctx: Context) -> BureauYear:
    """Last year's data, which a cross-year rule is only run with."""
    assert ctx.previous is not None
    return ctx.previous


@rule(
    RuleId.X_1,
    Severity.ERROR,
    "跨年度：本年“上年结转”＝上年“结转下年度继续办理”（逐列）",
    "有上年数据时，本年表三「二、上年结转政府信息公开申请数量」须逐列等于上年报告表三的"
    "「四、结转下年度继续办理」。",
    needs_previous=True,
)
def carry_over(ctx: Context) -> Iterator[Found]:
    prev = _previous(ctx)
    t3, p3 = ctx.by.t3, prev.t3
    for col in t3.spec.blocks[0].columns:
        now, before = t3.number("carried_over", col.key), p3.number("carried_forward", col.key)
        if now != before:
            yield Found(
                f"本年「二、上年结转」为 {format_value(now)}，但{prev.meta.year}年报告的"
                f"「四、结转下年度继续办理」为 {format_value(before)}：两者应相等",
                table="表三",
                row="二、上年结转政府信息公开申请数量",
                column=col.label,
                found=format_value(now),
                expected=format_value(before),
            )


@rule(
    RuleId.X_2,
    Severity.WARNING,
    "跨年度：现行有效件数＝上年现行有效＋本年制发－本年废止（规章、行政规范性文件）",
    "有上年数据、且两年的表二都有「现行有效件数」（2021 年版）时，规章和行政规范性文件的现行有效件数"
    "应等于上年现行有效件数加本年制发件数、减本年废止件数。开展文件清理等情况会使两者不等，"
    "所以只作警告：请在正文说明。",
    needs_previous=True,
)
def in_force(ctx: Context) -> Iterator[Found]:
    prev = _previous(ctx)
    t2, p2 = ctx.by.t2, prev.t2
    block = t2.spec.blocks[0]
    keys = {c.key for c in block.columns}
    prev_keys = {c.key for c in p2.spec.blocks[0].columns}
    if not {"issued", "repealed", "in_force"} <= keys or "in_force" not in prev_keys:
        return  # the v1 table has no 现行有效 column to carry
    for row in block.rows:
        before = p2.number(row.key, "in_force")
        expected = before + t2.number(row.key, "issued") - t2.number(row.key, "repealed")
        found = t2.number(row.key, "in_force")
        if found != expected:
            yield Found(
                f"{prev.meta.year}年现行有效 {format_value(before)} 件，加本年制发、减本年废止"
                f"应为 {format_value(expected)} 件；如本年开展了文件清理，请在正文说明",
                table="表二",
                row=row.label,
                column="现行有效件数",
                found=format_value(found),
                expected=format_value(expected),
            )


RULES = (carry_over, in_force)
