"""A bureau-year as an Excel workbook in the official layout, and back.

:func:`write_workbook` writes one sheet per table (表二, 表三, 表四) laid out as printed — merged
headers, locked labels, validated entry cells, totals as ``=SUM`` formulas — plus 基本信息 (the
meta) and 正文 (the narrative, one line a row).  :func:`read_workbook` reads such a workbook back
from the same positions (:mod:`ogi_report.storage.xlsx_layout`), checks that every label still says what
the format says, and collects every problem, each naming its sheet and cell, before raising.

openpyxl computes no formulas: a total left as its formula is "not given" and computed, a total
typed over is "given", kept, and checked by the rules like any published total.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ogi_report.errors import DataError, OgiError, Problem
from ogi_report.model.bureau import BureauYear, Meta, PublisherType, Table, complete_table, sum_values
from ogi_report.model.values import (
    MAX_DIGITS,
    Value,
    ValueProblem,
    check_value,
    expected_text,
    format_value,
    parse_value,
)
from ogi_report.spec.formats import FORMATS, Cell, CellKind, FormatSpec, Layout, TableSpec, format_for_year
from ogi_report.spec.labels import normalize_label
from ogi_report.storage.mappings import Collector, meta_from_mapping, meta_to_mapping
from ogi_report.storage.textfiles import read_bytes, write_bytes
from ogi_report.storage.xlsx_layout import (
    META_FIRST_ROW,
    META_HEADER,
    META_SHEET,
    EntryCell,
    LabelCell,
    MetaField,
    Role,
    SheetLayout,
    Span,
    meta_fields,
    table_layout,
)

NARRATIVE_SHEET = "正文"
NARRATIVE_FIRST_ROW = 3
MAX_XLSX_BYTES = 10 * 1024 * 1024  # a filled workbook is ~30 KB; anything this big is the wrong file
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # what the zip may expand to (refuses zip bombs up front)
MAX_ZIP_MEMBERS = 500
MAX_NARRATIVE_LINES = 20_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, and password-encrypted .xlsx

# ---------------------------------------------------------------------------------------------
# Writing

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"
_FONTS = {
    Role.TITLE: Font(name="黑体", size=14, bold=True),
    Role.BLOCK_TITLE: Font(name=_FONT, size=11, bold=True),
    Role.CORNER: Font(name=_FONT, size=10),
    Role.COLUMN_HEADER: Font(name=_FONT, size=11, bold=True),
    Role.ROW_LABEL: Font(name=_FONT, size=11),
}
_HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
_ENTRY_FILL = PatternFill("solid", fgColor="FFF8DC")
_TOTAL_FILL = PatternFill("solid", fgColor="DDE7F3")
_VALUE_FONT = Font(name=_FONT, size=11)
_TOTAL_FONT = Font(name=_FONT, size=11, bold=True)
_UNLOCKED = Protection(locked=False)
_LIMIT = "9" * MAX_DIGITS
_TABLE_NOTE = (
    "说明：浅黄色单元格填写数值（0 也要填写）；浅蓝色为总计，保留公式则导入时按分项计算，"
    "直接填写已发布的数值则原样保留并参与校验。表头与行名已锁定，请勿移动或修改。"
)
_NARRATIVE_WIDTH = 80  # fits A4 portrait even where a viewer ignores fit-to-width
_NARRATIVE_NOTE = (
    "正文为 Markdown，每行一个单元格，空行留空。正文更适合在数据目录的 narrative.md 中用文本编辑器修改；"
    "在此修改也会在导入（ogi-report import-xlsx）时读回。"
)


def _display_width(text: str) -> int:
    """Width in Excel column units: CJK characters count twice."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _check_text(text: str, where: str) -> str:
    """Refuse characters an xlsx file cannot hold, saying where they are."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise OgiError(f"{where}含有 Excel 无法保存的控制字符，请先删除后再导出")
    return text


def _set_text(ws: Worksheet, coord: str, text: str, where: str) -> None:
    cell = ws[coord]
    cell.value = _check_text(text, where)
    if text.startswith("="):  # text, not a formula
        cell.data_type = "s"


def _excel_number(value: int | Decimal) -> tuple[int | float | str, str]:
    """The cell value and number format that show ``value`` exactly.

    openpyxl writes a Decimal through a lossy conversion, so amounts go out as floats (exact for
    the at most 15 digits a cell may hold) with as many decimal places as the Decimal has.
    """
    if isinstance(value, int):
        return value, "General"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value), "General"
    places = -exponent if isinstance(exponent, int) else 0
    number = float(value)
    if Decimal(repr(number)) != value:
        return format_value(value), "@"  # cannot happen within MAX_DIGITS; text keeps it exact
    return number, "0." + "0" * places


def _formula_shows_value(entry: EntryCell, table: Table) -> bool:
    """Whether a total cell can be its formula: the SUM shows exactly the table's value."""
    value = table.get(entry.row.key, entry.column.key)
    if value is None:
        return False
    if entry.column.total:
        parts = [table.get(entry.row.key, c.key) for c in entry.block.columns if not c.total]
    else:
        parts = [table.get(r.key, entry.column.key) for r in entry.block.rows if r.in_total]
    return format_value(value) == format_value(sum_values(parts))


