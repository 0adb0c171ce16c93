"""A table's values in its printed grid: the layout from :mod:`ogi_report.spec.grid`, filled."""

from __future__ import annotations

from ogi_report.model.bureau import Table
from ogi_report.model.values import format_value
from ogi_report.spec.grid import Grid, Stack, build_grid, fill_grid


def printed_grid(layout: Grid, table: Table) -> Grid:
    """``layout`` (a table's printed grid) showing ``table``'s values as a report prints them."""
    if table.spec is not layout.spec and table.spec != layout.spec:
        raise ValueError(f"{table.spec.name} 的数据不能按 {layout.spec.name} 的格式排版")
    return fill_grid(layout, {key: format_value(value) for key, value in table.cells.items()})


def table_grid(table: Table, stack: Stack = Stack.OFFICIAL) -> Grid:
    """The printed grid of ``table`` with its values."""
    return printed_grid(build_grid(table.spec, stack), table)
