"""Work is bounded by what is actually read, and a limit reached is said, never silently cut.

Before: a DOCX padded to pass the size and ratio checks made python-docx build gigabytes of XML
nodes; a PDF page stream inflating to 1 GB took over 1 GB and 100 s; ruled pages under the page
cap took minutes with no way to stop them; a table3.csv of a million unknown lines took over a
minute and 700 MB, each message listing every label; 150,000 placeholders took ≈ 1 ms each and a
narrative repeating a wrong figure gave one finding per repetition.  Time and memory themselves
are measured by ``benchmarks/limits.py``, not asserted here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from kit import copy_seed
from ogi_report.checks.runner import check
from ogi_report.cli.main import main
from ogi_report.errors import DataError
from ogi_report.model.narrative import fill
from ogi_report.render.prose import Paragraph, parse_prose
from ogi_report.storage.archives import MAX_XML_ELEMENTS
from ogi_report.storage.folder import load_bureau_year
from reliability.hostile import (
    docx_with_paragraphs,
    padded,
    pdf,
    ruled_page,
    snapshot,
    unknown_rows_csv,
    xlsx_with_cells,
)


def _import(report: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable,
        "-m",
        "ogi_report",
        "import",
        str(report),
        "--slug",
        "x",
        "--out",
        str(out),
        *extra,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _refused(done: subprocess.CompletedProcess[str], report: Path, out: Path, said: str) -> None:
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and str(report) in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_a_docx_of_a_million_elements_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    report = tmp_path / "report.docx"
    # ~7 MB of XML in ~60 KB: under the size cap, and padded under the compression-ratio cap.
    report.write_bytes(padded(docx_with_paragraphs(MAX_XML_ELEMENTS + 10), os.urandom(80_000)))
    out = tmp_path / "data" / "x" / "2021"
    _refused(_import(report, out), report, out, f"XML 元素超过 {MAX_XML_ELEMENTS:,} 个")


def test_a_workbook_of_a_million_elements_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_seed(tmp_path)
    book = tmp_path / "t.xlsx"
    assert main(["xlsx", str(folder), "--out", str(book)]) == 0
    book.write_bytes(xlsx_with_cells(book.read_bytes(), MAX_XML_ELEMENTS // 2 + 10))
    before = snapshot(folder)
    assert main(["import-xlsx", str(book), "--out", str(folder), "--overwrite"]) == 2
    err = capsys.readouterr().err
    assert "XML 元素超过" in err and str(book) in err and "Traceback" not in err
    assert snapshot(folder) == before


def test_a_pdf_stream_inflating_past_its_budget_is_refused(tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf([b" " * (64 * 1024 * 1024)]))  # 64 MB of content in ~65 KB
    out = tmp_path / "data" / "x" / "2021"
    _refused(_import(report, out), report, out, "一个流解压后超过")


def test_a_pdf_page_drawing_too_much_is_refused_however_it_is_stored(tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    # 1.2 million objects, uncompressed: over the page budget, with no inflation to stop it
    report.write_bytes(pdf([b"0 0 m\n" * 400_000], compress=False))
    out = tmp_path / "data" / "x" / "2021"
    _refused(_import(report, out), report, out, "PDF 一页的绘制内容超过 500,000 项")


def test_an_import_past_its_time_budget_stops_with_a_message(tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(pdf([ruled_page()] * 40))
    out = tmp_path / "data" / "x" / "2021"
    _refused(_import(report, out, "--max-seconds", "0.5"), report, out, "导入用时超过上限 0.5 秒")


def test_a_million_unknown_rows_give_fifty_messages_and_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_seed(tmp_path)
    (folder / "table3.csv").write_text(unknown_rows_csv(1_000_000), encoding="utf-8")
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("未知的行「x」") == 50
    assert "… 以及另外 999,950 个未知的行（只列出前 50 个问题）" in err
    assert len(err) < 200_000


def test_placeholders_are_resolved_once_and_unknown_ones_summarised(seed_dir: Path) -> None:
    by = load_bureau_year(seed_dir)
    known = replace(by, narrative="收到申请 {{ t3.new }} 件。\n" * 150_000)
    assert fill(known).count(f"收到申请 {fill(replace(by, narrative='{{ t3.new }}'))} 件。") == 150_000
    unknown = replace(by, narrative="{{ t9.nothing }}\n" * 150_000)
    with pytest.raises(DataError) as info:
        fill(unknown)
    problems = info.value.problems
    assert len(problems) == 51 and problems[49].line == 50
    assert "以及另外 149,950 个无法识别的占位符" in problems[-1].message


def test_a_repeated_wrong_figure_is_one_finding(seed_dir: Path) -> None:
    by = load_bureau_year(seed_dir)
    sentence = "本年度共收到政府信息公开申请 987654 件。\n\n"
    result = check(replace(by, narrative=by.narrative + sentence * 20_000))
    txt = [f for f in result.findings if f.rule == "TXT"]
    assert len(txt) == 1 and "等 20,000 处" in txt[0].table


def test_one_long_wrapped_paragraph_reads_as_one_span_joined_as_prose() -> None:
    # Before: each wrapped line re-joined all the text before it (and each merge copied the span),
    # so a 5 MB placeholder narrative took 255 s to render; now the reading is linear.
    lines = 200_000
    prose = parse_prose("收到申请 12 件\n" * lines + "**end** of text\nand more")
    (paragraph,) = prose.blocks
    assert isinstance(paragraph, Paragraph)
    plain, strong, tail = paragraph.spans
    assert plain.text == "收到申请 12 件" * lines and not plain.strong
    assert strong.text == "end" and strong.strong
    assert tail.text == " of text and more"  # Latin words keep their space across the wrap
