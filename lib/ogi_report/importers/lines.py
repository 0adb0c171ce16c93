"""The importers' common input — lines of a source document — and the data rows read from them.

Every source format is first turned into :class:`Line` objects: a line of text (pdftotext layout, a
paragraph) or a table row whose cells are known (tab-separated text, an HTML or DOCX grid).
:func:`row_values` tells a data row (a label, then value cells) from prose, and :func:`printed_total`
uses the columns of layout text to place a short row's published total.  Whatever an importer
cannot place is returned as an :class:`Unplaced` item naming the source line, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ogi_report.model.values import BLANK_WORDS, ZERO_WORDS


@dataclass(frozen=True)
class Line:
    """One line of a source document, with the cells of a table row when the source knows them."""

    number: int  # 1-based line, paragraph or row number in the source, for messages
    text: str
    cells: tuple[str, ...] | None = None
    grid: bool = False  # cells come from a real table grid (HTML, DOCX): their positions are exact
    whole: bool = False  # a complete paragraph (HTML, DOCX), never joined with its neighbours
    # The row's cells rebuilt from a browser's copy of paragraph cells (:mod:`.pasted`), counted
    # from the left; read only when they are exactly as many as the table's columns.
    complete: bool = False


@dataclass(frozen=True)
class Unplaced:
    """Something the importer saw but could not put into the bureau-year."""

    line: int | None
    text: str
    message: str
    table: str = ""


# A cell's text is a value when it is digits (full-width too), separators and signs, a dash or 无;
# a unit typed into the cell ("251000元") still counts, so parsing can say what is wrong with it.
_VALUE_TEXT = re.compile(r"^[+\-]?[\d.,]+\s*(?:万元|元|件|个|项)?$")


def is_value_text(text: str) -> bool:
    """Whether a cell's text reads as a value (blank included)."""
    raw = unicodedata.normalize("NFKC", text).strip()
    return (
        raw in BLANK_WORDS or raw in ZERO_WORDS or text.strip() in ZERO_WORDS or bool(_VALUE_TEXT.match(raw))
    )


def _is_filled_value(text: str) -> bool:
    raw = unicodedata.normalize("NFKC", text).strip()
    return raw not in BLANK_WORDS and is_value_text(text)


def _is_printed_value(text: str) -> bool:
    """A value someone wrote: a figure, a dash or 无 (zero), or a slash (a deliberate blank).

    Only an empty cell is not: in tab-separated and layout text its place in the row is unknown,
    while "/" stands where its column is, as published reports use it.
    """
    return bool(text.strip()) and is_value_text(text)


@dataclass(frozen=True)
class RowValues:
    """A data row split into its label text and its value cells (``short``: fewer than expected)."""

    label: str
    values: tuple[str, ...]
    short: bool = False


def row_values(line: Line, count: int, *, split: bool = True) -> RowValues | None:
    """The label and ``count`` value cells of ``line``, or None when it is not a data row.

    Grid rows take the ``count`` cells after the label cells (a blank cell stays a blank value);
    complete rows (:mod:`.pasted`) are read only when their cells after the label are exactly
    ``count`` (empty cells ending a row cannot be told from the empty lines after a table);
    tab-separated rows, whose cells are not reliably aligned, take the run of cells between the
    first and the last value; layout text takes the value tokens at the end of the line, or —
    with ``split``, in a table whose figures run together — the one way its digits split.
    """
    if line.cells is not None and line.complete:
        return _complete_row(line, count)
    if line.cells is not None and line.grid:
        cells = list(line.cells)
        # The label is every cell up to the last one that is text; the values follow it.
        start = max((i + 1 for i, c in enumerate(cells) if not is_value_text(c)), default=0)
        # An empty label cell (a label printed over fewer label columns than the table has) stands
        # before the values: the row's values are its last ``count`` cells when all before are empty.
        while len(cells) - start > count and not cells[start].strip():
            start += 1
        values = cells[start : start + count]
        if len(values) < count or not all(is_value_text(v) for v in values):
            return None
        if any(_is_filled_value(c) for c in cells[start + count :]):
            return None
        return RowValues(" ".join(c for c in cells[:start] if c.strip()), tuple(values))
    if line.cells is not None:
        cells = [c.strip() for c in line.cells]
        exact = _exact_fields(cells, count)
        if exact is not None:
            return exact
        filled = [i for i, c in enumerate(cells) if _is_printed_value(c)]
        if not any(_is_filled_value(cells[i]) for i in filled):
            return None
        first, last = filled[0], filled[-1]
        run = cells[first : last + 1]
        if not any(c.strip() for c in cells[:first]) and not any(ch.isdigit() for c in run for ch in c):
            return None  # a converter's placeholder row ("| - | - |"): no label, no figure
        if not all(is_value_text(c) for c in run) or len(run) > count:
            return None
        label = " ".join(c for c in cells[:first] if c)
        return RowValues(label, tuple(run), short=len(run) < count)
    tokens = line.text.split()
    values_rev: list[str] = []
    while tokens and _is_printed_value(tokens[-1]):
        values_rev.append(tokens.pop())
    # A line of slashes alone is not a data row (a prose line may end with "/"); one figure is enough.
    if len(values_rev) < count and (with_units := _with_units(line.text.split(), count)) is not None:
        return with_units
    if split and len(values_rev) < count and (cut := _unique_split(line.text, count)) is not None:
        return cut
    if not any(_is_filled_value(v) for v in values_rev) or len(values_rev) > count:
        return None
    return RowValues(" ".join(tokens), tuple(reversed(values_rev)), short=len(values_rev) < count)