def _validation(kind: CellKind) -> DataValidation:
    """The entry rule Excel/WPS enforce while typing, with a Chinese message."""
    rules: dict[CellKind, dict[str, Any]] = {
        CellKind.COUNT: {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"},
        CellKind.SIGNED: {
            "type": "whole",
            "operator": "between",
            "formula1": f"-{_LIMIT}",
            "formula2": _LIMIT,
        },
        CellKind.DECIMAL: {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"},
    }
    return DataValidation(
        **rules[kind],
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="数值不符合要求",
        error=f"此处应填写{expected_text(kind)}。不能填写文字或单位。",
        showInputMessage=True,
        promptTitle="填写说明",
        prompt=f"填写{expected_text(kind)}",
    )


def _style_span(ws: Worksheet, span: Span, **style: Any) -> None:
    """Style every cell of a span (merged cells too, so borders are drawn all round)."""
    for r in range(span.row, span.last_row + 1):
        for c in range(span.col, span.last_col + 1):
            cell = ws.cell(r, c)
            for name, value in style.items():
                setattr(cell, name, value)


def _label(ws: Worksheet, label: LabelCell) -> None:
    inner = label.role is Role.ROW_LABEL and label.span.height == 1
    align = Alignment(
        horizontal="left" if inner else "center",
        vertical="center",
        wrap_text=True,
    )
    bordered = label.role is not Role.TITLE
    style: dict[str, Any] = {"alignment": align, "font": _FONTS[label.role]}
    if bordered:
        style["border"] = _BORDER
    if label.role in (Role.COLUMN_HEADER, Role.CORNER, Role.BLOCK_TITLE):
        style["fill"] = _HEADER_FILL
    _style_span(ws, label.span, **style)
    ws[label.span.coord] = label.text
    if label.span.merged:
        ws.merge_cells(label.span.ref)


def _size_sheet(ws: Worksheet, layout: SheetLayout) -> None:
    """CJK-friendly widths from the labels; row heights for wrapped single-row labels."""
    widths = dict.fromkeys(range(1, layout.width + 1), 8.0)
    for label in layout.labels:
        span = label.span
        if span.width != 1:
            continue
        # A label over many rows wraps into a narrow column (三、本年度办理结果).
        need = 8.0 if span.height >= 4 else min(_display_width(label.text) + 2, 44)
        widths[span.col] = max(widths[span.col], need)
    if layout.spec.layout is Layout.ROWS:  # entry columns: room for numbers and the headers
        for col in range(layout.label_columns + 1, layout.width + 1):
            widths[col] = max(widths[col], 11.0)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for label in layout.labels:
        span = label.span
        if span.height != 1 or label.role is Role.TITLE:
            continue
        room = sum(widths[c] for c in range(span.col, span.last_col + 1)) - 1
        lines = max(1, math.ceil(_display_width(label.text) / max(room, 1.0)))
        current = ws.row_dimensions[span.row].height or 0
        ws.row_dimensions[span.row].height = max(current, 15.0 * lines + 5)
    ws.row_dimensions[1].height = 26


def _fit_width(ws: Worksheet, landscape: bool) -> None:
    """A4, every column on one page width, as many pages down as needed."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)


def _print_setup(ws: Worksheet, layout: SheetLayout) -> None:
    _fit_width(ws, layout.landscape)
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{Span(layout.height, layout.width).coord}"
    ws.print_title_rows = f"{layout.header_rows[0]}:{layout.header_rows[1]}"


def _protect(ws: Worksheet) -> None:
    """Lock the labels; no password, so an analyst who must can still unprotect the sheet."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column or row stays allowed
    ws.protection.formatRows = False


def _write_table(wb: WorkbookType, table: Table) -> None:
    layout = table_layout(table.spec)
    ws = wb.create_sheet(layout.sheet)
    for label in layout.labels:
        _label(ws, label)
    validations = {kind: _validation(kind) for kind in CellKind}
    used: set[CellKind] = set()
    for (row_key, col_key), entry in layout.entries.items():
        value = table.get(row_key, col_key)
        total = entry.is_total
        _style_span(
            ws,
            entry.span,
            border=_BORDER,
            fill=_TOTAL_FILL if total else _ENTRY_FILL,
            font=_TOTAL_FONT if total else _VALUE_FONT,
            alignment=Alignment(horizontal="center", vertical="center"),
            protection=_UNLOCKED,
        )
        cell = ws[entry.span.coord]
        if entry.formula is not None and _formula_shows_value(entry, table):
            cell.value = entry.formula
        elif value is not None:
            cell.value, cell.number_format = _excel_number(value)
        if entry.span.merged:
            ws.merge_cells(entry.span.ref)
        validations[entry.column.kind].add(entry.span.coord)
        used.add(entry.column.kind)
    for kind in used:
        ws.add_data_validation(validations[kind])
    note = ws.cell(layout.height + 2, 1, _TABLE_NOTE)
    note.font = Font(name=_FONT, size=9, color="555555")
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(
        start_row=layout.height + 2, start_column=1, end_row=layout.height + 2, end_column=layout.width
    )
    ws.row_dimensions[layout.height + 2].height = 30
    if layout.freeze:
        ws.freeze_panes = layout.freeze
    _size_sheet(ws, layout)
    _print_setup(ws, layout)
    _protect(ws)


def _write_meta(wb: WorkbookType, by: BureauYear) -> None:
    ws = wb.create_sheet(META_SHEET)
    mapping = meta_to_mapping(by.meta, dates_as_text=False)
    contact = mapping.pop("contact", {})
    for i, text in enumerate(META_HEADER, start=1):
        cell = ws.cell(1, i, text)
        cell.font, cell.fill, cell.border = _FONTS[Role.COLUMN_HEADER], _HEADER_FILL, _BORDER
    for f in meta_fields():
        raw = contact.get(f.key.split(".", 1)[1]) if f.key.startswith("contact.") else mapping.get(f.key)
        ws.cell(f.row, 1, f.label).border = _BORDER
        ws.cell(f.row, 2, f.key).border = _BORDER
        cell = ws[f.value_coord]
        cell.border, cell.fill, cell.protection = _BORDER, _ENTRY_FILL, _UNLOCKED
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        if f.key == "publisher_type":
            cell.value = PublisherType(raw).label if raw else None
            _list_validation(ws, cell.coordinate, [p.label for p in PublisherType])
        elif f.key == "format":
            cell.value, cell.number_format = raw, "@"
            _list_validation(ws, cell.coordinate, list(FORMATS))
        elif isinstance(raw, date):
            cell.value, cell.number_format = raw, "yyyy-mm-dd"
        elif isinstance(raw, int):
            cell.value, cell.number_format = raw, "0"
        elif raw is not None:
            cell.number_format = "@"
            _set_text(ws, cell.coordinate, str(raw), f"基本信息「{f.label}」")
    formats = "；".join(f"{spec.id} = {spec.name}（{spec.basis}）" for spec in FORMATS.values())
    note_row = META_FIRST_ROW + len(meta_fields()) + 1
    note = ws.cell(note_row, 1, f"报告格式：{formats}。日期写作 2022-01-07。")
    note.font = Font(name=_FONT, size=9, color="555555")
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=3)
    ws.row_dimensions[note_row].height = 30
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 48
    _fit_width(ws, landscape=False)
    ws.protection.sheet = True
    ws.protection.formatColumns = False


def _list_validation(ws: Worksheet, coord: str, choices: list[str]) -> None:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请从列表中选择",
        error="可选：" + "、".join(choices),
    )
    dv.add(coord)
    ws.add_data_validation(dv)


