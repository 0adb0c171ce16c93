"""The consistency rules of domain.md §6, each declared with its stable id and severity.

A rule is a function ``(context) -> Iterator[Finding]`` registered with :func:`rule`; running
them is :mod:`ogi_report.checks.runner`' job.  Rules never stop at the first failure: each yields every
finding it has.  Blank cells count as 0 in sums (BLANK reports them separately).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ogi_report.checks.findings import Finding, Severity
from ogi_report.model.bureau import BureauYear, PublisherType, Table, sum_values
from ogi_report.model.figures import narrative_figures
from ogi_report.model.narrative import FILL_IN, Narrative, split_sections
from ogi_report.model.values import check_value, format_value
from ogi_report.spec.formats import TABLE_IDS, SectionSpec, format_for_year
from ogi_report.spec.labels import normalize_label

Number = int | Decimal


@dataclass(frozen=True)
class Context:
    """What a rule looks at: this year's data, its filled narrative, and last year's if present."""

    by: BureauYear
    text: str  # the narrative with placeholders filled
    previous: BureauYear | None = None

    @property
    def narrative(self) -> Narrative:
        return split_sections(self.text, self.by.format)


RuleFunc = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """A declared rule: id, severity, what it checks (Chinese), and when it applies."""

    id: str
    severity: Severity
    title: str
    func: RuleFunc
    needs_previous: bool = False

    def applies(self, ctx: Context) -> bool:
        return ctx.previous is not None if self.needs_previous else True


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, title: str, *, needs_previous: bool = False
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under its stable id."""

    def register(func: RuleFunc) -> RuleFunc:
        RULES[rule_id] = Rule(rule_id, severity, title, func, needs_previous)
        return func

    return register


def _n(value: Number) -> str:
    return format_value(value)


# ------------------------------------------------------------------------------------------------
# Table 三 and 四 arithmetic.


@rule("T3-A", Severity.ERROR, "表三各列：一＋二＝三（七）总计＋四（表中注明的勾稽关系）")
def check_t3_balance(ctx: Context) -> Iterator[Finding]:
    t3 = ctx.by.t3
    for col in t3.spec.blocks[0].columns:
        left = t3.number("new", col.key) + t3.number("carried_over", col.key)
        right = t3.number("total", col.key) + t3.number("carried_forward", col.key)
        if left != right:
            yield Finding(
                "T3-A",
                Severity.ERROR,
                f"「一、本年新收」加「二、上年结转」为 {_n(left)}，"
                f"「（七）总计」加「四、结转下年度」为 {_n(right)}，"
                "两者应相等：请核对这一列的收到数、办理结果和结转数",
                table="表三",
                row="一＋二 与 三（七）＋四",
                column=col.label,
                found=_n(left),
                expected=_n(right),
            )


@rule("T3-B", Severity.ERROR, "表三各列：（七）总计＝（一）至（六）各项之和")
def check_t3_results(ctx: Context) -> Iterator[Finding]:
    yield from _row_totals(ctx.by.t3, "T3-B")


@rule("T3-C", Severity.ERROR, "表三各行：总计＝六类申请人之和")
def check_t3_applicants(ctx: Context) -> Iterator[Finding]:
    yield from _column_totals(ctx.by.t3, "T3-C")


@rule("T4", Severity.ERROR, "表四：行政复议、未经复议直接起诉、复议后起诉各自四项结果之和＝总计")
def check_t4(ctx: Context) -> Iterator[Finding]:
    yield from _column_totals(ctx.by.t4, "T4")


def _row_totals(table: Table, rule_id: str) -> Iterator[Finding]:
    for block in table.spec.blocks:
        total = block.total_row
        if total is None:
            continue
        parts = [r for r in block.rows if r.in_total]
        for col in block.columns:
            given = table.get(total.key, col.key)
            expected = sum_values([table.get(r.key, col.key) for r in parts])
            if given is not None and given != expected:
                yield Finding(
                    rule_id,
                    Severity.ERROR,
                    f"「{total.label}」为 {_n(given)}，但（一）至（六）各项之和为 {_n(expected)}："
                    "请核对各办理结果，或更正总计",
                    table=table.spec.name,
                    row=total.display_label,
                    column=col.label,
                    found=_n(given),
                    expected=_n(expected),
                )


