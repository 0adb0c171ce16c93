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

The record travels with the data through the kit's other forms, so that ``check`` says the same
before and after a round trip: the JSON form carries it under the key ``import``
(:func:`provenance_to_data` / :func:`provenance_from_data`), the workbook on a hidden sheet
(:mod:`ogi_report.storage.xlsx`); both readers check every entry against the format
(:func:`cell_problem`, :func:`parse_source`).
"""

from __future__ import annotations

import functools
import json
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.formats import FORMATS, TABLE_IDS, FormatSpec
from ogi_report.spec.ids import FormatId, TableId
from ogi_report.spec.labels import suggestion
from ogi_report.storage.mappings import Collector
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

    def within(self, fmt: FormatSpec) -> Provenance:
        """The record of the cells of ``fmt`` only, in the format's order.

        What a JSON file or a workbook carries: a record kept from before the data were moved to
        the other format generation names cells the data no longer have, which say nothing of
        them (and which the readers, checking every entry, would refuse)."""
        keys = [(TableId(t.id), r.key, c.key) for t in fmt.tables for _b, r, c in t.cells()]
        cells = {k: self.cells[k] for k in keys if k in self.cells}
        printed = {k: self.printed[k] for k in keys if k in self.printed}
        return Provenance(cells, self.source, printed)


RECORD_KEYS = ("source", "tables", "printed")
SOURCES_TEXT = "、".join(s.value for s in CellSource)


def provenance_to_data(provenance: Provenance) -> dict[str, Any]:
    """The record as a JSON-ready mapping: {"source": file, "tables": {table: {row: {column:
    source}}}, "printed": {table: {row: {column: text}}} for the cells whose printed text was not
    a value} — the content of ``import.json`` and of the JSON form's ``import`` key."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for (table, row, col), source in provenance.cells.items():
        tables.setdefault(table.value, {}).setdefault(row, {})[col] = source.value
    printed: dict[str, dict[str, dict[str, str]]] = {}
    for (table, row, col), text in provenance.printed.items():
        printed.setdefault(table.value, {}).setdefault(row, {})[col] = text
    return {"source": provenance.source, "tables": tables, "printed": printed}


def provenance_json(provenance: Provenance) -> str:
    """The ``import.json`` text (:func:`provenance_to_data`)."""
    return json.dumps(provenance_to_data(provenance), ensure_ascii=False, indent=1) + "\n"


def parse_source(value: Any) -> CellSource | None:
    """The cell source a record names (``"unread"``), or None when it names none."""
    try:
        return CellSource(value) if isinstance(value, str) else None
    except ValueError:
        return None


@functools.cache
def _cells_of(fmt_id: FormatId) -> frozenset[tuple[str, str, str]]:
    """Every (table, row, column) of a format, for the readers to check each entry against."""
    return frozenset((t.id, r.key, c.key) for t in FORMATS[fmt_id].tables for _b, r, c in t.cells())


def cell_problem(fmt: FormatSpec, table: str, row: str, col: str) -> str | None:
    """Why (``table``, ``row``, ``col``) is no cell of the format ``fmt``, or None when it is one.

    A record carried by a JSON file or a workbook may have been edited, or may belong to a report
    of the other format generation: an entry naming no cell is refused rather than ignored."""
    if (table, row, col) in _cells_of(fmt.id):
        return None
    spec = next((t for t in fmt.tables if t.id == table), None)
    if spec is None:
        return f"「{fmt.name}」没有表「{table[:60]}」，" + suggestion(table, [t.id for t in fmt.tables])
    cells = [(r.key, c.key) for _b, r, c in spec.cells()]
    rows = list(dict.fromkeys(r for r, _c in cells))
    if row not in rows:
        return f"{spec.name}（{spec.id}）没有行键「{row[:60]}」，" + suggestion(row, rows)
    cols = [c for r, c in cells if r == row]
    return f"{spec.name}（{spec.id}）行「{row}」没有列键「{col[:60]}」，" + suggestion(col, cols)


