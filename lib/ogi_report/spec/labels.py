"""Matching the labels people type against the official ones.

Published reports and hand-edited files write the same label with half- or full-width brackets,
with or without spaces, with "1." or "1．"; matching is done on a normalised form, and an unknown
label gets the nearest official one as a suggestion.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_BRACKETS = str.maketrans({"(": "（", ")": "）", "\u201c": '"', "\u201d": '"', "．": ".", "、": "、"})
_SPACE = re.compile(r"\s+")
_ITEM_NUMBER = re.compile(r"(^|/)(\d+)[、.]")


def normalize_label(text: str) -> str:
    """Canonical form of a label: NFKC, no whitespace, full-width brackets, ASCII dots and quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_BRACKETS)
    # NFKC turns full-width brackets into ASCII ones; put them back so both spellings meet.
    text = text.replace("(", "（").replace(")", "）").replace("，", ",").replace("：", ":")
    return _ITEM_NUMBER.sub(r"\1\2.", _SPACE.sub("", text))


def nearest(text: str, choices: Iterable[str]) -> str | None:
    """The official label closest to ``text``, or None when nothing is reasonably close."""
    options = list(choices)
    by_norm = {normalize_label(c): c for c in options}
    hits = difflib.get_close_matches(normalize_label(text), list(by_norm), n=1, cutoff=0.5)
    return by_norm[hits[0]] if hits else None


def suggestion(text: str, choices: Iterable[str]) -> str:
    """A sentence suggesting the nearest label, or listing what is allowed."""
    options = list(choices)
    near = nearest(text, options)
    if near:
        return f"是否应为「{near}」？"
    return "应为以下之一：" + "、".join(f"「{c}」" for c in options)
