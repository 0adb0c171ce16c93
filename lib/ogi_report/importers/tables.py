"""Reading the three official tables out of a published report's lines, driven by the declarations.

The readers here find each declared row by its printed label among the
:class:`~ogi_report.importers.lines.Line` objects of its section and take its values in the
declared column order; whatever they cannot place is returned as an
:class:`~ogi_report.importers.lines.Unplaced` item naming the source line, never guessed.  A cell
that was not read stays blank (None) — except a row total the report did not print at all, which
is left out so :func:`~ogi_report.model.bureau.complete_table` computes it (and says so).  A total
is computed only from cells that were all read: the total of a row that could not be read stays
blank, or keeps the published figure when that one figure could be read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ogi_report.importers.lines import Line, RowValues, Unplaced, printed_total, row_values, runs_together
from ogi_report.model.bureau import Table, complete_table
from ogi_report.model.values import Invalid, Value, parse_value
from ogi_report.spec.formats import Block, Cell, Column, Layout, Row, TableSpec
from ogi_report.spec.labels import normalize_label
from ogi_report.storage.provenance import CellSource


@dataclass
class TableRead:
    """The cells read for one table, what could not be placed, and notes for the analyst."""

    spec: TableSpec
    given: dict[Cell, Value] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_found: int = 0
    unread: set[Cell] = field(default_factory=set)  # printed (or expected) but could not be read
    absent: set[Cell] = field(default_factory=set)  # not in the layout the report printed
    invalid: dict[Cell, str] = field(default_factory=dict)  # printed, but not a value: the text

    def mark_unread(self, row: Row) -> None:
        """Every cell of ``row`` was seen or expected but not read (its published total included)."""
        for block in self.spec.blocks:
            if row in block.rows:
                self.unread.update((row.key, col.key) for col in block.columns)

    def report(self, line: Line | None, message: str) -> None:
        """Tell the analyst what could not be placed: ``line``, or (None) the table as a whole."""
        where, text = (line.number, line.text.strip()) if line is not None else (None, "")
        self.unplaced.append(Unplaced(where, text, message, self.spec.name))

    def leave_blank(self, row: Row, line: Line | None, message: str) -> None:
        """``row`` was expected but could not be read: its cells stay blank, and the analyst is told."""
        self.mark_unread(row)
        self.report(line, message)

    def table(self) -> Table:
        """The table (see :meth:`result`)."""
        return self.result()[0]

    def result(self) -> tuple[Table, dict[Cell, CellSource]]:
        """The table and where each of its cells came from (read, computed, unread or absent).

        Cells not read are blank, totals the report did not print are computed.

        complete_table counts a blank as 0, so a total left out over a cell that was not read
        would be a sum of what happened to be read — a number the report never printed.  Such a
        total is put in as blank instead; a total is computed only when all it sums was read.
        """
        given = dict(self.given)
        # A cell printed as something other than a value is as unknown as one not read: no total
        # over it is computed.  Its source says which of the two it is.
        unread = (set(self.unread) | set(self.invalid)) - self.absent
        for cell in self.absent:
            given.setdefault(cell, None)
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
        table = complete_table(self.spec, given)
        sources: dict[Cell, CellSource] = {}
        for _block, row, col in self.spec.cells():
            cell = (row.key, col.key)
            if cell in table.computed:
                sources[cell] = CellSource.COMPUTED
            elif cell in self.invalid and cell not in self.absent and given.get(cell) is None:
                sources[cell] = CellSource.INVALID
            elif cell in unread:
                sources[cell] = CellSource.UNREAD
            elif cell in self.absent:
                sources[cell] = CellSource.ABSENT
            else:
                sources[cell] = CellSource.READ
        return table, sources

    @staticmethod
    def _blank_if_unread(given: dict[Cell, Value], unread: set[Cell], cell: Cell, parts: list[Cell]) -> None:
        if cell in given:
            return  # published (or blank as published): kept as it is
        if cell in unread or any(part in unread for part in parts):
            given[cell] = None
            unread.add(cell)


_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)(.*)$")
_ITEM_DOT = re.compile(r"(\d+)[、.]")
_NOTE = re.compile(r"（[^（）]*）")


def normalize_context(text: str) -> str:
    """Label text in the form matching uses: normalised, numbered items written "1."."""
    return _ITEM_DOT.sub(r"\1.", normalize_label(text))


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
    return label_score(row, context) > 0


def label_score(row: Row, context: str) -> int:
    """How well ``context`` names ``row``: the longest run of the label's words printed after its
    numbering (0 when the numbering is missing or fewer than two characters are shared)."""
    token, rest = _label_parts(row.label)
    norm = normalize_context(context)
    start = 0
    if token:
        start = norm.find(token)
        if start < 0:
            return 0
        start += len(token)
    tail = norm[start:]
    if len(rest) < 2:
        return 1 if rest in tail else 0
    best = 0
    for i in range(len(rest) - 1):
        size = best + 1
        while i + size <= len(rest) and rest[i : i + size] in tail:
            best = size
            size += 1
    return best if best >= 2 else 0


def _labels_in(rows: Sequence[Row], expected: int, text: str) -> set[int]:
    """The rows from ``expected`` on whose numbering and first two words stand in ``text``."""
    norm = normalize_context(text)
    found = set()
    for i in range(expected, len(rows)):
        token, rest = _label_parts(rows[i].label)
        if token and token + rest[:2] in norm:
            found.add(i)
    return found


def labels_printed(spec: TableSpec, printed: str) -> int:
    """How many of ``spec``'s row labels (numbering and first words) appear in ``printed``
    (normalised with :func:`normalize_context`): which generation's rows a table shows."""
    count = 0
    for _block, row in spec.rows():
        token, rest = _label_parts(row.label)
        if token + rest[:FRAGMENT] in printed:
            count += 1
    return count


