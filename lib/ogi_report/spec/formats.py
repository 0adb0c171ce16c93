"""The official report format, declared once as data.

Everything that knows the shape of the report — loaders, checks, the JSON form, the HTML, PDF and
DOCX renderers, the Excel template and the importer — reads the declarations here.  Two generations
exist: v1 「试行」 (国办公开办函〔2019〕60号, reports for 2019 and 2020, :mod:`~ogi_report.spec.format2019`)
and v2 (国办公开办函〔2021〕30号, reports from 2021 on, :mod:`~ogi_report.spec.format2021`).  Adding a
generation means adding a :class:`FormatId`, one module declaring its :class:`FormatSpec`, and that
spec to :data:`FORMATS`.

The parts a generation is declared with (blocks of rows and columns, sections) are in
:mod:`ogi_report.spec.parts`; they are re-exported here, the one module the other layers import.
"""

from __future__ import annotations

from ogi_report.spec.format2019 import FORMAT_V1
from ogi_report.spec.format2021 import FORMAT_V2
from ogi_report.spec.ids import FormatId, TableId
from ogi_report.spec.parts import (
    Block,
    Cell,
    CellKind,
    Column,
    FormatSpec,
    Layout,
    Row,
    SectionSpec,
    TableSpec,
)

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
    "Layout",
    "Row",
    "SectionSpec",
    "TableId",
    "TableSpec",
    "find_format",
    "format_for_year",
]

FORMATS: dict[FormatId, FormatSpec] = {spec.id: spec for spec in (FORMAT_V2, FORMAT_V1)}
TABLE_IDS = tuple(TableId)


def find_format(text: str) -> FormatSpec | None:
    """The generation a file names by ``text`` (meta.toml's ``format``), or None when none is."""
    return next((spec for spec in FORMATS.values() if spec.id == text), None)


def format_for_year(year: int) -> FormatSpec:
    """The generation a report for ``year`` must use (v1 for 2019–2020, v2 from 2021)."""
    for spec in FORMATS.values():
        if spec.covers(year):
            return spec
    # Reports before 2019 followed no national table format; the oldest declared one is closest.
    return FORMAT_V1
