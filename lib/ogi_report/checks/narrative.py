"""The rules on the narrative: figures quoted against the tables (TXT), sections 五 and 六 written out
(S5, S6-FEE), and the six sections present, in order, under their standard headings (STRUCT)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.model.figures import Figure, narrative_figures
from ogi_report.model.narrative import Narrative
from ogi_report.model.values import format_value
from ogi_report.spec.formats import FormatId, FormatSpec, SectionSpec
from ogi_report.spec.ids import RuleId
from ogi_report.spec.labels import normalize_label

MAX_LISTED = 50  # kinds of wrong figure listed one by one


@rule(
    RuleId.TXT,
    Severity.WARNING,
    "正文引用的数字（收到、结转、予以公开、行政复议、行政诉讼等）与表格一致",
    "正文中写出的数字——如“收到政府信息公开申请 N 件”“上年结转 N 件”“予以公开 N 件”“行政复议 N 件”"
    "“行政诉讼 N 件”——须与表格中对应的数值一致。谈及备案、同比等其他数字的分句不检查。"
    "用占位符（如 {{ t3.new }}）引用表格，正文就不会与表格不一致。",
)
def text_figures(ctx: Context) -> Iterator[Found]:
    # One finding per wrong figure *value*, however often it is repeated (a 4 MB narrative may
    # repeat one sentence 100,000 times), and at most MAX_LISTED of them: the report's appendix
    # stays readable and its size bounded.
    expected_of: dict[str, int | Decimal] = {}
    wrong: dict[tuple[str, int | Decimal], list[Figure]] = {}
    for figure in narrative_figures(ctx.text):
        key = figure.measure.placeholder
        if key not in expected_of:
            expected_of[key] = figure.measure.value(ctx.by)
        if figure.value != expected_of[key]:
            wrong.setdefault((key, figure.value), []).append(figure)
    for (key, _value), figures in list(wrong.items())[:MAX_LISTED]:
        yield _figure_found(figures, expected_of[key])
    if len(wrong) > MAX_LISTED:
        more = sum(len(f) for f in list(wrong.values())[MAX_LISTED:])
        yield Found(f"… 以及另外 {more:,} 处与表格不一致的数字（只列出前 {MAX_LISTED} 种）", table="正文")


def _figure_found(figures: Sequence[Figure], expected: int | Decimal) -> Found:
    figure = figures[0]
    where = f"第{figure.line}行" + (f"等 {len(figures):,} 处" if len(figures) > 1 else "")
    return Found(
        f"正文写「{figure.snippet}」，与{figure.measure.where}的 {format_value(expected)} 不一致："
        "请统一正文与表格"
        "（可用占位符，如 {{ " + figure.measure.placeholder + " }}）",
        table=f"正文（{where}）",
        row=figure.measure.where,
        found=format_value(figure.value),
        expected=format_value(expected),
    )


@rule(
    RuleId.S5,
    Severity.WARNING,
    "第五部分存在，且不只写“无”",
    "正文须有第五部分「五、存在的主要问题及改进情况」，且不能只写“无”“暂无”或留空。",
)
def section_five(ctx: Context) -> Iterator[Found]:
    section = ctx.narrative.section("五")
    if section is None:
        yield Found("缺少第五部分「五、存在的主要问题及改进情况」", table="正文")
        return
    body = section.body.strip().strip("。.").strip()
    if body in ("", "无", "暂无", "无。"):
        yield Found(
            "第五部分只写了“无”或为空：请写明存在的主要问题及改进情况",
            table="正文",
            row=section.heading,
            found=body or "空白",
        )


@rule(
    RuleId.S6_FEE,
    Severity.WARNING,
    "第六部分写明信息处理费收取情况（金额或“无”）（2021 年版）",
    "使用 2021 年版格式时，第六部分须写明信息处理费的收取情况：收取的金额，或没有收取；"
    "第六部分没有提到“信息处理费”即报出。",
)
def fee_statement(ctx: Context) -> Iterator[Found]:
    if ctx.by.meta.format_id != FormatId.V2021:
        return
    section = ctx.narrative.section("六")
    if section is None or "信息处理费" not in section.body:
        yield Found(
            "第六部分未说明信息处理费收取情况：请写明“收取信息处理费×元”或“无收取信息处理费情况”",
            table="正文",
            row=section.heading if section else "六、其他需要报告的事项",
        )


@rule(
    RuleId.STRUCT,
    Severity.WARNING,
    "正文六个部分齐全、顺序正确、使用标准标题",
    "正文的二级标题（以「## 」开头）须是六个部分的标准标题或格式允许的写法，每个部分只出现一次，"
    "按一至六的顺序排列；缺少的部分和漏写「## 」的标题也会报出（模板留下的「（请填写）」由 DRAFT 报出）。",
)
def structure(ctx: Context) -> Iterator[Found]:
    narrative = ctx.narrative
    lines = ctx.text.splitlines()
    yield from _section_headings(narrative, ctx.by.format)
    present = {s.spec.number for s in narrative.sections if s.spec}
    yield from _missing_sections(lines, ctx.by.format, present)


def _allowed_headings(spec: SectionSpec) -> set[str]:
    """The normalised headings a section may be written with."""
    return {normalize_label(h) for h in (spec.heading, *spec.variants)}


def _section_headings(narrative: Narrative, fmt: FormatSpec) -> Iterator[Found]:
    """Headings that are no section, not a standard heading, repeated or out of order."""
    seen: set[str] = set()
    furthest = -1  # the position in the format of the furthest section seen so far
    for section in narrative.sections:
        spec = section.spec
        if spec is None:
            yield Found(f"第{section.line}行的标题不是六个标准部分之一", table="正文", row=section.heading)
            continue
        if normalize_label(section.heading) not in _allowed_headings(spec):
            yield Found(
                f"第{spec.number}部分的标题不是标准标题：请改为「{spec.heading}」",
                table="正文",
                row=section.heading,
                found=section.heading,
                expected=spec.heading,
            )
        position = fmt.sections.index(spec)
        if spec.number in seen:
            yield Found(f"第{spec.number}部分出现了不止一次", table="正文", row=section.heading)
        elif position < furthest:
            yield Found(
                f"第{spec.number}部分的位置不对：六个部分应按一至六的顺序", table="正文", row=section.heading
            )
        seen.add(spec.number)
        furthest = max(furthest, position)


def _missing_sections(lines: Sequence[str], fmt: FormatSpec, present: set[str]) -> Iterator[Found]:
    """Sections without a ``## `` heading: written as a plain paragraph, or missing altogether."""
    for spec in fmt.sections:
        if spec.number in present:
            continue
        bare = _bare_heading(lines, spec)
        if bare:
            message = f"第{bare}行「{lines[bare - 1].strip()}」写成了普通段落：标题行须以「## 」开头"
        else:
            message = f"缺少第{spec.number}部分：请补上「{spec.heading}」"
        yield Found(message, table="正文", row=f"第{bare}行" if bare else "", expected=f"## {spec.heading}")


def _bare_heading(lines: Sequence[str], spec: SectionSpec) -> int:
    """The line (1-based) holding a section's heading without its ``## ``, else 0."""
    allowed = _allowed_headings(spec)
    for number, line in enumerate(lines, 1):
        text = line.strip().lstrip("#").strip()
        if text and not line.lstrip().startswith("##") and normalize_label(text) in allowed:
            return number
    return 0


RULES = (text_figures, section_five, fee_statement, structure)