def _best_row(rows: Sequence[Row], expected: int, context: str) -> int | None:
    """The row from ``expected`` on that ``context`` names best (the earliest of equals), or None.

    「1.申请人无正当理由逾期不补正…」 shares 「政府信息」 with 「1.本机关不掌握相关政府信息」 too: the
    row sharing the longest run of its label is the one named, not the first sharing two characters.
    """
    scores = [(label_score(rows[i], context), i) for i in range(expected, len(rows))]
    best = max((score for score, _i in scores), default=0)
    return next((i for score, i in scores if score == best), None) if best else None


def _put(read: TableRead, row: Row, col: Column, text: str, line: Line) -> bool:
    """One published cell into ``read``; a value that does not parse is left blank and reported."""
    value = parse_value(text, col.kind)
    if not isinstance(value, Invalid):
        read.given[(row.key, col.key)] = value
        return True
    read.given[(row.key, col.key)] = None
    read.invalid[(row.key, col.key)] = text.strip()  # rule N reports it, with what was printed
    read.report(line, f"行「{row.display_label}」列「{col.label}」：{value.message}，已留空")
    return False


def _parse_cells(read: TableRead, block: Block, row: Row, texts: Sequence[str], line: Line) -> bool:
    """Put ``texts`` into the row's cells in column order; whether every one of them parsed."""
    results = [_put(read, row, col, text, line) for col, text in zip(block.columns, texts, strict=False)]
    return all(results)


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
    read.report(
        line,
        f"行「{row.display_label}」读到 {len(found.values)} 个数值，应为 {len(columns)} 个，"
        f"无法确定各数值属于哪一列，已留空{kept}",
    )


