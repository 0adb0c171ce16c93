"""``check``, ``export-json``, ``import-json``, ``new`` and ``formats``: one bureau-year's data.

``check`` exits 0 when the data pass the checks, 1 when they have errors (a placeholder typo and
a template prompt left standing included: rules PLACEHOLDER and DRAFT), 2 when they cannot be read
(a workbook or JSON file is pointed to the command that imports it); ``check --json`` prints a
result on stdout in every case (see :func:`unreadable_payload`).  ``new --from`` starts a body from
another body's report (:func:`ogi_report.storage.scaffold.copied_from`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from ogi_report import oserrors
from ogi_report.checks.draft import fill_known
from ogi_report.checks.runner import CheckResult, check
from ogi_report.cli.command import Command, ExitCode
from ogi_report.errors import DataError, InputError, OgiError, Problem
from ogi_report.storage import jsonform
from ogi_report.storage.provenance import provenance_of
from ogi_report.storage.staging import add_out_args, refuse_existing, write_imported
from ogi_report.storage.textfiles import decode_text, read_bytes
from ogi_report.storage.workspace import Loaded, Workspace, load

TARGET_HELP = "数据目录（data/<slug>/<year>）或参数文件（params/<slug>-<year>.toml）"


def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, help=TARGET_HELP)
    p.add_argument("--json", action="store_true", help="以 JSON 输出校验结果")


def unreadable_payload(target: Path, exc: OgiError | OSError) -> dict[str, Any]:
    """The ``check --json`` object for input that could not be read (exit 2).

    The keys of a readable result are kept (slug and year unknown, no findings), so a consumer
    needs no second schema; ``readable`` is false and ``problems`` lists what could not be read,
    each located like a finding (file, table, row, column, line, message).
    """
    if isinstance(exc, DataError):
        problems = list(exc.problems)
    elif isinstance(exc, OSError):
        problems = [Problem(oserrors.culprit(exc) or str(target), oserrors.reason(exc))]
    else:
        problems = [Problem(str(target), str(exc))]
    return {
        "slug": None,
        "year": None,
        "ok": False,
        "readable": False,
        "errors": len(problems),
        "warnings": 0,
        "findings": [],
        "notes": [],
        "problems": [dataclasses.asdict(p) for p in problems],
    }


def _readable_payload(loaded: Loaded, result: CheckResult) -> dict[str, Any]:
    """The ``check --json`` object of data that could be read."""
    return {
        "slug": loaded.by.meta.slug,
        "year": loaded.by.meta.year,
        "ok": result.ok,
        "readable": True,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "findings": [f.to_dict() for f in result.findings],
        "notes": [loaded.previous_problem] if loaded.previous_problem else [],
    }


def _print_findings(target: Path, loaded: Loaded, result: CheckResult) -> None:
    print(f"{loaded.by.meta.title}（{target}）")
    for finding in result.findings:
        print("  " + str(finding))
    if loaded.previous_problem:
        print("  说明：" + loaded.previous_problem)
    checked = sum(1 for o in result.outcomes if o.applicable)
    print(f"共执行 {checked} 条规则：错误 {len(result.errors)} 条，警告 {len(result.warnings)} 条。")


# Files `check` is sometimes given that hold no bureau-year: what to run instead.
_NOT_DATA = {
    ".xlsx": "这是 Excel 工作簿：请先导入为数据目录，再校验：\n"
    "  ogi-report import-xlsx {file} --out data/<slug>/<year>\n  ogi-report check data/<slug>/<year>",
    ".json": "这是 JSON 文件：请先导入为数据目录，再校验：\n"
    "  ogi-report import-json {file} --out data/<slug>/<year>\n  ogi-report check data/<slug>/<year>",
}


def _refuse_not_data(target: Path) -> None:
    """A workbook or JSON file given to ``check``: say which command reads it (exit 2)."""
    hint = _NOT_DATA.get(target.suffix.lower())
    if hint and not target.is_dir():
        raise InputError(f"{target}：check 校验的是数据目录或参数文件。{hint.format(file=target)}")


def run_check(args: argparse.Namespace) -> int:
    try:
        _refuse_not_data(args.target)
        loaded = load(args.target)
    except (OgiError, OSError) as exc:
        if args.json:  # a script reading stdout must learn of the failure there too
            print(json.dumps(unreadable_payload(args.target, exc), ensure_ascii=False, indent=2))
        raise  # main() prints the message on stderr and exits 2
    # A placeholder typo is a finding (rule PLACEHOLDER, exit 1), not an unreadable narrative.
    text = fill_known(loaded.by)
    result = check(loaded.by, loaded.previous, text=text)
    if args.json:
        print(json.dumps(_readable_payload(loaded, result), ensure_ascii=False, indent=2))
    else:
        _print_findings(args.target, loaded, result)
    return ExitCode.OK if result.ok else ExitCode.PROBLEMS


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, help="数据目录或参数文件")


def run_export(args: argparse.Namespace) -> int:
    by = load(args.target).by
    # An imported folder's import.json goes along, so import-json gives check the same record.
    sys.stdout.write(jsonform.dumps(by, provenance_of(by)))
    return ExitCode.OK


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="JSON 文件，或 - 表示标准输入")
    add_out_args(p)


def run_import(args: argparse.Namespace) -> int:
    refuse_existing(args.out, args.overwrite)
    if args.file == "-":
        data = sys.stdin.buffer.read(jsonform.MAX_JSON_BYTES + 1)
        if len(data) > jsonform.MAX_JSON_BYTES:
            raise InputError(f"标准输入超过 {jsonform.MAX_JSON_BYTES} 字节，拒绝读取")
        text, source = decode_text(data, "标准输入"), "标准输入"
    else:
        path = Path(args.file)
        text, source = decode_text(read_bytes(path, jsonform.MAX_JSON_BYTES), path), str(path)
    by, provenance = jsonform.loads_with_provenance(text, source)
    write_imported(by, args.out, args.overwrite, "改正 JSON 中 meta 的 year、slug", provenance)
    print(f"已写入 {args.out}", file=sys.stderr)
    return ExitCode.OK


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("slug", help="机关代号（小写字母、数字和连字符），如 haidong-emergency")
    p.add_argument("year", type=int, help="年度，如 2024")
    p.add_argument("--name", required=True, help="机关名称")
    p.add_argument(
        "--type",
        choices=["department", "government"],
        help="部门或政府（用 --from 时默认与被复制的机关相同）",
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="OTHER_SLUG",
        help="以另一个机关（data/OTHER_SLUG/）同年或最近一年的报告为起点：正文逐段标「（请改写）」，"
        "落款、红头、联系方式标「（请核对：…）」，表格不复制",
    )
    p.add_argument("--root", type=Path, default=Path("."), help="项目根目录（含 data/ 与 params/）")


def run_new(args: argparse.Namespace) -> int:
    from ogi_report.storage.scaffold import create

    folder, params_file = create(
        Workspace(args.root), args.slug, args.year, args.name, args.type, args.source
    )
    print(f"已新建 {folder} 与 {params_file}")
    if args.source:
        print(
            f"正文与基本信息复制自 {args.source}：逐段改写、核对后删去「（请改写）」「（请核对：…）」；"
            "在此之前报告是草稿"
        )
    return ExitCode.OK


def run_formats(args: argparse.Namespace) -> int:
    from ogi_report.storage.jsondoc import json_reference

    sys.stdout.write(json_reference())
    return ExitCode.OK


COMMANDS = (
    Command("check", "校验一个机关年度的数据", _check_args, run_check),
    Command("export-json", "以 JSON 输出一个机关年度的数据", _export_args, run_export),
    Command("import-json", "从 JSON 读入一个机关年度的数据", _import_args, run_import),
    Command("new", "新建一个机关年度（数据目录与参数文件）", _new_args, run_new),
    Command("formats", "列出两代官方格式的 JSON 键与标签（Markdown）", lambda p: None, run_formats),
)
