"""The official report format as data: the two generations' tables and sections, their ids, how
labels are matched, how a table prints as a grid, and the wording official documents use.

:mod:`~ogi_report.spec.formats` is where the other layers find a generation (its parts are declared
in :mod:`~ogi_report.spec.parts`, the generations in :mod:`~ogi_report.spec.format2021` and
:mod:`~ogi_report.spec.format2019`), :mod:`~ogi_report.spec.ids` holds the stable ids of formats,
tables and rules, :mod:`~ogi_report.spec.grid` lays a table out for printing, and
:mod:`~ogi_report.spec.reference` writes docs/format.md.
"""

from ogi_report.spec.formats import (
    FORMAT_V1,
    FORMAT_V2,
    FORMATS,
    TABLE_IDS,
    Block,
    Cell,
    CellKind,
    Column,
    FormatSpec,
    Layout,
    Row,
    SectionSpec,
    TableSpec,
    find_format,
    format_for_year,
)
from ogi_report.spec.grid import Grid, GridCell, Kind, Stack, build_grid, fill_grid
from ogi_report.spec.ids import FormatId, RuleId, TableId
from ogi_report.spec.labels import nearest, normalize_label, suggestion
from ogi_report.spec.wording import chinese_date, display_width

__all__ = [
    "FORMATS",
    "FORMAT_V1",
    "FORMAT_V2",
    "TABLE_IDS",
    "Block",
    "Cell",
    "CellKind",
    "Column",
    "FormatId",
    "FormatSpec",
    "Grid",
    "GridCell",
    "Kind",
    "Layout",
    "Row",
    "RuleId",
    "SectionSpec",
    "Stack",
    "TableId",
    "TableSpec",
    "build_grid",
    "chinese_date",
    "display_width",
    "fill_grid",
    "find_format",
    "format_for_year",
    "nearest",
    "normalize_label",
    "suggestion",
]