def _complete_row(line: Line, count: int) -> RowValues | None:
    """A complete row's label and its ``count`` cells, when exactly that many follow the label."""
    cells = list(line.cells or ())
    start = max((i + 1 for i, c in enumerate(cells) if not is_value_text(c)), default=0)
    values = cells[start:]
    if len(values) != count:
        return None
    return RowValues(" ".join(c for c in cells[:start] if c.strip()), tuple(values))


# A figure printed with its unit (「2笔」「984361元」): not a value of its cell, but what the report
# printed there, to be recorded and reported (rule N) rather than lost.
_FIGURE_WITH_UNIT = re.compile(r"^\d[\d,，.]*(?:元|万元|亿元|笔|件|个|项|次|人次|份|宗)$")


def _with_units(tokens: list[str], count: int) -> RowValues | None:
    """A layout-text row whose last ``count`` tokens are figures, some printed with a unit; only
    when exactly ``count`` such tokens end the line (each then stands in its column)."""
    tail = tokens[-count:] if count else []
    if len(tokens) <= count or not tail:
        return None
    normalized = [unicodedata.normalize("NFKC", t) for t in tail]
    if not all(
        _is_filled_value(t) or _FIGURE_WITH_UNIT.match(n) for t, n in zip(tail, normalized, strict=True)
    ):
        return None
    if not any(_FIGURE_WITH_UNIT.match(n) for n in normalized) or _is_printed_value(tokens[-count - 1]):
        return None
    return RowValues(" ".join(tokens[:-count]), tuple(tail))


_TRAILING_DIGITS = re.compile(r"(\d[\d ]*)$")


def runs_together(lines: Sequence[Line]) -> bool:
    """Whether a table's text runs figures together: a line ends in digits one of whose tokens is
    no figure (「0000000」「数量0 0 0 0 0 00」 — no figure has a leading zero — or table 四's fifteen
    cells as one token 「110024001510102」).

    Only in such a table is a row with fewer tokens than columns cut into figures
    (:func:`_unique_split`); in any other, a row printing fewer figures than columns has empty
    cells, and which ones cannot be told.
    """
    for line in lines:
        if line.cells is not None:
            continue
        match = _TRAILING_DIGITS.search(line.text.rstrip())
        if match and any(_no_figure(t) for t in match.group(1).split()):
            return True
    return False


MAX_FIGURE_DIGITS = 10  # no count, nor amount in 元, of these tables reaches 10^10


def _no_figure(token: str) -> bool:
    """Digits that cannot be one printed figure: a leading zero, or more digits than any figure."""
    return (len(token) > 1 and token.startswith("0")) or len(token) > MAX_FIGURE_DIGITS


def _unique_split(text: str, count: int) -> RowValues | None:
    """A row whose figures a page's text ran together (「…申请数量0000000」, 「予以公开1 0 0 0 0 01」),
    read only when the digits split into ``count`` figures in exactly one way.

    A figure is never printed with a leading zero, so 「00」 can only be two zeros and 「01」 only
    0 and 1; 「801000081」 splits many ways and is left unread.  No total is used to choose a
    split: the totals are what the checks then compare.

    Only rows of a table that runs figures together (:func:`runs_together`) are split: elsewhere a
    row may simply print fewer figures than its columns (「规章 5 10」, a cell left empty), and
    cutting 「10」 into 1 and 0 to make up the count would be a guess.
    """
    match = _TRAILING_DIGITS.search(text.rstrip())
    if match is None:
        return None
    label = text[: match.start()].strip()
    tokens = match.group(1).split()
    if not label or not tokens or sum(len(t) for t in tokens) > count * 6:
        return None
    found = _splits("".join(tokens), [len(t) for t in tokens], count)
    return RowValues(label, tuple(found[0])) if len(found) == 1 else None


