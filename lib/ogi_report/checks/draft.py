"""The rules that keep an unfinished report from looking publishable: a placeholder the kit cannot
fill (PLACEHOLDER), and the template's prompts, an empty publish date or a meta field still to
review (DRAFT).  Both are errors, so the report carries the 草稿 banner until they are dealt with."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear, Meta
from ogi_report.model.narrative import PLACEHOLDER, fill, resolve
from ogi_report.spec.ids import RuleId
from ogi_report.storage.mappings import CONTACT_KEYS
from ogi_report.storage.provenance import provenance_of
from ogi_report.storage.scaffold import PROMPT

MAX_LISTED = 50  # unknown placeholders listed one by one
MAX_LINES = 10  # lines named in the one finding on the narrative's prompts

# The meta fields a template or ``new --from`` may leave a prompt in, with their names in meta.toml.
_META_TEXT = ("name", "signature", "masthead")


def fill_known(by: BureauYear) -> str:
    """The narrative with every placeholder filled that can be; unknown ones are left as written.

    ``check`` runs the rules on this text, so a placeholder typo is a finding of rule PLACEHOLDER
    (an error: exit 1) instead of an unreadable narrative (exit 2).
    """
    try:
        return fill(by)
    except DataError:
        pass

    def replace(match: re.Match[str]) -> str:
        try:
            return resolve(by, match.group(1))
        except KeyError:
            return match.group(0)

    return PLACEHOLDER.sub(replace, by.narrative)


@rule(
    RuleId.PLACEHOLDER,
    Severity.ERROR,
    "正文中的占位符都能识别（如 {{ t3.new }}）",
    "正文中 {{ … }} 形式的占位符须指向表格的行、列（键名或标签），或 name、year：写错的占位符无法替换为数字，"
    "会原样出现在报告里。报出第几行、哪一个占位符，以及最接近的写法。",
)
def placeholders(ctx: Context) -> Iterator[Found]:
    text = ctx.by.narrative
    seen: dict[str, str | None] = {}
    position, line, listed, more = 0, 1, 0, 0
    for match in PLACEHOLDER.finditer(text):
        expression = match.group(1)
        if expression not in seen:
            try:
                resolve(ctx.by, expression)
                seen[expression] = None
            except KeyError as exc:
                seen[expression] = str(exc.args[0])
        problem = seen[expression]
        if problem is None:
            continue
        line += text.count("\n", position, match.start())
        position = match.start()
        if listed >= MAX_LISTED:
            more += 1
            continue
        listed += 1
        yield Found(
            f"正文第{line}行的占位符「{match.group(0)}」无法识别：{problem}",
            table=f"正文（第{line}行）",
            found=match.group(0),
        )
    if more:
        yield Found(f"… 以及另外 {more:,} 个无法识别的占位符（只列出前 {MAX_LISTED} 个）", table="正文")


@rule(
    RuleId.DRAFT,
    Severity.ERROR,
    "报告已填写完成：没有模板留下的「（请填写）」等提示，已填写发布日期",
    "`ogi-report new` 生成的模板在需要机关自己写的地方留有「（请填写）」「（请填写：…）」，"
    "`new --from` 复制的正文与基本信息留有「（请改写：…）」「（请核对：…）」。"
    "正文或基本信息（机关名称、落款、红头、联系方式）中还留有这些提示，或尚未填写发布日期（publish_date）时，"
    "报告是草稿，不能发布。从已发布的报告导入的数据（目录中有 import.json）没有印出发布日期时不算草稿，"
    "由 DATE 提醒补上。",
)
def unfinished(ctx: Context) -> Iterator[Found]:
    yield from _narrative_prompts(ctx.by.narrative)
    yield from _meta_prompts(ctx.by.meta)
    # A report imported from its published text was published, whether or not it prints its date:
    # the missing date is DATE's warning there, not a draft.
    if ctx.by.meta.publish_date is None and provenance_of(ctx.by) is None:
        yield Found(
            "未填写发布日期（publish_date）：填写发布日期之前，报告是草稿",
            table="基本信息",
            row="publish_date",
            found="空白",
            expected=f"发布日期，如 {ctx.by.meta.year + 1}-01-20",
        )


def _narrative_prompts(text: str) -> Iterator[Found]:
    """One finding naming the lines of the narrative where a template prompt still stands."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if PROMPT.search(line)]
    if not lines:
        return
    count = sum(1 for _ in PROMPT.finditer(text))
    shown = "、".join(map(str, lines[:MAX_LINES])) + ("等" if len(lines) > MAX_LINES else "")
    first = PROMPT.search(text)
    assert first is not None
    example = first.group(0) if len(first.group(0)) <= 24 else first.group(0)[:20] + "…）"
    yield Found(
        f"正文第 {shown} 行仍是模板的提示（如「{example}」）：请按提示写入实际内容并删去提示",
        table="正文",
        found=f"{count} 处提示",
        expected="实际内容",
    )


def _meta_prompts(meta: Meta) -> Iterator[Found]:
    """A finding for each meta field that still holds a prompt."""
    fields = [(key, str(getattr(meta, key))) for key in _META_TEXT]
    fields += [(f"contact.{key}", str(getattr(meta.contact, key))) for key in CONTACT_KEYS]
    for key, value in fields:
        match = PROMPT.search(value)
        if match:
            yield Found(
                f"meta.toml 的 {key} 仍是提示「{match.group(0)}」：请核对、改为本机关的内容",
                table="基本信息",
                row=key,
                found=value,
                expected="本机关的内容",
            )


RULES = (placeholders, unfinished)
