"""Where each cell of an imported bureau-year came from: read, computed, unread or absent.

``ogi-report import`` records, beside the data files, in ``import.json``, how every cell of the
three tables was obtained from the published report:

- ``read``: printed in the report and read from it (a cell printed empty or "/" is read, as blank);
- ``computed``: a total the report left unprinted, summed from cells that were read;
- ``unread``: the report has the cell but the importer could not read it — it stays blank, and
  ``check`` reports it under rule IMPORT, not as a blank the bureau published;
- ``absent``: the report printed its table in another format generation, which has no such cell
  (the FMT rule speaks for it).

The checks find the record of a bureau-year through :func:`provenance_of`: the one attached in
memory by the importer, else the ``import.json`` of the folder the data were loaded from.  A folder
without the file (data typed in by hand) has no record, and every cell counts as read.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.formats import TABLE_IDS
from ogi_report.spec.ids import TableId
from ogi_report.storage.textfiles import read_text, write_text

PROVENANCE_FILE = "import.json"
MAX_PROVENANCE_BYTES = 1024 * 1024  # three tables of a few hundred cells


class CellSource(StrEnum):
    """How one cell of an imported table was obtained."""

    READ = "read"
    COMPUTED = "computed"
    UNREAD = "unread"
    ABSENT = "absent"
    INVALID = (
        "invalid"  # printed, but not a value of the cell's kind (「251000元」): kept blank, text recorded
    )


Key = tuple[TableId, str, str]  # table, row key, column key


@dataclass(frozen=True)
class Provenance:
    """The source of every cell of an imported bureau-year, and the file it was imported from."""

    cells: Mapping[Key, CellSource] = field(default_factory=dict)
    source: str = ""
    printed: Mapping[Key, str] = field(default_factory=dict)  # what an INVALID cell held, as printed

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", MappingProxyType(dict(self.cells)))
        object.__setattr__(self, "printed", MappingProxyType(dict(self.printed)))

    def of(self, table: TableId, row: str, col: str) -> CellSource:
        """The cell's source; a cell not recorded counts as read."""
        return self.cells.get((table, row, col), CellSource.READ)

    def tally(self) -> dict[CellSource, int]:
        """How many cells have each source (every source listed, zero included)."""
        counts = dict.fromkeys(CellSource, 0)
        for source in self.cells.values():
            counts[source] += 1
        return counts

    def with_source(self, cells: Iterator[tuple[Key, CellSource]]) -> Provenance:
        """A copy with some cells' sources changed."""
        return Provenance({**self.cells, **dict(cells)}, self.source, self.printed)


def provenance_json(provenance: Provenance) -> str:
    """The ``import.json`` text: {"source": file, "tables": {table: {row: {column: source}}}, and
    "printed": {table: {row: {column: text}}} for the cells whose printed text was not a value}."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for (table, row, col), source in provenance.cells.items():
        tables.setdefault(table.value, {}).setdefault(row, {})[col] = source.value
    printed: dict[str, dict[str, dict[str, str]]] = {}
    for (table, row, col), text in provenance.printed.items():
        printed.setdefault(table.value, {}).setdefault(row, {})[col] = text
    data = {"source": provenance.source, "tables": tables, "printed": printed}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def parse_provenance(text: str, path: Path) -> Provenance:
    """The record of ``import.json``; a file not in that form is a DataError naming it."""
    try:
        data = json.loads(text)
        tables = data["tables"]
        cells: dict[Key, CellSource] = {}
        for table, rows in tables.items():
            for row, cols in rows.items():
                for col, source in cols.items():
                    cells[(TableId(table), str(row), str(col))] = CellSource(source)
        printed: dict[Key, str] = {}
        for table, rows in data.get("printed", {}).items():
            for row, cols in rows.items():
                for col, text in cols.items():
                    printed[(TableId(table), str(row), str(col))] = str(text)
        return Provenance(cells, str(data.get("source", "")), printed)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError.one(
            path, f"导入记录格式不符（{type(exc).__name__}），应为 ogi-report import 写出的 {PROVENANCE_FILE}"
        ) from exc


def write_provenance(folder: Path, provenance: Provenance) -> None:
    """Write ``import.json`` into an imported bureau-year's folder (atomically)."""
    write_text(folder / PROVENANCE_FILE, provenance_json(provenance))


def read_provenance(folder: Path) -> Provenance | None:
    """The folder's ``import.json``, or None when it has none (data not imported)."""
    path = folder / PROVENANCE_FILE
    if not path.is_file():
        return None
    return parse_provenance(read_text(path, MAX_PROVENANCE_BYTES), path)


# Records the importer attaches to the bureau-years it makes, so checks run on them in memory
# (before anything is written) see what could not be read.  Keyed by object id, each entry
# removed when its bureau-year is collected.
_ATTACHED: dict[int, Provenance] = {}


def attach(by: BureauYear, provenance: Provenance) -> None:
    """Remember ``provenance`` as the record of the in-memory bureau-year ``by``."""
    key = id(by)
    if key not in _ATTACHED:
        weakref.finalize(by, _ATTACHED.pop, key, None)
    _ATTACHED[key] = provenance


def provenance_of(by: BureauYear) -> Provenance | None:
    """The record of ``by``: attached by the importer, else its folder's ``import.json``, else None."""
    attached = _ATTACHED.get(id(by))
    if attached is not None:
        return attached
    if by.source and Path(by.source).is_dir():
        return read_provenance(Path(by.source))
    return None


def _still_blank(by: BureauYear, source: CellSource) -> dict[Key, str]:
    """The cells of ``by`` recorded with ``source`` that are still blank, with their printed text."""
    provenance = provenance_of(by)
    if provenance is None:
        return {}
    found: dict[Key, str] = {}
    for table_id in TABLE_IDS:
        table = by.tables.get(table_id)
        if table is None:
            continue
        for _block, row, col in table.spec.cells():
            key = (table_id, row.key, col.key)
            if provenance.of(*key) is source and table.get(row.key, col.key) is None:
                found[key] = provenance.printed.get(key, "")
    return found


def unread_cells(by: BureauYear) -> set[Key]:
    """The cells of ``by`` whose value an import does not know and that are still blank: those it
    could not read and those it read as something other than a value (:func:`invalid_cells`).
    No sum over them is judged, and none of them is a blank the bureau published."""
    return set(_still_blank(by, CellSource.UNREAD)) | set(_still_blank(by, CellSource.INVALID))


def invalid_cells(by: BureauYear) -> dict[Key, str]:
    """The cells of ``by`` an import found printed as something other than a value (「251000元」),
    still blank, with what was printed: rule N reports them."""
    return _still_blank(by, CellSource.INVALID)
