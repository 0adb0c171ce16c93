"""Reading the three official tables out of a published report's lines, driven by the declarations.

Every source format is first turned into :class:`Line` objects: a line of text (pdftotext layout, a
paragraph) or a table row whose cells are known (tab-separated text, an HTML or DOCX grid).  The
readers here find each declared row by its printed label and take its values in the declared column
order; whatever they cannot place is returned as an :class:`Unplaced` item naming the source line,
never guessed.  A cell that was not read stays blank (None) — except a row total the report did not
print at all, which is left out so :func:`~ogi_report.model.bureau.complete_table` computes it (and says so).
A total is computed only from cells that were all read: the total of a row that could not be read
stays blank, or keeps the published figure when that one figure could be read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ogi_report.model.bureau import Table, complete_table
from ogi_report.model.values import BLANK_WORDS, ZERO_WORDS, Value, ValueProblem, parse_value
from ogi_report.spec.formats import Block, Cell, Column, Row, TableSpec
from ogi_report.spec.labels import normalize_label


@dataclass(frozen=True)
class Line:
    """One line of a source document, with the cells of a table row when the source knows them."""

    number: int  # 1-based line, paragraph or row number in the source, for messages
    text: str
    cells: tuple[str, ...] | None = None
    grid: bool = False  # cells come from a real table grid (HTML, DOCX): their positions are exact
    whole: bool = False  # a complete paragraph (HTML, DOCX), never joined with its neighbours


@dataclass(frozen=True)
class Unplaced:
    """Something the importer saw but could not put into the bureau-year."""

    line: int | None
    text: str
    message: str
    table: str = ""


@dataclass
class TableRead:
    """The cells read for one table, what could not be placed, and notes for the analyst."""

    spec: TableSpec
    given: dict[Cell, Value] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_found: int = 0
    unread: set[Cell] = field(default_factory=set)  # printed (or expected) but could not be read

    def mark_unread(self, row: Row) -> None:
        """Every cell of ``row`` was seen or expected but not read (its published total included)."""
        for block in self.spec.blocks:
            if row in block.rows:
                self.unread.update((row.key, col.key) for col in block.columns)

    def table(self) -> Table:
        """The table: cells not read are blank, totals the report did not print are computed.

        complete_table counts a blank as 0, so a total left out over a cell that was not read
        would be a sum of what happened to be read — a number the report never printed.  Such a
        total is put in as blank instead; a total is computed only when all it sums was read.
        """
        given = dict(self.given)
        unread = set(self.unread)
        for _block, row, col in self.spec.cells():
            cell = (row.key, col.key)
            if cell not in given and not (row.total or col.total):
                given[cell] = None
                unread.add(cell)
        for block in self.spec.blocks:
            total_row, total_col = block.total_row, block.total_column
            # In complete_table's order: the total row's cells first, then the total column (whose
            # cell on the total row sums the total row's cells).
            if total_row is not None:
                for col in block.columns:
                    if col.total:
                        continue
                    parts = [(r.key, col.key) for r in block.rows if r.in_total]
                    self._blank_if_unread(given, unread, (total_row.key, col.key), parts)
            if total_col is not None:
                for row in block.rows:
                    parts = [(row.key, c.key) for c in block.columns if not c.total]
                    self._blank_if_unread(given, unread, (row.key, total_col.key), parts)
        return complete_table(self.spec, given)

    @staticmethod
    def _blank_if_unread(given: dict[Cell, Value], unread: set[Cell], cell: Cell, parts: list[Cell]) -> None:
        if cell in given:
            return  # published (or blank as published): kept as it is
        if cell in unread or any(part in unread for part in parts):
            given[cell] = None
            unread.add(cell)


# A cell's text is a value when it is digits (full-width too), separators and signs, a dash or 无;
# a unit typed into the cell ("251000元") still counts, so parsing can say what is wrong with it.
_VALUE_TEXT = re.compile(r"^[+\-]?[\d.,]+\s*(?:万元|元|件|个|项)?$")
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)(.*)$")
_ITEM_DOT = re.compile(r"(\d+)[、.]")
_NOTE = re.compile(r"（[^（）]*）")


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


def normalize_context(text: str) -> str:
    """Label text in the form matching uses: normalised, numbered items written "1."."""
    return _ITEM_DOT.sub(r"\1.", normalize_label(text))


@dataclass(frozen=True)
class RowValues:
    """A data row split into its label text and its value cells (``short``: fewer than expected)."""

    label: str
    values: tuple[str, ...]
    short: bool = False


def row_values(line: Line, count: int) -> RowValues | None:
    """The label and ``count`` value cells of ``line``, or None when it is not a data row.

    Grid rows take the ``count`` cells after the label cells (a blank cell stays a blank value);
    tab-separated rows, whose cells are not reliably aligned, take the run of cells between the
    first and the last value; layout text takes the value tokens at the end of the line.
    """
    if line.cells is not None and line.grid:
        cells = list(line.cells)
        # The label is every cell up to the last one that is text; the values follow it.
        start = max((i + 1 for i, c in enumerate(cells) if not is_value_text(c)), default=0)
        values = cells[start : start + count]
        if len(values) < count or not all(is_value_text(v) for v in values):
            return None
        if any(_is_filled_value(c) for c in cells[start + count :]):
            return None
        return RowValues(" ".join(c for c in cells[:start] if c.strip()), tuple(values))
    if line.cells is not None:
        cells = [c.strip() for c in line.cells]
        filled = [i for i, c in enumerate(cells) if _is_printed_value(c)]
        if not any(_is_filled_value(cells[i]) for i in filled):
            return None
        first, last = filled[0], filled[-1]
        run = cells[first : last + 1]
        if not all(is_value_text(c) for c in run) or len(run) > count:
            return None
        label = " ".join(c for c in cells[:first] if c)
        return RowValues(label, tuple(run), short=len(run) < count)
    tokens = line.text.split()
    values_rev: list[str] = []
    while tokens and _is_printed_value(tokens[-1]):
        values_rev.append(tokens.pop())
    # A line of slashes alone is not a data row (a prose line may end with "/"); one figure is enough.
    if not any(_is_filled_value(v) for v in values_rev) or len(values_rev) > count:
        return None
    return RowValues(" ".join(tokens), tuple(reversed(values_rev)), short=len(values_rev) < count)


def _label_parts(label: str) -> tuple[str, str]:
    """A row label's numbering ("（三）", "1.", "一、") and the words after it, notes removed."""
    norm = normalize_context(label)
    match = _NUMBERING.match(norm)
    token, rest = (match.group(1), match.group(2)) if match else ("", norm)
    return token, _NOTE.sub("", rest) or rest


