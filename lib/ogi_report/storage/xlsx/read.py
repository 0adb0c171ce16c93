"""Reading a bureau-year back from an Excel workbook written by :mod:`.write` and filled in by hand.

Each value is read from the position :mod:`.layout` gives; every label is checked to still say
what the format says, and every problem is collected, each naming its sheet and cell, before
raising.  openpyxl computes no formulas: a total left as its formula is "not given" and computed,
a total typed over is "given", kept, and checked by the rules like any published total.  The
hidden 导入记录 sheet of an imported bureau-year is read back as its import record, every entry
checked against the format.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ogi_report.errors import DataError, Problem
from ogi_report.model.bureau import BureauYear, Meta, PublisherType, Table, complete_table
from ogi_report.model.values import Invalid, Value, check_value, expected_text, parse_value
from ogi_report.spec.formats import Cell, CellKind, FormatSpec, TableSpec, find_format, format_for_year
from ogi_report.spec.ids import RuleId, TableId
from ogi_report.spec.labels import normalize_label
from ogi_report.storage.archives import WORKBOOK, check_archive
from ogi_report.storage.mappings import Collector, meta_from_mapping
from ogi_report.storage.provenance import (
    SOURCES_TEXT,
    CellSource,
    Key,
    Provenance,
    attach,
    cell_problem,
    parse_source,
)
from ogi_report.storage.textfiles import read_bytes
from ogi_report.storage.xlsx.layout import (
    META_HEADER,
    META_SHEET,
    NARRATIVE_DIGEST_PROPERTY,
    NARRATIVE_FIRST_ROW,
    NARRATIVE_SHEET,
    RECORD_FIRST_ROW,
    RECORD_HEADER,
    RECORD_HEADER_ROW,
    RECORD_SHEET,
    RECORD_SOURCE_ROW,
    MetaField,
    Span,
    meta_fields,
    table_layout,
)

MAX_XLSX_BYTES = 10 * 1024 * 1024  # a filled workbook is ~30 KB; anything this big is the wrong file
MAX_NARRATIVE_LINES = 20_000


@dataclass(frozen=True)
class _Raw:
    """What one sheet cell holds, as openpyxl reads it (formulas unevaluated)."""

    value: Any
    number_format: str
    formula: bool

    @property
    def text(self) -> str:
        if isinstance(self.value, ArrayFormula):
            return self.value.text or ""
        return "" if self.value is None else str(self.value)


_EMPTY = _Raw(None, "General", False)
_PLACES = re.compile(r"^0\.(0+)$")


def _grid(ws: Any, height: int, width: int) -> dict[tuple[int, int], _Raw]:
    """The cells of the top-left ``height`` × ``width`` block (bounded, whatever the sheet holds)."""
    grid: dict[tuple[int, int], _Raw] = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=height, min_col=1, max_col=width), start=1):
        for c, cell in enumerate(row, start=1):
            value = getattr(cell, "value", None)
            if value is None:
                continue
            formula = getattr(cell, "data_type", "") == "f" or isinstance(
                value, (ArrayFormula, DataTableFormula)
            )
            grid[(r, c)] = _Raw(value, getattr(cell, "number_format", None) or "General", formula)
    return grid


def _pad(number: Decimal, number_format: str) -> Decimal:
    """Give an amount the decimal places its cell shows (``0.00`` shows 1.5 as 1.50)."""
    match = _PLACES.match(number_format)
    exponent = number.as_tuple().exponent
    if match and isinstance(exponent, int) and -exponent < len(match.group(1)):
        return number.quantize(Decimal(1).scaleb(-len(match.group(1))))
    return number


def cell_value(raw: Any, kind: CellKind, number_format: str = "General") -> Value | Invalid:
    """The value of a cell as Excel or WPS stores it; :class:`~ogi_report.model.values.Invalid` when
    it is not one.

    Floats are read through their shortest text (``repr``), never ``Decimal(float)``: a cell
    holding 24252.311082 becomes ``Decimal("24252.311082")``.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        return Invalid(f"读到逻辑值 {'TRUE' if raw else 'FALSE'}，应为{expected_text(kind)}")
    if isinstance(raw, (datetime, date, time, timedelta)):
        return Invalid(f"读到日期或时间「{raw}」，应为{expected_text(kind)}（请把单元格格式设为“常规”）")
    if isinstance(raw, str):
        return parse_value(raw, kind)
    number = _cell_number(raw, kind, number_format)
    if isinstance(number, Invalid):
        return number
    problem = check_value(number, kind)
    return number if problem is None else Invalid(problem)


