"""``import-xlsx`` never loses an edit, and names the workbook's cells in what it finds.

The round trip an analyst makes: ``xlsx`` exports the folder, the tables are filled in Excel while
the narrative is written in narrative.md (or in the 正文 sheet), then ``import-xlsx`` brings the
workbook back.  Whichever side was edited since the export is kept; when both were, nothing is
written until the analyst chooses.
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from kit import copy_seed
from ogi_report.cli import main
from ogi_report.spec.formats import FORMATS
from ogi_report.storage.folder import META_FILE, NARRATIVE_FILE, load_bureau_year
from ogi_report.storage.xlsx.layout import NARRATIVE_DIGEST_PROPERTY, NARRATIVE_FIRST_ROW, table_layout

FOLDER_EDIT = "分析员在 narrative.md 中改写的正文\n"
SHEET_EDIT = "分析员在工作簿「正文」中改写的正文"
T3 = FORMATS["2021"].table("t3")


def export(tmp_path: Path) -> tuple[Path, Path]:
    folder = copy_seed(tmp_path)
    book = tmp_path / "book.xlsx"
    assert main.main(["xlsx", str(folder), "--out", str(book)]) == 0
    return folder, book


def edit_book(book: Path, *, narrative: str | None = None, cells: dict[str, object] | None = None) -> None:
    """Edit the workbook as Excel would: the 正文 sheet's lines and/or cells of 表三."""
    wb = openpyxl.load_workbook(book)
    if narrative is not None:
        ws = wb["正文"]
        for row in ws.iter_rows(min_row=NARRATIVE_FIRST_ROW):
            row[0].value = None
        ws.cell(NARRATIVE_FIRST_ROW, 1).value = narrative
    for coord, value in (cells or {}).items():
        wb["表三"][coord].value = value
    wb.save(book)


def coord(row: str, col: str) -> str:
    return table_layout(T3).entries[(row, col)].span.coord


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main.main(argv)
    return code, capsys.readouterr().err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_an_edit_in_narrative_md_survives_an_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, book = export(tmp_path)
    (folder / NARRATIVE_FILE).write_text(FOLDER_EDIT, encoding="utf-8")
    edit_book(book, cells={coord("granted", "natural_person"): 1, coord("new", "natural_person"): 1})
    code, err = run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)
    assert code == 0
    assert (folder / NARRATIVE_FILE).read_text(encoding="utf-8") == FOLDER_EDIT
    assert "正文保留" in err and "工作簿的「正文」未改" in err
    assert load_bureau_year(folder).t3.get("granted", "natural_person") == 1  # the tables did come in


def test_an_edit_in_the_sheet_is_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, book = export(tmp_path)
    edit_book(book, narrative=SHEET_EDIT)
    code, err = run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)
    assert code == 0 and "只在工作簿中修改过" in err
    assert (folder / NARRATIVE_FILE).read_text(encoding="utf-8") == SHEET_EDIT + "\n"


def test_edits_on_both_sides_are_refused_until_the_analyst_chooses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, book = export(tmp_path)
    (folder / NARRATIVE_FILE).write_text(FOLDER_EDIT, encoding="utf-8")
    edit_book(book, narrative=SHEET_EDIT)
    before = snapshot(folder)
    code, err = run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "都修改过" in err and "--tables-only" in err and "--narrative folder" in err
    assert snapshot(folder) == before

    assert (
        run(["import-xlsx", str(book), "--out", str(folder), "--overwrite", "--narrative", "folder"], capsys)[
            0
        ]
        == 0
    )
    assert (folder / NARRATIVE_FILE).read_text(encoding="utf-8") == FOLDER_EDIT
    argv = ["import-xlsx", str(book), "--out", str(folder), "--overwrite", "--narrative", "workbook"]
    assert run(argv, capsys)[0] == 0
    assert (folder / NARRATIVE_FILE).read_text(encoding="utf-8") == SHEET_EDIT + "\n"


def test_a_workbook_without_the_digest_is_refused_when_narrative_md_is_newer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, book = export(tmp_path)
    wb = openpyxl.load_workbook(book)
    assert [p.name for p in wb.custom_doc_props] == [NARRATIVE_DIGEST_PROPERTY]
    wb.custom_doc_props = openpyxl.packaging.custom.CustomPropertyList()  # written by an older kit
    wb.save(book)
    narrative = folder / NARRATIVE_FILE
    narrative.write_text(FOLDER_EDIT, encoding="utf-8")
    os.utime(book, (1_600_000_000, 1_600_000_000))  # the workbook is older than the edit
    code, err = run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)
    assert code == 2 and "narrative.md 比工作簿新" in err
    assert narrative.read_text(encoding="utf-8") == FOLDER_EDIT


def test_tables_only_keeps_meta_and_narrative_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, book = export(tmp_path)
    (folder / NARRATIVE_FILE).write_text(FOLDER_EDIT, encoding="utf-8")
    meta_before = (folder / META_FILE).read_bytes()
    edit_book(
        book,
        narrative=SHEET_EDIT,
        cells={coord("granted", "natural_person"): 3, coord("new", "natural_person"): 3},
    )
    # No --overwrite needed: only the tables are written.
    code, err = run(["import-xlsx", str(book), "--out", str(folder), "--tables-only"], capsys)
    assert code == 0 and "只导入了表格" in err
    assert (folder / NARRATIVE_FILE).read_text(encoding="utf-8") == FOLDER_EDIT
    assert (folder / META_FILE).read_bytes() == meta_before  # its comment line included
    assert load_bureau_year(folder).t3.get("granted", "natural_person") == 3


def test_tables_only_refuses_another_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, book = export(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["基本信息"]
    year_row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "year")
    year_row[2].value = 2022
    wb.save(book)
    before = snapshot(folder)
    code, err = run(["import-xlsx", str(book), "--out", str(folder), "--tables-only"], capsys)
    assert code == 2 and "不是同一份报告" in err
    assert snapshot(folder) == before
    missing = tmp_path / "nowhere"
    code, err = run(["import-xlsx", str(book), "--out", str(missing), "--tables-only"], capsys)
    assert code == 2 and "--tables-only" in err and not missing.exists()


def test_findings_after_an_import_name_the_workbook_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, book = export(tmp_path)
    typed_over = coord("granted", "total")  # a total's formula typed over with a figure
    edit_book(book, cells={typed_over: 5})
    code, err = run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)
    assert code == 0
    (t3c,) = [line for line in err.splitlines() if "[T3-C]" in line]
    assert f"「表三」!{typed_over}" in t3c
    (hint,) = [line for line in err.splitlines() if "[T3-HINT]" in line]
    assert "「（一）予以公开」/「总计」为 5" in hint and "多 5" in hint and f"「表三」!{typed_over}" in hint
    assert "总计" in hint and "可以留空" in hint
    assert "校验：错误 2 条" in err


def test_check_of_a_workbook_points_to_import_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _folder, book = export(tmp_path)
    code, err = run(["check", str(book)], capsys)
    assert code == 2 and "Traceback" not in err
    assert f"ogi-report import-xlsx {book} --out data/<slug>/<year>" in err
    assert "数据目录不存在" not in err
