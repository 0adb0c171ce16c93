"""Importing HTML, DOCX and PDF reports, round trips through the kit's renderers, and refusals."""

from __future__ import annotations

import html
import io
import tomllib
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from kit import FIXTURES
from ogi_report.checks.runner import check
from ogi_report.errors import DataError
from ogi_report.importers import ImportOptions, import_report
from ogi_report.model.bureau import BureauYear
from ogi_report.render.html import page
from ogi_report.spec.formats import FORMAT_V2, Layout, TableSpec

SHARED = FIXTURES  # the real reports and the seed, copied with their provenance
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads(
    (FIXTURES / "import" / "expected.toml").read_text(encoding="utf-8")
)
REPORTS = sorted(EXPECTED)


def _from_text(relative: str) -> BureauYear:
    result = import_report(SHARED / relative, ImportOptions("body"))
    assert result.unplaced == []
    return result.by


def assert_same(back: BureauYear, original: BureauYear) -> None:
    """Identical data: meta, every cell (blank included) and the narrative."""
    assert back.meta == original.meta
    for table_id, table in original.tables.items():
        assert dict(back.tables[table_id].cells) == dict(table.cells), table_id
    assert back.narrative == original.narrative


def _reimport(path: Path, original: BureauYear) -> BureauYear:
    result = import_report(path, ImportOptions("body", publisher_type=original.meta.publisher_type))
    assert result.unplaced == [], result.unplaced
    return result.by


# ---------------------------------------------------------------------------------------------
# An HTML report written here with the official merged headers (rowspan/colspan), its figures
# taken from the hand-typed expectations: the HTML reader must expand the grid to read them back.


def _cell(text: object, rows: int = 1, cols: int = 1, tag: str = "td") -> str:
    spans = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    return f"<{tag}{spans}>{html.escape(str(text))}</{tag}>"


def _t3_html(spec: TableSpec, values: dict[str, list[object]]) -> str:
    block = spec.blocks[0]
    head = [
        "<tr>" + _cell(spec.corner, 3, 3, "th") + _cell("申请人情况", 1, 7, "th") + "</tr>",
        "<tr>"
        + _cell("自然人", 2, 1, "th")
        + _cell("法人或其他组织", 1, 5, "th")
        + _cell("总计", 2, 1, "th")
        + "</tr>",
        "<tr>" + "".join(_cell(c.label, tag="th") for c in block.columns[1:6]) + "</tr>",
    ]
    body = []
    started: set[tuple[str, ...]] = set()
    for row in block.rows:
        cells = ""
        for depth in range(len(row.path)):
            prefix = row.path[: depth + 1]
            if prefix not in started:
                started.add(prefix)
                span = sum(1 for r in block.rows if r.path[: depth + 1] == prefix)
                cells += _cell(prefix[-1], span)
        cells += _cell(row.label, 1, 3 - len(row.path))
        body.append("<tr>" + cells + "".join(_cell(v) for v in values[row.key]) + "</tr>")
    return "<table>" + "".join(head + body) + "</table>"


def _t2_html(spec: TableSpec, values: dict[str, list[object]]) -> str:
    rows = []
    for block in spec.blocks:
        rows.append("<tr>" + _cell(block.title, 1, 4) + "</tr>")
        span = 3 // len(block.columns)
        rows.append(
            "<tr>"
            + _cell(block.row_header)
            + "".join(_cell(c.label, 1, span) for c in block.columns)
            + "</tr>"
        )
        for row in block.rows:
            rows.append(
                "<tr>" + _cell(row.label) + "".join(_cell(v, 1, span) for v in values[row.key]) + "</tr>"
            )
    return "<table>" + "".join(rows) + "</table>"


