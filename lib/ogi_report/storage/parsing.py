"""TOML and JSON parsed within bounds, every failure a located Chinese :class:`DataError`.

``tomllib`` and ``json`` recurse once per nesting level: an array nested 50,000 deep (a few hundred
KB) ends in a ``RecursionError`` traceback, and their messages are English.  Here the nesting is
measured first, in one linear pass (:func:`nesting_problem`), and refused beyond :data:`MAX_DEPTH`
with the line where it happens; syntax errors are said in Chinese with their line and column;
integers of absurd length are refused before Python's digit limit speaks English.
"""

from __future__ import annotations

import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from ogi_report.errors import DataError

MAX_DEPTH = 64  # the kit's files nest 2 (TOML) to 6 (JSON) levels
MAX_INT_DIGITS = 40  # a count or an amount: far fewer digits; more is a wrong file

_TOML_WORDS = {
    "Invalid value": "值无效（文字要加引号，日期写成 2024-01-31）",
    "Invalid statement": "无法识别的语句",
    "Unclosed array": "数组缺少 ]",
    "Unclosed inline table": "内联表缺少 }",
    "Unterminated string": "字符串缺少结尾的引号",
    "Cannot overwrite a value": "同一个键出现了两次",
    "Cannot declare": "同一个表出现了两次",
    "Expected '=' after a key in a key/value pair": "键后面应为 =",
    "Expected newline or end of document after a statement": "一行只能写一个“键 = 值”",
    "Expected ']' at the end of a table declaration": "表名缺少 ]",
    "Invalid initial character for a key part": "键名中有无效字符",
    "Invalid date or datetime": "日期无效",
    "Illegal character": "含有不允许的字符",
}
_JSON_WORDS = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "键名应写在双引号中（最后一项后不能有逗号）",
    "Expecting ':' delimiter": "键名后应为冒号",
    "Expecting ',' delimiter": "此处应为逗号",
    "Invalid control character at": "字符串中有控制字符",
    "Unterminated string starting at": "字符串缺少结尾的引号",
    "Extra data": "完整的 JSON 之后还有多余内容",
    "Invalid \\escape": "无效的转义",
}
_AT = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_TOKENS = re.compile(r"""[\[\]{}"'#\n\\]""")


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def nesting_problem(text: str, *, toml: bool) -> int | None:
    """The line where ``text`` nests arrays/tables deeper than :data:`MAX_DEPTH`, else None.

    One pass over the brackets, quotes, comments and escapes (not a parser): strings and comments
    do not count.
    """
    depth, quote, escaped, comment = 0, "", False, False
    for match in _TOKENS.finditer(text):
        char = match.group()
        if comment:
            comment = char != "\n"
        elif quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'" and (toml or char == '"'):
            quote = char
        elif char == "#" and toml:
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_of(text, match.start())
        elif char in "]}":
            depth -= 1
    return None


def _too_deep(path: str | Path, line: int) -> DataError:
    return DataError.one(
        path, f"嵌套超过 {MAX_DEPTH} 层，拒绝读取（数据文件不会嵌套这么深，请确认选对了文件）", line=line
    )


def parse_toml(text: str, path: str | Path) -> dict[str, Any]:
    """``text`` as TOML; a located Chinese :class:`DataError` for anything it cannot be."""
    if (line := nesting_problem(text, toml=True)) is not None:
        raise _too_deep(path, line)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _AT.search(message)
        what = message[: at.start()] if at else message
        words = next((zh for en, zh in _TOML_WORDS.items() if what.startswith(en)), f"语法错误（{what}）")
        where = ""
        if at:
            where = f"（第 {at[1]} 行第 {at[2]} 列）" if at[1] else "（文件末尾）"
        raise DataError.one(path, f"TOML 格式错误{where}：{words}") from None
    except RecursionError:  # the scan above should have caught it: never a traceback
        raise _too_deep(path, 1) from None


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"整数有 {len(digits)} 位，超过上限 {MAX_INT_DIGITS} 位")
    return int(digits)


def parse_json(text: str, source: str | Path) -> Any:
    """``text`` as JSON (decimals as :class:`Decimal`); a located Chinese :class:`DataError` otherwise."""
    if (line := nesting_problem(text, toml=False)) is not None:
        raise _too_deep(source, line)
    try:
        return json.loads(text, parse_float=Decimal, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        words = next(
            (zh for en, zh in _JSON_WORDS.items() if exc.msg.startswith(en)), f"语法错误（{exc.msg}）"
        )
        raise DataError.one(source, f"JSON 格式错误，第 {exc.colno} 列：{words}", line=exc.lineno) from None
    except ValueError as exc:  # raised by _bounded_int: already Chinese
        raise DataError.one(source, f"JSON 内容无法读取：{exc}") from None
    except RecursionError:
        raise _too_deep(source, 1) from None
