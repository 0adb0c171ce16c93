"""The overview's editions: the HTML page (charts as SVG with Chinese text), the PDF and the DOCX."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as read_docx
from ogi_report.errors import DataError
from ogi_report.overview.collect import read_root
from ogi_report.overview.document import document
from ogi_report.overview.docx import overview_docx
from ogi_report.overview.model import YearOverview, build_overview
from ogi_report.overview.page import overview_page
from ogi_report.overview.pdf import overview_pdf
from ogi_report.overview.view import MIME, overview, page_from_notebook, selection
from overview.citykit import YEAR, City


@pytest.fixture(scope="module")
def year(city: City) -> YearOverview:
    return build_overview(read_root(city.root), YEAR)


@pytest.fixture(scope="module")
def page(year: YearOverview) -> str:
    return overview_page(year)


def test_page_is_self_contained_chinese_and_answers_the_first_questions(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert 'name="viewport"' in page
    assert "<script" not in page and not re.search(r'(src|href)="(https?:)?//', page)
    first = page[: page.index("一、报送情况")]  # the first screen
    assert "本年新收申请" in first and "予以公开" in first
    assert "未报送（2）" in first and "示范市第12局、示范市第13局" in first
    assert "逾期发布（2）" in first and "示范市第3局（2024-02-15，期限 2024-01-31）" in first


def test_charts_are_inline_svg_with_text_kept_as_text(page: str) -> None:
    svgs = re.findall(r"<svg .*?</svg>", page, re.S)
    assert len(svgs) >= 6  # applicants, outcomes, top bodies, appeals, two year-over-year, per body
    applicants = next(s for s in svgs if "按申请人类型" in s)
    assert re.search(r"<text[^>]*>.*?自然人", applicants, re.S), "labels are <text>, not paths"
    assert "Noto Sans CJK SC" in applicants or "黑体" in applicants
    ids = re.findall(r'id="([^"]+)"', "".join(svgs))
    assert len(ids) == len(set(ids)), "charts on one page must not share ids"


def test_every_chart_has_the_table_of_its_numbers(page: str, year: YearOverview) -> None:
    figures = re.findall(r'<figure class="chart".*?</figure>', page, re.S)
    with_numbers = [f for f in figures if "<table" in f]
    assert len(with_numbers) >= 4
    outcomes = next(f for f in figures if "办理结果" in f)
    assert f'<td class="num">{year.figure("granted"):,.0f}</td>' in outcomes


def test_names_from_data_are_escaped(city: City, tmp_path: Path) -> None:
    root = tmp_path / "evil"
    shutil.copytree(city.root, root)
    meta = root / "data" / "b01" / "2023" / "meta.toml"
    meta.write_text(meta.read_text("utf-8").replace("示范市第1局", "<script>alert(1)</script>局"), "utf-8")
    page = overview_page(build_overview(read_root(root), YEAR))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;局" in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_edition_holds_the_charts_text(year: YearOverview, tmp_path: Path) -> None:
    pdf = overview_pdf(document(year))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "overview.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for words in (
        "年度政府信息公开工作年度报告汇总",
        "未报送",
        "示范市第12局",
        "按申请人类型",
        "社会公益组织",
    ):
        assert words in text.replace(" ", ""), words
    # chart labels, not only the tables beside them: 不予处理 appears in the outcome chart and table.
    assert text.count("不予处理") >= 2


def test_docx_edition_has_the_tables(year: YearOverview) -> None:
    doc = read_docx(io.BytesIO(overview_docx(document(year))))
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "未报送" in texts and "示范市第12局" in texts
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"申请人情况", "（七）总计", "行政复议", "示范市第4局"} <= cells


def test_view_carries_the_page_and_validates_parameters(city: City) -> None:
    data = read_root(city.root)
    bundle = overview(data, YEAR, "b01, b02", "")._repr_mimebundle_()
    assert "机关 2 个" in bundle["text/plain"]
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": bundle}]}]}
    assert page_from_notebook(nb) == bundle[MIME]["page"]
    assert selection(["haidong-*"]) == ("haidong-*",) and selection("") == ()
    for bad in ({"year": "2023"}, {"year": 2023, "slugs": "B01"}, {"year": 2023, "title": 5}):
        with pytest.raises(DataError):
            overview(data, bad["year"], bad.get("slugs", ""), bad.get("title", ""))