def _t4_html(values: list[object]) -> str:
    results = "".join(_cell(x, tag="th") for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    return (
        "<table><tr>" + _cell("行政复议", 1, 5, "th") + _cell("行政诉讼", 1, 10, "th") + "</tr>"
        "<tr>"
        + _cell("结果维持", 2, tag="th")
        + _cell("结果纠正", 2, tag="th")
        + _cell("其他结果", 2, tag="th")
        + _cell("尚未审结", 2, tag="th")
        + _cell("总计", 2, tag="th")
        + _cell("未经复议直接起诉", 1, 5, "th")
        + _cell("复议后起诉", 1, 5, "th")
        + "</tr>"
        "<tr>" + results + results + "</tr>"
        "<tr>" + "".join(_cell(v) for v in values) + "</tr></table>"
    )


def _report_html(expected: dict[str, Any], blank: tuple[str, str] | None = None) -> str:
    t3 = {k: list(v) for k, v in expected["t3"].items()}
    if blank is not None:
        t3[blank[0]][int(blank[1])] = ""
    sections = {
        "二": _t2_html(FORMAT_V2.table("t2"), expected["t2"]),
        "三": _t3_html(FORMAT_V2.table("t3"), t3),
        "四": _t4_html(expected["t4"]),
    }
    parts = [
        f"<h1>{expected['name']}{expected['year']}年政府信息公开工作年度报告</h1>",
        "<p>本报告依据《条例》编制。</p>",
    ]
    for section in FORMAT_V2.sections:
        parts.append(f"<h2>{section.heading}</h2>")
        parts.append(sections.get(section.number, "<p>本部分写明有关情况。</p>"))
    parts.append(f"<p>{expected['name']}</p><p>{expected['year'] + 1}年1月20日</p>")
    return '<!DOCTYPE html><html lang="zh-CN"><body>' + "".join(parts) + "</body></html>"


def _cells_of(spec: TableSpec, by: BureauYear, expected: dict[str, Any]) -> None:
    if spec.layout is Layout.WIDE:
        flat = [by.tables[spec.id].get(r.key, c.key) for _b, r, c in spec.cells()]
        assert flat == expected["t4"]
        return
    for block, row in spec.rows():
        got = [by.tables[spec.id].get(row.key, c.key) for c in block.columns]
        want = [Decimal(v) if isinstance(v, str) else v for v in expected[spec.id][row.key]]
        assert got == want, row.key


@pytest.mark.parametrize("relative", REPORTS)
def test_an_html_report_with_merged_cells_is_read_cell_by_cell(relative: str, tmp_path: Path) -> None:
    expected = EXPECTED[relative]
    path = tmp_path / "report.html"
    path.write_text(_report_html(expected), encoding="utf-8")
    result = import_report(path, ImportOptions("body"))
    assert result.unplaced == []
    by = result.by
    assert (by.meta.name, by.meta.year) == (expected["name"], expected["year"])
    assert by.meta.publish_date is not None and by.meta.publish_date.year == expected["year"] + 1
    for spec in FORMAT_V2.tables:
        _cells_of(spec, by, expected)
    assert by.t3.computed == frozenset()
    assert [ln for ln in by.narrative.splitlines() if ln.startswith("## ")] == [
        f"## {s.heading}" for s in FORMAT_V2.sections
    ]


def test_a_blank_html_cell_stays_blank(tmp_path: Path) -> None:
    expected = EXPECTED["reports/02_huaian-city-gov-2024.txt"]
    path = tmp_path / "blank.html"
    path.write_text(_report_html(expected, blank=("granted", "6")), encoding="utf-8")
    by = import_report(path, ImportOptions("body")).by
    assert by.t3.get("granted", "total") is None
    assert by.t3.get("granted", "natural_person") == 1288
    assert "BLANK" in check(by).rule_ids()


# ---------------------------------------------------------------------------------------------
# Round trips through the kit's own renderers: the report → DOCX/HTML/PDF → import → same data.


@pytest.mark.parametrize("relative", REPORTS)
def test_docx_round_trip(relative: str, tmp_path: Path) -> None:
    from ogi_report.render.docx.document import render_docx

    original = _from_text(relative)
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(original, check(original)))
    assert_same(_reimport(path, original), original)


