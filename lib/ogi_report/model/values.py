"""Cell values: parsing what people type into a table cell, and formatting it back.

A cell holds an ``int`` (counts), a :class:`~decimal.Decimal` (amounts, kept exact) or ``None``
(a blank cell, kept as blank so the BLANK rule can see it).  Full-width digits, thousands
separators ("3,119") and the dashes or 无 that published reports write for zero are accepted.
Text that is not a value parses to :class:`Invalid`, whose message the reader places (file, sheet
cell or report line) before reporting it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ogi_report.spec.formats import CellKind

Value = int | Decimal | None

ZERO_WORDS = frozenset({"—", "-", "–", "－", "——", "无"})
BLANK_WORDS = frozenset({"", "/", "／"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
MAX_DIGITS = 15  # no real count or amount is longer; longer input is a typing accident


@dataclass(frozen=True)
class Invalid:
    """What a cell held instead of a value of the expected kind: ``message`` says so, for the analyst."""

    message: str


def expected_text(kind: CellKind) -> str:
    return {
        CellKind.COUNT: "非负整数（如 0、12、3119）",
        CellKind.SIGNED: "整数（可为负，如 -3）",
        CellKind.DECIMAL: "非负数（如 0、96171.6）",
    }[kind]


def parse_value(text: str, kind: CellKind) -> Value | Invalid:
    """Parse one cell's text; :class:`Invalid` says what was found and what was expected."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if raw in BLANK_WORDS:
        return None
    if raw in ZERO_WORDS or text.strip() in ZERO_WORDS:
        return 0 if kind is not CellKind.DECIMAL else Decimal(0)
    if _THOUSANDS.match(raw):
        raw = raw.replace(",", "")
    if len(raw.lstrip("+-").replace(".", "")) > MAX_DIGITS:
        return Invalid(f"数值「{text.strip()[:40]}」位数过多，应为{expected_text(kind)}")
    number = _decimal(raw, text, kind) if kind is CellKind.DECIMAL else _integer(raw, text, kind)
    if isinstance(number, Invalid):
        return number
    problem = check_value(number, kind)
    return number if problem is None else Invalid(problem)


def _decimal(raw: str, text: str, kind: CellKind) -> Decimal | Invalid:
    """An amount written as digits with an optional point (``raw`` normalised, ``text`` as typed)."""
    if not _DECIMAL.match(raw):
        return Invalid(f"读到「{text.strip()[:40]}」，应为{expected_text(kind)}")
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return Invalid(f"读到「{text.strip()}」，应为{expected_text(kind)}")


def _integer(raw: str, text: str, kind: CellKind) -> int | Invalid:
    """A count written as digits (``raw`` normalised, ``text`` as typed); a decimal is named as such."""
    if _INTEGER.match(raw):
        return int(raw)
    if _DECIMAL.match(raw):
        return Invalid(f"读到小数「{text.strip()}」，件数应为{expected_text(kind)}")
    return Invalid(f"读到「{text.strip()[:40]}」，应为{expected_text(kind)}")


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