def label_matches(row: Row, context: str) -> bool:
    """Whether ``context`` (the text printed around a data row) names ``row``.

    Real reports shorten and wrap labels ("1.逾期不补正" for "1.申请人无正当理由逾期不补正…"):
    the numbering must be there, followed by at least two consecutive characters of the label.
    """
    token, rest = _label_parts(row.label)
    norm = normalize_context(context)
    start = 0
    if token:
        start = norm.find(token)
        if start < 0:
            return False
        start += len(token)
    tail = norm[start:]
    if len(rest) < 2:
        return rest in tail
    return any(rest[i : i + 2] in tail for i in range(len(rest) - 1))


def _put(read: TableRead, row: Row, col: Column, text: str, line: Line) -> bool:
    """One published cell into ``read``; a value that does not parse is left blank and reported."""
    try:
        read.given[(row.key, col.key)] = parse_value(text, col.kind)
        return True
    except ValueProblem as exc:
        read.given[(row.key, col.key)] = None
        read.unread.add((row.key, col.key))
        read.unplaced.append(
            Unplaced(
                line.number,
                line.text.strip(),
                f"行「{row.display_label}」列「{col.label}」：{exc}，已留空",
                read.spec.name,
            )
        )
        return False


def _parse_cells(read: TableRead, block: Block, row: Row, texts: Sequence[str], line: Line) -> bool:
    """Put ``texts`` into the row's cells in column order; whether every one of them parsed."""
    results = [_put(read, row, col, text, line) for col, text in zip(block.columns, texts, strict=False)]
    return all(results)


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