@pytest.mark.parametrize("relative", REPORTS)
def test_html_round_trip(relative: str, tmp_path: Path) -> None:
    original = _from_text(relative)
    path = tmp_path / "report.html"
    path.write_text(page.render_page(original, check(original)), encoding="utf-8")
    assert_same(_reimport(path, original), original)


@pytest.mark.slow
@pytest.mark.parametrize("relative", REPORTS)
def test_pdf_round_trip(relative: str, tmp_path: Path) -> None:
    from ogi_report.render.model import report_model
    from ogi_report.render.pdf.typeset import write_pdf

    original = _from_text(relative)
    path = tmp_path / "report.pdf"
    write_pdf(report_model(original, check(original)), path)
    assert_same(_reimport(path, original), original)


@pytest.mark.slow
def test_a_printed_pdf_is_read_cell_by_cell(tmp_path: Path) -> None:
    from ogi_report.render.model import report_model
    from ogi_report.render.pdf.typeset import write_pdf

    expected = EXPECTED["reports/04_suqian-city-2024.txt"]
    path = tmp_path / "report.pdf"
    original = _from_text("reports/04_suqian-city-2024.txt")
    write_pdf(report_model(original, check(original)), path)
    result = import_report(path, ImportOptions("body"))
    assert result.unplaced == []
    for spec in FORMAT_V2.tables:
        _cells_of(spec, result.by, expected)


# ---------------------------------------------------------------------------------------------
# Refusals: empty, truncated, malformed, hostile and huge inputs, each with a clear message.


@pytest.mark.parametrize("suffix", [".txt", ".html", ".pdf", ".docx"])
def test_an_empty_file_is_refused(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"  \n")
    with pytest.raises(DataError, match="文件为空"):
        import_report(path, ImportOptions("body"))