def _cell_number(raw: Any, kind: CellKind, number_format: str) -> int | Decimal | Invalid:
    """A numeric cell as a count or an amount (amounts with the decimal places the cell shows)."""
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return Invalid(f"读到「{raw}」，应为{expected_text(kind)}")
        if kind is CellKind.DECIMAL:
            return _pad(Decimal(repr(raw)), number_format)
        if raw.is_integer():
            return int(raw)
        return Invalid(f"读到小数 {raw!r}，应为{expected_text(kind)}")
    if isinstance(raw, int):
        return _pad(Decimal(raw), number_format) if kind is CellKind.DECIMAL else raw
    return Invalid(f"读到「{raw}」，应为{expected_text(kind)}")


def _same_formula(found: str, expected: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[\s$]", "", text).upper().lstrip("=")

    return norm(found) == norm(expected)


def _where(sheet: str, coord: str) -> str:
    return f"「{sheet}」!{coord}"


def _check_labels(
    grid: dict[tuple[int, int], _Raw], labels: Iterable[tuple[Span, str]], sheet: str, out: Collector
) -> bool:
    """Report every label cell that no longer says what the format says; True when all do."""
    ok = True
    for span, text in labels:
        found = grid.get((span.row, span.col), _EMPTY).text
        if normalize_label(found) != normalize_label(text):
            ok = False
            shown = f"「{found[:60]}」" if found.strip() else "空白"
            out.add(
                f"{_where(sheet, span.coord)}：应为「{text}」，读到{shown}。表头和行名不可移动或修改；"
                "请用 ogi-report xlsx 重新生成工作簿后再填写",
                table=sheet,
            )
    return ok


def _read_table(wb: Any, spec: TableSpec, out: Collector) -> Table | None:
    layout = table_layout(spec)
    if layout.sheet not in wb.sheetnames:
        out.add(f"缺少工作表「{layout.sheet}」（工作表名不可修改）", table=spec.name)
        return None
    grid = _grid(wb[layout.sheet], layout.height, layout.width)
    # A moved label means every value may sit elsewhere: report the labels, not misread values.
    if not _check_labels(grid, ((lab.span, lab.text) for lab in layout.labels), layout.sheet, out):
        return None
    given: dict[Cell, Value] = {}
    failed = False
    for key, entry in layout.entries.items():
        raw = grid.get((entry.span.row, entry.span.col), _EMPTY)
        where = {"table": spec.name, "row": entry.row.display_label, "column": entry.column.label}
        at = _where(layout.sheet, entry.span.coord)
        if raw.formula:
            if entry.formula is not None and _same_formula(raw.text, entry.formula):
                continue  # not given: computed from the parts, as Excel shows it
            expected = f"保留公式「{entry.formula}」或直接填写数值" if entry.formula else "填写数值"
            out.add(f"{at}：读到公式「{raw.text}」，导入时不计算公式，应{expected}", **where)
            failed = True
            continue
        value = cell_value(raw.value, entry.column.kind, raw.number_format)
        if isinstance(value, Invalid):
            out.add(f"{at}：{value.message}", rule=RuleId.N, **where)
            failed = True
        else:
            given[key] = value
    return None if failed else complete_table(spec, given)


def _meta_value(field: MetaField, raw: _Raw) -> Any:
    """A 基本信息 value as :func:`meta_from_mapping` expects it."""
    value = raw.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if field.key == "publisher_type" and isinstance(value, str):
        labels = {p.label: p.value for p in PublisherType}
        return labels.get(value.strip(), value.strip())
    if field.key in ("publish_date", "deadline") and isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?\s*", value)
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else value
    if field.key == "year":
        return value
    if isinstance(value, (int, float)):
        return str(value)  # a phone number or format id typed as a number
    return value


def _read_meta(wb: Any, out: Collector) -> tuple[Meta | None, FormatSpec | None]:
    """The meta, and the format to read the tables with (known even when other meta is wrong)."""
    if META_SHEET not in wb.sheetnames:
        out.add(f"缺少工作表「{META_SHEET}」（工作表名不可修改）", table=META_SHEET)
        return None, None
    fields = meta_fields()
    grid = _grid(wb[META_SHEET], fields[-1].row, 3)
    labels = [(Span(1, i), t) for i, t in enumerate(META_HEADER, start=1)]
    labels += [(Span(f.row, 2), f.key) for f in fields]
    if not _check_labels(grid, labels, META_SHEET, out):
        return None, None
    data: dict[str, Any] = {}
    contact: dict[str, Any] = {}
    for f in fields:
        raw = grid.get((f.row, 3), _EMPTY)
        if raw.formula:
            out.add(
                f"{_where(META_SHEET, f.value_coord)}：读到公式「{raw.text}」，应直接填写",
                table=META_SHEET,
                row=f.label,
            )
            continue
        value = _meta_value(f, raw)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if f.key.startswith("contact."):
            contact[f.key.split(".", 1)[1]] = value
        else:
            data[f.key] = value
    if contact:
        data["contact"] = contact
    inner = Collector(out.file)
    meta = meta_from_mapping(data, inner)
    for problem in inner.problems:
        field = next((f for f in fields if f"「{f.key}」" in problem.message), None)
        if field is None:
            field = next(
                (f for f in fields if f.key.startswith("contact.") and "「contact" in problem.message), None
            )
        at = f"{_where(META_SHEET, field.value_coord)}（{field.label}）：" if field else ""
        out.add(at + problem.message, table=META_SHEET, row=field.label if field else "")
    if meta is not None:
        return meta, meta.format
    fmt = find_format(str(data.get("format", "")))
    if fmt is None and isinstance(data.get("year"), int):
        fmt = format_for_year(data["year"])
    return None, fmt


def _read_narrative(wb: Any, out: Collector) -> str | None:
    if NARRATIVE_SHEET not in wb.sheetnames:
        return None
    ws = wb[NARRATIVE_SHEET]
    lines: list[str] = []
    # Bounded: a sheet may claim a million (empty) rows when a whole column was formatted.
    last = NARRATIVE_FIRST_ROW + MAX_NARRATIVE_LINES
    for row in ws.iter_rows(min_row=NARRATIVE_FIRST_ROW, max_row=last, max_col=1):
        value = getattr(row[0], "value", None) if row else None
        lines.append("" if value is None else value if isinstance(value, str) else _number_text(value))
    if len(lines) > MAX_NARRATIVE_LINES and lines[-1]:
        out.add(f"正文超过 {MAX_NARRATIVE_LINES} 行，拒绝读取", table=NARRATIVE_SHEET)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def _read_record(wb: Any, fmt: FormatSpec, out: Collector) -> Provenance | None:
    """The import record on the hidden 导入记录 sheet; None when the workbook has none (data typed
    in by hand) or it has a problem (each added to ``out`` with its cell)."""
    if RECORD_SHEET not in wb.sheetnames:
        return None
    ncells = sum(1 for spec in fmt.tables for _cell in spec.cells())
    # Bounded: one row per cell of the format, and one more to tell a sheet holding more.
    height = RECORD_FIRST_ROW + ncells
    grid = _grid(wb[RECORD_SHEET], height, len(RECORD_HEADER))
    labels = [(Span(RECORD_HEADER_ROW, i), text) for i, text in enumerate(RECORD_HEADER, start=1)]
    if not _check_labels(grid, labels, RECORD_SHEET, out):
        return None
    before = out.count
    cells: dict[Key, CellSource] = {}
    printed: dict[Key, str] = {}
    rows: dict[Key, int] = {}
    for r in range(RECORD_FIRST_ROW, height + 1):
        raws = [grid.get((r, c), _EMPTY) for c in range(1, len(RECORD_HEADER) + 1)]
        if all(raw.value is None for raw in raws):
            continue
        if r == height:
            out.add(
                f"{_where(RECORD_SHEET, f'A{r}')}：导入记录多于本格式的 {ncells} 个单元格", table=RECORD_SHEET
            )
            break
        entry = _record_entry(raws, fmt, r, out)
        if entry is None:
            continue
        key, source, text = entry
        if key in rows:
            out.add(
                f"{_where(RECORD_SHEET, f'A{r}')}：与第 {rows[key]} 行记的是同一个单元格（{'.'.join(key)}）",
                table=RECORD_SHEET,
            )
            continue
        rows[key], cells[key] = r, source
        if text:
            printed[key] = text
    source_raw = grid.get((RECORD_SOURCE_ROW, 2), _EMPTY)
    if out.count > before:
        return None
    return Provenance(cells, source_raw.text, printed)


def _record_entry(
    raws: list[_Raw], fmt: FormatSpec, r: int, out: Collector
) -> tuple[Key, CellSource, str] | None:
    """One row of the 导入记录 sheet: the cell, its source and its printed text; None (and the
    problem added to ``out``) when the row names no cell of the format or no source."""
    if any(raw.formula for raw in raws):
        out.add(f"{_where(RECORD_SHEET, f'A{r}')}：导入记录中不应有公式", table=RECORD_SHEET)
        return None
    table, row, col, source_text, text = (raw.text.strip() for raw in raws)
    problem = cell_problem(fmt, table, row, col)
    if problem is not None:
        out.add(f"{_where(RECORD_SHEET, f'A{r}:C{r}')}：{problem}", table=RECORD_SHEET)
        return None
    source = parse_source(source_text)
    if source is None:
        shown = f"「{source_text[:60]}」" if source_text else "空白"
        out.add(
            f"{_where(RECORD_SHEET, f'D{r}')}：来源应为 {SOURCES_TEXT} 之一，读到{shown}", table=RECORD_SHEET
        )
        return None
    if text and source is not CellSource.INVALID:
        out.add(
            f"{_where(RECORD_SHEET, f'E{r}')}：只有来源为 invalid 的单元格记有印出的文字，"
            f"此单元格的来源是 {source}",
            table=RECORD_SHEET,
        )
        return None
    return (TableId(table), row, col), source, raws[4].text


def _number_text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    return str(value)


def _open_checked(path: Path) -> Any:
    """Open a workbook read-only after refusing what is not a sane xlsx (size, zip, bomb)."""
    data = read_bytes(path, MAX_XLSX_BYTES)
    check_archive(data, path, WORKBOOK)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a malformed file; all mean "corrupt"
        raise DataError.one(path, f"工作簿已损坏，无法打开（{type(exc).__name__}: {exc}）") from exc


@dataclass(frozen=True)
class WorkbookOrigin:
    """What a workbook says of where it came from: of its 正文 sheet, for an import that must not
    lose narrative edits, and the import record of an imported bureau-year."""

    has_narrative: bool  # the workbook has a 正文 sheet
    exported_digest: str | None  # :func:`narrative_digest` of the narrative it was written with
    provenance: Provenance | None = None  # the import record of its 导入记录 sheet, when it has one


def read_workbook(path: Path, narrative: str | None = None) -> BureauYear:
    """Read a workbook written by :func:`write_workbook` (and edited by an analyst).

    ``narrative`` is used when the workbook has no 正文 sheet (e.g. the existing narrative.md);
    without either, that is an error.  Every problem is collected into one :class:`DataError`.
    """
    return read_workbook_origin(path, narrative)[0]


def read_workbook_origin(path: Path, narrative: str | None = None) -> tuple[BureauYear, WorkbookOrigin]:
    """:func:`read_workbook`, and what the workbook says of its 正文 sheet (:class:`WorkbookOrigin`)."""
    wb = _open_checked(path)
    out = Collector(str(path))
    try:
        stamp = next((p.value for p in wb.custom_doc_props if p.name == NARRATIVE_DIGEST_PROPERTY), None)
        meta, fmt = _read_meta(wb, out)
        tables: dict[str, Table] = {}
        for spec in fmt.tables if fmt else ():
            table = _read_table(wb, spec, out)
            if table is not None:
                tables[spec.id] = table
        provenance = _read_record(wb, fmt, out) if fmt else None
        text = _read_narrative(wb, out)
    except DataError:
        raise
    except Exception as exc:  # a malformed part only met while streaming the sheet
        raise DataError.one(path, f"工作簿已损坏，无法读取（{type(exc).__name__}: {exc}）") from exc
    finally:
        wb.close()
    has_narrative = text is not None
    if text is None:
        if narrative is None:
            out.add(f"缺少工作表「{NARRATIVE_SHEET}」（正文）", table=NARRATIVE_SHEET)
        text = narrative or ""
    if out.problems or meta is None:
        raise DataError(out.problems or [Problem(str(path), "基本信息无法读取", table=META_SHEET)])
    origin = WorkbookOrigin(has_narrative, stamp if isinstance(stamp, str) else None, provenance)
    by = BureauYear(meta, tables, text, source=str(path))
    if provenance is not None:
        attach(by, provenance)
    return by, origin
