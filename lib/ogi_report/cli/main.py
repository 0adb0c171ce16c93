"""The ``ogi-report`` command: check, export-json, import-json, new (and more, added by later parts).

Exit codes (contract): 0 no errors, 1 check errors, 2 the input could not be read or the usage
was wrong.  No traceback reaches the user: every expected failure is an :class:`OgiError` with a
Chinese message.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ogi_report import oserrors
from ogi_report.checks.runner import check
from ogi_report.cli.usage import usage_message
from ogi_report.errors import DataError, OgiError, Problem
from ogi_report.storage import jsonform
from ogi_report.storage.staging import add_out_args, refuse_existing, write_imported
from ogi_report.storage.textfiles import decode_text, read_bytes
from ogi_report.storage.workspace import load

EXIT_OK, EXIT_ERRORS, EXIT_INPUT = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(
    name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]
) -> Callable[[Handler], Handler]:
    """Register a sub-command (later modules add theirs the same way)."""

    def register(func: Handler) -> Handler:
        COMMANDS[name] = (help_text, configure, func)
        return func

    return register


def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "target", type=Path, help="数据目录（data/<slug>/<year>）或参数文件（params/<slug>-<year>.toml）"
    )
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


@command("check", "校验一个机关年度的数据", _check_args)
def run_check(args: argparse.Namespace) -> int:
    try:
        loaded = load(args.target)
    except (OgiError, OSError) as exc:
        if args.json:  # a script reading stdout must learn of the failure there too
            print(json.dumps(unreadable_payload(args.target, exc), ensure_ascii=False, indent=2))
        raise  # main() prints the message on stderr and exits 2
    result = check(loaded.by, loaded.previous)
    if args.json:
        payload = {
            "slug": loaded.by.meta.slug,
            "year": loaded.by.meta.year,
            "ok": result.ok,
            "readable": True,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "findings": [f.to_dict() for f in result.findings],
            "notes": [loaded.previous_problem] if loaded.previous_problem else [],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(f"{loaded.by.meta.title}（{args.target}）")
        for finding in result.findings:
            print("  " + str(finding))
        if loaded.previous_problem:
            print("  说明：" + loaded.previous_problem)
        checked = sum(1 for o in result.outcomes if o.applicable)
        print(f"共执行 {checked} 条规则：错误 {len(result.errors)} 条，警告 {len(result.warnings)} 条。")
    return EXIT_OK if result.ok else EXIT_ERRORS


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", type=Path, help="数据目录或参数文件")


@command("export-json", "以 JSON 输出一个机关年度的数据", _export_args)
def run_export(args: argparse.Namespace) -> int:
    sys.stdout.write(jsonform.dumps(load(args.target).by))
    return EXIT_OK


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="JSON 文件，或 - 表示标准输入")
    add_out_args(p)


@command("import-json", "从 JSON 读入一个机关年度的数据", _import_args)
def run_import(args: argparse.Namespace) -> int:
    refuse_existing(args.out, args.overwrite)
    if args.file == "-":
        data = sys.stdin.buffer.read(jsonform.MAX_JSON_BYTES + 1)
        if len(data) > jsonform.MAX_JSON_BYTES:
            raise OgiError(f"标准输入超过 {jsonform.MAX_JSON_BYTES} 字节，拒绝读取")
        text, source = decode_text(data, "标准输入"), "标准输入"
    else:
        path = Path(args.file)
        text, source = decode_text(read_bytes(path, jsonform.MAX_JSON_BYTES), path), str(path)
    by = jsonform.loads(text, source)
    write_imported(by, args.out, args.overwrite, "改正 JSON 中 meta 的 year、slug")
    print(f"已写入 {args.out}", file=sys.stderr)
    return EXIT_OK


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("slug")
    p.add_argument("year", type=int)
    p.add_argument("--name", required=True, help="机关名称")
    p.add_argument("--type", required=True, choices=["department", "government"], help="部门或政府")
    p.add_argument("--root", type=Path, default=Path("."), help="项目根目录（含 data/ 与 params/）")


@command("new", "新建一个机关年度（数据目录与参数文件）", _new_args)
def run_new(args: argparse.Namespace) -> int:
    from ogi_report.storage.scaffold import create

    folder, params_file = create(args.root, args.slug, args.year, args.name, args.type)
    print(f"已新建 {folder} 与 {params_file}")
    return EXIT_OK


@command("formats", "列出两代官方格式的 JSON 键与标签（Markdown）", lambda p: None)
def run_formats(args: argparse.Namespace) -> int:
    from ogi_report.storage.jsondoc import json_reference

    sys.stdout.write(json_reference())
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a Chinese message and hint on usage errors."""

    def format_usage(self) -> str:
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups, prefix="用法：")
        return formatter.format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"用法错误：{usage_message(message)}", file=sys.stderr)
        print(f"提示：运行 `{self.prog} --help` 查看用法。", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    _load_plugins()
    parser = _Parser(prog="ogi-report", description="政府信息公开工作年度报告：校验、生成与导入导出")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (help_text, configure, _func) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def _load_plugins() -> None:
    """Import the modules that register further sub-commands (rendering, Excel, importers)."""
    import importlib

    for module in ("ogi_report.cli.render", "ogi_report.cli.xlsx", "ogi_report.cli.imports"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS[args.command][2]
    try:
        return handler(args)
    except OgiError as exc:
        print(f"无法完成：\n{exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a folder in the way, no permission, disk full: say which file, in Chinese
        print(f"无法完成：\n{oserrors.describe(exc)}", file=sys.stderr)
        return EXIT_INPUT