def _column_totals(table: Table, rule_id: str) -> Iterator[Finding]:
    for block in table.spec.blocks:
        total = block.total_column
        if total is None:
            continue
        parts = [c for c in block.columns if not c.total]
        for row in block.rows:
            given = table.get(row.key, total.key)
            expected = sum_values([table.get(row.key, c.key) for c in parts])
            if given is not None and given != expected:
                names = "、".join(c.label for c in parts)
                yield Finding(
                    rule_id,
                    Severity.ERROR,
                    f"「{total.label}」为 {_n(given)}，但{names}之和为 {_n(expected)}：请核对这一行",
                    table=table.spec.name,
                    row=row.display_label,
                    column=total.label,
                    found=_n(given),
                    expected=_n(expected),
                )


# ------------------------------------------------------------------------------------------------
# Cell values.


@rule("N", Severity.ERROR, "件数为非负整数（仅第一版的本年增/减可为负）；行政事业性收费为非负数")
def check_numbers(ctx: Context) -> Iterator[Finding]:
    for table_id in TABLE_IDS:
        table = ctx.by.tables[table_id]
        for _block, row, col in table.spec.cells():
            problem = check_value(table.get(row.key, col.key), col.kind)
            if problem:
                yield Finding(
                    "N",
                    Severity.ERROR,
                    problem,
                    table=table.spec.name,
                    row=row.display_label,
                    column=col.label,
                    found=str(table.get(row.key, col.key)),
                )


@rule("BLANK", Severity.ERROR, "表三、表四不得有空白或“/”单元格（无数据写 0）")
def check_blank(ctx: Context) -> Iterator[Finding]:
    for table_id in TABLE_IDS:
        table = ctx.by.tables[table_id]
        if table.spec.blank_allowed:
            continue
        for _block, row, col in table.spec.cells():
            if table.get(row.key, col.key) is None:
                yield Finding(
                    "BLANK",
                    Severity.ERROR,
                    "单元格为空白：没有数据请填 0",
                    table=table.spec.name,
                    row=row.display_label,
                    column=col.label,
                    found="空白",
                    expected="数字（无则 0）",
                )


@rule("FMT", Severity.ERROR, "2021 年及以后使用 2021 年版格式，2020 年及以前使用试行格式")
def check_format(ctx: Context) -> Iterator[Finding]:
    meta = ctx.by.meta
    expected = format_for_year(meta.year)
    if meta.format_id != expected.id:
        yield Finding(
            "FMT",
            Severity.ERROR,
            f"{meta.year}年度报告应使用「{expected.name}」（{expected.basis}），"
            f'请将 meta.toml 的 format 改为 "{expected.id}" 并按该格式填表',
            table="基本信息",
            row="format",
            found=meta.format_id,
            expected=expected.id,
        )


# ------------------------------------------------------------------------------------------------
# Cross-year.


@rule("X-1", Severity.ERROR, "跨年度：本年“上年结转”＝上年“结转下年度继续办理”（逐列）", needs_previous=True)
def check_carry_over(ctx: Context) -> Iterator[Finding]:
    prev = ctx.previous
    assert prev is not None
    t3, p3 = ctx.by.t3, prev.t3
    for col in t3.spec.blocks[0].columns:
        now, before = t3.number("carried_over", col.key), p3.number("carried_forward", col.key)
        if now != before:
            yield Finding(
                "X-1",
                Severity.ERROR,
                f"本年「二、上年结转」为 {_n(now)}，但{prev.meta.year}年报告的「四、结转下年度继续办理」"
                f"为 {_n(before)}：两者应相等",
                table="表三",
                row="二、上年结转政府信息公开申请数量",
                column=col.label,
                found=_n(now),
                expected=_n(before),
            )


