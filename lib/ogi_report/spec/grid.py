"""The printed grid of an official table: where every label and value sits and what it spans.

This is the one place that turns a :class:`~ogi_report.spec.formats.TableSpec` into a printed layout.
The HTML, DOCX and XLSX renderers only map the cells of a :class:`Grid` to their medium, so a new
format generation (a new declaration) needs no change in any of them.

A grid is a rectangle of :class:`GridCell` s, each placed at ``(row, col)`` (0-based) with its
``rowspan`` × ``colspan``; every position is covered by exactly one cell.  Two layouts exist:

- :attr:`~ogi_report.spec.formats.Layout.ROWS` (tables 二 and 三): per block an optional title row across
  the width, a heading of ``depth`` rows (the corner over the label columns, then the column
  headings, a header group spanning the columns under it), then one row per declared row: its
  label groups spanning their rows, its own label across the remaining label columns, its values.
  A block narrower than the widest one lets its last column span the remaining width (table 二).
- :attr:`~ogi_report.spec.formats.Layout.WIDE` (table 四): every row × column becomes one printed column
  whose heading stacks the row's labels (行政复议, 行政诉讼/未经复议直接起诉) above the column's; a
  single data row follows.

Spans come from the declared *paths*: a label spans the adjacent columns (or rows) whose labels
agree up to and including it, and the last label of a column stretches to the bottom of the header
(of a row: to the right of the label columns).  :class:`Stack` says how a wide heading is stacked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate

from ogi_report.spec.formats import Block, Cell, Layout, TableSpec


class Kind(StrEnum):
    """What a grid cell shows."""

    CORNER = "corner"  # the block over the label columns in the heading (信息内容, table 三's note)
    BLOCK_TITLE = "block_title"  # a block's title (第二十条第（一）项)
    COLUMN_HEADER = "column_header"  # a column's heading or a group of columns (申请人情况)
    HEADER_LABEL = "header_label"  # a row's label printed in a wide heading (行政复议)
    ROW_LABEL = "row_label"  # a row's label or a group of rows (三、本年度办理结果)
    VALUE = "value"


class Stack(StrEnum):
    """How the heading of a wide table stacks a row's labels above a column's."""

    # One stack: each column's own heading reaches down to the last header row, so 结果维持 under
    # 行政复议 spans two rows (the printed official form).
    OFFICIAL = "official"
    # Two bands: the row's labels fill the upper rows (行政复议 spans two) and every column heading
    # sits on the last row — the Excel template's form, in which existing workbooks were written.
    ALIGNED = "aligned"


@dataclass(frozen=True, slots=True)
class GridCell:
    """One printed cell: top-left position, spans, what it is, its text and, for a value, its key."""

    row: int
    col: int
    kind: Kind
    text: str
    rowspan: int = 1
    colspan: int = 1
    group: bool = False  # a header group or row group, not a column's or row's own label
    key: Cell | None = None  # (row key, column key) of a value cell
    total: bool = False  # a value cell holding a declared total

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Grid:
    """A table as printed: its cells in reading order and the header rows to repeat on each page."""

    spec: TableSpec
    rows: int
    cols: int
    cells: tuple[GridCell, ...]  # sorted by (row, col)
    header_rows: int  # rows repeated on each page: the heading of a one-block table, else 0
    label_columns: int  # columns left of the values (0 in the wide layout)

    @property
    def first_value_row(self) -> int:
        """The row of the first value: everything above it is heading."""
        return min(c.row for c in self.cells if c.kind is Kind.VALUE)

    def row_cells(self) -> list[list[GridCell]]:
        """The cells whose top-left corner is on each grid row (what an HTML ``<tr>`` holds)."""
        out: list[list[GridCell]] = [[] for _ in range(self.rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return out


# A label with its kind; a band is the labels a column (or row) stacks in one part of the heading.
Label = tuple[str, Kind]
Band = tuple[Label, ...]


@dataclass(frozen=True, slots=True)
class _Placed:
    text: str
    kind: Kind
    level: int  # first header row (or label column) it covers, from the band's origin
    extent: int  # header rows (or label columns) it covers


def _place(bands: Sequence[Band], depths: Sequence[int]) -> tuple[_Placed, ...]:
    """One label per level, band after band; each band's last label stretches to the band's bottom.

    A band empty for this entry lends its levels to the next label placed, so nothing is left
    uncovered.
    """
    placed: list[_Placed] = []
    cursor = 0
    for band, top, depth in zip(bands, accumulate(depths, initial=0), depths, strict=False):
        for i, (text, kind) in enumerate(band):
            start = cursor if i == 0 else top + i
            end = top + depth if i == len(band) - 1 else top + i + 1
            placed.append(_Placed(text, kind, start, end - start))
            cursor = end
    return tuple(placed)


def _band_cells(
    placed: Sequence[tuple[_Placed, ...]], sizes: Sequence[int], top: int, left: int, *, across: bool
) -> list[GridCell]:
    """Grid cells of placed labels, entry ``i`` taking ``sizes[i]`` rows or columns.

    ``across``: entries run along the columns and levels go down the rows (a column heading);
    otherwise entries run down the rows and levels go across the label columns (row labels).
    A label merges with the same label of the following entries when everything above it agrees;
    an entry's own (last) label never merges.
    """
    origin = left if across else top
    starts = list(accumulate(sizes[:-1], initial=origin))
    cells: list[GridCell] = []
    for i, labels in enumerate(placed):
        own = len(labels) - 1
        for k, label in enumerate(labels):
            prefix = labels[: k + 1]
            if k < own and i > 0 and k < len(placed[i - 1]) - 1 and placed[i - 1][: k + 1] == prefix:
                continue  # printed with the first entry of its run
            end = i + 1
            if k < own:
                while end < len(placed) and k < len(placed[end]) - 1 and placed[end][: k + 1] == prefix:
                    end += 1
            along = sum(sizes[i:end])
            if across:
                pos, span = (top + label.level, starts[i]), (label.extent, along)
            else:
                pos, span = (starts[i], left + label.level), (along, label.extent)
            cells.append(GridCell(*pos, label.kind, label.text, *span, group=k < own))
    return cells


def header_cells(
    bands: Sequence[Sequence[Band]],
    widths: Sequence[int] | None = None,
    *,
    top: int = 0,
    left: int = 0,
    stack: Stack = Stack.OFFICIAL,
) -> list[GridCell]:
    """The cells of a multi-row heading over columns whose labels are ``bands`` (one entry each).

    ``widths`` gives each column's grid width (1 by default).  With :attr:`Stack.OFFICIAL` the bands
    of a column are read as one stack; with :attr:`Stack.ALIGNED` each band has rows of its own.
    """
    if stack is Stack.OFFICIAL:
        bands = [(tuple(label for band in entry for label in band),) for entry in bands]
    count = max(len(entry) for entry in bands)
    depths = [max((len(entry[b]) for entry in bands if b < len(entry)), default=0) for b in range(count)]
    placed = [_place(entry, depths) for entry in bands]
    return _band_cells(placed, widths or [1] * len(bands), top, left, across=True)


def _row_bands(block: Block, label_columns: int) -> list[tuple[_Placed, ...]]:
    """Each row's labels placed across the label columns; labels beyond them join the row's own."""
    out = []
    for row in block.rows:
        keep = label_columns - 1
        chain = (*row.path[:keep], "/".join((*row.path[keep:], row.label)))
        out.append(_place([tuple((text, Kind.ROW_LABEL) for text in chain)], [label_columns]))
    return out


def _rows_cells(spec: TableSpec) -> tuple[list[GridCell], int, int, int]:
    label_cols = max(spec.label_columns, 1)
    data_width = max(len(b.columns) for b in spec.blocks)
    width = label_cols + data_width
    cells: list[GridCell] = []
    r = 0
    header_rows = 0
    for block in spec.blocks:
        first = r
        if block.title:
            cells.append(GridCell(r, 0, Kind.BLOCK_TITLE, block.title, colspan=width))
            r += 1
        widths = [1] * len(block.columns)
        widths[-1] += data_width - len(block.columns)  # a narrower block's last column fills the width
        bands = [
            ((*((p, Kind.COLUMN_HEADER) for p in c.path), (c.label, Kind.COLUMN_HEADER)),)
            for c in block.columns
        ]
        depth = max(len(c.path) for c in block.columns) + 1
        corner = spec.corner or block.row_header
        cells.append(GridCell(r, 0, Kind.CORNER, corner, rowspan=depth, colspan=label_cols))
        cells += header_cells(bands, widths, top=r, left=label_cols)
        r += depth
        if len(spec.blocks) == 1:
            # Only a table with one heading can repeat it: table 二's headings belong to their block.
            header_rows = r - first
        cells += _band_cells(_row_bands(block, label_cols), [1] * len(block.rows), r, 0, across=False)
        for row in block.rows:
            c = label_cols
            for col, size in zip(block.columns, widths, strict=True):
                key = (row.key, col.key)
                cells.append(
                    GridCell(r, c, Kind.VALUE, "", colspan=size, key=key, total=row.total or col.total)
                )
                c += size
            r += 1
    return cells, r, width, header_rows


def _wide_cells(spec: TableSpec, stack: Stack) -> tuple[list[GridCell], int, int, int]:
    entries = list(spec.cells())
    bands = [
        (
            (
                *(((block.title, Kind.BLOCK_TITLE),) if block.title else ()),
                *((p, Kind.HEADER_LABEL) for p in row.path),
                (row.label, Kind.HEADER_LABEL),
            ),
            (*((p, Kind.COLUMN_HEADER) for p in col.path), (col.label, Kind.COLUMN_HEADER)),
        )
        for block, row, col in entries
    ]
    cells = header_cells(bands, stack=stack)
    depth = max(c.last_row for c in cells) + 1
    for j, (_block, row, col) in enumerate(entries):
        total = row.total or col.total
        cells.append(GridCell(depth, j, Kind.VALUE, "", key=(row.key, col.key), total=total))
    return cells, depth + 1, len(entries), depth


def _layout(spec: TableSpec, stack: Stack) -> Grid:
    if spec.layout is Layout.WIDE:
        cells, rows, cols, header_rows = _wide_cells(spec, stack)
        label_columns = 0
    else:
        cells, rows, cols, header_rows = _rows_cells(spec)
        label_columns = max(spec.label_columns, 1)
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(spec, rows, cols, tuple(cells), header_rows, label_columns)


# Layouts by declaration: a report prints the same few tables over and over.  Keyed by identity
# (declarations are module constants); the cached grid holds its spec, so an id is never reused.
_LAYOUTS: dict[tuple[int, Stack], Grid] = {}
_CACHE_SIZE = 64


def build_grid(spec: TableSpec, stack: Stack = Stack.OFFICIAL) -> Grid:
    """The printed grid of ``spec`` with its value cells empty (see :func:`fill_grid`)."""
    key = (id(spec), stack)
    layout = _LAYOUTS.get(key)
    if layout is None or layout.spec is not spec:
        layout = _layout(spec, stack)
        if len(_LAYOUTS) >= _CACHE_SIZE:
            _LAYOUTS.clear()
        _LAYOUTS[key] = layout
    return layout


def fill_grid(layout: Grid, texts: Mapping[Cell, str]) -> Grid:
    """``layout`` with each value cell showing ``texts[key]``, its printed text."""
    cells = tuple(
        cell
        if cell.key is None
        else GridCell(
            cell.row,
            cell.col,
            cell.kind,
            texts[cell.key],
            cell.rowspan,
            cell.colspan,
            cell.group,
            cell.key,
            cell.total,
        )
        for cell in layout.cells
    )
    return Grid(layout.spec, layout.rows, layout.cols, cells, layout.header_rows, layout.label_columns)