@pytest.mark.parametrize("suffix", [".txt", ".html", ".pdf", ".docx"])
def test_a_huge_file_is_refused_before_reading(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no 200 MB are written
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="文件过大"):
            import_report(path, ImportOptions("body"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_unknown_suffix_and_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="不支持的文件类型"):
        import_report(tmp_path / "report.xls", ImportOptions("body"))
    with pytest.raises(DataError, match="文件不存在"):
        import_report(tmp_path / "missing.txt", ImportOptions("body"))


def test_truncated_and_malformed_pdfs_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(DataError, match="不是 PDF"):
        import_report(path, ImportOptions("body"))
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    with pytest.raises(DataError, match="截断"):
        import_report(path, ImportOptions("body"))
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")
    with pytest.raises(DataError, match="PDF"):
        import_report(path, ImportOptions("body"))


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某局2024年政府信息公开工作年度报告")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_truncated_malformed_and_bomb_docx_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    data = _docx_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="DOCX"):
        import_report(path, ImportOptions("body"))
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError, match="DOCX"):
        import_report(path, ImportOptions("body"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(20):
                member.write(chunk)  # 20 MB of zeros pack into a few KB: a bomb's ratio
    path.write_bytes(buffer.getvalue())
    with pytest.raises(DataError, match="压缩炸弹"):
        import_report(path, ImportOptions("body"))
    path.write_bytes(data)
    with pytest.raises(DataError, match="章节标题"):
        import_report(path, ImportOptions("body"))


def test_html_entities_are_not_expanded_and_junk_is_refused(tmp_path: Path) -> None:
    laughs = "".join(
        f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 12)
    )
    path = tmp_path / "bomb.html"
    path.write_text(
        f'<!DOCTYPE html [<!ENTITY l0 "ha">{laughs}]><html><body><p>&l11;</p>'
        '<img src="http://example.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    import ogi_report.importers.html  # noqa: F401  (its first import is not what is measured)

    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="年度"):
            import_report(path, ImportOptions("body"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # 5**11 expansions of "ha" would take hundreds of MB
    path.write_bytes(bytes(range(1, 256)) * 10)
    with pytest.raises(DataError):
        import_report(path, ImportOptions("body"))


# ---------------------------------------------------------------------------------------------
# A report as `ogi-report new` lays it out: section 三 opens with a sentence before its table (a
# PDF printed by Chromium paints a white page background that once pulled that sentence and the
# heading into the table grid), sub-heads with one short paragraph each, non-zero figures.

_OPENING = (
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《政府信息公开工作年度报告格式"
    "（2021年版）》（国办公开办函〔2021〕30号）要求，某市统计局编制本报告。"
    "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。"
)
_TEMPLATE_NARRATIVE = (
    _OPENING
    + """

## 一、总体情况

### （一）主动公开

（请填写）

### （二）依申请公开

全年办理依申请公开3525件。

### （三）政府信息管理

（请填写）

### （四）政府信息公开平台建设

（请填写）

### （五）监督保障

（请填写）

## 二、主动公开政府信息情况

## 三、收到和处理政府信息公开申请情况

本年新收政府信息公开申请3525件，上年结转22件，结转下年度继续办理22件。

## 四、政府信息公开行政复议、行政诉讼情况

## 五、存在的主要问题及改进情况

人员不足，将加强培训。

## 六、其他需要报告的事项

本年度无收取信息处理费情况。
"""
)


def _template_report() -> BureauYear:
    from datetime import date

    from ogi_report.model.bureau import Meta, PublisherType, complete_table

    t3_rows = {
        "new": [3400, 100, 5, 10, 7, 3],
        "carried_over": [20, 2, 0, 0, 0, 0],
        "granted": [3000, 90, 5, 10, 6, 3],
        "partly_granted": [300, 8, 0, 0, 0, 0],
        "unable.not_held": [100, 2, 0, 0, 1, 0],
        "carried_forward": [20, 2, 0, 0, 0, 0],
    }
    t2 = {
        ("regulations", "issued"): 2,
        ("regulations", "in_force"): 12,
        ("licensing", "decisions"): 345,
        ("fees_10k_yuan", "amount"): Decimal("12.5"),
    }
    t4 = [3, 1, 0, 2, 6, 1, 0, 1, 0, 2, 0, 0, 0, 0, 0]
    tables = {}
    for spec in FORMAT_V2.tables:
        given: dict[tuple[str, str], Any] = {}
        for index, (block, row, col) in enumerate(spec.cells()):
            if spec.id == "t4":
                given[(row.key, col.key)] = t4[index]  # totals printed as given
            elif spec.id == "t3" and not (row.total or col.total):
                figures = t3_rows.get(row.key, [0] * 6)
                given[(row.key, col.key)] = figures[block.columns.index(col)]
            elif spec.id == "t2":
                given[(row.key, col.key)] = t2.get((row.key, col.key), 0)
        tables[spec.id] = complete_table(spec, given)
    meta = Meta(
        name="某市统计局",
        slug="body",
        year=2024,
        publisher_type=PublisherType.DEPARTMENT,
        format_id=FORMAT_V2.id,
        publish_date=date(2025, 1, 20),
    )
    by = BureauYear(meta, tables, _TEMPLATE_NARRATIVE)
    # The template's 「（请填写）」 left standing make it a draft (DRAFT); the tables pass.
    assert {f.rule for f in check(by).errors} == {"DRAFT"}
    return by


def test_the_template_report_round_trips_through_html_and_docx(tmp_path: Path) -> None:
    from ogi_report.render.docx.document import render_docx
    from ogi_report.render.html.page import render_page

    original = _template_report()
    html_path = tmp_path / "report.html"
    html_path.write_text(render_page(original, check(original)), encoding="utf-8")
    assert_same(_reimport(html_path, original), original)
    docx_path = tmp_path / "report.docx"
    docx_path.write_bytes(render_docx(original, check(original)))
    assert_same(_reimport(docx_path, original), original)


@pytest.mark.slow
def test_the_template_report_round_trips_through_pdf(tmp_path: Path) -> None:
    from ogi_report.render.model import report_model
    from ogi_report.render.pdf.typeset import write_pdf

    original = _template_report()
    path = tmp_path / "report.pdf"
    write_pdf(report_model(original, check(original)), path)
    assert_same(_reimport(path, original), original)