def provenance_from_data(data: Any, fmt: FormatSpec | None, out: Collector, key: str) -> Provenance | None:
    """The record a JSON form carries under ``key`` (:func:`provenance_to_data`'s mapping), every
    entry checked against ``fmt`` (skipped when the format is unknown: meta reports that).

    Each problem is added to ``out`` naming the key path (「import.tables.t3.new.commercial」);
    None when there was any."""
    before = out.count
    provenance = _from_data(data, fmt, out, key)
    return None if out.count > before else provenance


def _from_data(data: Any, fmt: FormatSpec | None, out: Collector, key: str) -> Provenance | None:
    if not isinstance(data, dict):
        out.add(f"「{key}」应为对象（ogi-report import 的导入记录），读到{_kind(data)}")
        return None
    for name in data:
        if name not in RECORD_KEYS:
            out.add(f"「{key}」中未知的键「{name}」，{suggestion(str(name), RECORD_KEYS)}")
    source = data.get("source", "")
    if not isinstance(source, str):
        out.add(f"「{key}.source」应为导入的文件名（文字），读到{_kind(source)}")
    if "tables" not in data:
        out.add(f"「{key}」缺少键「tables」（各单元格的来源）")
    cells: dict[Key, CellSource] = {}
    for where, (table, row, col), value in _entries(data.get("tables", {}), f"{key}.tables", out):
        found = parse_source(value)
        if found is None:
            out.add(f"「{where}」：来源应为 {SOURCES_TEXT} 之一，读到{_kind(value)}")
        elif _cell_ok(fmt, where, (table, row, col), out):
            cells[(TableId(table), row, col)] = found
    printed: dict[Key, str] = {}
    for where, (table, row, col), value in _entries(data.get("printed", {}), f"{key}.printed", out):
        if not isinstance(value, str):
            out.add(f"「{where}」：应为报告中印出的文字，读到{_kind(value)}")
        elif _cell_ok(fmt, where, (table, row, col), out):
            recorded = cells.get((TableId(table), row, col))
            if recorded is not CellSource.INVALID:
                shown = recorded.value if recorded is not None else "未记录（即 read）"
                out.add(f"「{where}」：只有来源为 invalid 的单元格记有印出的文字，此单元格的来源是 {shown}")
            else:
                printed[(TableId(table), row, col)] = value
    return Provenance(cells, source if isinstance(source, str) else "", printed)


def _kind(value: Any) -> str:
    """What a JSON value is, in words, for a message."""
    if isinstance(value, str):
        return f"「{value[:60]}」"
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, list):
        return "数组"
    return "空值" if value is None else f"「{value}」"


def _entries(data: Any, key: str, out: Collector) -> Iterator[tuple[str, tuple[str, str, str], Any]]:
    """The (key path, (table, row, column), value) of a {table: {row: {column: value}}} mapping."""
    if not isinstance(data, dict):
        out.add(f"「{key}」应为对象 {{表: {{行键: {{列键: …}}}}}}，读到{_kind(data)}")
        return
    for table, rows in data.items():
        if not isinstance(rows, dict):
            out.add(f"「{key}.{table}」应为对象 {{行键: {{列键: …}}}}，读到{_kind(rows)}")
            continue
        for row, cols in rows.items():
            if not isinstance(cols, dict):
                out.add(f"「{key}.{table}.{row}」应为对象 {{列键: …}}，读到{_kind(cols)}")
                continue
            for col, value in cols.items():
                where = ".".join(str(part)[:60] for part in (key, table, row, col))
                yield where, (str(table), str(row), str(col)), value


def _cell_ok(fmt: FormatSpec | None, where: str, cell: tuple[str, str, str], out: Collector) -> bool:
    """Whether ``cell`` is a cell of ``fmt``, saying why not; False, silently, when the format is
    unknown (the meta's problem, reported there)."""
    if fmt is None:
        return False
    if cell in _cells_of(fmt.id):
        return True
    if out.full:  # only counted: no suggestion computed for a message nobody reads
        out.add("", kind="导入记录中不是本格式单元格的条目")
    else:
        out.add(f"「{where}」：{cell_problem(fmt, *cell)}", kind="导入记录中不是本格式单元格的条目")
    return False


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
