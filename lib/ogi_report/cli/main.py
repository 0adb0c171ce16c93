"""The ``ogi-report`` command: one argparse tree with a sub-command for everything the kit does.

    ogi-report check | export-json | import-json | new | formats      one bureau-year's data
    ogi-report compile                                                a government from its members
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
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from ogi_report import oserrors
from ogi_report.cli.command import Command, ExitCode
from ogi_report.cli.usage import Parser
from ogi_report.errors import OgiError
from ogi_report.startup import skip_slow_optional_imports

# The module of ``ogi_report.cli`` declaring each command, in the order ``ogi-report --help`` lists
# them.  Only the module of the command being run is imported: ``check`` then never loads openpyxl
# and numpy (``xlsx``), the importers and pdfplumber (``import``), jinja2 and markdown-it
# (``render``) or the batch, and starts in a tenth of the time.
MODULES: dict[str, str] = {
    "check": "data",
    "export-json": "data",
    "import-json": "data",
    "new": "data",
    "formats": "data",
    "compile": "compile",
    "render": "render",
    "xlsx": "xlsx",
    "import-xlsx": "xlsx",
    "import": "imports",
    "import-batch": "imports",
    "batch": "batch",
}


def declared(module: str) -> tuple[Command, ...]:
    """The commands one module of ``ogi_report.cli`` declares (``COMMANDS``, or one ``COMMAND``)."""
    mod = importlib.import_module(f"ogi_report.cli.{module}")
    found = getattr(mod, "COMMANDS", None) or (mod.COMMAND,)
    return tuple(found)


def commands(names: Sequence[str] | None = None) -> tuple[Command, ...]:
    """The commands called ``names`` (default: all, in :data:`MODULES` order), importing only
    the modules that declare them."""
    wanted = list(MODULES) if names is None else [n for n in names if n in MODULES]
    by_name = {
        cmd.name: cmd for module in dict.fromkeys(MODULES[n] for n in wanted) for cmd in declared(module)
    }
    return tuple(by_name[n] for n in wanted)


def __getattr__(name: str) -> tuple[Command, ...]:
    # ``COMMANDS``, every command, imported only when asked for (help, docs, tests).
    if name == "COMMANDS":
        return commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parsers(
    names: Sequence[str] | None = None,
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The command line: the ``ogi-report`` parser, and each command's own parser by name.

    With ``names``, only those commands are in the tree (enough to parse a command line that
    names one of them); without, every command (``ogi-report --help``, a mistyped command).
    """
    parser = Parser(prog="ogi-report", description="政府信息公开工作年度报告：校验、生成与导入导出")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, title="命令", metavar="命令"
    )
    parsed: dict[str, argparse.ArgumentParser] = {}
    for cmd in commands(names):
        parsed[cmd.name] = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(parsed[cmd.name])
    return parser, parsed


def _command_name(argv: Sequence[str]) -> str | None:
    """The command an argument list runs, when its first word is one (``ogi-report`` itself
    takes no option but ``-h``); None for help, a mistake or nothing."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in MODULES else None


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the command; returns the exit code."""
    if argv is None:  # run as the command (not called from other code): this process is the kit's
        skip_slow_optional_imports()  # render and nbformat users start ≈ 0.75 s sooner
    argv = list(sys.argv[1:] if argv is None else argv)
    name = _command_name(argv)
    parser, parsed = parsers(None if name is None else (name,))
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the command's parser, so the hint names the command's own --help
        parsed[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    handler = next(cmd.run for cmd in commands((args.command,)))
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
    skip_slow_optional_imports()  # the kit's own process, as under ogi-report
    raise SystemExit(main(["batch", *sys.argv[1:]]))