def _store_row(
    read: TableRead, block: Block, row: Row, found: RowValues, line: Line, neighbours: Sequence[Line] = ()
) -> None:
    """Put a data row's values into its cells; a short row is placed only when unambiguous.

    ``neighbours`` are the full rows printed next to a layout row: by their columns, a short
    row's published total may still be recognised and kept.
    """
    columns = block.columns
    if not found.short:
        _parse_cells(read, block, row, found.values, line)
        return
    total = block.total_column
    # A row printed with every cell but its total, the total being the last column: the total was
    # not printed (tab-separated exports of merged cells drop it); it is computed, and said so.
    if total is not None and columns[-1] is total and len(found.values) == len(columns) - 1 and line.cells:
        if _parse_cells(read, block, row, found.values, line):
            read.notes.append(
                f"{read.spec.name} 行「{row.display_label}」未印出「{total.label}」，已由各列相加得出"
                f"（第{line.number}行）"
            )
        return
    read.mark_unread(row)
    kept = ""
    if total is not None and columns[-1] is total and printed_total(line, found, neighbours, len(columns)):
        read.unread.discard((row.key, total.key))
        if _put(read, row, total, found.values[-1], line):
            kept = f"；「{total.label}」按印出的 {found.values[-1]} 保留"
    read.unplaced.append(
        Unplaced(
            line.number,
            line.text.strip(),
            f"行「{row.display_label}」读到 {len(found.values)} 个数值，应为 {len(columns)} 个，"
            f"无法确定各数值属于哪一列，已留空{kept}",
            read.spec.name,
        )
    )


def read_rows_in_order(spec: TableSpec, lines: Sequence[Line]) -> TableRead:
    """Read a table printed one row per declared row (table 三), its rows in declared order.

    Each data row is matched against the next expected declared row by the label text printed
    with it (the row's own cells plus the wrapped label fragments since the previous data row);
    a row matching a later declared row skips the ones between (reported as missing).
    """
    read = TableRead(spec)
    block = spec.blocks[0]
    rows = list(block.rows)
    width = len(block.columns)
    expected = 0
    context: list[str] = []
    founds = [row_values(line, width) for line in lines]
    full = [i for i, f in enumerate(founds) if f is not None and not f.short and lines[i].cells is None]
    for index, (line, found) in enumerate(zip(lines, founds, strict=True)):
        if found is None:
            context.append(line.text)
            continue
        here = "".join([*context, found.label])
        context = []
        match = next((i for i in range(expected, len(rows)) if label_matches(rows[i], here)), None)
        if match is None:
            read.unplaced.append(
                Unplaced(
                    line.number,
                    line.text.strip(),
                    "这一行数值找不到对应的表格行（行名与格式不符或顺序不对）",
                    spec.name,
                )
            )
            continue
        for skipped in rows[expected:match]:
            read.mark_unread(skipped)
            read.unplaced.append(
                Unplaced(
                    line.number,
                    line.text.strip(),
                    f"未找到行「{skipped.display_label}」，其单元格已留空",
                    spec.name,
                )
            )
        # The nearest full layout rows above and below, whose columns a short row is read against.
        above = [lines[i] for i in full if i < index][-1:]
        below = [lines[i] for i in full if i > index][:1]
        _store_row(read, block, rows[match], found, line, above + below)
        read.rows_found += 1
        expected = match + 1
    for missing in rows[expected:]:
        if missing.total:
            continue  # a total row the report did not print is computed
        read.mark_unread(missing)
        read.unplaced.append(
            Unplaced(None, "", f"未找到行「{missing.display_label}」，其单元格已留空", spec.name)
        )
    return read


