"""``ogi-report compile SLUG YEAR``: a government's tables summed from its members (全市汇总).

Prints who was summed (by group), the compiled key figures, then the government's own check as
``check`` prints it.  Exit codes as every command: 0 compiled and its check passes, 1 compiled
with check errors (or with drafts inside), 2 refused — nothing written — with every reason
(members missing, unreadable, in another format, or with errors) on stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ogi_report.checks.runner import check
from ogi_report.cli.command import Command, ExitCode
from ogi_report.compiling import Compiled, compile_government
from ogi_report.model.values import format_value
from ogi_report.storage.members import COMPILED_FILE
from ogi_report.storage.workspace import Workspace, load

# The figures shown after compiling: (table, row, column, label).
_SHOWN = (
    ("t3", "new", "total", "本年新收申请"),
    ("t3", "carried_over", "total", "上年结转"),
    ("t3", "total", "total", "办理结果总计"),
    ("t3", "carried_forward", "total", "结转下年度"),
    ("t4", "review", "total", "行政复议"),
)


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("slug", help="汇总机关的代号（其数据目录中有 members.toml），如 suqian")
    p.add_argument("year", type=int, help="年度，如 2024")
    p.add_argument("--root", type=Path, default=Path("."), help="项目根目录（含 data/ 与 params/）")
    p.add_argument(
        "--allow-drafts",
        action="store_true",
        help="成员有错误（草稿）也照样汇总，并在 compiled.toml 中记下哪些是草稿",
    )


def _members_lines(compiled: Compiled) -> list[str]:
    lines = []
    for group, members in compiled.groups().items():
        names = "、".join(m.by.meta.name + ("（草稿）" if m.draft else "") for m in members)
        lines.append(f"  {group or '成员'}（{len(members)}）：{names}")
    return lines


def _figures_line(compiled: Compiled) -> str:
    tables = compiled.by.tables
    parts = [f"{label} {format_value(tables[t].number(r, c))} 件" for t, r, c, label in _SHOWN]
    return "汇总数字：" + "，".join(parts) + "。"


def run_compile(args: argparse.Namespace) -> int:
    workspace = Workspace(args.root)
    slug = workspace.validate_slug(args.slug, "参数 slug")
    year = workspace.validate_year(args.year, "参数 year")
    compiled = compile_government(workspace, slug, year, allow_drafts=args.allow_drafts)
    print(f"{compiled.by.meta.title}：由 {len(compiled.members)} 个成员汇总（{compiled.folder}）")
    print("\n".join(_members_lines(compiled)))
    if compiled.drafts:
        names = "、".join(m.member.slug for m in compiled.drafts)
        print(f"  注意：含 {len(compiled.drafts)} 个草稿成员（{names}），已记入 {COMPILED_FILE}")
    print(_figures_line(compiled))
    print(f"已写入 table2.csv、table3.csv、table4.csv 与 {COMPILED_FILE}。")
    loaded = load(compiled.folder)
    result = check(loaded.by, loaded.previous)
    print("校验汇总后的报告：")
    for finding in result.findings:
        print("  " + str(finding))
    if loaded.previous_problem:
        print("  说明：" + loaded.previous_problem)
    print(f"错误 {len(result.errors)} 条，警告 {len(result.warnings)} 条。")
    return ExitCode.OK if result.ok and not compiled.drafts else ExitCode.PROBLEMS


COMMAND = Command("compile", "由成员机关的数据汇总一个政府的报告表格（全市汇总）", _args, run_compile)
