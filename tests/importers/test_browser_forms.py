"""The forms a web page's report takes in a browser: copied as text, printed to PDF; and rows
printed with fewer figures than their columns.

The real cases (the 沭阳 and 上海 pages copied, printed and converted by pandoc) are in the corpus
(``tests/importers/test_corpus.py``, made by ``scripts/corpus/``); these tests pin each rule the
importer follows for them, on the smallest input that shows it, and what it must not do: place a
figure in a column by guessing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kit import FIXTURES
from ogi_report.checks.runner import check
from ogi_report.importers import ImportOptions, import_report
from ogi_report.importers.lines import Line, row_values, runs_together
from ogi_report.importers.pasted import paragraph_rows
from ogi_report.importers.pdf import _under_grid
from ogi_report.importers.text import text_lines
from ogi_report.spec.ids import TableId
from ogi_report.storage.provenance import CellSource

CORPUS = FIXTURES / "corpus"
SUQIAN = FIXTURES / "reports" / "03_suqian-city-2023.txt"


# --- text copied from a browser: paragraph cells, one a line -----------------------------------

# Two rows of table 二 as the 沭阳 2023 copy has them: a browser's copy shows several rows, and
# only text with several is taken for one (a lone number under a paragraph is a page number).
TABLE_TWO = "规章\n\n0\n\n0\n\n0\n\n行政规范性文件\n\n8\n\n0\n\n18\n\n"


def _pasted(text: str) -> list[tuple[str, ...]]:
    """The rows rebuilt from ``text`` copied after the two rows of table 二."""
    return [r.cells for r in paragraph_rows((TABLE_TWO + text).split("\n"))][2:]


def test_empty_paragraph_cells_are_counted_from_the_empty_lines() -> None:
    # Chromium's copy of <td><p>26</p></td> and five <td><p><o:p> </o:p></p></td> (沭阳 2023):
    # one empty line between cells, one more for each empty paragraph.
    text = "一、本年新收政府信息公开申请数量\n\n26\n\n\n\n\n\n\n26\n\n二、上年结转政府信息公开申请数量\n\n0\n"
    assert _pasted(text) == [
        ("一、本年新收政府信息公开申请数量", "26", "", "", "", "", "", "26"),
        ("二、上年结转政府信息公开申请数量", "0"),
    ]


def test_cells_of_a_space_are_empty_cells() -> None:
    # <td><p>&nbsp;</p></td> copies as a line of one space between empty lines (上海 2019).
    text = "（一）予以公开\n\n258\n\n12\n\n \n\n \n\n1\n\n1\n\n \n\n（二）部分公开\n"
    assert _pasted(text)[0] == ("（一）予以公开", "258", "12", "", "", "1", "1", "")


def test_tab_separated_cells_between_paragraph_cells_keep_their_places() -> None:
    # Table 四 of 上海 2019: cells without <p> are TAB-separated on a line of their own; the TAB
    # ending such a line stands before the next cell, on the next line.
    text = "总计\n\n5\n\n \t \t\n2\n\n7\n\n8\n\n \t \t\n1\n\n9\n\n \t \t \t \t \n五、存在的主要问题\n"
    assert _pasted(text) == [("总计", "5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", "")]


def test_figures_on_consecutive_lines_a_heading_over_wu_and_page_numbers_are_no_pasted_rows() -> None:
    # A converter's figures one a line (no empty line between) are read as before, not rebuilt;
    # 「无」 under a heading is the section's paragraph; a sentence is no label.
    assert _pasted("1.属于国家秘密\n0\n0\n0\n0\n0\n0\n0\n") == []
    assert _pasted("六、其他需要报告的事项\n\n无\n\n") == []
    assert _pasted("全年共受理申请26件，均已办结。\n\n26\n\n") == []
    # pdftotext's page numbers under paragraphs: no browser's copy of a table.
    pages = "".join(f"第{n}页的最后一行文字\n\n{n}\n\n\f" for n in range(1, 6))
    assert paragraph_rows(pages.split("\n")) == []


def test_a_pasted_row_is_read_only_with_exactly_its_columns() -> None:
    text = TABLE_TWO + "1.属于国家秘密\n\n14\n\n \n\n \n\n \n\n \n\n \n\n \n\n结束\n"
    lines, _notes = text_lines(text)
    row = next(ln for ln in lines if ln.cells and ln.cells[0] == "1.属于国家秘密")
    assert row.complete and row.cells == ("1.属于国家秘密", "14", "", "", "", "", "", "")
    found = row_values(row, 7)
    assert found is not None and found.values == ("14", "", "", "", "", "", "")
    assert row_values(row, 6) is None and row_values(row, 8) is None
    # Six cells and empty lines after them: the seventh may be empty or lost; never padded.
    short = Line(1, "1.属于国家秘密 14", ("1.属于国家秘密", "14", "", "", "", ""), complete=True)
    assert row_values(short, 7) is None


def _copied(tmp_path: Path, old: str, new: str) -> Path:
    """The real 上海 2019 browser copy with one change a careless paste could make."""
    text = (CORPUS / "sh-office-2019-copied.txt").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "sh-office-2019.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_an_empty_paragraph_keeps_the_cells_after_it_in_place(tmp_path: Path) -> None:
    # 「12」 emptied (an empty <p>: one more empty line where it stood): the figures after it stay
    # in their columns.
    emptied = _copied(tmp_path, "（一）予以公开\n\n258\n\n12\n\n", "（一）予以公开\n\n258\n\n\n")
    t3 = import_report(emptied, ImportOptions("sh")).by.t3
    row = [t3.get("granted", c) for c in ("natural_person", "commercial", "legal_service", "other_org")]
    assert row == [258, None, 1, 1]


def test_a_copied_row_with_a_cell_lost_is_unread_not_shifted(tmp_path: Path) -> None:
    # 「12」 lost with its line: six cells for seven columns.  Which one is missing cannot be told:
    # the row is left unread (IMPORT), no figure moves to another column.
    lost = _copied(tmp_path, "（一）予以公开\n\n258\n\n12\n\n", "（一）予以公开\n\n258\n\n")
    result = import_report(lost, ImportOptions("sh"))
    t3 = result.by.t3
    assert all(t3.get("granted", col) is None for col in ("natural_person", "commercial", "other_org"))
    assert result.provenance.of(TableId.T3, "granted", "natural_person") is CellSource.UNREAD
    assert t3.get("new", "natural_person") == 821 and t3.get("unable.not_held", "legal_service") == 1
    rules = {f.rule for f in check(result.by).errors if f.table == "表三" and "予以公开" in f.row}
    assert rules == {"IMPORT"}


def test_the_real_copy_reads_every_cell() -> None:
    result = import_report(CORPUS / "shuyang-fgj-2023-copied.txt", ImportOptions("shuyang"))
    assert result.by.t3.get("new", "natural_person") == 26 and result.by.t3.get("new", "commercial") is None
    assert result.by.t4.get("review", "pending") == 1
    assert result.provenance.tally().get(CellSource.UNREAD, 0) == 0


# --- a web page printed to PDF -----------------------------------------------------------------

# A ruled table 三 as Chromium prints it: three label columns, then seven value columns.
COLUMNS = ((46.0, 93.0), (93.0, 161.0), (161.0, 273.0), *((273.0 + 40 * i, 313.0 + 40 * i) for i in range(7)))


def test_a_row_that_lost_its_rule_at_a_page_break_is_placed_under_the_tables_columns() -> None:
    words = [(167.0, 266.0, "8.属于行政查询事"), (279.0, 285.0, "0"), (520.0, 526.0, "0")]
    assert _under_grid(words, COLUMNS, 10.0) == ("8.属于行政查询事", "0", "", "", "", "", "", "0")
    # The group label in its own column stays part of the label.
    words = [(99.0, 155.0, "（六）其"), (167.0, 266.0, "1.申请人无正当理"), (279.0, 285.0, "3")]
    assert _under_grid(words, COLUMNS, 10.0) == ("（六）其 1.申请人无正当理", "3", "", "", "", "", "", "")


def test_text_that_is_no_row_of_the_table_is_not_placed() -> None:
    # Prose runs across the rules; a figure inside the label columns; figures sharing a column.
    assert _under_grid([(50.0, 400.0, "全年共受理申请"), (420.0, 430.0, "26")], COLUMNS, 10.0) is None
    assert _under_grid([(167.0, 200.0, "2023年"), (210.0, 220.0, "26")], COLUMNS, 10.0) is None
    words = [(167.0, 266.0, "规章"), (275.0, 290.0, "1"), (295.0, 310.0, "2")]
    assert _under_grid(words, COLUMNS, 10.0) is None


def test_a_browsers_print_header_and_footer_are_dropped() -> None:
    header = "12/7/26, 1:22 PM 沭阳县发展和改革局2023年政府信息公开年度报告"
    text = f"{header}\n正文\nhttps://corpus.invalid/a.html 3/8\n"
    lines, _notes = text_lines(text)
    assert [ln.text for ln in lines if ln.text] == ["正文"]


# --- table 二 printed with fewer figures than its columns --------------------------------------


def test_a_row_with_fewer_figures_than_columns_is_not_cut_into_more() -> None:
    # 「10」 is one figure: cutting it into 1 and 0 to make three would be a guess.
    for text in ("规章    5    10", "规章 5 10", "行政规范性文件 3 27"):
        found = row_values(Line(1, text), 3, split=False)
        assert found is not None and found.short, text
    # Where the table runs its figures together (「0000000」), the one way to split is taken.
    run = [Line(1, "1.属于国家秘密0000000"), Line(2, "2.重复申请1000001")]
    assert runs_together(run)
    cut = row_values(run[1], 7, split=True)
    assert cut is not None and cut.values == ("1", "0", "0", "0", "0", "0", "1")
    assert not runs_together([Line(1, "规章    5    10"), Line(2, "行政规范性文件  109  489  597")])


def test_table_two_printed_with_a_figure_left_out_is_unread(tmp_path: Path) -> None:
    # 宿迁 2023 with 规章's 本年废止件数 left empty: 「规章  2  11」.
    text = SUQIAN.read_text(encoding="utf-8").replace("\f", "")
    old = "规章          2               0        11"
    assert text.count(old) == 1
    path = tmp_path / "suqian-2023.txt"
    path.write_text(text.replace(old, "规章          2                        11"), encoding="utf-8")
    result = import_report(path, ImportOptions("suqian"))
    cells = [result.by.t2.get("regulations", col) for col in ("issued", "repealed", "in_force")]
    assert cells == [None, None, None]  # never 2, 1, 1
    assert result.by.t2.get("normative_documents", "in_force") == 597
    findings = [f for f in check(result.by).errors if f.table == "表二" and "规章" in f.row]
    assert findings and {f.rule for f in findings} == {"IMPORT"}


# --- a table cut at the page's margin ------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.slow
def test_a_table_cut_at_the_margin_leaves_the_cut_cells_unread(tmp_path: Path) -> None:
    """上海 2019 printed portrait: Chromium cuts its Word-sized tables at the right margin, and the
    总计 column shows 「85」 of 859.  What is cut is unread (IMPORT); no cell holds a wrong figure."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install the Debian package chromium (make system)")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "sh-office-2019.html"
    # The kept fragment has no charset of its own: the site sends it as UTF-8.
    page_file.write_text(
        '<meta charset="utf-8">' + (CORPUS / "sh-office-2019.html").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    pdf = tmp_path / "sh-office-2019.pdf"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            page.emulate_media(media="print")
            page.pdf(
                path=str(pdf),
                format="A4",
                margin={"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"},
            )
        finally:
            browser.close()
    result = import_report(pdf, ImportOptions("sh"))
    expected = json.loads((CORPUS / "sh-office-2019.json").read_text(encoding="utf-8"))
    wrong, unread = {}, 0
    for table_id, key in ((TableId.T3, "table3"), (TableId.T4, "table4")):
        for row, columns in expected[key].items():
            for column, value in columns.items():
                got = result.by.tables[table_id].cells.get((row, column))
                if got is None and value is not None:
                    unread += 1
                elif got != value:
                    wrong[f"{table_id}:{row}.{column}"] = (got, value)
    assert wrong == {}
    assert unread > 0 and result.by.t3.get("new", "total") != 85
    assert "IMPORT" in {f.rule for f in check(result.by).errors}
