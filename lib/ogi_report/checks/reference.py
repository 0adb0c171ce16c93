"""A Markdown reference of every rule, written from the declarations and from running them.

``docs/rules.md`` is this text (a test keeps them equal).  Each rule's example finding is produced
by running the rule on a small failing case built here in code, so the example cannot drift from
what the rule says.  Regenerate it with ``python -m ogi_report.checks.reference docs/rules.md``
(without a file it prints to stdout).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from ogi_report.checks.declaration import Context, Rule
from ogi_report.checks.draft import fill_known
from ogi_report.checks.findings import Finding
from ogi_report.checks.registry import RULES
from ogi_report.checks.runner import run_rule
from ogi_report.model.bureau import BureauYear, Meta, PublisherType, Table, zero_table
from ogi_report.model.values import Value
from ogi_report.spec.formats import FORMATS, Cell, FormatId, TableId
from ogi_report.spec.ids import RuleId
from ogi_report.spec.reference import write_reference

COMMAND = "python -m ogi_report.checks.reference docs/rules.md"
YEAR = 2021

Case = tuple[BureauYear, BureauYear | None]  # this year, and last year when the rule needs it

# The body of each section in a narrative every rule accepts.
_BODIES = {"五": "一是政策解读仍需加强。下一步将加强培训。", "六": "本年度未收取信息处理费。"}
_SECTION_THREE = "## 三、收到和处理政府信息公开申请情况\n\n"


def passing_example(year: int = YEAR) -> BureauYear:
    """A bureau-year every rule accepts: zero tables, the six standard sections, on time."""
    fmt = FORMATS[FormatId.V2021]
    meta = Meta(
        name="示例市示例局",
        slug="example",
        year=year,
        publisher_type=PublisherType.DEPARTMENT,
        format_id=fmt.id,
        publish_date=date(year + 1, 1, 20),
    )
    parts = ["示例市示例局编制本报告。", ""]
    for section in fmt.sections:
        parts += [f"## {section.heading}", "", _BODIES.get(section.number, "本部分写明工作情况。"), ""]
    tables: dict[str, Table] = {spec.id: zero_table(spec) for spec in fmt.tables}
    return BureauYear(meta, tables, "\n".join(parts))


def _cells(by: BureauYear, table_id: TableId, changes: Mapping[Cell, Value]) -> BureauYear:
    """``by`` with some cells of one table changed, totals left as they were."""
    return replace(by, tables={**by.tables, table_id: by.tables[table_id].replace(changes)})


def _text(by: BureauYear, old: str, new: str) -> BureauYear:
    assert old in by.narrative, old
    return replace(by, narrative=by.narrative.replace(old, new))


def _this_year(change: Callable[[BureauYear], BureauYear]) -> Callable[[], Case]:
    return lambda: (change(passing_example()), None)


def _with_last_year(change: Callable[[BureauYear], BureauYear]) -> Callable[[], Case]:
    return lambda: (passing_example(), change(passing_example(YEAR - 1)))


# COPY: a substantive paragraph left as last year wrote it, only its year changed.
_COPIED = "{year}年，本局围绕中心工作推进政务公开，完善主动公开目录，全年主动公开政府信息120条。"


def _copied_example() -> Case:
    def copied(by: BureauYear) -> BureauYear:
        return _text(by, _SECTION_THREE, _SECTION_THREE + _COPIED.format(year=by.meta.year) + "\n\n")

    return copied(passing_example()), copied(passing_example(YEAR - 1))


def _compiled_example() -> Case:
    """A compiled body whose one member changed after compiling (a project written to a temp folder)."""
    from ogi_report.storage.folder import save_bureau_year
    from ogi_report.storage.members import (
        MEMBERS_FILE,
        CompiledMember,
        Provenance,
        fingerprint,
        write_provenance,
    )

    root = Path(tempfile.mkdtemp(prefix="ogi-rules-"))
    atexit.register(shutil.rmtree, root, True)
    example = passing_example()
    member = replace(example, meta=replace(example.meta, name="示例市甲局", slug="member-a"))
    save_bureau_year(member, root / "data" / "member-a" / str(YEAR))
    folder = root / "data" / "example" / str(YEAR)
    by = replace(example, source=str(folder))
    save_bureau_year(by, folder)
    (folder / MEMBERS_FILE).write_text('members = ["member-a"]\n', encoding="utf-8")
    stale = CompiledMember("member-a", "示例市甲局", "", "0" * 16)
    write_provenance(folder, Provenance(datetime(YEAR + 1, 1, 10, tzinfo=UTC), (stale,), fingerprint(by)))
    return by, None


def _imported_example() -> Case:
    """An imported bureau-year one of whose cells the importer could not read (left blank)."""
    from ogi_report.storage.provenance import CellSource, Provenance, attach

    by = _cells(passing_example(), TableId.T3, {("new", "research"): None})
    attach(by, Provenance({(TableId.T3, "new", "research"): CellSource.UNREAD}, "report.pdf"))
    return by, None


# One failing case per rule: the smallest change to the passing example that the rule reports.
EXAMPLES: Mapping[RuleId, Callable[[], Case]] = {
    RuleId.T3_A: _this_year(lambda by: _cells(by, TableId.T3, {("new", "natural_person"): 3})),
    RuleId.T3_B: _this_year(lambda by: _cells(by, TableId.T3, {("total", "commercial"): 2})),
    RuleId.T3_C: _this_year(lambda by: _cells(by, TableId.T3, {("granted", "total"): 4})),
    RuleId.T3_HINT: _this_year(lambda by: _cells(by, TableId.T3, {("granted", "natural_person"): 1})),
    RuleId.T4: _this_year(lambda by: _cells(by, TableId.T4, {("review", "total"): 1})),
    RuleId.N: _this_year(lambda by: _cells(by, TableId.T2, {("licensing", "decisions"): -3})),
    RuleId.BLANK: _this_year(lambda by: _cells(by, TableId.T4, {("review", "upheld"): None})),
    RuleId.IMPORT: _imported_example,
    RuleId.FMT: _this_year(lambda by: replace(by, meta=replace(by.meta, format_id=FormatId.V2019))),
    RuleId.X_1: _with_last_year(lambda by: _cells(by, TableId.T3, {("carried_forward", "research"): 2})),
    RuleId.X_2: _with_last_year(lambda by: _cells(by, TableId.T2, {("regulations", "in_force"): 12})),
    RuleId.TXT: _this_year(lambda by: _text(by, _SECTION_THREE, _SECTION_THREE + "全年新收申请 5 件。")),
    RuleId.S5: _this_year(lambda by: _text(by, _BODIES["五"], "无。")),
    RuleId.S6_FEE: _this_year(lambda by: _text(by, _BODIES["六"], "无其他需要报告的事项。")),
    RuleId.STRUCT: _this_year(lambda by: _text(by, "## 五、存在的主要问题及改进情况", "## 五、存在问题")),
    RuleId.DATE: _this_year(lambda by: replace(by, meta=replace(by.meta, publish_date=date(YEAR + 1, 2, 3)))),
    RuleId.PLACEHOLDER: _this_year(
        lambda by: _text(by, _SECTION_THREE, _SECTION_THREE + "本年新收申请{{ t3.nwe }}件。")
    ),
    RuleId.DRAFT: _this_year(lambda by: _text(by, _BODIES["五"], "（请填写：存在的主要问题及改进情况）")),
    RuleId.COPY: _copied_example,
    RuleId.COMPILE: _compiled_example,
}


def example_findings(rule: Rule) -> tuple[Finding, ...]:
    """What ``rule`` finds in its failing case, run and stamped as :func:`~ogi_report.checks.check` does."""
    by, previous = EXAMPLES[rule.id]()
    outcome = run_rule(rule, Context(by, fill_known(by), previous))
    if not outcome.findings:
        raise ValueError(f"the example of rule {rule.id} finds nothing")
    return outcome.findings


def _summary() -> list[str]:
    lines = [
        "| 编号 | 严重程度 | 检查内容 | 需要上年数据 |",
        "| --- | --- | --- | --- |",
    ]
    for rule in RULES.values():
        lines.append(
            f"| `{rule.id}` | {rule.severity.label} | {rule.title} | "
            f"{'是' if rule.needs_previous else '否'} |"
        )
    return [*lines, ""]


def _rule(rule: Rule) -> list[str]:
    previous = "是：没有上年数据时不运行（列为「不适用」）" if rule.needs_previous else "否"
    return [
        f"## `{rule.id}` {rule.title}",
        "",
        f"- 严重程度：{rule.severity.label}（`{rule.severity.value}`）",
        f"- 需要上年数据：{previous}",
        "",
        rule.description,
        "",
        "示例（规则在一份构造的不合格报告上实际运行的结果）：",
        "",
        "```text",
        str(example_findings(rule)[0]),
        "```",
        "",
    ]


def rules_reference() -> str:
    """The whole reference, as Markdown."""
    lines = [
        f"# 校验规则（由 `{COMMAND}` 生成，勿手改）",
        "",
        "`ogi-report check` 与报告附录「数据校验」按下表的顺序运行每条规则；一条规则报出它发现的每一处问题，",
        "不在第一处停下。**错误**使报告不能发布（`check` 以非零状态退出），**警告**需要核对、说明。",
        "每条发现写明规则编号、严重程度、位置（表 / 行 / 列）、实际值与应有值，以及怎样改正。",
        "",
        *_summary(),
    ]
    for rule in RULES.values():
        lines += _rule(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write docs/rules.md's text to the file named in ``argv``, or to stdout."""
    return write_reference(rules_reference(), argv)


if __name__ == "__main__":
    raise SystemExit(main())
