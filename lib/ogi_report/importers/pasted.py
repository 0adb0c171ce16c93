"""Table rows in text copied out of a browser whose cells are paragraphs: one cell per line.

Government pages pasted from Word hold every table cell in a ``<p>``.  Selecting the page and
copying it (Ctrl+A, Ctrl+C) then gives no TAB between such cells: Chromium puts each one on a line
of its own with an empty line between, writes a cell holding ``&nbsp;`` as a line of one space,
and an empty paragraph as one more empty line; cells without a paragraph stay TAB-separated on a
line of their own.  A row reads

    一、本年新收政府信息公开申请数量⏎⏎26⏎⏎⏎⏎⏎⏎⏎26⏎⏎         26, five empty cells, 26
    （一）予以公开⏎⏎258⏎⏎12⏎⏎ ⏎⏎ ⏎⏎1⏎⏎1⏎⏎ ⏎⏎               258 12 · · 1 1 ·
    5⏎⏎ \\t \\t⏎2⏎⏎7                                      5 · · 2 7

:func:`paragraph_rows` rebuilds each such row — the text line before a run of value lines is its
label — into one :class:`~ogi_report.importers.lines.Line` whose cells are every cell from the left,
marked ``complete``; a reader takes it only when its cells are exactly the table's columns.  Empty
cells ending a row are not counted: the empty lines after a row's last cell cannot be told from
those a table's end adds, so such a row is left unread rather than padded by guess.

Only text in this shape is rebuilt: value lines separated by one empty line at least (two values
on consecutive lines are a converter's output, read as before), a label above them (a short line,
not a sentence), and rows of several cells at least :data:`MIN_ROWS` times in the text — a page
number standing alone under a paragraph of pdftotext's output is no table row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ogi_report.importers.lines import is_value_text

MIN_ROWS = 3  # rows of two cells or more a browser's copy of a table shows (table 三 has 25)
MAX_LABEL = 60  # characters of a row label (the longest official one has about 40)


@dataclass(frozen=True)
class PastedRow:
    """A row rebuilt from paragraph cells: the raw lines ``first``..``last`` (0-based, inclusive)."""

    first: int  # the label's line
    last: int  # the row's last cell line
    cells: tuple[str, ...]  # the label, then every cell from the left ("" for an empty one)


def _is_value_line(raw: str) -> bool:
    """A line holding one filled value and nothing else (「26」「0」「—」)."""
    text = raw.strip()
    return bool(text) and "\t" not in raw and is_value_text(text)


def _tab_fields(raw: str) -> list[str] | None:
    """The cells of a line of TAB-separated value cells (empty ones included), else None."""
    if "\t" not in raw:
        return None
    fields = [f.strip() for f in raw.split("\t")]
    return fields if all(is_value_text(f) for f in fields) else None


def _is_blank_cell(lines: Sequence[str], index: int) -> bool:
    """A line of spaces standing alone between two empty lines: a cell holding ``&nbsp;``."""
    raw = lines[index]
    if raw == "" or raw.strip():
        return False
    before = lines[index - 1] if index > 0 else None
    after = lines[index + 1] if index + 1 < len(lines) else None
    return before == "" and after == ""


def _kind(lines: Sequence[str], index: int) -> str:
    """What a raw line is here: "value", "tabs" (TAB-separated value cells), "blank" (a cell of
    spaces), "gap" (an empty line, or spaces between text) or "text"."""
    raw = lines[index]
    if _is_value_line(raw):
        return "value"
    if _tab_fields(raw) is not None:
        return "tabs"
    if _is_blank_cell(lines, index):
        return "blank"
    if not raw.strip():
        return "gap"
    return "text"


def paragraph_rows(lines: Sequence[str]) -> list[PastedRow]:
    """The rows of paragraph cells in ``lines`` (raw text lines, spaces kept), in order."""
    kinds = [_kind(lines, i) for i in range(len(lines))]
    rows: list[PastedRow] = []
    index = 0
    while index < len(lines):
        if kinds[index] != "text":
            index += 1
            continue
        row = _row_after(lines, kinds, index)
        if row is None:
            index += 1
            continue
        rows.append(row)
        index = row.last + 1
    return rows if sum(1 for r in rows if len(r.cells) > 2) >= MIN_ROWS else []


def _row_after(lines: Sequence[str], kinds: Sequence[str], label: int) -> PastedRow | None:
    """The row whose label is the text line ``label``, when cell lines follow it in the shape of a
    browser's copy (see the module docstring); None otherwise."""
    cells: list[str] = []
    explicit = False  # a cell printed blank (a line of spaces, an empty TAB field) was seen
    gap = 0
    after_tabs = False
    last = label
    index = label + 1
    while index < len(lines) and kinds[index] in ("gap", "value", "tabs", "blank"):
        kind = kinds[index]
        if kind == "gap":
            gap += 1
            index += 1
            continue
        # Paragraph cells stand one empty line apart; each further empty line is an empty cell.
        # After a line of TAB-separated cells the next paragraph starts on the next line.
        if gap == 0 and not after_tabs:
            return None  # figures on consecutive lines: not a browser's copy of paragraph cells
        cells += [""] * max(0, gap - 1)
        gap = 0
        if kind == "tabs":
            fields = _tab_fields(lines[index]) or []
            # A TAB ends every cell but a row's last: one ending the line stands before the next
            # cell, on the next line, when the row goes on there.
            if fields and fields[-1] == "" and _continues(kinds, index):
                fields = fields[:-1]
            cells += fields
            explicit = explicit or "" in fields
            after_tabs = True
        else:
            cells.append("" if kind == "blank" else lines[index].strip())
            explicit = explicit or kind == "blank"
            after_tabs = False
        last = index
        index += 1
    text = lines[label].strip()
    if last == label or not (explicit or any(cells)) or len(text) > MAX_LABEL or text[-1] in "。；;：:":
        return None
    if len(cells) == 1 and not any(ch.isdigit() for ch in cells[0]):
        return None  # 「六、其他需要报告的事项」 over 「无」: a heading and its paragraph, not a row
    return PastedRow(label, last, (text, *cells))


def _continues(kinds: Sequence[str], index: int) -> bool:
    """Whether a cell line follows ``index`` before the next text line."""
    for kind in kinds[index + 1 :]:
        if kind == "text":
            return False
        if kind != "gap":
            return True
    return False
