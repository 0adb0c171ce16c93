"""argparse's usage errors in Chinese, for every command-line entry point of the kit."""

from __future__ import annotations

import re
from collections.abc import Callable

# argparse's messages (Python 3.11) → Chinese; a message not listed keeps its English words.
_TYPE_NAMES = {"int": "整数", "float": "数字"}
_USAGE_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"the following arguments are required: command$"),
        lambda m: "缺少命令（如 check、render、import）",
    ),
    (re.compile(r"the following arguments are required: (.+)$"), lambda m: f"缺少参数：{m[1]}"),
    (re.compile(r"unrecognized arguments: (.+)$"), lambda m: f"无法识别的参数：{m[1]}"),
    (
        re.compile(r"argument command: invalid choice: (.+?) \(choose from (.+)\)$"),
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