@rule(
    "X-2",
    Severity.WARNING,
    "跨年度：现行有效件数＝上年现行有效＋本年制发－本年废止（规章、行政规范性文件）",
    needs_previous=True,
)
def check_in_force(ctx: Context) -> Iterator[Finding]:
    prev = ctx.previous
    assert prev is not None
    t2, p2 = ctx.by.t2, prev.t2
    block = t2.spec.blocks[0]
    keys = {c.key for c in block.columns}
    prev_keys = {c.key for c in p2.spec.blocks[0].columns}
    if not {"issued", "repealed", "in_force"} <= keys or "in_force" not in prev_keys:
        return  # the v1 table has no 现行有效 column to carry
    for row in block.rows:
        expected = (
            p2.number(row.key, "in_force") + t2.number(row.key, "issued") - t2.number(row.key, "repealed")
        )
        found = t2.number(row.key, "in_force")
        if found != expected:
            yield Finding(
                "X-2",
                Severity.WARNING,
                f"{prev.meta.year}年现行有效 {_n(p2.number(row.key, 'in_force'))} 件，加本年制发、减本年废止"
                f"应为 {_n(expected)} 件；如本年开展了文件清理，请在正文说明",
                table="表二",
                row=row.label,
                column="现行有效件数",
                found=_n(found),
                expected=_n(expected),
            )


# ------------------------------------------------------------------------------------------------
# Narrative.


@rule("TXT", Severity.WARNING, "正文引用的数字（收到、结转、予以公开、行政复议、行政诉讼等）与表格一致")
def check_text_figures(ctx: Context) -> Iterator[Finding]:
    for figure in narrative_figures(ctx.text):
        expected = figure.measure.value(ctx.by)
        if figure.value != expected:
            yield Finding(
                "TXT",
                Severity.WARNING,
                f"正文写「{figure.snippet}」，与{figure.measure.where}的 {_n(expected)} 不一致："
                "请统一正文与表格"
                "（可用占位符，如 {{ " + figure.measure.placeholder + " }}）",
                table=f"正文（第{figure.line}行）",
                row=figure.measure.where,
                found=_n(figure.value),
                expected=_n(expected),
            )


@rule("S5", Severity.WARNING, "第五部分存在，且不只写“无”")
def check_section_five(ctx: Context) -> Iterator[Finding]:
    section = ctx.narrative.section("五")
    if section is None:
        yield Finding("S5", Severity.WARNING, "缺少第五部分「五、存在的主要问题及改进情况」", table="正文")
        return
    body = section.body.strip().strip("。.").strip()
    if body in ("", "无", "暂无", "无。"):
        yield Finding(
            "S5",
            Severity.WARNING,
            "第五部分只写了“无”或为空：请写明存在的主要问题及改进情况",
            table="正文",
            row=section.heading,
            found=body or "空白",
        )


@rule("S6-FEE", Severity.WARNING, "第六部分写明信息处理费收取情况（金额或“无”）（2021 年版）")
def check_fee_statement(ctx: Context) -> Iterator[Finding]:
    if ctx.by.meta.format_id != "2021":
        return
    section = ctx.narrative.section("六")
    if section is None or "信息处理费" not in section.body:
        yield Finding(
            "S6-FEE",
            Severity.WARNING,
            "第六部分未说明信息处理费收取情况：请写明“收取信息处理费×元”或“无收取信息处理费情况”",
            table="正文",
            row=section.heading if section else "六、其他需要报告的事项",
        )


