"""How official documents write things the kit prints and reads: dates, and the width of CJK text."""

from __future__ import annotations

import unicodedata
from datetime import date


def chinese_date(day: date) -> str:
    """2022-01-07 → 2022年1月7日, as reports sign and as rules quote deadlines."""
    return f"{day.year}年{day.month}月{day.day}日"


def is_wide(char: str) -> bool:
    """Whether ``char`` takes two columns in a fixed-width layout (CJK characters, full-width forms)."""
    return unicodedata.east_asian_width(char) in "WF"


def display_width(text: str, *, ambiguous_wide: bool = False) -> int:
    """Columns ``text`` takes in a fixed-width layout (a terminal, ``pdftotext -layout`` output).

    East Asian "ambiguous" characters (“”, ①, some symbols) are one column in a terminal and two in
    the Chinese fonts that laid out a published PDF: ``ambiguous_wide`` says which.
    """
    wide = "WFA" if ambiguous_wide else "WF"
    return sum(2 if unicodedata.east_asian_width(c) in wide else 1 for c in text)
