"""Cell values: parsing what people type into a table cell, and formatting it back.

A cell holds an ``int`` (counts), a :class:`~decimal.Decimal` (amounts, kept exact) or ``None``
(a blank cell, kept as blank so the BLANK rule can see it).  Full-width digits, thousands
separators ("3,119") and the dashes or 无 that published reports write for zero are accepted.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ogi_report.spec.formats import CellKind

Value = int | Decimal | None

ZERO_WORDS = frozenset({"—", "-", "–", "－", "——", "无"})
BLANK_WORDS = frozenset({"", "/", "／"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
MAX_DIGITS = 15  # no real count or amount is longer; longer input is a typing accident


class ValueProblem(ValueError):
    """A cell's text is not a value of the expected kind; the message is for the analyst."""


def expected_text(kind: CellKind) -> str:
    return {
        CellKind.COUNT: "非负整数（如 0、12、3119）",
        CellKind.SIGNED: "整数（可为负，如 -3）",
        CellKind.DECIMAL: "非负数（如 0、96171.6）",
    }[kind]


def parse_value(text: str, kind: CellKind) -> Value:
    """Parse one cell's text; raise :class:`ValueProblem` saying what was found and expected."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if raw in BLANK_WORDS:
        return None
    if raw in ZERO_WORDS or text.strip() in ZERO_WORDS:
        return 0 if kind is not CellKind.DECIMAL else Decimal(0)
    if _THOUSANDS.match(raw):
        raw = raw.replace(",", "")
    if len(raw.lstrip("+-").replace(".", "")) > MAX_DIGITS:
        raise ValueProblem(f"数值「{text.strip()[:40]}」位数过多，应为{expected_text(kind)}")
    if kind is CellKind.DECIMAL:
        if not _DECIMAL.match(raw):
            raise ValueProblem(f"读到「{text.strip()[:40]}」，应为{expected_text(kind)}")
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
            raise ValueProblem(f"读到「{text.strip()}」，应为{expected_text(kind)}") from exc
        problem = check_value(value, kind)
        if problem:
            raise ValueProblem(problem)
        return value
    if not _INTEGER.match(raw):
        if _DECIMAL.match(raw):
            raise ValueProblem(f"读到小数「{text.strip()}」，件数应为{expected_text(kind)}")
        raise ValueProblem(f"读到「{text.strip()[:40]}」，应为{expected_text(kind)}")
    number = int(raw)
    problem = check_value(number, kind)
    if problem:
        raise ValueProblem(problem)
    return number


def check_value(value: Value, kind: CellKind) -> str | None:
    """Why ``value`` is not allowed in a cell of ``kind`` (rule N), or None when it is fine."""
    if value is None:
        return None
    if isinstance(value, bool):
        return f"读到布尔值 {value}，应为{expected_text(kind)}"
    if kind is CellKind.DECIMAL:
        if not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite():
            return f"读到「{value}」，应为{expected_text(kind)}"
        if _digits(value) > MAX_DIGITS:
            return f"数值「{format_value(value)}」位数过多，应为{expected_text(kind)}"
        if value < 0:
            return f"读到负数 {value}，应为{expected_text(kind)}"
        return None
    if not isinstance(value, int):
        return f"读到「{value}」，应为{expected_text(kind)}"
    if _digits(value) > MAX_DIGITS:
        return f"数值「{value}」位数过多，应为{expected_text(kind)}"
    if kind is CellKind.COUNT and value < 0:
        return f"读到负数 {value}，应为{expected_text(kind)}"
    return None


def _digits(value: int | Decimal) -> int:
    """How many digits ``value`` is written with (sign and point not counted)."""
    return len(format_value(value).lstrip("+-").replace(".", ""))


def format_value(value: Value) -> str:
    """The text a value is printed as: counts as digits, amounts without exponent, blank as ''."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