def read_labelled_rows(spec: TableSpec, lines: Sequence[Line]) -> TableRead:
    """Read a table whose blocks have different columns (table 二): each row found by its label."""
    read = TableRead(spec)
    by_label = {normalize_label(row.label): (block, row) for block, row in spec.rows()}
    seen: set[str] = set()
    pending = ""
    for line in lines:
        widths = sorted({len(b.columns) for b in spec.blocks}, reverse=True)
        found = next((f for f in (row_values(line, w) for w in widths) if f is not None), None)
        if found is None:
            pending += line.text
            continue
        label = normalize_label(found.label)
        hit = by_label.get(label) or next(
            (v for k, v in by_label.items() if normalize_label(pending + found.label).endswith(k) and k), None
        )
        pending = ""
        if hit is None:
            read.unplaced.append(
                Unplaced(
                    line.number,
                    line.text.strip(),
                    f"行名「{found.label.strip()}」不是{spec.name}的行",
                    spec.name,
                )
            )
            continue
        block, row = hit
        if row.key in seen:
            read.unplaced.append(
                Unplaced(line.number, line.text.strip(), f"行「{row.label}」重复出现", spec.name)
            )
            continue
        seen.add(row.key)
        exact = row_values(line, len(block.columns))
        if exact is None:
            read.mark_unread(row)
            read.unplaced.append(
                Unplaced(
                    line.number,
                    line.text.strip(),
                    f"行「{row.label}」的数值多于 {len(block.columns)} 个",
                    spec.name,
                )
            )
            continue
        _store_row(read, block, row, exact, line)
        read.rows_found += 1
    for block, row in spec.rows():
        if row.key not in seen:
            read.mark_unread(row)
            read.unplaced.append(
                Unplaced(None, "", f"未找到行「{row.label}」（{block.title}），其单元格已留空", spec.name)
            )
    return read


def read_wide(spec: TableSpec, lines: Sequence[Line]) -> TableRead:
    """Read a table printed as one data row of every row × column (table 四)."""
    read = TableRead(spec)
    cells = [(block, row, col) for block, row, col in spec.cells()]
    width = len(cells)
    values: list[str] = []
    used: list[Line] = []
    for line in lines:
        found = row_values(line, width)
        if found is not None and not found.short:
            values, used = list(found.values), [line]
            break
        if found is not None and not found.label.strip() and not line.cells:
            # Layout text may wrap the one data row over several lines of bare numbers.
            values += found.values
            used.append(line)
            if len(values) >= width:
                break
        elif values:
            values, used = [], []
    if len(values) != width:
        # Which figure is missing cannot be told: no cell is read, and no total is computed.
        read.unread.update((row.key, col.key) for _block, row, col in cells)
        where = used[0] if used else None
        read.unplaced.append(
            Unplaced(
                where.number if where else None,
                where.text.strip() if where else "",
                f"未找到{spec.name}的数据行（应有 {width} 个数值，读到 {len(values)} 个），其单元格已留空",
                spec.name,
            )
        )
        return read
    anchor = used[0]
    for (_block, row, col), text in zip(cells, values, strict=True):
        _put(read, row, col, text, anchor)
    read.rows_found = len(spec.blocks[0].rows)
    return read


def table_markers(spec: TableSpec) -> tuple[str, ...]:
    """Normalised header words that only a table's printed header contains (where the table starts)."""
    words: set[str] = set()
    for block in spec.blocks:
        for text in (block.title, block.row_header):
            if text:
                words.add(normalize_label(text))
        for col in block.columns:
            for text in (col.label, *col.path):
                if len(text) >= 4:
                    words.add(normalize_label(text))
    if spec.corner:
        words.add(normalize_label(spec.corner)[1:7])
    return tuple(sorted(words))


def read_table(spec: TableSpec, lines: Sequence[Line]) -> TableRead:
    """Read one official table from the lines of its section, choosing the reader by its layout."""
    from ogi_report.spec.formats import Layout

    if spec.layout is Layout.WIDE:
        return read_wide(spec, lines)
    if len(spec.blocks) > 1:
        return read_labelled_rows(spec, lines)
    return read_rows_in_order(spec, lines)
