"""The rules on a report's 基本信息 (meta.toml): the format generation its year requires (FMT) and the
publication date against the legal deadline (DATE)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.model.bureau import PublisherType
from ogi_report.spec.formats import format_for_year
from ogi_report.spec.ids import RuleId
from ogi_report.spec.wording import chinese_date


@rule(
    RuleId.FMT,
    Severity.ERROR,
    "2021 年及以后使用 2021 年版格式，2020 年及以前使用试行格式",
    "报告所用的格式须与年度相符：2021 年及以后的年度报告使用 2021 年版格式（国办公开办函〔2021〕30号），"
    "2019、2020 年度使用试行格式（国办公开办函〔2019〕60号）。格式由 meta.toml 的 format 指定。",
)
def format_of_year(ctx: Context) -> Iterator[Found]:
    meta = ctx.by.meta
    expected = format_for_year(meta.year)
    if meta.format_id != expected.id:
        yield Found(
            f"{meta.year}年度报告应使用「{expected.name}」（{expected.basis}），"
            f'请将 meta.toml 的 format 改为 "{expected.id}" 并按该格式填表',
            table="基本信息",
            row="format",
            found=meta.format_id.value,
            expected=expected.id.value,
        )


@rule(
    RuleId.DATE,
    Severity.WARNING,
    "按期发布：部门 1月31日前，政府 3月31日前（可按地方规定另设）",
    "须填写发布日期（publish_date），且在统计年度结束之后、期限之前：部门（department）在次年 1月31日前，"
    "人民政府（government）在次年 3月31日前（条例第四十九条）；meta.toml 的 deadline 可按地方规定另设期限。",
)
def publish_date(ctx: Context) -> Iterator[Found]:
    meta = ctx.by.meta
    deadline = meta.deadline or statutory_deadline(meta.publisher_type, meta.year)
    by_deadline = f"不晚于 {deadline.isoformat()}"
    published = meta.publish_date
    if published is None:
        message, expected = (
            f"未填写发布日期（publish_date），法定期限为 {chinese_date(deadline)}",
            by_deadline,
        )
    elif published <= date(meta.year, 12, 31):
        message = f"发布日期早于统计期结束（{chinese_date(date(meta.year, 12, 31))}）：是否把年份写错了？"
        expected = f"{meta.year + 1}-01-01 至 {deadline.isoformat()}"
    elif published > deadline:
        message = f"发布日期晚于{meta.publisher_type.label}年报的期限 {chinese_date(deadline)}"
        expected = by_deadline
    else:
        return
    found = published.isoformat() if published else ""
    yield Found(message, table="基本信息", row="publish_date", found=found, expected=expected)


def statutory_deadline(publisher: PublisherType, year: int) -> date:
    """条例第四十九条: departments by 1月31日, level governments by 3月31日 of the next year."""
    return date(year + 1, 1, 31) if publisher is PublisherType.DEPARTMENT else date(year + 1, 3, 31)


RULES = (format_of_year, publish_date)
