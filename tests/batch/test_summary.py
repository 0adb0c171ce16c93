"""The batch's shared files: summary.csv and findings.csv (BOM, headers) and index.html (escaping)."""

from __future__ import annotations

import csv
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from ogi_report.batch.index_page import SCRIPT, Dates, YearFiles
from ogi_report.batch.jobs import Outcome, Status
from ogi_report.batch.summary import (
    FINDINGS_HEADERS,
    SUMMARY_HEADERS,
    index_html,
    write_findings,
    write_summary,
    write_year,
)
from ogi_report.checks.findings import Finding, Severity

FINDING = Finding(
    "T3-A", Severity.ERROR, '总计不符，"请核对", 第二行\n换行', "表三", "（七）总计", "自然人", "5", "6"
)
OUTCOMES = [
    Outcome(
        "b-bureau",
        2021,
        "乙局",
        Status.DRAFT,
        errors=1,
        findings=(FINDING,),
        outputs={"html": "b-bureau.html", "ipynb": "executed/b-bureau.ipynb"},
        seconds=0.25,
    ),
    Outcome("a-bureau", 2021, "甲局", Status.OK, warnings=2, outputs={"html": "a-bureau.html"}, skipped=True),
    Outcome("c-bureau", 2021, "丙局", Status.FAILED, message="数据无法读取：table3.csv"),
]


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(raw[3:].decode("utf-8").splitlines(keepends=True)))


def test_summary_csv_has_bom_chinese_headers_and_one_row_per_bureau(tmp_path: Path) -> None:
    write_summary(tmp_path / "summary.csv", OUTCOMES)
    header, *rows = read_csv(tmp_path / "summary.csv")
    assert tuple(header) == SUMMARY_HEADERS
    assert [r[1] for r in rows] == ["a-bureau", "b-bureau", "c-bureau"]
    by_slug = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_slug["a-bureau"]["状态"] == "未变跳过（已通过）"
    assert by_slug["b-bureau"]["状态"] == "草稿" and by_slug["b-bureau"]["错误数"] == "1"
    assert by_slug["b-bureau"]["HTML"] == "b-bureau.html" and by_slug["b-bureau"]["PDF"] == ""
    assert by_slug["c-bureau"]["状态"] == "失败" and "table3.csv" in by_slug["c-bureau"]["说明"]


def test_findings_csv_keeps_the_rule_id_and_awkward_text(tmp_path: Path) -> None:
    write_findings(tmp_path / "findings.csv", OUTCOMES)
    header, *rows = read_csv(tmp_path / "findings.csv")
    assert tuple(header) == FINDINGS_HEADERS and "规则编号" in header
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["规则编号"] == "T3-A" and row["严重程度"] == "错误"
    assert row["说明"] == FINDING.message  # commas, quotes and a newline survive
    assert row["位置"] == "表三 / 行「（七）总计」 / 列「自然人」"
    assert (row["实际值"], row["应为"]) == ("5", "6")


def test_index_escapes_names_and_messages() -> None:
    evil = Outcome(
        "x-bureau",
        2021,
        '<script>alert("x")</script>局',
        Status.FAILED,
        message="<img src=x onerror=alert(1)>",
        findings=(replace(FINDING, message="<b>粗</b>"),),
    )
    page = index_html(2021, [*OUTCOMES, evil])
    # The one script is the kit's own sorter, after the table; nothing from data becomes markup.
    assert page.count("<script") == 1 and page.index("<script") > page.index("</table>")
    assert SCRIPT in page and "<img" not in page and "<b>粗" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;局" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_index_is_a_self_contained_chinese_page_with_statuses_and_links() -> None:
    page = index_html(2021, OUTCOMES)
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert "Noto Sans CJK SC" in page and "http" not in page
    for label in ("未变跳过（已通过）", "草稿", "失败"):
        assert label in page
    assert '<a href="b-bureau.html">HTML</a>' in page
    assert '<a href="executed/b-bureau.ipynb">执行记录</a>' in page
    assert 'href="c-bureau.html"' not in page  # a failed report links nothing it does not have
    assert "已通过 1，草稿 1，失败 1（其中未变跳过 1）" in page
    assert 'name="viewport"' in page  # a phone gets a phone layout


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(tmp_path: Path) -> None:
    evil_name = '=HYPERLINK("http://evil.example","点此")'
    evil = Outcome(
        "x-bureau",
        2021,
        evil_name,
        Status.DRAFT,
        errors=1,
        # The location is made of table, row and column: a table name alone gives it.
        findings=(replace(FINDING, message="=1+1", found="-3", table="@SUM(A1)", row="", column=""),),
        message="+cmd|' /C calc'!A0",
    )
    write_summary(tmp_path / "summary.csv", [evil])
    write_findings(tmp_path / "findings.csv", [evil])
    summary = dict(zip(SUMMARY_HEADERS, read_csv(tmp_path / "summary.csv")[1], strict=True))
    finding = dict(zip(FINDINGS_HEADERS, read_csv(tmp_path / "findings.csv")[1], strict=True))
    assert summary["机关名称"] == "'" + evil_name and finding["机关名称"] == "'" + evil_name
    assert summary["说明"] == "'+cmd|' /C calc'!A0"
    assert finding["说明"] == "'=1+1" and finding["位置"] == "'@SUM(A1)"
    assert finding["实际值"] == "-3"  # a plain number is no formula: left as it is
    assert summary["年度"] == "2021" and summary["错误数"] == "1"


