"""Where every label and every value of an official table sits in an Excel sheet.

One function, :func:`table_layout`, turns a :class:`~ogi_report.formats.TableSpec` into sheet
positions: the label cells (title, block titles, the corner note, column headers, row labels) with
their merged ranges, and one entry cell per table cell, totals carrying their ``=SUM(...)``
formula.  The workbook writer places cells where the layout says and the importer reads them from
the same places, so the two cannot drift; both know nothing of particular labels — the spans come
from the declared header paths (a header group spans the columns or rows that share it, and the
last label of a path stretches to the bottom of the header or the right of the label columns).

:func:`meta_layout` does the same for the 基本信息 sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from openpyxl.utils import get_column_letter

from ogi_report.formats import Block, Column, Layout, Row, TableSpec
from ogi_report.model import Cell
from ogi_report.records import CONTACT_KEYS, META_KEYS

TITLE_ROW = 1  # the table's own title; the official table starts below it
LANDSCAPE_FROM = 7  # printed columns from which a table is printed on landscape A4


@dataclass(frozen=True)
class Span:
    """A rectangle of sheet cells (1-based), the top-left one holding the value."""

    row: int
    col: int
    height: int = 1
    width: int = 1

    @property
    def coord(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def last_row(self) -> int:
        return self.row + self.height - 1

    @property
    def last_col(self) -> int:
        return self.col + self.width - 1

    @property
    def ref(self) -> str:
        """``D12`` for one cell, ``D12:F13`` for a merged range."""
        if self.height == 1 and self.width == 1:
            return self.coord
        return f"{self.coord}:{get_column_letter(self.last_col)}{self.last_row}"

    @property
    def merged(self) -> bool:
        return self.height > 1 or self.width > 1


class Role(StrEnum):
    """What a label cell is, which decides how it is styled."""

    TITLE = "title"
    BLOCK_TITLE = "block_title"
    CORNER = "corner"
    COLUMN_HEADER = "column_header"
    ROW_LABEL = "row_label"


@dataclass(frozen=True)
class LabelCell:
    """A printed label: locked in the sheet, and checked by the importer."""

    span: Span
    text: str
    role: Role


@dataclass(frozen=True)
class EntryCell:
    """The cell holding one value of the table; a total carries its formula."""

    span: Span
    block: Block
    row: Row
    column: Column
    formula: str | None = None

    @property
    def is_total(self) -> bool:
        return self.formula is not None


@dataclass(frozen=True)
class SheetLayout:
    """Every position of one table's sheet."""

    sheet: str
    spec: TableSpec
    labels: tuple[LabelCell, ...]
    entries: dict[Cell, EntryCell]
    label_columns: int
    height: int  # last used row
    width: int  # last used column
    header_rows: tuple[int, int]  # the first block's title and header rows, repeated on printed pages

    @property
    def landscape(self) -> bool:
        return self.width >= LANDSCAPE_FROM

    @property
    def freeze(self) -> str | None:
        """Where the panes freeze: below the header and right of the labels (single-block tables)."""
        if len(self.spec.blocks) != 1 or self.spec.layout is not Layout.ROWS:
            return None
        return Span(self.header_rows[1] + 1, self.label_columns + 1).coord


# A header path placed on levels: (text, first level, levels covered).
Placed = tuple[tuple[str, int, int], ...]


def _place(chain: Sequence[str], depth: int, offset: int = 0) -> Placed:
    """Put a path's labels one per level; its last label stretches down to ``depth``."""
    if len(chain) > depth:
        raise ValueError(f"表头层级「{'/'.join(chain)}」多于可用的 {depth} 层")
    placed = [(text, offset + level, 1) for level, text in enumerate(chain)]
    if placed:
        text, level, _ = placed[-1]
        placed[-1] = (text, level, offset + depth - level)
    return tuple(placed)


@dataclass(frozen=True)
class _Group:
    text: str
    level: int
    extent: int
    first: int  # index of the first entry sharing this label
    count: int


