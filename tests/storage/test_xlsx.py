"""The Excel workbook: layout as printed, lossless round trip, analysts' edits, refusals."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from kit import REPO_ROOT
from ogi_report.checks.runner import check
from ogi_report.cli.main import main
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear, Contact, Meta, PublisherType, Table, complete_table
from ogi_report.model.values import Invalid, Value, format_value
from ogi_report.spec.formats import FORMAT_V1, FORMAT_V2, CellKind, TableSpec
from ogi_report.storage.archives import MAX_UNPACKED_BYTES
from ogi_report.storage.folder import load_bureau_year
from ogi_report.storage.xlsx import build_workbook, cell_value, read_workbook, write_workbook
from ogi_report.storage.xlsx.layout import META_SHEET, table_layout
from openpyxl.worksheet.worksheet import Worksheet

ROOT = REPO_ROOT
EXAMPLE = ROOT / "data" / "haidong-emergency" / "2021"


def _v1_bureau_year() -> BureauYear:
    """A 2020 (format v1) bureau-year with a distinct non-zero value in every cell."""
    tables: dict[str, Table] = {}
    n = 0
    for spec in FORMAT_V1.tables:
        cells: dict[tuple[str, str], Value] = {}
        for _block, row, col in spec.cells():
            n += 1
            if col.kind is CellKind.DECIMAL:
                cells[(row.key, col.key)] = Decimal("24252.311082") if n % 2 else Decimal("96171.600")
            elif col.kind is CellKind.SIGNED:
                cells[(row.key, col.key)] = -n
            else:
                cells[(row.key, col.key)] = n
        tables[spec.id] = Table(spec, cells)
    meta = Meta(
        name="某县交通运输局",
        slug="mou-transport",
        year=2020,
        publisher_type=PublisherType.GOVERNMENT,
        format_id="2019",
        publish_date=date(2021, 1, 28),
        signature="某县交通运输局办公室",
        masthead="某县交通运输局文件",
        deadline=date(2021, 2, 15),
        contact=Contact(address="某县某路1号", postcode="810000", phone="0972-8612345", email="a@b.cn"),
    )
    narrative = (
        "开头段落。\n\n## 一、总体情况\n\n=====\n  缩进行\t带制表符\n\n## 六、其他需要报告的事项\n\n无。\n"
    )
    return BureauYear(meta, tables, narrative)


def _assert_same(a: BureauYear, b: BureauYear) -> None:
    assert a.meta == b.meta
    assert a.narrative == b.narrative
    assert set(a.tables) == set(b.tables)
    for table_id, table in a.tables.items():
        other = b.tables[table_id]
        for cell, value in table.items():
            got = other.get(*cell)
            assert (type(got), format_value(got)) == (type(value), format_value(value)), (table_id, cell)


def _roundtrip(by: BureauYear, tmp_path: Path) -> BureauYear:
    path = tmp_path / "book.xlsx"
    write_workbook(by, path)
    return read_workbook(path)


def _workbook(by: BureauYear, tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    write_workbook(by, path)
    return path


def _sheet(wb: openpyxl.Workbook, name: str) -> Worksheet:
    ws = wb[name]
    assert isinstance(ws, Worksheet)
    return ws


def _coord(spec: TableSpec, row: str, col: str) -> str:
    return table_layout(spec).entries[(row, col)].span.coord


# ---------------------------------------------------------------------------------------------
# Round trip


def test_roundtrip_bundled_example(tmp_path: Path) -> None:
    by = load_bureau_year(EXAMPLE)
    _assert_same(by, _roundtrip(by, tmp_path))


def test_roundtrip_v1_every_cell_nonzero(tmp_path: Path) -> None:
    by = _v1_bureau_year()
    assert all(v not in (None, 0) for t in by.tables.values() for _c, v in t.items())
    back = _roundtrip(by, tmp_path)
    _assert_same(by, back)
    assert back.t2.get("procurement", "amount") in (Decimal("24252.311082"), Decimal("96171.600"))


def test_roundtrip_keeps_blank_cells_and_disagreeing_totals(tmp_path: Path) -> None:
    by = load_bureau_year(EXAMPLE)
    t3 = by.t3.replace(
        {("new", "natural_person"): None, ("granted", "total"): 5, ("total", "research"): None}
    )
    by = BureauYear(by.meta, {**by.tables, "t3": t3}, by.narrative)
    back = _roundtrip(by, tmp_path)
    _assert_same(by, back)
    assert back.t3.get("granted", "total") == 5
    assert ("granted", "total") not in back.t3.computed


def test_cli_roundtrip_folder_to_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "h.xlsx"
    assert main(["xlsx", str(EXAMPLE), "--out", str(book)]) == 0
    out = tmp_path / "data" / "haidong-emergency" / "2021"
    assert main(["import-xlsx", str(book), "--out", str(out)]) == 0
    _assert_same(load_bureau_year(EXAMPLE), load_bureau_year(out))
    for name in ("table2.csv", "table3.csv", "table4.csv", "narrative.md"):
        assert (out / name).read_text("utf-8") == (EXAMPLE / name).read_text("utf-8")
    assert "已写入" in capsys.readouterr().err


def test_workbook_without_narrative_keeps_existing_narrative(tmp_path: Path) -> None:
    by = load_bureau_year(EXAMPLE)
    book = tmp_path / "h.xlsx"
    write_workbook(by, book, narrative=False)
    assert "正文" not in openpyxl.load_workbook(book).sheetnames
    with pytest.raises(DataError, match="缺少工作表「正文」"):
        read_workbook(book)
    assert read_workbook(book, narrative="保留的正文\n").narrative == "保留的正文\n"


# ---------------------------------------------------------------------------------------------
# The sheets as printed


def test_merged_header_ranges_are_the_official_ones() -> None:
    wb = build_workbook(load_bureau_year(EXAMPLE))
    t3 = {str(r) for r in _sheet(wb, "表三").merged_cells.ranges}
    # corner note 3×3; 申请人情况 over 7; 法人或其他组织 over 5; 自然人/总计 over 2 header rows
    assert {"A2:C4", "D2:J2", "E3:I3", "D3:D4", "J3:J4"} <= t3
    # 三、本年度办理结果 over its 22 rows; （三）不予公开 over 8; single-row labels across 3 columns
    assert {"A7:A28", "B9:B16", "B17:B19", "B20:B24", "B25:B27", "A5:C5", "B7:C7", "B28:C28"} <= t3
    assert _sheet(wb, "表三")["A2"].value == FORMAT_V2.table("t3").corner
    t4 = {str(r) for r in _sheet(wb, "表四").merged_cells.ranges}
    assert {"A2:E3", "F2:O2", "F3:J3", "K3:O3"} <= t4
    ws4 = _sheet(wb, "表四")
    assert (ws4["A2"].value, ws4["F2"].value, ws4["F3"].value, ws4["K3"].value) == (
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    )
    t2 = {str(r) for r in _sheet(wb, "表二").merged_cells.ranges}
    assert {"A2:D2", "A6:D6", "B7:D7", "B8:D8"} <= t2
    assert _sheet(wb, "表二")["A2"].value == "第二十条第（一）项"
    assert _sheet(wb, "表二")["A3"].value == "信息内容"


def test_v1_table3_results_span_twenty_rows() -> None:
    wb = build_workbook(_v1_bureau_year())
    ws = _sheet(wb, "表三")
    assert "A7:A26" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["B25"].value == "（六）其他处理"


def test_totals_are_formulas_when_they_agree() -> None:
    wb = build_workbook(load_bureau_year(EXAMPLE))
    t3 = _sheet(wb, "表三")
    assert t3["J5"].value == "=SUM(D5:I5)"
    assert t3["D28"].value == "=SUM(D7:D27)"
    assert t3["J28"].value == "=SUM(D28:I28)"
    t4 = _sheet(wb, "表四")
    assert [t4[c].value for c in ("E5", "J5", "O5")] == ["=SUM(A5:D5)", "=SUM(F5:I5)", "=SUM(K5:N5)"]
    assert t4["A5"].value == 0


def test_entry_cells_validated_unlocked_and_labels_locked() -> None:
    by = _v1_bureau_year()
    wb = build_workbook(by)
    for spec in FORMAT_V1.tables:
        layout = table_layout(spec)
        ws = _sheet(wb, layout.sheet)
        assert ws.protection.sheet and not ws.protection.password
        rules = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                for row in rng.rows:
                    for coord in row:
                        rules[f"{openpyxl.utils.get_column_letter(coord[1])}{coord[0]}"] = dv
        for entry in layout.entries.values():
            dv = rules[entry.span.coord]
            expected = {
                CellKind.COUNT: ("whole", "0"),
                CellKind.SIGNED: ("whole", None),
                CellKind.DECIMAL: ("decimal", "0"),
            }
            kind, low = expected[entry.column.kind]
            assert dv.type == kind and dv.showErrorMessage and "应填写" in (dv.error or "")
            if low is not None:
                assert (dv.operator, dv.formula1) == ("greaterThanOrEqual", low)
            else:
                assert dv.operator == "between" and str(dv.formula1).startswith("-")
            assert ws[entry.span.coord].protection.locked is False
        for label in layout.labels:
            assert ws[label.span.coord].protection.locked is True
            assert label.span.coord not in rules
    assert _sheet(wb, "表三").page_setup.orientation == "landscape"
    assert _sheet(wb, "表四").page_setup.orientation == "landscape"
    assert str(_sheet(wb, "表三").page_setup.paperSize) == Worksheet.PAPERSIZE_A4


def test_layout_covers_every_cell_of_every_format() -> None:
    for fmt in (FORMAT_V1, FORMAT_V2):
        for spec in fmt.tables:
            layout = table_layout(spec)
            spans = [e.span for e in layout.entries.values()] + [lab.span for lab in layout.labels]
            seen: set[tuple[int, int]] = set()
            for span in spans:
                cells = {
                    (r, c)
                    for r in range(span.row, span.last_row + 1)
                    for c in range(span.col, span.last_col + 1)
                }
                assert not cells & seen, (spec.name, span.ref)
                seen |= cells
            assert len(layout.entries) == sum(1 for _ in spec.cells())


# ---------------------------------------------------------------------------------------------
# A workbook edited as an analyst would


def _edit(path: Path, sheet: str, changes: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = _sheet(wb, sheet)
    for coord, value in changes.items():
        ws[coord] = value
    wb.save(path)


def test_edited_values_are_imported(tmp_path: Path) -> None:
    path = _workbook(load_bureau_year(EXAMPLE), tmp_path)
    t3 = FORMAT_V2.table("t3")
    t2 = FORMAT_V2.table("t2")
    _edit(
        path,
        "表三",
        {
            _coord(t3, "new", "natural_person"): 12,
            _coord(t3, "new", "commercial"): "１２",
            _coord(t3, "new", "research"): "3,119",
            _coord(t3, "new", "social_welfare"): "—",
            _coord(t3, "granted", "natural_person"): 7.0,
        },
    )
    _edit(
        path,
        "表二",
        {_coord(t2, "fees_10k_yuan", "amount"): 24252.311082, _coord(t2, "licensing", "decisions"): 40},
    )
    _edit(path, META_SHEET, {"C7": "2022年1月20日"})
    by = read_workbook(path)
    assert [by.t3.get("new", c) for c in ("natural_person", "commercial", "research", "social_welfare")] == [
        12,
        12,
        3119,
        0,
    ]
    assert by.t3.get("new", "total") == 12 + 12 + 3119
    assert by.t3.get("total", "natural_person") == 7
    assert ("new", "total") in by.t3.computed
    assert by.t2.get("fees_10k_yuan", "amount") == Decimal("24252.311082")
    assert str(by.t2.get("fees_10k_yuan", "amount")) == "24252.311082"
    assert by.t2.get("licensing", "decisions") == 40
    assert by.meta.publish_date == date(2022, 1, 20)


def test_typed_over_total_is_kept_and_checked(tmp_path: Path) -> None:
    path = _workbook(load_bureau_year(EXAMPLE), tmp_path)
    t3 = FORMAT_V2.table("t3")
    _edit(
        path,
        "表三",
        {
            _coord(t3, "granted", "natural_person"): 3,
            _coord(t3, "granted", "total"): 4,  # typed over, disagrees with 3 → T3-C
            _coord(t3, "total", "natural_person"): 9,  # typed over, disagrees with 3 → T3-B
        },
    )
    by = read_workbook(path)
    assert by.t3.get("granted", "total") == 4
    assert by.t3.get("total", "natural_person") == 9
    assert ("granted", "total") not in by.t3.computed
    assert {"T3-B", "T3-C"} <= check(by).rule_ids()


def test_text_in_a_cell_names_sheet_cell_and_labels(tmp_path: Path) -> None:
    path = _workbook(load_bureau_year(EXAMPLE), tmp_path)
    t3 = FORMAT_V2.table("t3")
    bad = _coord(t3, "refused.third_party", "commercial")
    negative = _coord(t3, "new", "natural_person")
    fraction = _coord(t3, "carried_over", "research")
    _edit(path, "表三", {bad: "十二", negative: -1, fraction: 2.5})
    with pytest.raises(DataError) as info:
        read_workbook(path)
    problems = info.value.problems
    assert len(problems) == 3
    first = next(p for p in problems if f"「表三」!{bad}" in p.message)
    assert bad == "E12"
    assert "十二" in first.message and "非负整数" in first.message
    assert first.row == "三、本年度办理结果/（三）不予公开/4.保护第三方合法权益"
    assert first.column == "商业企业"
    assert "表三" in str(first) and "商业企业" in str(first)
    assert any(f"!{negative}" in p.message and "负数" in p.message for p in problems)
    assert any(f"!{fraction}" in p.message and "小数" in p.message for p in problems)


def test_moved_or_edited_label_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path = _workbook(load_bureau_year(EXAMPLE), tmp_path)
    _edit(path, "表三", {"C12": "4.保护第三人权益"})
    _edit(path, "表四", {"F3": None})
    with pytest.raises(DataError) as info:
        read_workbook(path)
    text = str(info.value)
    assert "「表三」!C12" in text and "4.保护第三方合法权益" in text and "4.保护第三人权益" in text
    assert "「表四」!F3" in text and "未经复议直接起诉" in text


def test_changed_formula_is_refused(tmp_path: Path) -> None:
    path = _workbook(load_bureau_year(EXAMPLE), tmp_path)
    _edit(path, "表三", {"J5": "=SUM(D5:H5)", "D5": "=1+2"})
    with pytest.raises(DataError) as info:
        read_workbook(path)
    messages = [p.message for p in info.value.problems]
    assert any("「表三」!J5" in m and "=SUM(D5:I5)" in m for m in messages)
    assert any("「表三」!D5" in m and "公式" in m for m in messages)


def test_bad_meta_is_located(tmp_path: Path) -> None:
    path = _workbook(load_bureau_year(EXAMPLE), tmp_path)
    _edit(path, META_SHEET, {"C3": "Hai Dong", "C4": "二〇二一"})
    with pytest.raises(DataError) as info:
        read_workbook(path)
    text = str(info.value)
    assert "「基本信息」!C3" in text and "slug" in text
    assert "「基本信息」!C4" in text and "year" in text


def test_bad_meta_does_not_hide_table_problems(tmp_path: Path) -> None:
    path = _workbook(load_bureau_year(EXAMPLE), tmp_path)
    _edit(path, META_SHEET, {"C3": "Hai Dong"})
    _edit(path, "表四", {"A5": "三"})
    with pytest.raises(DataError) as info:
        read_workbook(path)
    assert {p.table for p in info.value.problems} == {"基本信息", "表四"}


def test_narrative_lines_survive_and_trailing_blank_lines_are_dropped(tmp_path: Path) -> None:
    by = load_bureau_year(EXAMPLE)
    path = _workbook(by, tmp_path)
    _edit(path, "正文", {"A3": "=====", "A4": 2022, "A400": None})
    text = read_workbook(path).narrative
    lines = text.split("\n")
    assert lines[:2] == ["=====", "2022"] and text.endswith("。\n")
    assert lines[2:] == by.narrative.split("\n")[2:]


@pytest.mark.parametrize(
    ("raw", "kind", "fmt", "expected"),
    [
        (3, CellKind.COUNT, "General", 3),
        (3.0, CellKind.COUNT, "General", 3),
        ("3,119", CellKind.COUNT, "General", 3119),
        ("１２", CellKind.COUNT, "General", 12),
        ("—", CellKind.COUNT, "General", 0),
        (None, CellKind.COUNT, "General", None),
        (-4, CellKind.SIGNED, "General", -4),
        (24252.311082, CellKind.DECIMAL, "General", Decimal("24252.311082")),
        (0.1, CellKind.DECIMAL, "General", Decimal("0.1")),
        (96171.6, CellKind.DECIMAL, "0.000", Decimal("96171.600")),
        (5, CellKind.DECIMAL, "0.00", Decimal("5.00")),
        ("96171.6", CellKind.DECIMAL, "General", Decimal("96171.6")),
    ],
)
def test_cell_value_accepts(raw: object, kind: CellKind, fmt: str, expected: Value) -> None:
    got = cell_value(raw, kind, fmt)
    assert (type(got), format_value(got)) == (type(expected), format_value(expected))


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("十二", CellKind.COUNT),
        (-1, CellKind.COUNT),
        (2.5, CellKind.COUNT),
        (True, CellKind.COUNT),
        (date(2021, 1, 1), CellKind.COUNT),
        (float("nan"), CellKind.DECIMAL),
        (-0.5, CellKind.DECIMAL),
        (1e20, CellKind.COUNT),
        ("251000元", CellKind.DECIMAL),
    ],
)
def test_cell_value_refuses(raw: object, kind: CellKind) -> None:
    assert isinstance(cell_value(raw, kind), Invalid)


# ---------------------------------------------------------------------------------------------
# Files that are not a sane workbook, through the CLI (exit 2)


def _import(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["import-xlsx", str(path), "--out", str(tmp_path / "out")])
    return code, capsys.readouterr().err


def test_cli_refuses_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _import(tmp_path / "nope.xlsx", tmp_path, capsys)
    assert code == 2 and "文件不存在" in err
    assert not (tmp_path / "out").exists()


def test_cli_refuses_corrupt_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _workbook(load_bureau_year(EXAMPLE), tmp_path).read_bytes()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good[: len(good) // 2])
    code, err = _import(bad, tmp_path, capsys)
    assert code == 2 and "xlsx" in err
    text = tmp_path / "text.xlsx"
    text.write_text("项目,自然人\n", "utf-8")
    code, err = _import(text, tmp_path, capsys)
    assert code == 2 and "不是 .xlsx" in err
    ole = tmp_path / "old.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    code, err = _import(ole, tmp_path, capsys)
    assert code == 2 and ".xls" in err


def test_cli_refuses_a_zip_that_is_not_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    code, err = _import(path, tmp_path, capsys)
    assert code == 2 and "xl/workbook.xml" in err
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("[Content_Types].xml", "<not xml")
        zf.writestr("xl/workbook.xml", "<not xml")
    code, err = _import(broken, tmp_path, capsys)
    assert code == 2 and "损坏" in err


def test_cli_refuses_huge_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    code, err = _import(path, tmp_path, capsys)
    assert code == 2 and "文件过大" in err


def test_cli_refuses_zip_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/workbook.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 8):
                member.write(chunk)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 1024 * 1024
    code, err = _import(path, tmp_path, capsys)
    assert code == 2 and "解压后过大" in err


def test_cli_xlsx_refuses_wrong_suffix_and_missing_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["xlsx", str(EXAMPLE), "--out", str(tmp_path / "book.csv")]) == 2
    assert main(["xlsx", str(tmp_path / "nowhere"), "--out", str(tmp_path / "b.xlsx")]) == 2
    assert not (tmp_path / "b.xlsx").exists()
    assert ".xlsx" in capsys.readouterr().err


def test_import_collects_problems_of_every_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(_v1_bureau_year(), tmp_path)
    t2 = FORMAT_V1.table("t2")
    _edit(path, "表二", {_coord(t2, "licensing", "change"): "少了3"})
    _edit(path, "表四", {"B5": "x"})
    code, err = _import(path, tmp_path, capsys)
    assert code == 2
    assert "「表二」!C8" in err and "本年增/减" in err
    assert "「表四」!B5" in err and "结果纠正" in err


def test_complete_table_agrees_with_formulas() -> None:
    """A formula total read back equals what Excel would show: the same sums complete_table makes."""
    by = _v1_bureau_year()
    t3 = by.t3
    parts = {k: v for k, v in t3.cells.items() if not FORMAT_V1.table("t3").is_total(*k)}
    completed = complete_table(t3.spec, parts)
    layout = table_layout(t3.spec)
    for key, entry in layout.entries.items():
        if entry.formula:
            refs = entry.formula[len("=SUM(") : -1]
            first, last = refs.split(":")
            cells = [k for k, e in layout.entries.items() if _within(e.span.coord, first, last)]
            assert completed.get(*key) == sum(int(completed.get(*k) or 0) for k in cells)


def _within(coord: str, first: str, last: str) -> bool:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    def rc(c: str) -> tuple[int, int]:
        col, row = coordinate_from_string(c)
        return row, column_index_from_string(col)

    (r, c), (r1, c1), (r2, c2) = rc(coord), rc(first), rc(last)
    return r1 <= r <= r2 and c1 <= c <= c2


@pytest.mark.slow
def test_workbook_resaved_by_libreoffice_reads_back_the_same(tmp_path: Path) -> None:
    """A workbook opened and saved by LibreOffice Calc (as WPS/Excel users do) still round-trips."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    by = _v1_bureau_year()
    src = tmp_path / "v1.xlsx"
    write_workbook(by, src)
    out = tmp_path / "lo"
    run = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(src),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    resaved = out / "v1.xlsx"
    if not resaved.exists():
        pytest.skip(f"LibreOffice could not convert: {run.stderr.decode(errors='replace')[-200:]}")
    _assert_same(by, read_workbook(resaved))
