"""The command line in Chinese: help, usage and argparse's error messages, for every command.

:class:`Parser` is the ``argparse.ArgumentParser`` of the ``ogi-report`` tree and of each of its
commands (``batch`` included): help headings and the usage line in Chinese, and a usage error
printed as a Chinese sentence with a hint, exiting with :attr:`ExitCode.UNUSABLE`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from ogi_report.cli.command import ExitCode

# argparse's messages (Python 3.11) → Chinese; a message not listed keeps its English words.
_TYPE_NAMES = {"int": "整数", "float": "数字"}
_USAGE_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"the following arguments are required: 命令$"),
        lambda m: "缺少命令（如 check、render、import、batch）",
    ),
    (re.compile(r"the following arguments are required: (.+)$"), lambda m: f"缺少参数：{m[1]}"),
    (re.compile(r"unrecognized arguments: (.+)$"), lambda m: f"无法识别的参数：{m[1]}"),
    (
        re.compile(r"argument 命令: invalid choice: (.+?) \(choose from (.+)\)$"),
        lambda m: f"没有 {m[1]} 这个命令，可选：{m[2]}",
    ),
    (
        re.compile(r"argument (\S+?): invalid choice: (.+?) \(choose from (.+)\)$"),
        lambda m: f"参数 {m[1]} 的值 {m[2]} 无效，可选：{m[3]}",
    ),
    (
        re.compile(r"argument (\S+?): invalid (\w+) value: (.+)$"),
        lambda m: f"参数 {m[1]} 的值 {m[3]} 无效，应为{_TYPE_NAMES.get(m[2], m[2])}",
    ),
    (re.compile(r"argument (\S+?): expected one argument$"), lambda m: f"参数 {m[1]} 后面缺少值"),
    (re.compile(r"argument (\S+?): expected at least one argument$"), lambda m: f"参数 {m[1]} 后面缺少值"),
    (
        re.compile(r"argument (\S+?): not allowed with argument (.+)$"),
        lambda m: f"参数 {m[1]} 不能与 {m[2]} 同时使用",
    ),
    (re.compile(r"one of the arguments (.+) is required$"), lambda m: f"需要以下参数之一：{m[1]}"),
    (
        re.compile(r"ambiguous option: (\S+) could match (.+)$"),
        lambda m: f"选项 {m[1]} 不明确，可能是：{m[2]}",
    ),
    (re.compile(r"argument (\S+?): (.+)$"), lambda m: f"参数 {m[1]}：{m[2]}"),  # our own type errors
]


def usage_message(message: str) -> str:
    """argparse's English error message in Chinese (unchanged when it is not a known one)."""
    for pattern, translate in _USAGE_MESSAGES:
        match = pattern.match(message)
        if match:
            return translate(match)
    return message


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout with the usage line in Chinese."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if isinstance(action.choices, dict):  # sub-commands: argparse measures them without their indent
            longest = max(map(len, action.choices), default=0)
            indent = self._current_indent + 2 * self._indent_increment
            self._action_max_length = max(self._action_max_length, longest + indent)


class Parser(argparse.ArgumentParser):
    """argparse in Chinese: headings, ``-h``, and usage errors (exit code 2 with a hint)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"用法错误：{usage_message(message)}", file=sys.stderr)
        print(f"提示：运行 `{self.prog} --help` 查看用法。", file=sys.stderr)
        raise SystemExit(ExitCode.UNUSABLE)
