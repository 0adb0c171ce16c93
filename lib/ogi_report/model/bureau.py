"""One bureau-year in memory: typed, frozen, and independent of files, notebooks and HTML."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TypeGuard

from ogi_report.model.values import Value
from ogi_report.spec.formats import FORMATS, Cell, CellKind, FormatId, FormatSpec, TableId, TableSpec

# \Z, not $: "$" also matches before a final newline, and "nl\n" would become a folder name.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
FIRST_YEAR, LAST_YEAR = 1990, 2100  # a wider range is a typing accident, not a report


# A year's output folder holds <slug>.html beside the batch's own index.html and overview.html:
# a body with one of these slugs would overwrite them (or be overwritten).
RESERVED_SLUGS = frozenset({"index", "overview"})


def slug_problem(value: object) -> str | None:
    """Why ``value`` is not a slug, in Chinese (``None`` when it is one)."""
    if not isinstance(value, str) or SLUG_RE.match(value) is None:
        return f"读到「{value}」，应只含小写字母、数字和连字符（[a-z0-9-]+），如 haidong-emergency"
    if value in RESERVED_SLUGS:
        names = "、".join(sorted(RESERVED_SLUGS))
        return f"读到「{value}」，这个代号留给每年的索引页与概览（{names}），请换一个，如 {value}-1"
    return None


def is_slug(value: object) -> TypeGuard[str]:
    """Whether ``value`` is a slug: lower-case letters, digits and single hyphens (``[a-z0-9-]+``),
    not one of the names the batch's own pages take (:data:`RESERVED_SLUGS`)."""
    return slug_problem(value) is None


def is_year(value: object) -> TypeGuard[int]:
    """Whether ``value`` is a plausible statistics year (an ``int``, not a ``bool``)."""
    return isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR


class PublisherType(StrEnum):
    """Who publishes the report; decides the legal deadline (条例第四十九条)."""

    DEPARTMENT = "department"  # 县级以上人民政府部门: by 1月31日
    GOVERNMENT = "government"  # 人民政府: by 3月31日

    @property
    def label(self) -> str:
        return {"department": "部门", "government": "政府"}[self.value]


@dataclass(frozen=True)
class Contact:
    """Where readers reach the body's disclosure office (all optional)."""

    address: str = ""
    postcode: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    website: str = ""


@dataclass(frozen=True)
class Meta:
    """Who reports, for which year, in which format, published when."""

    name: str
    slug: str
    year: int
    publisher_type: PublisherType
    format_id: FormatId  # a plain "2021" is taken as its FormatId
    publish_date: date | None = None
    signature: str = ""  # the closing line; defaults to the body's name
    masthead: str = ""  # optional 红头 line above the title (e.g. 海东市应急管理局文件)
    deadline: date | None = None  # a local rule's deadline, overriding the statutory one
    contact: Contact = field(default_factory=Contact)

    def __post_init__(self) -> None:
        object.__setattr__(self, "format_id", FormatId(self.format_id))

    @property
    def format(self) -> FormatSpec:
        return FORMATS[self.format_id]

    @property
    def title(self) -> str:
        return f"{self.name}{self.year}年政府信息公开工作年度报告"

    @property
    def signer(self) -> str:
        return self.signature or self.name


@dataclass(frozen=True)
class Table:
    """Every cell of one official table.  ``computed`` holds the totals the data left out."""

    spec: TableSpec
    cells: Mapping[Cell, Value]
    computed: frozenset[Cell] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", MappingProxyType(dict(self.cells)))

    def __getitem__(self, cell: Cell) -> Value:
        return self.cells[cell]

    def get(self, row: str, col: str) -> Value:
        return self.cells[(row, col)]

    def number(self, row: str, col: str) -> int | Decimal:
        """The cell as a number, blank counting as 0 (for sums in messages and placeholders)."""
        value = self.cells[(row, col)]
        return 0 if value is None else value

    def items(self) -> Iterator[tuple[Cell, Value]]:
        for _block, row, col in self.spec.cells():
            yield (row.key, col.key), self.cells[(row.key, col.key)]

    def replace(self, changes: Mapping[Cell, Value]) -> Table:
        """A copy with some cells changed (used by tests and by `new`)."""
        cells = dict(self.cells)
        cells.update(changes)
        return Table(self.spec, cells, self.computed - frozenset(changes))


@dataclass(frozen=True)
class BureauYear:
    """One body's report for one year: meta, the three tables and the narrative Markdown."""

    meta: Meta
    tables: Mapping[str, Table]
    narrative: str
    source: str = ""  # the folder or file it was read from, for messages

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", MappingProxyType(dict(self.tables)))

    @property
    def format(self) -> FormatSpec:
        return self.meta.format

    @property
    def t2(self) -> Table:
        return self.tables[TableId.T2]

    @property
    def t3(self) -> Table:
        return self.tables[TableId.T3]

    @property
    def t4(self) -> Table:
        return self.tables[TableId.T4]


def complete_table(spec: TableSpec, given: Mapping[Cell, Value]) -> Table:
    """Fill the totals that ``given`` leaves out; given totals are kept exactly as given.

    A total is computed from the cells it sums (blank counting as 0); a row total over a column
    total (table 三's （七）总计 × 总计) is the sum of the row's other columns.
    """
    cells: dict[Cell, Value] = dict(given)
    computed: set[Cell] = set()
    for block in spec.blocks:
        total_row = block.total_row
        total_col = block.total_column
        # Row totals first (column by column, excluding the total column), then column totals.
        if total_row is not None:
            for col in block.columns:
                if col.total:
                    continue
                cell = (total_row.key, col.key)
                if cell not in cells:
                    cells[cell] = sum_values(cells.get((r.key, col.key)) for r in block.rows if r.in_total)
                    computed.add(cell)
        if total_col is not None:
            for row in block.rows:
                cell = (row.key, total_col.key)
                if cell not in cells:
                    cells[cell] = sum_values(
                        cells.get((row.key, c.key)) for c in block.columns if not c.total
                    )
                    computed.add(cell)
    return Table(spec, cells, frozenset(computed))


def sum_values(values: Iterator[Value] | list[Value] | tuple[Value, ...]) -> int | Decimal:
    """Sum of cell values, blank (None) counting as 0."""
    total: int | Decimal = 0
    for value in values:
        if value is not None:
            total += value
    return total


def missing_cells(spec: TableSpec, given: Mapping[Cell, Value]) -> list[Cell]:
    """Non-total cells of ``spec`` that ``given`` lacks (totals may be left out)."""
    return [
        (row.key, col.key)
        for _block, row, col in spec.cells()
        if (row.key, col.key) not in given and not (row.total or col.total)
    ]


def zero_table(spec: TableSpec) -> Table:
    """A table with every entry cell 0 and its totals computed (``ogi-report new``)."""
    cells: dict[Cell, Value] = {}
    for _block, row, col in spec.cells():
        if not (row.total or col.total):
            cells[(row.key, col.key)] = Decimal(0) if col.kind is CellKind.DECIMAL else 0
    return complete_table(spec, cells)


def recompute(table: Table) -> Table:
    """``table`` with the totals its data left out computed again from the current cells."""
    return complete_table(table.spec, {c: v for c, v in table.cells.items() if c not in table.computed})