def test_year_files_link_only_outputs_that_exist(tmp_path: Path) -> None:
    (tmp_path / "b-bureau.html").write_text("<html></html>", encoding="utf-8")
    gone = Outcome(
        "b-bureau", 2021, "乙局", Status.OK, outputs={"html": "b-bureau.html", "pdf": "b-bureau.pdf"}
    )
    write_year(tmp_path, 2021, [gone])
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="b-bureau.html"' in page and 'href="b-bureau.pdf"' not in page
    row = dict(zip(SUMMARY_HEADERS, read_csv(tmp_path / "summary.csv")[1], strict=True))
    assert (row["HTML"], row["PDF"]) == ("b-bureau.html", "")


def test_index_sorts_filters_and_shows_dates_against_the_deadline() -> None:
    files = YearFiles(
        dates={
            "a-bureau": Dates(date(2022, 1, 20), date(2022, 1, 31)),
            "b-bureau": Dates(date(2022, 2, 9), date(2022, 1, 31)),
            "c-bureau": Dates(None, date(2022, 3, 31)),
        },
        review={"b-bureau": {"html": "review/b-bureau.html"}},
        overview={"html": "overview.html", "pdf": "overview.pdf"},
        archive="2021-reports.zip",
    )
    page = index_html(2021, OUTCOMES, files)
    assert 'data-sort="number"' in page and 'id="filter-text"' in page and 'id="filter-status"' in page
    assert '<td class="date" data-key="2022-02-09">2022-02-09<br><span class="late">逾期</span></td>' in page
    assert '<td class="date" data-key="">未填写</td>' in page and "逾期发布 1" in page
    assert '<a href="review/b-bureau.html">审阅版 HTML</a>' in page
    assert '<a href="overview.html">年度概览 HTML</a>' in page and '<a href="overview.pdf">' in page
    assert '<a href="2021-reports.zip">' in page
    assert "http" not in page  # nothing loaded from elsewhere


def test_year_files_link_review_editions_and_overview_only_when_they_exist(tmp_path: Path) -> None:
    for name in ("b-bureau.html", "b-bureau.pdf", "overview.html", "review/b-bureau.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    outcome = Outcome(
        "b-bureau", 2021, "乙局", Status.OK, outputs={"html": "b-bureau.html", "pdf": "b-bureau.pdf"}
    )
    other = Outcome("a-bureau", 2021, "甲局", Status.OK, outputs={"html": "a-bureau.html"})  # deleted since
    write_year(tmp_path, 2021, [outcome, other])
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="review/b-bureau.html"' in page and 'href="review/b-bureau.pdf"' not in page
    assert 'href="overview.html"' in page and 'href="overview.pdf"' not in page
    with zipfile.ZipFile(tmp_path / "2021-reports.zip") as zf:
        names = sorted(zf.namelist())
        assert names == sorted(
            f"2021/{n}"
            for n in (
                "b-bureau.html",
                "b-bureau.pdf",
                "overview.html",
                "index.html",
                "summary.csv",
                "findings.csv",
            )
        )
        assert zf.read("2021/b-bureau.pdf") == b"x"
    assert not list(tmp_path.glob(".*.part")), "the archive is written beside, then renamed"


def test_summary_csv_has_the_publication_dates(tmp_path: Path) -> None:
    dates = {"b-bureau": Dates(date(2022, 2, 9), date(2022, 1, 31))}
    write_summary(tmp_path / "summary.csv", OUTCOMES, dates)
    header, *rows = read_csv(tmp_path / "summary.csv")
    row = next(dict(zip(header, r, strict=True)) for r in rows if r[1] == "b-bureau")
    assert (row["发布日期"], row["发布期限"]) == ("2022-02-09", "2022-01-31")