@rule("STRUCT", Severity.WARNING, "正文六个部分齐全、顺序正确、使用标准标题")
def check_structure(ctx: Context) -> Iterator[Finding]:
    fmt = ctx.by.format
    narrative = ctx.narrative
    seen: list[str] = []
    for section in narrative.sections:
        spec = section.spec
        if spec is None:
            yield Finding(
                "STRUCT",
                Severity.WARNING,
                f"第{section.line}行的标题不是六个标准部分之一",
                table="正文",
                row=section.heading,
            )
            continue
        allowed = {normalize_label(h) for h in (spec.heading, *spec.variants)}
        if normalize_label(section.heading) not in allowed:
            yield Finding(
                "STRUCT",
                Severity.WARNING,
                f"第{spec.number}部分的标题不是标准标题：请改为「{spec.heading}」",
                table="正文",
                row=section.heading,
                found=section.heading,
                expected=spec.heading,
            )
        if spec.number in seen:
            yield Finding(
                "STRUCT",
                Severity.WARNING,
                f"第{spec.number}部分出现了不止一次",
                table="正文",
                row=section.heading,
            )
        elif seen and fmt.sections.index(spec) < max(
            fmt.sections.index(s) for s in fmt.sections if s.number in seen
        ):
            yield Finding(
                "STRUCT",
                Severity.WARNING,
                f"第{spec.number}部分的位置不对：六个部分应按一至六的顺序",
                table="正文",
                row=section.heading,
            )
        seen.append(spec.number)
    lines = ctx.text.splitlines()
    for spec in fmt.sections:
        if spec.number not in seen:
            bare = _bare_heading(lines, spec)
            yield Finding(
                "STRUCT",
                Severity.WARNING,
                f"第{bare}行「{lines[bare - 1].strip()}」写成了普通段落：标题行须以「## 」开头"
                if bare
                else f"缺少第{spec.number}部分：请补上「{spec.heading}」",
                table="正文",
                row=f"第{bare}行" if bare else "",
                expected=f"## {spec.heading}",
            )
    left = [n for n, line in enumerate(lines, 1) if FILL_IN in line]
    if left:
        shown = "、".join(str(n) for n in left[:10]) + ("等" if len(left) > 10 else "")
        yield Finding(
            "STRUCT",
            Severity.WARNING,
            f"正文第 {shown} 行仍是模板占位「{FILL_IN}」：请写入实际内容",
            table="正文",
            found=f"{len(left)} 处「{FILL_IN}」",
            expected="实际内容",
        )


def _bare_heading(lines: Sequence[str], spec: SectionSpec) -> int:
    """The line (1-based) holding a section's heading without its ``## ``, else 0."""
    allowed = {normalize_label(h) for h in (spec.heading, *spec.variants)}
    for number, line in enumerate(lines, 1):
        text = line.strip().lstrip("#").strip()
        if text and not line.lstrip().startswith("##") and normalize_label(text) in allowed:
            return number
    return 0


@rule("DATE", Severity.WARNING, "按期发布：部门 1月31日前，政府 3月31日前（可按地方规定另设）")
def check_date(ctx: Context) -> Iterator[Finding]:
    meta = ctx.by.meta
    deadline = meta.deadline or statutory_deadline(meta.publisher_type, meta.year)
    if meta.publish_date is None:
        yield Finding(
            "DATE",
            Severity.WARNING,
            f"未填写发布日期（publish_date），法定期限为 {_day(deadline)}",
            table="基本信息",
            row="publish_date",
            expected=f"不晚于 {deadline.isoformat()}",
        )
    elif meta.publish_date <= date(meta.year, 12, 31):
        yield Finding(
            "DATE",
            Severity.WARNING,
            f"发布日期早于统计期结束（{meta.year}年12月31日）：是否把年份写错了？",
            table="基本信息",
            row="publish_date",
            found=meta.publish_date.isoformat(),
            expected=f"{meta.year + 1}-01-01 至 {deadline.isoformat()}",
        )
    elif meta.publish_date > deadline:
        yield Finding(
            "DATE",
            Severity.WARNING,
            f"发布日期晚于{meta.publisher_type.label}年报的期限 {_day(deadline)}",
            table="基本信息",
            row="publish_date",
            found=meta.publish_date.isoformat(),
            expected=f"不晚于 {deadline.isoformat()}",
        )


def _day(value: date) -> str:
    """A date as Chinese documents write it (2022年1月31日), independent of the C library."""
    return f"{value.year}年{value.month}月{value.day}日"


def statutory_deadline(publisher: PublisherType, year: int) -> date:
    """条例第四十九条: departments by 1月31日, level governments by 3月31日 of the next year."""
    return date(year + 1, 1, 31) if publisher is PublisherType.DEPARTMENT else date(year + 1, 3, 31)
