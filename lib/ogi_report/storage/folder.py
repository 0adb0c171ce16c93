"""A bureau-year folder on disk: ``meta.toml``, ``table2.csv``, ``table3.csv``, ``table4.csv``
and ``narrative.md``.

CSV because analysts open it in Excel or WPS and git diffs it line by line; TOML because it has
real dates and no YAML surprises.  Rows are named by their official labels (a numbered sub-item
with its group: ``（三）不予公开/1.属于国家秘密``), columns by their printed headings, so a file is
readable without the kit.  Every problem in a file is collected and reported at once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import tomli_w

from ogi_report.errors import DataError, Problem
from ogi_report.model.bureau import BureauYear, Meta, Table, complete_table
from ogi_report.model.values import Invalid, Value, format_value, parse_value
from ogi_report.spec.formats import FORMATS, Block, Cell, Column, Row, TableId, TableSpec
from ogi_report.spec.ids import RuleId
from ogi_report.spec.labels import normalize_label, suggestion
from ogi_report.storage.mappings import Collector, meta_from_mapping, meta_to_mapping, report_missing
from ogi_report.storage.parsing import parse_toml
from ogi_report.storage.textfiles import read_text, write_text

META_FILE = "meta.toml"
NARRATIVE_FILE = "narrative.md"
TABLE_FILES = {TableId.T2: "table2.csv", TableId.T3: "table3.csv", TableId.T4: "table4.csv"}
DATA_FILES = (META_FILE, *TABLE_FILES.values(), NARRATIVE_FILE)  # what a bureau-year is made of
LABEL_HEADER = "项目"
_CSV_BLANK = "空白请留空或写 /"
T2_HEADERS = ("条款", "信息内容", "指标", "数值")


_PART = re.compile(r"^[一二三四五六七八九十]+、")


def file_label(row: Row) -> str:
    """How a row is named in its CSV file: its groups, then its label, joined by "/".

    A numbered part heading (三、本年度办理结果) spans many rows in print and is not repeated on
    each of them, so it is left out.
    """
    return "/".join((*(g for g in row.path if not _PART.match(g)), row.label))


def _row_index(spec: TableSpec) -> dict[str, Row]:
    """Every accepted spelling of each row label, normalised: file label, full path, leaf (if unique)."""
    index: dict[str, Row] = {}
    leaves: dict[str, list[Row]] = {}
    for _block, row in spec.rows():
        for text in (file_label(row), row.display_label):
            index[normalize_label(text)] = row
        leaves.setdefault(normalize_label(row.label), []).append(row)
    for leaf, rows in leaves.items():
        if len(rows) == 1:
            index.setdefault(leaf, rows[0])
    return index


def read_meta(path: Path) -> Meta:
    """Read ``meta.toml``."""
    data = parse_toml(read_text(path), path)
    out = Collector(str(path))
    meta = meta_from_mapping(data, out)
    if meta is None:
        raise DataError(out.problems)
    return meta


def _parse(text: str, col: Column, row: Row, spec: TableSpec, out: Collector, line: int) -> Value:
    """A CSV cell's value; text that is not one is reported (rule N) and read as blank."""
    value = parse_value(text, col.kind)
    if isinstance(value, Invalid):
        out.add(
            value.message, table=spec.name, row=row.display_label, column=col.label, line=line, rule=RuleId.N
        )
        return None
    return value


def _left_to_compute(text: str, row: Row, col: Column) -> bool:
    """An empty 总计 cell is a total not given (computed), as Excel saves a cleared cell.

    A total printed blank in a published report is written "/" and stays blank for BLANK.
    """
    return (row.total or col.total) and not text.strip()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The non-empty records of a CSV file, each with the line it starts on (for messages).

    Yielded one by one: a file of a million lines is never held as a million lists.
    """
    reader = csv.reader(io.StringIO(read_text(path)))
    try:
        line = 1
        for record in reader:
            if any(cell.strip() for cell in record):
                yield line, record
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError.one(path, f"CSV 格式错误：{_csv_reason(exc)}", line=reader.line_num) from None


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's error in Chinese (its wording for the cases Excel and editors produce)."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"单元格过长（超过 {csv.field_size_limit():,} 个字符），可能缺少结尾的引号"
    if "new-line character seen in unquoted field" in text:
        return "未加引号的单元格中有换行"
    return f"无法解析（{text}）"


def _table_rows(path: Path, spec: TableSpec) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]]:
    """A table file's header (its line and cells) and its records; an empty file is refused."""
    rows = _csv_rows(path)
    first = next(rows, None)
    if first is None:
        raise DataError.one(path, "文件为空", table=spec.name)
    header_line, header_row = first
    return header_line, header_row, rows