def _read_rows_in_order(spec: TableSpec, lines: Sequence[Line], split: bool) -> TableRead:
    """Read a table printed one row per declared row (table 三), its rows in declared order.

    Each data row is matched against the next expected declared row by the label text printed
    with it (the row's own cells plus the wrapped label fragments since the previous data row);
    a row matching a later declared row skips the ones between (reported as missing).  A row of
    figures with no label at all is placed by order only where the labels printed apart from it
    (above, or right below with the next row confirming) leave exactly one row it can be; a lone
    figure between pipe rows is reported, never read as a row.
    """
    read = TableRead(spec)
    block = spec.blocks[0]
    rows = list(block.rows)
    expected = 0
    context: list[str] = []
    founds = [row_values(line, len(block.columns), split=split) for line in lines]
    full = [i for i, f in enumerate(founds) if f is not None and not f.short and lines[i].cells is None]
    stray = _stray_figures(lines, founds)
    # The text printed so far apart from any figures: where a converter put labels split from
    # their rows (always above them).
    loose = ""
    in_step = True  # every row of figures so far was placed
    for index, (line, found) in enumerate(zip(lines, founds, strict=True)):
        if index in stray:
            read.report(
                line, "这一行只有一个数值，不在表格的行里（本表的行都带单元格印出），不属于任何一行，未读入"
            )
            # Whether it was a fragment of a row cannot be told: the next row is placed only by its
            # label, never by order.
            in_step = False
            continue
        if found is None:
            context.append(line.text)
            loose += normalize_context(line.text)
            continue
        here = "".join([*context, found.label])
        context = []
        # The row's own label first: text gathered above it (a wrapped label) is used only when
        # the row's own label names no row, so an earlier row's unread line never names this one.
        match = _best_row(rows, expected, found.label)
        named = _labels_in(rows, expected, here) if match is None else set()
        if match is None and len(named) <= 1:
            match = _best_row(rows, expected, here)
        elif match is None and in_step and not found.label.strip() and expected in named:
            # Text above naming several rows (labels a converter printed apart from their
            # figures): figures with no label of their own, right after the row before, are the
            # next row's, whose label is among them.
            match = expected
            read.notes.append(
                f"{spec.name}第{line.number}行的数值没有行名，上方印有几行的行名，按顺序为"
                f"「{rows[match].display_label}」"
            )
        if match is None:
            match = _by_fragment(rows, expected, found.label)
        if match is None and in_step and expected < len(rows) and _printed_apart(rows[expected], loose, here):
            # No label on the row, and the next row's label printed apart from its figures (a
            # converter put the labels and the numbers in different places): the row is that one.
            match = expected
            read.notes.append(
                f"{spec.name}第{line.number}行的数值没有行名，其上下文与下一行「{rows[match].display_label}」"
                "的行名分开印出，按该行读入"
            )
        unlabelled = match is None and in_step and not here.strip()
        if unlabelled and _label_below(rows, expected, lines, founds, index, stray):
            # No label above or on the row, the next row's label printed right below it and the
            # figures after that naming the row after: a converter put this row's label below it.
            match = expected
            read.notes.append(
                f"{spec.name}第{line.number}行的数值没有行名，行名「{rows[match].display_label}」印在其下方，"
                "其后一行数值属于再下一行，按该行读入"
            )
        if match is None:
            read.report(line, "这一行数值找不到对应的表格行（行名与格式不符或顺序不对）")
            in_step = False  # a row of figures was skipped: the next one is not known to follow it
            continue
        in_step = True
        for skipped in rows[expected:match]:
            read.leave_blank(skipped, line, f"未找到行「{skipped.display_label}」，其单元格已留空")
        # The nearest full layout rows above and below, whose columns a short row is read against.
        above = [lines[i] for i in full if i < index][-1:]
        below = [lines[i] for i in full if i > index][:1]
        _store_row(read, block, rows[match], found, line, above + below)
        read.rows_found += 1
        expected = match + 1
    for missing in rows[expected:]:
        if not missing.total:  # a total row the report did not print is computed
            read.leave_blank(missing, None, f"未找到行「{missing.display_label}」，其单元格已留空")
    return read


FRAGMENT = 4  # characters of a label a row's own text must share to be named by a fragment


def _stray_figures(lines: Sequence[Line], founds: Sequence[RowValues | None]) -> set[int]:
    """Lines of bare text holding one figure and no label, in a table whose rows have cells.

    A converter's Markdown prints every row of figures as a pipe row, zeros included; a lone figure
    on a line between them (「1」 above a row of zeros) cannot be a row of seven cells: reading it as
    one would take the place of the row printed after it.  Layout text, whose rows are all bare
    text, keeps its short rows, and two or more bare figures stay a (short) row.
    """
    if not any(f is not None and line.cells is not None for line, f in zip(lines, founds, strict=True)):
        return set()
    return {
        i
        for i, (line, f) in enumerate(zip(lines, founds, strict=True))
        if f is not None and len(f.values) == 1 and line.cells is None and not f.label.strip()
    }


