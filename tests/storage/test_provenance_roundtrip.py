"""The import record travels with the data through the JSON form and the workbook.

A bureau-year imported from a published report keeps, in ``import.json``, which cells the import
could not read (IMPORT, not BLANK) and what an invalid cell held as printed (N).  These tests take
real imports with such cells (平潭 2021: 46 cells unread; 上海市政府办公厅 2019: 「251000元」 printed
in a count), send them through ``jsonform`` and the workbook and back, and compare ``check``'s
findings cell by cell; a cell the analyst fills in on the way is no longer reported.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from kit import FIXTURES
from ogi_report.checks.runner import check
from ogi_report.errors import DataError
from ogi_report.importers import ImportOptions, import_report
from ogi_report.model.bureau import BureauYear, complete_table
from ogi_report.spec.formats import FORMATS
from ogi_report.spec.ids import TableId
from ogi_report.storage import jsonform
from ogi_report.storage.folder import load_bureau_year, save_bureau_year
from ogi_report.storage.provenance import (
    PROVENANCE_FILE,
    CellSource,
    Provenance,
    provenance_of,
    read_provenance,
    unread_cells,
    write_provenance,
)
from ogi_report.storage.staging import write_imported
from ogi_report.storage.xlsx import read_workbook_origin, write_workbook
from ogi_report.storage.xlsx.layout import RECORD_FIRST_ROW, RECORD_SHEET, table_layout

PINGTAN = FIXTURES / "corpus" / "pingtan-2021.txt"  # table 三's rows run together: 46 cells unread
SH_OFFICE = FIXTURES / "corpus" / "sh-office-2019.html"  # 「251000元」 as 采购总金额: invalid
UNREAD = (TableId.T3, "new", "natural_person")  # one of pingtan's unread cells

Located = tuple[str, str, str, str, str]  # rule, table, row, column, found


def imported_folder(tmp_path: Path, report: Path, slug: str) -> Path:
    """The data folder ``ogi-report import`` writes for ``report``, import.json included."""
    result = import_report(report, ImportOptions(slug))
    folder = tmp_path / "data" / slug / str(result.by.meta.year)
    write_imported(result.by, folder, False, "", result.provenance)
    return folder


def findings(by: BureauYear) -> list[Located]:
    return [(f.rule, f.table, f.row, f.column, f.found) for f in check(by).findings]


def rules(located: list[Located]) -> set[str]:
    return {f[0] for f in located}


@pytest.fixture
def pingtan(tmp_path: Path) -> Path:
    folder = imported_folder(tmp_path, PINGTAN, "pingtan")
    record = read_provenance(folder)
    assert record is not None and record.tally()[CellSource.UNREAD] > 0, (
        "the fixture must keep unread cells: pick another report if the importer now reads them all"
    )
    return folder


def via_json(by: BureauYear) -> tuple[BureauYear, Provenance | None]:
    return jsonform.loads_with_provenance(jsonform.dumps(by, provenance_of(by)), "x.json")


def via_workbook(by: BureauYear, path: Path) -> tuple[BureauYear, Provenance | None]:
    write_workbook(by, path, provenance=provenance_of(by))
    book, origin = read_workbook_origin(path)
    return book, origin.provenance


@pytest.mark.parametrize("form", ["json", "xlsx"])
@pytest.mark.parametrize(("report", "slug"), [(PINGTAN, "pingtan"), (SH_OFFICE, "sh")])
def test_check_says_the_same_after_a_round_trip(tmp_path: Path, form: str, report: Path, slug: str) -> None:
    folder = imported_folder(tmp_path, report, slug)
    by = load_bureau_year(folder)
    before = findings(by)
    assert rules(before) & {"IMPORT", "N"}, "the fixture must have cells the import could not read"
    again, record = via_json(by) if form == "json" else via_workbook(by, tmp_path / "book.xlsx")
    assert record == read_provenance(folder)
    assert findings(again) == before  # in memory: the record is attached to what was read
    out = tmp_path / "again" / slug / str(by.meta.year)
    write_imported(again, out, False, "", record)
    assert (out / PROVENANCE_FILE).read_text("utf-8") == (folder / PROVENANCE_FILE).read_text("utf-8")
    assert findings(load_bureau_year(out)) == before


def test_the_printed_text_of_an_invalid_cell_survives_both_forms(tmp_path: Path) -> None:
    by = load_bureau_year(imported_folder(tmp_path, SH_OFFICE, "sh"))
    for again, _record in (via_json(by), via_workbook(by, tmp_path / "book.xlsx")):
        n = [f for f in findings(again) if f[0] == "N"]
        assert [(f[3], f[4]) for f in n] == [("采购总金额", "251000元")]
        assert "BLANK" in rules(findings(again))  # the report's own blanks stay BLANK


def test_without_a_record_the_forms_read_as_before(tmp_path: Path, pingtan: Path) -> None:
    by = load_bureau_year(pingtan)
    data = json.loads(jsonform.dumps(by))
    assert "import" not in data
    plain, record = jsonform.loads_with_provenance(json.dumps(data, ensure_ascii=False), "x.json")
    assert record is None and provenance_of(plain) is None
    assert "IMPORT" not in rules(findings(plain)) and "BLANK" in rules(findings(plain))
    write_workbook(by, tmp_path / "book.xlsx")
    assert RECORD_SHEET not in openpyxl.load_workbook(tmp_path / "book.xlsx").sheetnames
    book, origin = read_workbook_origin(tmp_path / "book.xlsx")
    assert origin.provenance is None and "IMPORT" not in rules(findings(book))


def _filled(by: BureauYear, value: int) -> BureauYear:
    table, row, col = UNREAD
    spec = by.tables[table].spec
    given = {k: v for k, v in by.tables[table].cells.items() if k not in by.tables[table].computed}
    return replace(by, tables={**by.tables, table: complete_table(spec, {**given, (row, col): value})})


def _imported_cells(located: list[Located]) -> set[tuple[str, str]]:
    return {(f[2], f[3]) for f in located if f[0] == "IMPORT"}


def test_a_cell_filled_in_the_json_form_is_no_longer_import(pingtan: Path) -> None:
    by = load_bureau_year(pingtan)
    before = _imported_cells(findings(by))
    data = json.loads(jsonform.dumps(by, provenance_of(by)))
    data["t3"]["new"]["natural_person"] = 64
    again = jsonform.from_data(data, "x.json")
    assert UNREAD[1:] not in {(r, c) for _t, r, c in unread_cells(again)}
    after = _imported_cells(findings(again))
    assert after == before - {("一、本年新收政府信息公开申请数量", "自然人")}
    assert len(after) == len(before) - 1


def test_a_cell_filled_in_the_workbook_is_no_longer_import(tmp_path: Path, pingtan: Path) -> None:
    by = load_bureau_year(pingtan)
    before = _imported_cells(findings(by))
    book = tmp_path / "book.xlsx"
    write_workbook(by, book, provenance=provenance_of(by))
    wb = openpyxl.load_workbook(book)
    entry = table_layout(FORMATS["2021"].table("t3")).entries[UNREAD[1:]]
    cell = wb["表三"][entry.span.coord]
    assert cell.comment is not None and "IMPORT" in cell.comment.text  # marked for the analyst
    cell.value = 64
    wb.save(book)
    again, _origin = read_workbook_origin(book)
    after = _imported_cells(findings(again))
    assert after == before - {("一、本年新收政府信息公开申请数量", "自然人")}


def test_a_cell_filled_in_the_folder_after_a_round_trip_is_no_longer_import(
    tmp_path: Path, pingtan: Path
) -> None:
    by = load_bureau_year(pingtan)
    again, record = via_json(by)
    out = tmp_path / "again" / "pingtan" / "2021"
    write_imported(again, out, False, "", record)
    before = _imported_cells(findings(load_bureau_year(out)))
    save_bureau_year(_filled(load_bureau_year(out), 64), out)  # the analyst edits table3.csv
    assert (out / PROVENANCE_FILE).is_file()
    after = _imported_cells(findings(load_bureau_year(out)))
    assert after == before - {("一、本年新收政府信息公开申请数量", "自然人")}


def test_an_import_replacing_a_folder_writes_its_own_record(tmp_path: Path, pingtan: Path) -> None:
    # --overwrite keeps the old folder's other files; the record the input carried wins over them.
    by = load_bureau_year(pingtan)
    old = Provenance({UNREAD: CellSource.READ}, "older.pdf")
    write_provenance(pingtan, old)
    again, record = via_json(by)
    assert record is not None
    write_imported(again, pingtan, True, "", record)
    assert read_provenance(pingtan) == record
    # Without a record, the folder's import.json stays as it was (as before).
    write_imported(jsonform.loads(jsonform.dumps(by), "x.json"), pingtan, True, "")
    assert read_provenance(pingtan) == record


def test_a_record_of_cells_the_format_lacks_is_not_exported(pingtan: Path) -> None:
    # Data moved to the other format generation after the import: the old record's extra cells say
    # nothing of these data and are left out, so the form reads back.
    by = load_bureau_year(pingtan)
    record = provenance_of(by)
    assert record is not None
    stale = Provenance({**record.cells, (TableId.T3, "other", "total"): CellSource.UNREAD}, record.source)
    data = jsonform.to_data(by, stale)
    assert "other" not in data["import"]["tables"]["t3"]
    assert jsonform.loads_with_provenance(json.dumps(data, ensure_ascii=False), "x.json")[1] == record


# --- malformed records: a Chinese DataError naming the file and the key, never a traceback -------


def _json_problems(pingtan: Path, change: Any) -> str:
    by = load_bureau_year(pingtan)
    data = json.loads(jsonform.dumps(by, provenance_of(by)))
    change(data["import"]) if callable(change) else data.__setitem__("import", change)
    with pytest.raises(DataError) as caught:
        jsonform.loads(json.dumps(data, ensure_ascii=False), "x.json")
    assert all(p.file == "x.json" for p in caught.value.problems)
    return str(caught.value)


def test_a_malformed_record_in_json_names_the_key(pingtan: Path) -> None:
    def bad_source(record: dict[str, Any]) -> None:
        record["tables"]["t3"]["new"]["natural_person"] = "lost"

    def bad_row(record: dict[str, Any]) -> None:
        record["tables"]["t3"]["neww"] = {"total": "unread"}

    def printed_of_a_read_cell(record: dict[str, Any]) -> None:
        record["printed"] = {"t2": {"licensing": {"decisions": "2293件"}}}

    def unknown_key(record: dict[str, Any]) -> None:
        record["table"] = record.pop("tables")

    assert "「import.tables.t3.new.natural_person」：来源应为 read、computed、unread" in _json_problems(
        pingtan, bad_source
    )
    message = _json_problems(pingtan, bad_row)
    assert "「import.tables.t3.neww.total」" in message and "没有行键「neww」" in message
    assert "是否应为「new」" in message
    assert "只有来源为 invalid 的单元格" in _json_problems(pingtan, printed_of_a_read_cell)
    message = _json_problems(pingtan, unknown_key)
    assert "未知的键「table」" in message and "缺少键「tables」" in message
    assert "「import」应为对象" in _json_problems(pingtan, ["unread"])


def test_a_malformed_record_in_the_workbook_names_the_cell(tmp_path: Path, pingtan: Path) -> None:
    by = load_bureau_year(pingtan)
    book = tmp_path / "book.xlsx"
    write_workbook(by, book, provenance=provenance_of(by))
    wb = openpyxl.load_workbook(book)
    ws = wb[RECORD_SHEET]
    assert ws.sheet_state == "hidden"
    ws[f"D{RECORD_FIRST_ROW}"] = "lost"
    ws[f"B{RECORD_FIRST_ROW + 1}"] = "licence"
    wb.save(book)
    with pytest.raises(DataError) as caught:
        read_workbook_origin(book)
    message = str(caught.value)
    assert str(book) in message
    assert f"「导入记录」!D{RECORD_FIRST_ROW}：来源应为 read、computed、unread" in message
    assert f"「导入记录」!A{RECORD_FIRST_ROW + 1}:C{RECORD_FIRST_ROW + 1}" in message
    assert "没有行键「licence」" in message


def test_a_workbook_record_naming_a_cell_twice_is_refused(tmp_path: Path, pingtan: Path) -> None:
    by = load_bureau_year(pingtan)
    book = tmp_path / "book.xlsx"
    write_workbook(by, book, provenance=provenance_of(by))
    wb = openpyxl.load_workbook(book)
    ws = wb[RECORD_SHEET]
    for col in "ABCD":
        ws[f"{col}{RECORD_FIRST_ROW + 1}"] = ws[f"{col}{RECORD_FIRST_ROW}"].value
    wb.save(book)
    with pytest.raises(DataError, match=f"与第 {RECORD_FIRST_ROW} 行记的是同一个单元格"):
        read_workbook_origin(book)


def test_a_record_of_many_wrong_cells_lists_a_few_and_counts_the_rest(pingtan: Path) -> None:
    by = load_bureau_year(pingtan)
    data = json.loads(jsonform.dumps(by, provenance_of(by)))
    data["import"]["tables"]["t3"] = {f"row{i}": {"total": "unread"} for i in range(20_000)}
    with pytest.raises(DataError) as caught:
        jsonform.loads(json.dumps(data), "x.json")
    problems = caught.value.problems
    assert len(problems) <= 51
    assert "以及另外 19,950 个导入记录中不是本格式单元格的条目" in problems[-1].message