def _groups(placed: Sequence[Placed]) -> list[_Group]:
    """Merge equal labels of consecutive entries that share the whole path above them."""
    groups: list[_Group] = []
    longest = max((len(p) for p in placed), default=0)
    for k in range(longest):
        i = 0
        while i < len(placed):
            if len(placed[i]) <= k:
                i += 1
                continue
            j = i + 1
            while j < len(placed) and placed[j][: k + 1] == placed[i][: k + 1]:
                j += 1
            text, level, extent = placed[i][k]
            groups.append(_Group(text, level, extent, i, j - i))
            i = j
    return groups


def _spread(total: int, parts: int) -> list[int]:
    """Widths of ``parts`` columns filling ``total`` sheet columns (the last ones take the rest)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i >= parts - extra else 0) for i in range(parts)]


def _sum_formula(spans: Sequence[Span]) -> str:
    """``=SUM(D7:D28)``: runs of adjacent cells down a column or along a row become ranges."""
    refs: list[str] = []
    i = 0
    while i < len(spans):
        first, j = spans[i], i + 1
        while j < len(spans) and spans[j].col == first.col and spans[j].row == spans[j - 1].last_row + 1:
            j += 1
        if j == i + 1:
            while j < len(spans) and spans[j].row == first.row and spans[j].col == spans[j - 1].last_col + 1:
                j += 1
        refs.append(first.coord if j == i + 1 else f"{first.coord}:{spans[j - 1].coord}")
        i = j
    return f"=SUM({','.join(refs)})"


def _add_formulas(entries: dict[Cell, EntryCell]) -> None:
    """Give every total cell its SUM, summing what :func:`~ogi_report.model.complete_table` sums."""
    blocks: dict[int, Block] = {id(e.block): e.block for e in entries.values()}
    for block in blocks.values():
        total_row, total_col = block.total_row, block.total_column
        for row in block.rows:
            for col in block.columns:
                parts: list[Cell] = []
                if total_col is not None and col.total:
                    parts = [(row.key, c.key) for c in block.columns if not c.total]
                elif total_row is not None and row.total:
                    parts = [(r.key, col.key) for r in block.rows if r.in_total]
                if parts:
                    entry = entries[(row.key, col.key)]
                    formula = _sum_formula([entries[p].span for p in parts])
                    entries[(row.key, col.key)] = EntryCell(entry.span, block, row, col, formula)


def _header(
    placed: Sequence[Placed], sizes: Sequence[int], top: int, left: int, vertical: bool
) -> list[LabelCell]:
    """Label cells for placed paths whose top-left corner is (``top``, ``left``).

    ``vertical``: column headers (entries run along the columns, levels go down the rows);
    otherwise row labels (entries run down the rows, levels go across the label columns).
    """
    origin = left if vertical else top
    starts = [origin]
    for size in sizes[:-1]:
        starts.append(starts[-1] + size)
    cells = []
    for g in _groups(placed):
        along = sum(sizes[g.first : g.first + g.count])
        if vertical:
            cells.append(
                LabelCell(Span(top + g.level, starts[g.first], g.extent, along), g.text, Role.COLUMN_HEADER)
            )
        else:
            cells.append(
                LabelCell(Span(starts[g.first], left + g.level, along, g.extent), g.text, Role.ROW_LABEL)
            )
    return cells


def _rows_layout(spec: TableSpec) -> SheetLayout:
    """Tables printed row by row (二, 三): per block a title row, header rows, then its rows."""
    label_cols = spec.label_columns
    data_width = max(len(b.columns) for b in spec.blocks)
    width = label_cols + data_width
    labels = [LabelCell(Span(TITLE_ROW, 1, 1, width), spec.title, Role.TITLE)]
    entries: dict[Cell, EntryCell] = {}
    r = TITLE_ROW + 1
    header_rows = (TITLE_ROW, TITLE_ROW)
    for index, block in enumerate(spec.blocks):
        first = r
        if block.title:
            labels.append(LabelCell(Span(r, 1, 1, width), block.title, Role.BLOCK_TITLE))
            r += 1
        depth = max(len(c.path) for c in block.columns) + 1
        corner = spec.corner or block.row_header
        labels.append(LabelCell(Span(r, 1, depth, label_cols), corner, Role.CORNER))
        widths = _spread(data_width, len(block.columns))
        placed = [_place((*c.path, c.label), depth) for c in block.columns]
        labels += _header(placed, widths, r, label_cols + 1, vertical=True)
        r += depth
        if index == 0:
            header_rows = (first, r - 1)
        placed = [_place((*row.path, row.label), label_cols) for row in block.rows]
        labels += _header(placed, [1] * len(block.rows), r, 1, vertical=False)
        for row in block.rows:
            c = label_cols + 1
            for col, size in zip(block.columns, widths, strict=True):
                entries[(row.key, col.key)] = EntryCell(Span(r, c, 1, size), block, row, col)
                c += size
            r += 1
    _add_formulas(entries)
    return SheetLayout(spec.name, spec, tuple(labels), entries, label_cols, r - 1, width, header_rows)


def _wide_layout(spec: TableSpec) -> SheetLayout:
    """Tables printed as one data row (四): each row × column is a printed column.

    The header stacks the row's path (block title, groups, row label) above the column's path;
    within each part the last label stretches down, as 行政复议 does over two header rows.
    """
    cells = [(b, row, col) for b, row, col in spec.cells()]
    row_chains = [(*((b.title,) if b.title else ()), *row.path, row.label) for b, row, _c in cells]
    col_chains = [(*col.path, col.label) for _b, _r, col in cells]
    row_depth = max(len(c) for c in row_chains)
    col_depth = max(len(c) for c in col_chains)
    width = len(cells)
    labels = [LabelCell(Span(TITLE_ROW, 1, 1, width), spec.title, Role.TITLE)]
    top = TITLE_ROW + 1
    placed = [
        _place(rc, row_depth) + _place(cc, col_depth, row_depth)
        for rc, cc in zip(row_chains, col_chains, strict=True)
    ]
    labels += _header(placed, [1] * width, top, 1, vertical=True)
    data_row = top + row_depth + col_depth
    entries = {
        (row.key, col.key): EntryCell(Span(data_row, i + 1), block, row, col)
        for i, (block, row, col) in enumerate(cells)
    }
    _add_formulas(entries)
    return SheetLayout(spec.name, spec, tuple(labels), entries, 0, data_row, width, (top, data_row - 1))


def table_layout(spec: TableSpec) -> SheetLayout:
    """The sheet positions of ``spec``: what the writer fills and the importer reads."""
    if spec.layout is Layout.WIDE:
        return _wide_layout(spec)
    return _rows_layout(spec)


# ---------------------------------------------------------------------------------------------
# 基本信息: one row per meta key (contact details flattened as ``contact.phone``).

META_SHEET = "基本信息"
META_HEADER = ("项目", "键", "内容")
META_FIRST_ROW = 2
_META_LABELS = {
    "name": "机关名称",
    "slug": "标识（小写字母、数字、连字符）",
    "year": "年度",
    "publisher_type": "发布机关类型（部门／政府）",
    "format": "报告格式",
    "publish_date": "发布日期",
    "signature": "落款",
    "masthead": "红头（文件头）",
    "deadline": "本地规定的发布期限（可不填）",
    "contact.address": "联系地址",
    "contact.postcode": "邮政编码",
    "contact.phone": "联系电话",
    "contact.fax": "传真",
    "contact.email": "电子邮箱",
    "contact.website": "网址",
}


@dataclass(frozen=True)
class MetaField:
    """One row of the 基本信息 sheet."""

    key: str  # a meta key, or ``contact.<key>``
    label: str
    row: int

    @property
    def value_coord(self) -> str:
        return f"C{self.row}"


def meta_fields() -> tuple[MetaField, ...]:
    """The rows of the 基本信息 sheet, in the order of the meta mapping's keys."""
    keys = [k for k in META_KEYS if k != "contact"] + [f"contact.{k}" for k in CONTACT_KEYS]
    return tuple(MetaField(k, _META_LABELS.get(k, k), META_FIRST_ROW + i) for i, k in enumerate(keys))