def _label_below(
    rows: Sequence[Row],
    expected: int,
    lines: Sequence[Line],
    founds: Sequence[RowValues | None],
    index: int,
    stray: set[int],
) -> bool:
    """Whether the figures at ``index`` (no label of their own) are row ``expected``, its label
    printed below them: the text before the next row of figures names ``expected``, and that next
    row's own label names the row right after it, so exactly this one row fits in between."""
    if expected + 1 >= len(rows):
        return False
    below: list[str] = []
    for j in range(index + 1, len(lines)):
        found = founds[j]
        if j in stray:
            continue
        if found is None:
            below.append(lines[j].text)
            continue
        if expected not in _labels_in(rows, expected, "".join(below)):
            return False
        return _best_row(rows, expected + 1, found.label) == expected + 1
    return False


def _by_fragment(rows: Sequence[Row], expected: int, label: str) -> int | None:
    """The first row from ``expected`` whose label contains ``label``, a wrapped label's later part
    printed with the figures (「行政机关不再处理其政府信息公」); None for a short or unknown fragment."""
    norm = normalize_context(label)
    if len(norm) < FRAGMENT:
        return None
    return next((i for i in range(expected, len(rows)) if norm in normalize_context(rows[i].label)), None)


def _printed_apart(row: Row, loose: str, here: str) -> bool:
    """Whether a row of figures with no label of its own is ``row``: its numbering and first words
    are printed among the table's lines without figures, and nothing printed with the figures
    names another row."""
    if normalize_context(here).strip():
        return False
    token, rest = _label_parts(row.label)
    return bool(token) and len(rest) >= FRAGMENT and (token + rest[:FRAGMENT]) in loose


def _read_labelled_rows(spec: TableSpec, lines: Sequence[Line], split: bool) -> TableRead:
    """Read a table whose blocks have different columns (table 二): each row found by its label."""
    read = TableRead(spec)
    by_label = {normalize_label(row.label): (block, row) for block, row in spec.rows()}
    widths = sorted({len(b.columns) for b in spec.blocks}, reverse=True)
    seen: set[str] = set()
    pending = ""
    for line in lines:
        found = next((f for f in (row_values(line, w, split=split) for w in widths) if f is not None), None)
        if found is None:
            pending += line.text
            continue
        hit = _labelled_row(by_label, pending, found.label)
        pending = ""
        if hit is None:
            hit = _nearest_row(by_label, found.label)
            if hit is not None:
                read.notes.append(
                    f"{spec.name}第{line.number}行的行名「{found.label.strip()}」不是正式行名，"
                    f"按最接近的「{hit[1].label}」读入"
                )
        if hit is None:
            read.report(line, f"行名「{found.label.strip()}」不是{spec.name}的行")
            continue
        block, row = hit
        if row.key in seen:
            read.report(line, f"行「{row.label}」重复出现")
            continue
        seen.add(row.key)
        exact = row_values(line, len(block.columns), split=split)
        if exact is None:
            read.leave_blank(row, line, f"行「{row.label}」的数值多于 {len(block.columns)} 个")
            continue
        _store_row(read, block, row, exact, line)
        read.rows_found += 1
    for block, row in spec.rows():
        if row.key not in seen:
            read.leave_blank(row, None, f"未找到行「{row.label}」（{block.title}），其单元格已留空")
    return read


def _labelled_row(
    by_label: dict[str, tuple[Block, Row]], pending: str, label: str
) -> tuple[Block, Row] | None:
    """The row a data row's label names, or one whose label wrapped onto the lines before it."""
    hit = by_label.get(normalize_label(label))
    if hit is not None:
        return hit
    wrapped = normalize_label(pending + label)
    return next((v for k, v in by_label.items() if k and wrapped.endswith(k)), None)


def _nearest_row(by_label: dict[str, tuple[Block, Row]], label: str) -> tuple[Block, Row] | None:
    """The one official row whose label contains a printed variant of it, or is contained in it
    (「规范性文件」 for 「行政规范性文件」); None when no row, or more than one, is that close."""
    norm = normalize_label(label)
    if len(norm) < 3:
        return None
    near = [v for k, v in by_label.items() if k and (norm in k or k in norm)]
    return near[0] if len(near) == 1 else None