def _write_narrative(wb: WorkbookType, narrative: str) -> None:
    ws = wb.create_sheet(NARRATIVE_SHEET)
    ws["A1"] = _NARRATIVE_NOTE
    ws["A1"].font = Font(name=_FONT, size=10, color="555555")
    ws["A1"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[1].height = 32
    ws["A2"] = "正文（Markdown）"
    ws["A2"].font = _FONTS[Role.COLUMN_HEADER]
    ws.column_dimensions["A"].width = _NARRATIVE_WIDTH
    _fit_width(ws, landscape=False)
    lines = narrative.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file's final newline, restored on import
    for number, line in enumerate(lines, start=1):
        if line:
            row = NARRATIVE_FIRST_ROW + number - 1
            _set_text(ws, f"A{row}", line, f"正文第 {number} 行")
            ws[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="top")
            # Excel and LibreOffice do not grow a row for wrapped text written by a program.
            wrapped = math.ceil(_display_width(line) / (_NARRATIVE_WIDTH - 2))
            ws.row_dimensions[row].height = 15.0 * min(wrapped, 100) + 3


def build_workbook(by: BureauYear, narrative: bool = True) -> WorkbookType:
    """The workbook of one bureau-year (also used by tests to inspect what is written)."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    _write_meta(wb, by)
    for spec in by.format.tables:
        _write_table(wb, by.tables[spec.id])
    if narrative:
        _write_narrative(wb, by.narrative)
    wb.properties.title = by.meta.title
    wb.properties.creator = "ogi-report"
    return wb


def write_workbook(by: BureauYear, path: Path, narrative: bool = True) -> None:
    """Write the workbook atomically (nothing half-written ever sits at ``path``)."""
    buf = io.BytesIO()
    build_workbook(by, narrative).save(buf)
    write_bytes(path, buf.getvalue())


# ---------------------------------------------------------------------------------------------
# Reading


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


def cell_value(raw: Any, kind: CellKind, number_format: str = "General") -> Value:
    """The value of a cell as Excel or WPS stores it; :class:`ValueProblem` when it is not one.

    Floats are read through their shortest text (``repr``), never ``Decimal(float)``: a cell
    holding 24252.311082 becomes ``Decimal("24252.311082")``.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueProblem(f"读到逻辑值 {'TRUE' if raw else 'FALSE'}，应为{expected_text(kind)}")
    if isinstance(raw, (datetime, date, time, timedelta)):
        raise ValueProblem(f"读到日期或时间「{raw}」，应为{expected_text(kind)}（请把单元格格式设为“常规”）")
    if isinstance(raw, str):
        return parse_value(raw, kind)
    number: int | Decimal
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueProblem(f"读到「{raw}」，应为{expected_text(kind)}")
        if kind is CellKind.DECIMAL:
            number = _pad(Decimal(repr(raw)), number_format)
        elif raw.is_integer():
            number = int(raw)
        else:
            raise ValueProblem(f"读到小数 {raw!r}，应为{expected_text(kind)}")
    elif isinstance(raw, int):
        number = _pad(Decimal(raw), number_format) if kind is CellKind.DECIMAL else raw
    else:
        raise ValueProblem(f"读到「{raw}」，应为{expected_text(kind)}")
    problem = check_value(number, kind)
    if problem:
        raise ValueProblem(problem)
    return number


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
        try:
            given[key] = cell_value(raw.value, entry.column.kind, raw.number_format)
        except ValueProblem as exc:
            out.add(f"{at}：{exc}", rule="N", **where)
            failed = True
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
    fmt = FORMATS.get(str(data.get("format", "")))
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


def _number_text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    return str(value)


def _open_checked(path: Path) -> Any:
    """Open a workbook read-only after refusing what is not a sane xlsx (size, zip, bomb)."""
    data = read_bytes(path, MAX_XLSX_BYTES)
    if data.startswith(_OLE_MAGIC):
        raise DataError.one(
            path, "这是旧版 .xls/.et 文件或设置了打开密码的工作簿：请在 Excel/WPS 中取消密码并“另存为 .xlsx”"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DataError.one(path, "不是 .xlsx 工作簿（文件不是 zip 格式），请选择 ogi-report xlsx 生成的文件")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError.one(path, f"工作簿已损坏，无法打开（{exc}）") from exc
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise DataError.one(
            path,
            f"工作簿解压后过大（{len(infos)} 个部件，{unpacked} 字节，上限 {MAX_UNPACKED_BYTES}），拒绝读取",
        )
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise DataError.one(
            path, "不是 .xlsx 工作簿（缺少 xl/workbook.xml），请选择 ogi-report xlsx 生成的文件"
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a malformed file; all mean "corrupt"
        raise DataError.one(path, f"工作簿已损坏，无法打开（{type(exc).__name__}: {exc}）") from exc


def read_workbook(path: Path, narrative: str | None = None) -> BureauYear:
    """Read a workbook written by :func:`write_workbook` (and edited by an analyst).

    ``narrative`` is used when the workbook has no 正文 sheet (e.g. the existing narrative.md);
    without either, that is an error.  Every problem is collected into one :class:`DataError`.
    """
    wb = _open_checked(path)
    out = Collector(str(path))
    try:
        meta, fmt = _read_meta(wb, out)
        tables: dict[str, Table] = {}
        for spec in fmt.tables if fmt else ():
            table = _read_table(wb, spec, out)
            if table is not None:
                tables[spec.id] = table
        text = _read_narrative(wb, out)
    except DataError:
        raise
    except Exception as exc:  # a malformed part only met while streaming the sheet
        raise DataError.one(path, f"工作簿已损坏，无法读取（{type(exc).__name__}: {exc}）") from exc
    finally:
        wb.close()
    if text is None:
        if narrative is None:
            out.add(f"缺少工作表「{NARRATIVE_SHEET}」（正文）", table=NARRATIVE_SHEET)
        text = narrative or ""
    if out.problems or meta is None:
        raise DataError(out.problems or [Problem(str(path), "基本信息无法读取", table=META_SHEET)])
    return BureauYear(meta, tables, text, source=str(path))