def _known_row(
    index: dict[str, Row],
    label: str,
    what: str,
    spellings: list[str],
    spec: TableSpec,
    out: Collector,
    line: int,
) -> Row | None:
    """The row ``label`` names, or None once it is reported as an unknown ``what`` (with a suggestion)."""
    row = index.get(normalize_label(label))
    if row is None and out.full:
        out.add("", kind=f"未知的{what}")  # only counted: no suggestion computed
    elif row is None:
        message = f"未知的{what}「{label[:80]}」，{suggestion(label, spellings)}"
        out.add(message, kind=f"未知的{what}", table=spec.name, line=line)
    return row


def _complete(spec: TableSpec, given: dict[Cell, Value], out: Collector) -> Table:
    """The table of the cells read, once no cell is missing and no problem was found."""
    report_missing(spec, given, out, _CSV_BLANK)
    if out.problems:
        raise DataError(out.problems)
    return complete_table(spec, given)


def _column_labels(block: Block) -> list[str]:
    return [c.label for c in block.columns]


def _grid_columns(header_row: list[str], spec: TableSpec, out: Collector, line: int) -> list[Column | None]:
    """The column of each cell after the label (None where the heading is unknown or repeated)."""
    block: Block = spec.blocks[0]
    # Excel/WPS may save empty columns after the table (a stray edit, a formatted range).
    while len(header_row) > 1 and not header_row[-1].strip():
        header_row = header_row[:-1]
    header = [normalize_label(h) for h in header_row]
    if not header or header[0] != normalize_label(LABEL_HEADER):
        out.add(
            f"第一列的表头应为「{LABEL_HEADER}」，读到「{header_row[0] if header_row else ''}」",
            table=spec.name,
            line=line,
        )
    by_label = {normalize_label(c.label): c for c in block.columns}
    columns: list[Column | None] = []
    for raw, norm in zip(header_row[1:], header[1:], strict=True):
        col = by_label.get(norm)
        if col is None:
            out.add(
                f"未知的列「{raw}」，{suggestion(raw, _column_labels(block))}", table=spec.name, line=line
            )
        elif col in columns:
            out.add(f"列「{raw}」重复", table=spec.name, line=line)
            col = None
        columns.append(col)
    return columns


def _grid_cells(
    cells: list[str], columns: list[Column | None], row: Row, spec: TableSpec, out: Collector, line: int
) -> dict[Cell, Value]:
    """The values of one record's cells under ``columns``; cells past the last column must be empty."""
    if len(cells) > len(columns):
        extra = [c for c in cells[len(columns) :] if c.strip()]
        if extra:
            out.add(
                f"多出 {len(cells) - len(columns)} 个单元格（{'、'.join(extra[:3])}）",
                table=spec.name,
                row=row.display_label,
                line=line,
            )
    given: dict[Cell, Value] = {}
    for col, text in zip(columns, cells, strict=False):
        if col is not None and not _left_to_compute(text, row, col):
            given[(row.key, col.key)] = _parse(text, col, row, spec, out, line)
    for col in columns[len(cells) :]:
        if col is not None and not (row.total or col.total):
            given[(row.key, col.key)] = None  # a short CSV line: trailing cells left blank
    return given


def _read_grid_table(path: Path, spec: TableSpec) -> Table:
    """Read a table whose rows are rows and whose columns are the block's columns (三, 四)."""
    out = Collector(str(path))
    header_line, header_row, records = _table_rows(path, spec)
    columns = _grid_columns(header_row, spec, out, header_line)
    index = _row_index(spec)
    spellings = [file_label(r) for _b, r in spec.rows()]
    given: dict[Cell, Value] = {}
    seen: set[str] = set()
    for number, record in records:
        row = _known_row(index, record[0] if record else "", "行", spellings, spec, out, number)
        if row is None:
            continue
        if row.key in seen:
            out.add("此行重复出现", table=spec.name, row=row.display_label, line=number)
            continue
        seen.add(row.key)
        given.update(_grid_cells(record[1:], columns, row, spec, out, number))
    return _complete(spec, given, out)