def _read_wide(spec: TableSpec, lines: Sequence[Line], split: bool) -> TableRead:
    """Read a table printed as one data row of every row × column (table 四)."""
    read = TableRead(spec)
    cells = list(spec.cells())
    width = len(cells)
    values, used = _wide_values(lines, width, split)
    if len(values) != width and _read_wide_by_rows(read, lines, split):
        return read
    if len(values) != width:
        # Which figure is missing cannot be told: no cell is read, and no total is computed.
        read.unread.update((row.key, col.key) for _block, row, col in cells)
        read.report(
            used[0] if used else None,
            f"未找到{spec.name}的数据行（应有 {width} 个数值，读到 {len(values)} 个），其单元格已留空",
        )
        return read
    for (_block, row, col), text in zip(cells, values, strict=True):
        _put(read, row, col, text, used[0])
    read.rows_found = len(spec.blocks[0].rows)
    return read


def _read_wide_by_rows(read: TableRead, lines: Sequence[Line], split: bool) -> bool:
    """Read a wide table printed as one small table per row (Markdown, some web pages).

    Each of the table's rows must be a line of exactly its columns' values, with the row's label
    printed on it or among the lines just above it (行政复议 / 未经复议直接起诉 / 复议后起诉); the
    most specific label is looked for first, so 「行政诉讼（复议后起诉）」 is not taken for 行政复议.
    Whether every row was read this way; nothing is stored otherwise.
    """
    block = read.spec.blocks[0]
    width = len(block.columns)
    by_specificity = sorted(block.rows, key=lambda r: -len(r.label))
    found: dict[str, tuple[RowValues, Line]] = {}
    context = ""
    for line in lines:
        values = row_values(line, width, split=split)
        if values is None or values.short:
            context += line.text
            continue
        here = normalize_label(context + values.label)
        context = ""
        row = next((r for r in by_specificity if normalize_label(r.label) in here), None)
        if row is None or row.key in found:
            return False
        found[row.key] = (values, line)
    if len(found) != len(block.rows):
        return False
    for row in block.rows:
        values, line = found[row.key]
        _parse_cells(read, block, row, values.values, line)
    read.rows_found = len(block.rows)
    read.notes.append(f"{read.spec.name}按每行一个小表印出，已按各行的行名读入")
    return True


def _wide_values(lines: Sequence[Line], width: int, split: bool) -> tuple[list[str], list[Line]]:
    """The values of a wide table's one data row and the lines they were read from.

    Layout text may wrap that row over several lines of bare numbers: consecutive ones are joined.
    """
    values: list[str] = []
    used: list[Line] = []
    for line in lines:
        found = row_values(line, width, split=split)
        if found is not None and not found.short:
            return list(found.values), [line]
        if found is not None and not found.label.strip() and not line.cells:
            values += found.values
            used.append(line)
            if len(values) >= width:
                break
        elif values:
            values, used = [], []
    return values, used


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
    """Read one official table from the lines of its section, choosing the reader by its layout.

    Rows with fewer figures than columns are cut into figures only where the table's text shows
    it runs figures together (:func:`~ogi_report.importers.lines.runs_together`).
    """
    split = runs_together(lines)
    if spec.layout is Layout.WIDE:
        return _read_wide(spec, lines, split)
    if len(spec.blocks) > 1:
        return _read_labelled_rows(spec, lines, split)
    return _read_rows_in_order(spec, lines, split)


def translate(read: TableRead, spec: TableSpec) -> TableRead:
    """``read`` (a table read in another generation's layout) as ``spec``'s cells.

    A cell is carried over only where both generations have it — the same item block, row and
    column; every other cell of ``spec`` is absent from the report (the FMT rule speaks for it).
    """
    out = TableRead(spec, rows_found=read.rows_found)
    theirs = {(b.title, r.key, c.key) for b, r, c in read.spec.cells()}
    carried = 0
    for block, row, col in spec.cells():
        cell = (row.key, col.key)
        if (block.title, row.key, col.key) not in theirs:
            out.absent.add(cell)
        elif cell in read.invalid:
            out.invalid[cell] = read.invalid[cell]
            out.given[cell] = None
        elif cell in read.unread:
            out.unread.add(cell)
        elif cell in read.given:
            out.given[cell] = read.given[cell]
            carried += 1
    out.unplaced = list(read.unplaced)
    out.notes = [
        *read.notes,
        f"{spec.name}按另一版格式印制：两版共有的 {carried} 个单元格已读入，其余单元格报告中没有",
    ]
    return out
