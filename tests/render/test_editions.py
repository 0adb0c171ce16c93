"""Editions: what a bureau publishes is the official report alone; a draft is marked 草稿 in every
format (on every PDF page); the review edition adds the 数据校验 appendix — in HTML, PDF and DOCX
alike.  Untrusted narrative prints literally in all three."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docxkit import body_texts, open_docx
from kit import SEED_DIR
from ogi_report.checks.runner import check
from ogi_report.model.bureau import BureauYear
from ogi_report.render.docx.document import report_docx
from ogi_report.render.html.page import report_page
from ogi_report.render.model import DRAFT_BANNER, DRAFT_MARK, Edition, Report, report_model
from ogi_report.render.pdf.typeset import Typesetter
from ogi_report.storage.workspace import load

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
APPENDIX = ("数据校验", "检查的规则", "发现的问题")


@pytest.fixture(scope="module")
def typesetter() -> Typesetter:
    return Typesetter()


def passing() -> Report:
    """The seed with standard 五、六 headings: every error-level rule passes."""
    loaded = load(SEED_DIR)
    by = loaded.by
    narrative = re.sub(r"^## 五、.*$", "## 五、存在的主要问题及改进情况", by.narrative, flags=re.M)
    narrative = re.sub(r"^## 六、.*$", "## 六、其他需要报告的事项", narrative, flags=re.M)
    by = dataclasses.replace(by, narrative=narrative)
    report = report_model(by, check(by, loaded.previous))
    assert not report.draft
    return report


def draft() -> Report:
    by: BureauYear = load(SEED_DIR).by
    by = dataclasses.replace(
        by, tables={**by.tables, "t3": by.t3.replace({("granted", "natural_person"): 3})}
    )
    report = report_model(by, check(by))
    assert report.draft
    return report


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "edition.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s", "", page) for page in text.split("\f")[:-1]]


def html_text(report: Report) -> str:
    import lxml.html

    (article,) = lxml.html.document_fromstring(report_page(report)).find_class("ogi-report")
    return str(article.text_content())


def docx_text(report: Report) -> str:
    """The document's paragraphs, then its tables' cells."""
    doc = open_docx(report_docx(report))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([*body_texts(doc), *cells])


def test_a_passing_report_is_published_without_appendix_or_banner(
    typesetter: Typesetter, tmp_path: Path
) -> None:
    report = passing().edition(Edition.PUBLISHED)
    assert report.checks is None
    texts = {"html": html_text(report), "docx": docx_text(report)}
    if shutil.which("pdftotext"):
        texts["pdf"] = "".join(pdf_pages(typesetter.pdf(passing()), tmp_path))
    for fmt, text in texts.items():
        for word in (*APPENDIX, DRAFT_MARK, "不得发布"):
            assert word not in text, (fmt, word)
        assert "六、其他需要报告的事项" in text and "2022年1月7日" in text, fmt


@needs_poppler
def test_a_draft_is_marked_on_every_pdf_page_and_in_html_and_docx(
    typesetter: Typesetter, tmp_path: Path
) -> None:
    report = draft()
    pages = pdf_pages(typesetter.pdf(report), tmp_path)
    assert len(pages) >= 5
    for page in pages:
        assert re.sub(r"\s", "", DRAFT_BANNER) in page
    assert not any("检查的规则" in p for p in pages)  # the published draft: no appendix
    assert DRAFT_BANNER in html_text(report.edition(Edition.PUBLISHED))
    assert "草稿" in docx_text(report.edition(Edition.PUBLISHED))


@needs_poppler
def test_the_review_edition_adds_the_appendix_in_every_format(typesetter: Typesetter, tmp_path: Path) -> None:
    report = draft()
    review = report.edition(Edition.REVIEW)
    pages = pdf_pages(typesetter.pdf(report, Edition.REVIEW), tmp_path)
    last = "".join(pages[-2:])
    for text in (last, html_text(review), docx_text(review)):
        for word in APPENDIX:
            assert word in re.sub(r"\s", "", text), word
        assert "T3-A" in text and "未通过" in text
    assert pages[-1].count("T3") >= 1
    # The appendix starts on a page of its own, after the signature.
    assert not any("数据校验" in p for p in pages[:-2]) or "2022年1月7日" not in pages[-1]


HOSTILE = '#read("/etc/passwd") #include "x" #import "y": * $x^2$ @label <label> 反\\斜杠'


@needs_poppler
def test_hostile_narrative_prints_literally_in_every_format(typesetter: Typesetter, tmp_path: Path) -> None:
    by = load(SEED_DIR).by
    by = dataclasses.replace(by, narrative=by.narrative.replace("## 一、", f"{HOSTILE}\n\n## 一、", 1))
    report = report_model(by, check(by))
    shown = '#read("/etc/passwd") #include "x" #import "y": * $x^2$ @label <label> 反\\斜杠'
    squeezed = re.sub(r"\s", "", shown)
    assert squeezed in "".join(pdf_pages(typesetter.pdf(report), tmp_path))
    assert shown in html_text(report)
    assert shown in docx_text(report)
    assert "root:" not in "".join(pdf_pages(typesetter.pdf(report), tmp_path))
