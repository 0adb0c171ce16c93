"""Where every label and every value of an official table sits in an Excel sheet.

One function, :func:`table_layout`, turns a :class:`~ogi_report.spec.formats.TableSpec` into sheet
positions: the label cells (title, block titles, the corner note, column headers, row labels) with
their merged ranges, and one entry cell per table cell, totals carrying their ``=SUM(...)``
formula.  The workbook writer places cells where the layout says and the importer reads them from
the same places, so the two cannot drift; both know nothing of particular labels.  Where each cell
sits and what it spans is the printed grid of :mod:`ogi_report.spec.grid`, placed below the sheet's
title row; this module adds only the sheet coordinates and the formulas.

:func:`meta_fields` does the same for the 基本信息 sheet; the 正文 sheet holds the narrative, one
line a row from :data:`NARRATIVE_FIRST_ROW`; the hidden 导入记录 sheet, written for an imported
bureau-year only, holds its import record, one cell a row from :data:`RECORD_FIRST_ROW`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from openpyxl.utils import get_column_letter

from ogi_report.spec.formats import Block, Cell, Column, Layout, Row, TableSpec
from ogi_report.spec.grid import Grid, Kind, Stack, build_grid
from ogi_report.storage.mappings import CONTACT_KEYS, META_KEYS

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
    """Give every total cell its SUM, summing what :func:`~ogi_report.model.bureau.complete_table` sums."""
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


_ROLES = {
    Kind.CORNER: Role.CORNER,
    Kind.BLOCK_TITLE: Role.BLOCK_TITLE,
    Kind.COLUMN_HEADER: Role.COLUMN_HEADER,
    Kind.HEADER_LABEL: Role.COLUMN_HEADER,
    Kind.ROW_LABEL: Role.ROW_LABEL,
}


def sheet_grid(spec: TableSpec) -> Grid:
    """The grid of ``spec`` as a sheet holds it (below the title row).

    A wide table takes the :attr:`~ogi_report.spec.grid.Stack.ALIGNED` form (every column heading on the
    last header row): the form workbooks have always been written in, so the importer still finds
    the labels of workbooks filled in before.
    """
    return build_grid(spec, stack=Stack.ALIGNED if spec.layout is Layout.WIDE else Stack.OFFICIAL)


def table_layout(spec: TableSpec) -> SheetLayout:
    """The sheet positions of ``spec``: what the writer fills and the importer reads."""
    grid = sheet_grid(spec)
    top = TITLE_ROW + 1
    labels = [LabelCell(Span(TITLE_ROW, 1, 1, grid.cols), spec.title, Role.TITLE)]
    declared = {(row.key, col.key): (block, row, col) for block, row, col in spec.cells()}
    entries: dict[Cell, EntryCell] = {}
    for cell in grid.cells:
        span = Span(top + cell.row, 1 + cell.col, cell.rowspan, cell.colspan)
        if cell.key is None:
            labels.append(LabelCell(span, cell.text, _ROLES[cell.kind]))
        else:
            entries[cell.key] = EntryCell(span, *declared[cell.key])
    _add_formulas(entries)
    # Printed pages repeat what is above the first value: the heading, or table 二's first block's.
    header_rows = (top, top + grid.first_value_row - 1)
    height = top + grid.rows - 1
    return SheetLayout(
        spec.name, spec, tuple(labels), entries, grid.label_columns, height, grid.cols, header_rows
    )


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


# ---------------------------------------------------------------------------------------------
# 正文: a note, a heading, then the narrative's lines.

NARRATIVE_SHEET = "正文"
NARRATIVE_FIRST_ROW = 3

# The custom document property holding a digest of the narrative as exported: on import, it tells
# whether the 正文 sheet or the folder's narrative.md was edited since (see :func:`narrative_digest`).
NARRATIVE_DIGEST_PROPERTY = "ogi-report 正文摘要"


def narrative_digest(text: str) -> str:
    """A digest of a narrative, its final newlines ignored (the sheet does not keep them)."""
    return hashlib.sha256((text.rstrip("\n") + "\n").encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# 导入记录: the import record of an imported bureau-year (hidden; see ogi_report.storage.provenance).

RECORD_SHEET = "导入记录"
RECORD_SOURCE_ROW = 2  # A: the label, B: the file the report was imported from
RECORD_HEADER_ROW = 3
RECORD_HEADER = ("表", "行键", "列键", "来源", "印出的文字")  # one cell a row below, in this order
RECORD_FIRST_ROW = 4


def workbook_cell(spec: TableSpec, row_label: str, column_label: str) -> str:
    """Where a finding's cell sits in the workbook, as 「表三」!J5; "" when the finding names no
    single cell (a balance over several rows, a whole column)."""
    for entry in table_layout(spec).entries.values():
        if entry.row.display_label == row_label and entry.column.label == column_label:
            return f"「{spec.name}」!{entry.span.coord}"
    return ""
