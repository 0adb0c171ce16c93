"""The ``ogi-report`` command: one argparse tree with a sub-command for everything the kit does.

    ogi-report check | export-json | import-json | new | formats      one bureau-year's data
    ogi-report render                                                 its HTML page
    ogi-report xlsx | import-xlsx                                     its Excel workbook
    ogi-report import | import-batch                                  published reports → data
    ogi-report batch                                                  every report of a project

Exit codes (:class:`~ogi_report.cli.command.ExitCode`, the same for every command): 0 done, 1 done
with something to fix (check errors, drafts, failed reports, incomplete imports), 2 the command
line, an input or an output cannot be used, 130 interrupted.  No traceback reaches the user: every
expected failure is an :class:`~ogi_report.errors.OgiError` or an ``OSError``, said in Chinese.
``run_reports.py`` is ``ogi-report batch`` under its first name (:func:`run_reports`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from ogi_report import oserrors
from ogi_report.cli import batch, data, imports, render, xlsx
from ogi_report.cli.command import Command, ExitCode
from ogi_report.cli.usage import Parser
from ogi_report.errors import OgiError

COMMANDS: tuple[Command, ...] = (
    *data.COMMANDS,
    render.COMMAND,
    *xlsx.COMMANDS,
    *imports.COMMANDS,
    batch.COMMAND,
)


def parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The whole command line: the ``ogi-report`` parser, and each command's own parser by name."""
    parser = Parser(prog="ogi-report", description="政府信息公开工作年度报告：校验、生成与导入导出")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, title="命令", metavar="命令"
    )
    commands: dict[str, argparse.ArgumentParser] = {}
    for cmd in COMMANDS:
        commands[cmd.name] = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(commands[cmd.name])
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the command; returns the exit code."""
    parser, commands = parsers()
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the command's parser, so the hint names the command's own --help
        commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    handler = next(cmd.run for cmd in COMMANDS if cmd.name == args.command)
    try:
        return handler(args)
    except OgiError as exc:
        print(f"无法完成：\n{exc}", file=sys.stderr)
        return ExitCode.UNUSABLE
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except OSError as exc:  # a folder in the way, no permission, disk full: say which file, in Chinese
        print(f"无法完成：\n{oserrors.describe(exc)}", file=sys.stderr)
        return ExitCode.UNUSABLE


def run_reports() -> NoReturn:
    """``run_reports.py [options]``: the same as ``ogi-report batch [options]``."""
    raise SystemExit(main(["batch", *sys.argv[1:]]))
