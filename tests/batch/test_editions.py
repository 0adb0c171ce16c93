"""The batch writes two editions: ``<slug>.html|.pdf|.docx`` as published (no 数据校验 appendix; a
draft marked 草稿) and ``review/<slug>.…`` (the report and its appendix), both current or absent."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from batchkit import add_bureau, batch, make_project
from docxkit import body_texts, open_docx
from ogi_report.batch import plan as batch_plan

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]
EDITIONS = {f"{slug}.{fmt}" for slug in ("haidong-emergency",) for fmt in ("html", "pdf", "docx")}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def texts(path: Path) -> str:
    """What a reader of the file sees (the HTML page's text is close enough as its markup)."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".docx":
        doc = open_docx(path.read_bytes())
        return "\n".join([*body_texts(doc), *(c.text for t in doc.tables for r in t.rows for c in r.cells)])
    return path.read_text(encoding="utf-8")


def test_published_and_review_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_plan, "kit_version", lambda: "pinned")
    project = make_project(tmp_path)
    add_bureau(project, "draft", errors=True)
    out = project / "output" / "2021"
    assert batch("--root", str(project), "--format", "html,pdf,docx", "--jobs", "2") == 1  # a draft
    assert {p.name for p in out.glob("haidong-emergency.*")} == EDITIONS
    assert {p.name for p in (out / "review").glob("haidong-emergency.*")} == EDITIONS
    for fmt in ("html", "pdf", "docx"):
        published = texts(out / f"haidong-emergency.{fmt}")
        review = texts(out / "review" / f"haidong-emergency.{fmt}")
        assert "检查的规则" not in published and "不得发布" not in published, fmt
        assert "检查的规则" in review and "发现的问题" in review, fmt
        draft = texts(out / f"draft.{fmt}")
        assert "草稿" in draft and "检查的规则" not in draft, fmt
    pages = pdf_text(out / "draft.pdf").split("\f")[:-1]
    assert pages and all("不得发布" in page for page in pages)

    # New data, HTML only: the review PDF and DOCX of the old data go with the published ones.
    table4 = project / "data" / "haidong-emergency" / "2021" / "table4.csv"
    table4.write_text(table4.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert batch("--root", str(project), "--format", "html", "--only", "haidong-emergency") == 0
    assert {p.name for p in out.glob("haidong-emergency.*")} == {"haidong-emergency.html"}
    assert {p.name for p in (out / "review").glob("haidong-emergency.*")} == {"haidong-emergency.html"}
