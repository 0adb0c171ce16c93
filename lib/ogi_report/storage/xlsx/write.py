"""Writing a bureau-year as an Excel workbook in the official layout.

:func:`write_workbook` writes one sheet per table (表二, 表三, 表四) laid out as printed — merged
headers, locked labels, validated entry cells, totals as ``=SUM`` formulas — plus 基本信息 (the
meta) and 正文 (the narrative, one line a row), every cell where :mod:`.layout` says, so that
:mod:`.read` finds it there again.  An imported bureau-year's import record goes on the hidden
导入记录 sheet, and the cells the import could not read are marked in the tables for the analyst.
"""

from __future__ import annotations

import io
import math
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ogi_report.errors import OgiError
from ogi_report.model.bureau import BureauYear, PublisherType, Table, sum_values
from ogi_report.model.values import MAX_DIGITS, expected_text, format_value
from ogi_report.spec.formats import FORMATS, CellKind, Layout
from ogi_report.spec.ids import TableId
from ogi_report.spec.wording import display_width
from ogi_report.storage.mappings import meta_to_mapping
from ogi_report.storage.provenance import CellSource, Provenance
from ogi_report.storage.textfiles import write_bytes
from ogi_report.storage.xlsx.layout import (
    META_FIRST_ROW,
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
    EntryCell,
    LabelCell,
    Role,
    SheetLayout,
    Span,
    meta_fields,
    narrative_digest,
    table_layout,
)

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
_UNREAD_FILL = PatternFill("solid", fgColor="F8CBAD")  # a cell the import could not read: fill it in
_VALUE_FONT = Font(name=_FONT, size=11)
_TOTAL_FONT = Font(name=_FONT, size=11, bold=True)
_UNLOCKED = Protection(locked=False)
_LIMIT = "9" * MAX_DIGITS
_TABLE_NOTE = (
    "说明：浅黄色单元格填写数值（0 也要填写）；浅蓝色为总计，保留公式则导入时按分项计算，"
    "直接填写已发布的数值则原样保留并参与校验。表头与行名已锁定，请勿移动或修改。"
)
_RECORD_NOTE = (
    "导入记录：ogi-report import 从已发布的报告导入时，各单元格是读出（read）、计算（computed）、"
    "未能读出（unread）、格式中没有（absent）还是印出的不是数值（invalid）。由工具写入，"
    "import-xlsx 读回后 check 据此区分未能读出的单元格（IMPORT）与报告本身的空白（BLANK）。请勿修改。"
)
_NARRATIVE_WIDTH = 80  # fits A4 portrait even where a viewer ignores fit-to-width
_NARRATIVE_NOTE = (
    "正文为 Markdown，每行一个单元格，空行留空。正文更适合在数据目录的 narrative.md 中用文本编辑器修改；"
    "在此修改也会在导入（ogi-report import-xlsx）时读回。"
)


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
        need = 8.0 if span.height >= 4 else min(display_width(label.text) + 2, 44)
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
        lines = max(1, math.ceil(display_width(label.text) / max(room, 1.0)))
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


def _note(ws: Worksheet, row: int, width: int, text: str) -> None:
    """A small grey note below a sheet's content, across its ``width`` columns."""
    note = ws.cell(row, 1, text)
    note.font = Font(name=_FONT, size=9, color="555555")
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[row].height = 30


def _unread_note(provenance: Provenance | None, key: tuple[TableId, str, str], kind: CellKind) -> str:
    """Why a blank cell is blank when the import could not read it, for a cell comment; "" else."""
    source = provenance.of(*key) if provenance is not None else CellSource.READ
    if source is CellSource.UNREAD:
        return "导入时未能从报告中读出此单元格（IMPORT）：请对照原报告填写。"
    if source is CellSource.INVALID:
        shown = provenance.printed.get(key, "") if provenance is not None else ""
        return f"报告中此处印为「{shown}」，不是{expected_text(kind)}（N）：请对照原报告填写。"
    return ""


def _write_table(wb: WorkbookType, table: Table, provenance: Provenance | None = None) -> None:
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
        elif note := _unread_note(provenance, (TableId(table.spec.id), row_key, col_key), entry.column.kind):
            _style_span(ws, entry.span, fill=_UNREAD_FILL)
            cell.comment = Comment(note, "ogi-report", width=240, height=80)
        if entry.span.merged:
            ws.merge_cells(entry.span.ref)
        validations[entry.column.kind].add(entry.span.coord)
        used.add(entry.column.kind)
    for kind in used:
        ws.add_data_validation(validations[kind])
    _note(ws, layout.height + 2, layout.width, _TABLE_NOTE)
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
    _note(ws, META_FIRST_ROW + len(meta_fields()) + 1, 3, f"报告格式：{formats}。日期写作 2022-01-07。")
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
            wrapped = math.ceil(display_width(line) / (_NARRATIVE_WIDTH - 2))
            ws.row_dimensions[row].height = 15.0 * min(wrapped, 100) + 3


def _write_record(wb: WorkbookType, provenance: Provenance) -> None:
    """The hidden 导入记录 sheet: the file imported from, then one row per recorded cell."""
    ws = wb.create_sheet(RECORD_SHEET)
    ws["A1"] = _RECORD_NOTE
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(RECORD_HEADER))
    ws.row_dimensions[1].height = 60
    ws.cell(RECORD_SOURCE_ROW, 1, "导入的文件")
    _set_text(ws, f"B{RECORD_SOURCE_ROW}", provenance.source, "导入记录「导入的文件」")
    for i, text in enumerate(RECORD_HEADER, start=1):
        ws.cell(RECORD_HEADER_ROW, i, text).font = _FONTS[Role.COLUMN_HEADER]
    for number, ((table, row, col), source) in enumerate(provenance.cells.items()):
        r = RECORD_FIRST_ROW + number
        for c, text in enumerate((table.value, row, col, source.value), start=1):
            _set_text(ws, f"{get_column_letter(c)}{r}", text, "导入记录")
        printed = provenance.printed.get((table, row, col))
        if printed is not None:
            ws.cell(r, 5).number_format = "@"
            _set_text(ws, f"E{r}", printed, f"导入记录第 {r} 行「印出的文字」")
    for letter, width in zip("ABCDE", (8, 28, 20, 12, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.sheet_state = "hidden"  # the tool's record, not the analyst's; unhiding it shows what was read
    ws.protection.sheet = True


def build_workbook(
    by: BureauYear, narrative: bool = True, provenance: Provenance | None = None
) -> WorkbookType:
    """The workbook of one bureau-year (also used by tests to inspect what is written), with the
    import record ``provenance`` of an imported one."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    record = provenance.within(by.format) if provenance is not None else None
    _write_meta(wb, by)
    for spec in by.format.tables:
        _write_table(wb, by.tables[spec.id], record)
    if narrative:
        _write_narrative(wb, by.narrative)
        # What the 正文 sheet held when written: the import tells from it which side was edited since.
        props = cast(Any, wb).custom_doc_props  # openpyxl ≥ 3.1; its stubs predate it
        props.append(StringProperty(NARRATIVE_DIGEST_PROPERTY, narrative_digest(by.narrative)))
    if record is not None:
        _write_record(wb, record)
    wb.properties.title = by.meta.title
    wb.properties.creator = "ogi-report"
    return wb


def write_workbook(
    by: BureauYear, path: Path, narrative: bool = True, provenance: Provenance | None = None
) -> None:
    """Write the workbook atomically (nothing half-written ever sits at ``path``)."""
    buf = io.BytesIO()
    build_workbook(by, narrative, provenance).save(buf)
    write_bytes(path, buf.getvalue())
