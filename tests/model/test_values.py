"""Cell values: what analysts type, parsed exactly, and printed back."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from ogi_report.model.values import Invalid, check_value, format_value, parse_value
from ogi_report.spec.formats import CellKind
from ogi_report.spec.labels import nearest, normalize_label

C, S, D = CellKind.COUNT, CellKind.SIGNED, CellKind.DECIMAL


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("0", C, 0),
        (" 12 ", C, 12),
        ("３１１９", C, 3119),  # full-width digits
        ("3,119", C, 3119),
        ("3，119", C, 3119),
        ("1,234,567", C, 1234567),
        ("—", C, 0),
        ("-", C, 0),
        ("－", C, 0),
        ("无", C, 0),
        ("", C, None),
        ("/", C, None),
        ("／", C, None),
        ("-3", S, -3),
        ("+2", S, 2),
        ("96171.6", D, Decimal("96171.6")),
        ("24252.311082", D, Decimal("24252.311082")),
        ("1,234.50", D, Decimal("1234.50")),
        ("—", D, Decimal(0)),
        ("999999999999999", C, 999999999999999),
    ],
)
def test_parse_accepts(text: str, kind: CellKind, value: object) -> None:
    parsed = parse_value(text, kind)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("-3", C, "负数"),
        ("1.5", C, "小数"),
        ("12元", C, "12元"),
        ("251000元", D, "251000元"),
        ("abc", S, "abc"),
        ("1e5", C, "1e5"),
        ("-0.5", D, "负数"),
        ("NaN", D, "NaN"),
        ("1234567890123456", C, "位数过多"),
        ("3,11", C, "3,11"),
    ],
)
def test_parse_refuses(text: str, kind: CellKind, fragment: str) -> None:
    parsed = parse_value(text, kind)
    assert isinstance(parsed, Invalid)
    assert fragment in parsed.message


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("-3", C, "读到负数 -3，应为非负整数（如 0、12、3119）"),
        ("1.5", C, "读到小数「1.5」，件数应为非负整数（如 0、12、3119）"),
        ("abc", S, "读到「abc」，应为整数（可为负，如 -3）"),
        ("1234567890123456", C, "数值「1234567890123456」位数过多，应为非负整数（如 0、12、3119）"),
        ("-0.5", D, "读到负数 -0.5，应为非负数（如 0、96171.6）"),
        ("12元", D, "读到「12元」，应为非负数（如 0、96171.6）"),
    ],
)
def test_parse_says_what_was_found_and_expected(text: str, kind: CellKind, message: str) -> None:
    assert parse_value(text, kind) == Invalid(message)


def test_an_invalid_value_is_returned_not_raised() -> None:
    """Every reader places the message itself (CSV line, sheet cell, report line): nothing is raised."""
    parsed = parse_value("十二", C)
    assert isinstance(parsed, Invalid) and not isinstance(parsed, BaseException)
    assert parsed == Invalid("读到「十二」，应为非负整数（如 0、12、3119）")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.message = "changed"  # type: ignore[misc]
    # A blank cell is a value (None), not an invalid one.
    assert parse_value("", C) is None and not isinstance(parse_value("0", C), Invalid)


def test_decimal_kept_exact() -> None:
    value = parse_value("24252.311082", D)
    assert format_value(value) == "24252.311082"
    assert format_value(Decimal("1E+3")) == "1000"
    assert format_value(None) == ""
    assert format_value(7) == "7"


@pytest.mark.parametrize(
    ("value", "kind", "ok"),
    [
        (0, C, True),
        (-1, C, False),
        (-1, S, True),
        (True, C, False),
        (Decimal("1.5"), C, False),
        (Decimal("1.5"), D, True),
        (Decimal("NaN"), D, False),
        (10**15, C, False),
        (10**15 - 1, C, True),
        (Decimal("1234567890.123456"), D, False),
        (None, C, True),
    ],
)
def test_check_value(value: object, kind: CellKind, ok: bool) -> None:
    assert (check_value(value, kind) is None) == ok  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("(一) 予以公开", "（一）予以公开"),
        ("1．属于国家秘密", "1.属于国家秘密"),
        ("（六）其他处理/1、其他", "（六）其他处理/1.其他"),
        ("危及\u201c三安全一稳定\u201d", '危及"三安全一稳定"'),
    ],
)
def test_labels_normalise(a: str, b: str) -> None:
    assert normalize_label(a) == normalize_label(b)


def test_nearest_label() -> None:
    assert nearest("予以公开了", ["（一）予以公开", "（二）部分公开"]) == "（一）予以公开"
    assert nearest("完全无关的内容XYZ", ["规章"]) is None