def _read_long_table(path: Path, spec: TableSpec) -> Table:
    """Read table 二: one line per cell (条款, 信息内容, 指标, 数值), as its blocks differ in columns."""
    out = Collector(str(path))
    header_line, header_row, records = _table_rows(path, spec)
    if [normalize_label(h) for h in header_row[:4]] != [normalize_label(h) for h in T2_HEADERS]:
        out.add(
            f"表头应为「{','.join(T2_HEADERS)}」，读到「{','.join(header_row)}」",
            table=spec.name,
            line=header_line,
        )
        raise DataError(out.problems)
    index = _row_index(spec)
    spellings = [r.label for _b, r in spec.rows()]
    given: dict[Cell, Value] = {}
    for number, record in records:
        clause, label, measure, text = [*record, "", "", "", ""][:4]
        row = _known_row(index, label, "信息内容", spellings, spec, out, number)
        if row is None:
            continue
        block = spec.block_of(row.key)
        if clause.strip() and normalize_label(clause) != normalize_label(block.title):
            out.add(
                f"条款读到「{clause}」，「{row.label}」属于「{block.title}」",
                table=spec.name,
                row=row.label,
                line=number,
            )
        col = next((c for c in block.columns if normalize_label(c.label) == normalize_label(measure)), None)
        if col is None:
            out.add(
                f"未知的指标「{measure}」，{suggestion(measure, _column_labels(block))}",
                table=spec.name,
                row=row.label,
                line=number,
            )
            continue
        if (row.key, col.key) in given:
            out.add("此单元格重复出现", table=spec.name, row=row.label, column=col.label, line=number)
            continue
        if not _left_to_compute(text, row, col):
            given[(row.key, col.key)] = _parse(text, col, row, spec, out, number)
    return _complete(spec, given, out)


def load_bureau_year(folder: Path) -> BureauYear:
    """Read one bureau-year folder; every problem in every file is reported in one DataError.

    Only regular files are read: a symbolic link (to the folder or to any of its files), a FIFO or
    a device is refused and named, so no file outside the project is ever read into a report.
    """
    if folder.is_symlink():
        raise DataError.one(folder, "数据目录是符号链接，拒绝读取：请换成真实的文件夹")
    if not folder.is_dir():
        raise DataError.one(
            folder, "数据目录不存在（应含 meta.toml、table2.csv、table3.csv、table4.csv、narrative.md）"
        )
    problems: list[Problem] = []
    meta: Meta | None = None
    try:
        meta = read_meta(folder / META_FILE)
    except DataError as exc:
        problems.extend(exc.problems)
    if meta is not None and folder.name.isdigit() and int(folder.name) != meta.year:
        problems.append(
            Problem(
                str(folder / META_FILE),
                f"year 为 {meta.year}，但目录名为 {folder.name}：是否复制了去年的文件而未修改？",
            )
        )
    if meta is not None and folder.name.isdigit() and folder.parent.name != meta.slug:
        problems.append(
            Problem(
                str(folder / META_FILE), f"slug 为「{meta.slug}」，但上级目录名为「{folder.parent.name}」"
            )
        )
    fmt = FORMATS[meta.format_id] if meta else None
    tables: dict[str, Table] = {}
    if fmt is not None:
        for spec in fmt.tables:
            path = folder / TABLE_FILES[spec.id]
            try:
                reader = _read_long_table if spec.id == TableId.T2 else _read_grid_table
                tables[spec.id] = reader(path, spec)
            except DataError as exc:
                problems.extend(exc.problems)
    narrative = ""
    try:
        narrative = read_text(folder / NARRATIVE_FILE)
    except DataError as exc:
        problems.extend(exc.problems)
    if problems or meta is None:
        raise DataError(problems)
    return BureauYear(meta, tables, narrative, source=str(folder))


def _cell_text(table: Table, row: Row, col: Column, computed: bool) -> str:
    """A cell as written to CSV: a blank total "/" (so that it reads back blank, not computed), a
    computed total empty unless ``computed`` asks for its value, anything else as formatted."""
    cell = (row.key, col.key)
    if cell in table.computed and not computed:
        return ""
    value = table.cells[cell]
    if value is None and (row.total or col.total):
        return "/"
    return format_value(value)


def table_csv(table: Table, computed: bool = True) -> str:
    """The CSV text of one table, as :func:`load_bureau_year` reads it back.

    Computed totals are written as figures (the file reads like the printed table) unless
    ``computed`` is false: then they are left empty and computed again whenever the file is read.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    spec = table.spec
    if spec.id == TableId.T2:
        writer.writerow(T2_HEADERS)
        for block, row, col in spec.cells():
            writer.writerow([block.title, row.label, col.label, _cell_text(table, row, col, computed)])
    else:
        block = spec.blocks[0]
        writer.writerow([LABEL_HEADER, *(c.label for c in block.columns)])
        for row in block.rows:
            writer.writerow([file_label(row), *(_cell_text(table, row, c, computed) for c in block.columns)])
    return buf.getvalue()


def meta_toml(meta: Meta) -> str:
    return tomli_w.dumps(meta_to_mapping(meta, dates_as_text=False))


def save_bureau_year(by: BureauYear, folder: Path, computed: bool = True) -> None:
    """Write a bureau-year folder (each file atomically); ``computed`` as in :func:`table_csv`."""
    folder.mkdir(parents=True, exist_ok=True)
    write_text(folder / META_FILE, meta_toml(by.meta))
    for table_id, name in TABLE_FILES.items():
        write_text(folder / name, table_csv(by.tables[table_id], computed))
    write_text(folder / NARRATIVE_FILE, by.narrative if by.narrative.endswith("\n") else by.narrative + "\n")