MAX_SPLIT_STEPS = 20_000  # a search this long means many readings: the row stays unread


def _splits(digits: str, lengths: list[int], count: int) -> list[list[str]]:
    """Up to two ways to cut the tokens (``lengths`` of ``digits``) into ``count`` figures without a
    leading zero, each figure inside one token; searched with pruning and a step budget, so a
    hostile run of digits costs milliseconds (a result of two or none means: not one reading)."""
    ends = [sum(lengths[: i + 1]) for i in range(len(lengths))]  # where each token ends
    found: list[list[str]] = []
    steps = 0

    def search(pos: int, token: int, parts: list[str]) -> None:
        nonlocal steps
        steps += 1
        if len(found) > 1 or steps > MAX_SPLIT_STEPS:
            return
        if pos == len(digits):
            if len(parts) == count:
                found.append(list(parts))
            return
        need = count - len(parts)
        # Each token left needs one figure at least; no figure has fewer than one digit.
        if need < len(ends) - token or need > len(digits) - pos:
            return
        for end in range(pos + 1, ends[token] + 1):
            head = digits[pos:end]
            if len(head) > 1 and head.startswith("0"):
                break  # 「0…」 longer than one digit is no figure; longer heads are not either
            search(end, token + 1 if end == ends[token] else token, [*parts, head])

    search(0, 0, [])
    return found if steps <= MAX_SPLIT_STEPS else found[:0]


def _exact_fields(cells: list[str], count: int) -> RowValues | None:
    """The row when its fields after the label are exactly ``count`` (empty fields included).

    Tab-separated text copied from a browser, and Markdown pipe rows, keep an empty cell as an
    empty field: when the fields after the label are as many as the columns, each is in its
    column; one extra empty field at the end (a trailing pipe or tab) is dropped.  The first and
    the last field must be filled: an empty one at either end may be a label column or a total
    left unprinted, and the row is then read as a run of values (:func:`row_values`).
    """
    start = max((i + 1 for i, c in enumerate(cells) if not is_value_text(c)), default=0)
    tail = cells[start:]
    if len(tail) == count + 1 and tail[0] and not tail[-1]:
        tail = tail[:-1]  # a trailing separator
    # An empty field right after the label may be a label column the copy kept (colspan): then
    # the fields are not in their columns, and the row is read as a run of values instead.
    # An empty last field may be a total left unprinted (computed then) or a cell lost in the copy.
    if len(tail) != count or not tail[0] or not tail[-1] or not any(_is_filled_value(c) for c in tail):
        return None
    return RowValues(" ".join(c for c in cells[:start] if c), tuple(tail))


_TOKEN = re.compile(r"\S+")


def _column_spans(line: Line, count: int) -> list[tuple[int, int]] | None:
    """Character spans of the last ``count`` tokens of a layout line set in columns, else None.

    Text laid out in columns (pdftotext -layout) keeps every figure under its column heading,
    two or more spaces apart; text whose figures are one space apart (a PDF's text band, prose)
    says nothing about columns.
    """
    if line.cells is not None:
        return None
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(line.text)][-count:]
    if len(spans) < count or any(b[0] - a[1] < 2 for a, b in pairwise(spans)):
        return None
    return spans


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def printed_total(line: Line, found: RowValues, neighbours: Sequence[Line], width: int) -> bool:
    """Whether the last figure of a short layout row stands in the 总计 column.

    It does when the text is set in columns and, in the full rows next to it, that figure sits
    under their last figure (the 总计) and not under the one before it: the published total can
    be kept although the row's other cells cannot be told apart.
    """
    spans = _column_spans(line, len(found.values))
    if spans is None or len(spans) < 2 or not neighbours:
        return False
    last = spans[-1]
    for other in neighbours:
        theirs = _column_spans(other, width)
        if theirs is None or not _overlaps(last, theirs[-1]) or _overlaps(last, theirs[-2]):
            return False
    return True
