"""The parts a format generation is declared with: cells, columns, rows, blocks, tables, sections.

A table is a list of *blocks* (table 二 has one per 第二十条 item; tables 三 and 四 have one).  A block
has rows and columns; a cell is addressed by ``(row.key, column.key)``.  Row and column *paths* hold
the labels of the enclosing header groups, from which the renderers derive every rowspan/colspan.
The generations themselves are declared in :mod:`ogi_report.spec.format2021` and
:mod:`ogi_report.spec.format2019` and collected in :mod:`ogi_report.spec.formats`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from ogi_report.spec.ids import FormatId, TableId

Cell = tuple[str, str]  # (row key, column key) of one value cell


class CellKind(StrEnum):
    """What a cell may hold."""

    COUNT = "count"  # whole number >= 0
    SIGNED = "signed"  # whole number, may be negative (v1 本年增/减)
    DECIMAL = "decimal"  # exact decimal >= 0 (行政事业性收费, 采购总金额)

    @property
    def label(self) -> str:
        """What the cell holds, as the docs say it."""
        return {"count": "非负整数", "signed": "整数（可为负）", "decimal": "非负数（可有小数）"}[self.value]


class Layout(StrEnum):
    """How a table is printed."""

    ROWS = "rows"  # one printed row per declared row (tables 二 and 三)
    WIDE = "wide"  # every row × column becomes one printed column of a single data row (table 四)


@dataclass(frozen=True)
class Column:
    """A column of a block: its JSON key, its printed label and the header groups above it."""

    key: str
    label: str
    kind: CellKind = CellKind.COUNT
    total: bool = False  # the sum of the block's other columns in the same row
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A row of a block: its JSON key, its printed label and the label groups enclosing it."""

    key: str
    label: str
    path: tuple[str, ...] = ()
    total: bool = False  # the sum of the rows with ``in_total``
    in_total: bool = False

    @property
    def qualified_label(self) -> str:
        """The label analysts write in a data file: enclosing sub-groups, then the row's own."""
        inner = self.path[1:] if len(self.path) > 1 else ()
        return "/".join((*inner, self.label))

    @property
    def display_label(self) -> str:
        """The label used in messages: the whole path, as 表三 prints it."""
        return "/".join((*self.path, self.label))


@dataclass(frozen=True)
class Block:
    """A rectangular part of a table with its own column headings (e.g. 第二十条第（五）项)."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    row_header: str = "信息内容"

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def total_column(self) -> Column | None:
        return next((c for c in self.columns if c.total), None)

    @property
    def total_row(self) -> Row | None:
        return next((r for r in self.rows if r.total), None)


@dataclass(frozen=True)
class TableSpec:
    """One official table: its number, title, blocks and how it is printed."""

    id: TableId
    number: str  # 二 / 三 / 四
    title: str
    blocks: tuple[Block, ...]
    layout: Layout = Layout.ROWS
    corner: str = ""  # text of the top-left header block (table 三's 勾稽关系 note)
    label_columns: int = 1  # printed label columns (table 三: 3)
    blank_allowed: bool = True  # False where the BLANK rule applies

    @property
    def name(self) -> str:
        """The table's name in the analyst's words (表三)."""
        return f"表{self.number}"

    def cells(self) -> Iterator[tuple[Block, Row, Column]]:
        for block in self.blocks:
            for row in block.rows:
                for col in block.columns:
                    yield block, row, col

    def rows(self) -> Iterator[tuple[Block, Row]]:
        for block in self.blocks:
            for row in block.rows:
                yield block, row

    def block_of(self, row_key: str) -> Block:
        for block in self.blocks:
            if any(r.key == row_key for r in block.rows):
                return block
        raise KeyError(row_key)

    def is_total(self, row_key: str, col_key: str) -> bool:
        block = self.block_of(row_key)
        return block.row(row_key).total or block.column(col_key).total


@dataclass(frozen=True)
class SectionSpec:
    """One of the six fixed sections of the narrative."""

    number: str  # 一 … 六
    heading: str  # the standard heading, e.g. 一、总体情况
    variants: tuple[str, ...] = ()  # other headings the format itself allows
    table: TableId | None = None  # the table printed in this section
    subheads: tuple[str, ...] = ()  # the standard sub-heads (section 一)


@dataclass(frozen=True)
class FormatSpec:
    """One generation of the official format."""

    id: FormatId
    name: str
    basis: str  # the document that issued it
    first_year: int
    last_year: int | None
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...] = field(default=())

    def table(self, table_id: TableId) -> TableSpec:
        for spec in self.tables:
            if spec.id == table_id:
                return spec
        raise KeyError(table_id)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)
