"""``check`` says the same of an imported report after ``export-json``/``import-json`` and after
``xlsx``/``import-xlsx``: the cells the import could not read stay IMPORT (not BLANK), an invalid
cell's printed text stays in N, and a cell the analyst fills in on the way is no longer reported.

The reports are real (tests/fixtures/corpus, see tests/fixtures/README.md): 平潭 2021, whose table 三
rows ran together on the page (46 cells unread), and 上海市政府办公厅 2019, which printed 「251000元」
where a count belongs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from kit import FIXTURES
from ogi_report.cli.main import main
from ogi_report.spec.formats import FORMATS
from ogi_report.storage.provenance import PROVENANCE_FILE
from ogi_report.storage.xlsx.layout import RECORD_FIRST_ROW, RECORD_SHEET, table_layout

PINGTAN = FIXTURES / "corpus" / "pingtan-2021.txt"
SH_OFFICE = FIXTURES / "corpus" / "sh-office-2019.html"
NEW_NATURAL = ("一、本年新收政府信息公开申请数量", "自然人")  # unread in 平潭's import

Located = tuple[str, str, str, str, str]  # rule, table, row, column, found


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def imported(tmp_path: Path, report: Path, slug: str, capsys: pytest.CaptureFixture[str]) -> Path:
    year = {"pingtan": 2021, "sh": 2019}[slug]
    folder = tmp_path / "data" / slug / str(year)
    code, _out, _err = run(["import", str(report), "--slug", slug, "--out", str(folder)], capsys)
    assert code == 1  # unread or invalid cells: written, and said so
    return folder


def findings(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[Located]:
    code, out, _err = run(["check", str(folder), "--json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert data["readable"]
    return [(f["rule"], f["table"], f["row"], f["column"], f["found"]) for f in data["findings"]]


def export_json(folder: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, _err = run(["export-json", str(folder)], capsys)
    assert code == 0
    path.write_text(out, encoding="utf-8")
    data: dict[str, Any] = json.loads(out)
    return data


def imported_cells(located: list[Located]) -> set[tuple[str, str]]:
    return {(f[2], f[3]) for f in located if f[0] == "IMPORT"}


@pytest.mark.parametrize(("report", "slug"), [(PINGTAN, "pingtan"), (SH_OFFICE, "sh")])
def test_export_json_then_import_json_keeps_the_findings(
    tmp_path: Path, report: Path, slug: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, report, slug, capsys)
    before = findings(folder, capsys)
    assert {f[0] for f in before} & {"IMPORT", "N"}
    data = export_json(folder, tmp_path / "x.json", capsys)
    assert data["import"]["source"] == str(report)
    out = tmp_path / "elsewhere" / slug / folder.name
    assert run(["import-json", str(tmp_path / "x.json"), "--out", str(out)], capsys)[0] == 0
    assert (out / PROVENANCE_FILE).read_bytes() == (folder / PROVENANCE_FILE).read_bytes()
    assert findings(out, capsys) == before


@pytest.mark.parametrize(("report", "slug"), [(PINGTAN, "pingtan"), (SH_OFFICE, "sh")])
def test_xlsx_then_import_xlsx_keeps_the_findings(
    tmp_path: Path, report: Path, slug: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, report, slug, capsys)
    before = findings(folder, capsys)
    book = tmp_path / "book.xlsx"
    assert run(["xlsx", str(folder), "--out", str(book)], capsys)[0] == 0
    out = tmp_path / "elsewhere" / slug / folder.name
    code, _out, err = run(["import-xlsx", str(book), "--out", str(out)], capsys)
    assert code == 0
    assert (out / PROVENANCE_FILE).read_bytes() == (folder / PROVENANCE_FILE).read_bytes()
    assert findings(out, capsys) == before
    # What import-xlsx prints at once is check's verdict too, not BLANK for what was never read.
    printed = {line.split("]")[0].strip(" [") for line in err.splitlines() if line.startswith("  [")}
    assert printed == {f[0] for f in before}


def test_a_workbook_brought_back_over_its_own_folder_keeps_the_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, PINGTAN, "pingtan", capsys)
    before = findings(folder, capsys)
    book = tmp_path / "book.xlsx"
    assert run(["xlsx", str(folder), "--out", str(book)], capsys)[0] == 0
    assert run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)[0] == 0
    assert findings(folder, capsys) == before
    assert run(["import-xlsx", str(book), "--out", str(folder), "--tables-only"], capsys)[0] == 0
    assert findings(folder, capsys) == before


def test_a_cell_filled_in_the_workbook_is_no_longer_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, PINGTAN, "pingtan", capsys)
    before = imported_cells(findings(folder, capsys))
    assert NEW_NATURAL in before
    book = tmp_path / "book.xlsx"
    assert run(["xlsx", str(folder), "--out", str(book)], capsys)[0] == 0
    wb = openpyxl.load_workbook(book)
    wb["表三"][table_layout(FORMATS["2021"].table("t3")).entries[("new", "natural_person")].span.coord] = 64
    wb.save(book)
    out = tmp_path / "elsewhere" / "pingtan" / "2021"
    assert run(["import-xlsx", str(book), "--out", str(out)], capsys)[0] == 0
    assert imported_cells(findings(out, capsys)) == before - {NEW_NATURAL}


def test_a_cell_filled_in_the_json_or_the_folder_is_no_longer_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, PINGTAN, "pingtan", capsys)
    before = imported_cells(findings(folder, capsys))
    data = export_json(folder, tmp_path / "x.json", capsys)
    data["t3"]["new"]["natural_person"] = 64
    (tmp_path / "x.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "elsewhere" / "pingtan" / "2021"
    assert run(["import-json", str(tmp_path / "x.json"), "--out", str(out)], capsys)[0] == 0
    assert imported_cells(findings(out, capsys)) == before - {NEW_NATURAL}
    # Then in table3.csv, by hand: the next unread cell of the row.
    csv = out / "table3.csv"
    lines = csv.read_text("utf-8-sig").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(NEW_NATURAL[0] + ","))
    cells = lines[at].split(",")
    cells[2] = "0"  # 商业企业
    lines[at] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    left = imported_cells(findings(out, capsys))
    assert left == before - {NEW_NATURAL, ("一、本年新收政府信息公开申请数量", "商业企业")}


def test_a_json_file_without_the_record_imports_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, PINGTAN, "pingtan", capsys)
    data = export_json(folder, tmp_path / "x.json", capsys)
    del data["import"]
    (tmp_path / "x.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "elsewhere" / "pingtan" / "2021"
    assert run(["import-json", str(tmp_path / "x.json"), "--out", str(out)], capsys)[0] == 0
    assert not (out / PROVENANCE_FILE).exists()
    rules = {f[0] for f in findings(out, capsys)}
    assert "BLANK" in rules and "IMPORT" not in rules  # data typed in by hand: blanks are blanks


def test_a_malformed_record_in_json_is_exit_2_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, PINGTAN, "pingtan", capsys)
    path = tmp_path / "x.json"
    data = export_json(folder, path, capsys)
    data["import"]["tables"]["t4"]["review"]["total"] = "missing"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "elsewhere" / "pingtan" / "2021"
    code, _out, err = run(["import-json", str(path), "--out", str(out)], capsys)
    assert code == 2
    assert str(path) in err and "「import.tables.t4.review.total」：来源应为" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_malformed_record_in_the_workbook_is_exit_2_naming_file_and_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, PINGTAN, "pingtan", capsys)
    book = tmp_path / "book.xlsx"
    assert run(["xlsx", str(folder), "--out", str(book)], capsys)[0] == 0
    wb = openpyxl.load_workbook(book)
    wb[RECORD_SHEET][f"D{RECORD_FIRST_ROW + 2}"] = "不知道"
    wb.save(book)
    out = tmp_path / "elsewhere" / "pingtan" / "2021"
    code, _out, err = run(["import-xlsx", str(book), "--out", str(out)], capsys)
    assert code == 2
    assert str(book) in err and f"「导入记录」!D{RECORD_FIRST_ROW + 2}：来源应为" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_a_workbook_without_the_record_over_an_imported_folder_keeps_its_import_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A workbook written before the record went into workbooks: the folder's import.json is kept,
    # and what import-xlsx prints at once already reads it.
    folder = imported(tmp_path, PINGTAN, "pingtan", capsys)
    before = findings(folder, capsys)
    book = tmp_path / "book.xlsx"
    assert run(["xlsx", str(folder), "--out", str(book)], capsys)[0] == 0
    wb = openpyxl.load_workbook(book)
    del wb[RECORD_SHEET]
    wb.save(book)
    code, _out, err = run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)
    assert code == 0
    assert "[IMPORT]" in err and "[BLANK]" not in err
    assert findings(folder, capsys) == before
