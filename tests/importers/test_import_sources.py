"""Importing the forms real reports come in: cells that cannot be read, titles, browser text, Markdown.

Each test starts from a real report of ``tests/fixtures/reports`` (the 宿迁 2023 text, the 洪泽 PDFs)
changed the way a copy, a converter or another publisher changes it, and asserts what the importer
reads — and that what it cannot read is recorded as unread (rule IMPORT), never as a blank the
bureau published (BLANK).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from kit import FIXTURES
from ogi_report.checks.runner import check
from ogi_report.cli.main import main
from ogi_report.importers import ImportOptions, import_report
from ogi_report.importers.lines import Line, row_values
from ogi_report.importers.text import text_lines
from ogi_report.importers.title import find_title, parse_title
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.formats import FORMAT_V2
from ogi_report.storage.folder import load_bureau_year
from ogi_report.storage.provenance import PROVENANCE_FILE, CellSource, attach, read_provenance
from ogi_report.storage.workspace import load

REPORTS = FIXTURES / "reports"
SUQIAN = REPORTS / "03_suqian-city-2023.txt"
T3_COLUMNS = [c.key for c in FORMAT_V2.table("t3").blocks[0].columns]


def _suqian_text() -> str:
    """The 宿迁 2023 report without its form feeds (page breaks of the pdftotext copy)."""
    return SUQIAN.read_text(encoding="utf-8").replace("\f", "")


def _without_table_three(tmp_path: Path) -> Path:
    """The 宿迁 2023 report with table 三 replaced by a note (a table pasted as an image)."""
    lines = _suqian_text().split("\n")
    start = next(i for i, x in enumerate(lines) if x.startswith("三、收到和处理"))
    end = next(i for i, x in enumerate(lines) if x.startswith("四、政府信息公开行政复议"))
    kept = [*lines[: start + 1], "（表格见附件图片）", *lines[end:]]
    path = tmp_path / "suqian-2023.txt"
    path.write_text("\n".join(kept), encoding="utf-8")
    return path


# --- unread is not blank ---------------------------------------------------------------------


def test_a_table_that_cannot_be_read_is_import_not_blank(tmp_path: Path) -> None:
    result = import_report(_without_table_three(tmp_path), ImportOptions("suqian"))
    t3 = result.by.t3
    assert all(value is None for _cell, value in t3.items())
    assert result.provenance.tally()[CellSource.UNREAD] == 25 * 7
    findings = check(result.by).findings
    assert {(f.row, f.column) for f in findings if f.rule == "IMPORT"} == {
        (row.display_label, col.label) for _b, row, col in t3.spec.cells()
    }
    assert not [f for f in findings if f.rule == "BLANK"]
    # No sum is judged over figures never read.
    assert not [f for f in findings if f.rule in ("T3-A", "T3-B", "T3-C")]


def test_an_unread_cell_is_left_out_of_the_sums_it_is_in(tmp_path: Path) -> None:
    path = tmp_path / "suqian-2023.txt"
    row = "3402     99    0   4    5     1   3511"
    text = _suqian_text()
    assert row in text
    path.write_text(text.replace(row, "3402     99        4    5     1   3511"), encoding="utf-8")
    by = import_report(path, ImportOptions("suqian")).by
    assert by.t3.get("new", "research") is None
    rules = {f.rule for f in check(by).findings}
    assert "IMPORT" in rules and not rules & {"BLANK", "T3-A", "T3-C"}
    # Filled in by hand, the sums are checked again.
    filled = by.t3.replace(
        {("new", c): v for c, v in zip(T3_COLUMNS[:6], (3402, 99, 0, 4, 5, 2), strict=True)}
    )
    changed = replace(by, tables={**by.tables, "t3": filled})
    attach(changed, import_report(path, ImportOptions("suqian")).provenance)
    rules = {f.rule for f in check(changed).findings}
    assert "T3-C" in rules and "IMPORT" not in rules


def test_import_exits_1_writes_the_record_and_check_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "data" / "suqian" / "2023"
    code = main(["import", str(_without_table_three(tmp_path)), "--slug", "suqian", "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    tally = next(line for line in err.splitlines() if line.startswith("表格单元格"))
    assert re.search(r"读出 \d+ 个，计算 \d+ 个，未能读出 175 个", tally), tally
    record = read_provenance(out)
    assert record is not None and record.of("t3", "new", "natural_person") is CellSource.UNREAD
    assert (
        json.loads((out / PROVENANCE_FILE).read_text(encoding="utf-8"))["tables"]["t3"]["new"]["total"]
        == "unread"
    )
    assert main(["check", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "[IMPORT]" in printed and "[BLANK]" not in printed


def test_a_cell_filled_by_hand_after_the_import_is_no_longer_unread(tmp_path: Path) -> None:
    out = tmp_path / "data" / "suqian" / "2023"
    main(["import", str(_without_table_three(tmp_path)), "--slug", "suqian", "--out", str(out)])
    csv = (out / "table3.csv").read_text(encoding="utf-8").split("\n")
    new = next(i for i, x in enumerate(csv) if x.startswith("一、本年新收"))
    cells = csv[new].split(",")
    csv[new] = ",".join([cells[0], "5", *cells[2:]])
    (out / "table3.csv").write_text("\n".join(csv), encoding="utf-8")
    findings = check(load(out).by).findings
    unread = {(f.row, f.column) for f in findings if f.rule == "IMPORT"}
    assert ("一、本年新收政府信息公开申请数量", "自然人") not in unread
    assert ("一、本年新收政府信息公开申请数量", "商业企业") in unread


def test_a_complete_import_exits_0_with_every_cell_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "suqian"
    assert main(["import", str(SUQIAN), "--slug", "suqian", "--out", str(out)]) == 0
    assert "未能读出 0 个" in capsys.readouterr().err
    assert not [f for f in check(load(out).by).findings if f.rule == "IMPORT"]


# --- the shared 洪泽 PDFs --------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["05_hongze-district-gov-2023", "06_hongze-district-gov-2024"])
def test_the_hongze_pdfs_import_from_the_pdf_itself(stem: str) -> None:
    expected = json.loads((REPORTS / "hongze-expected.json").read_text(encoding="utf-8"))[stem]
    result = import_report(REPORTS / f"{stem}.pdf", ImportOptions("hongze"))
    by = result.by
    assert by.meta.format_id == expected["format"] == "2019"  # table 三 printed in the trial layout
    assert (by.meta.name, by.meta.year) == (expected["name"], expected["year"])
    for table_id, key in (("t3", "table3"), ("t4", "table4")):
        for row, columns in expected[key].items():
            for column, value in columns.items():
                assert by.tables[table_id].get(row, column) == value, (table_id, row, column)
    assert result.unplaced == []
    assert result.provenance.tally()[CellSource.UNREAD] == 0
    errors = {f.rule for f in check(by).errors}
    assert {"FMT", "T4"} & errors == set(expected["verdict"])  # the 2023 复议 total printed 0 under 10 + 1
    assert not errors & {"T3-A", "T3-B", "BLANK", "IMPORT"}


def test_a_table_two_of_the_other_generation_keeps_the_cells_both_share() -> None:
    result = import_report(REPORTS / "05_hongze-district-gov-2023.pdf", ImportOptions("hongze"))
    t2 = result.by.t2
    assert t2.get("licensing", "decisions") == 550 and t2.get("punishment", "decisions") == 4119
    assert t2.get("regulations", "new_made") is None
    assert result.provenance.of("t2", "regulations", "new_made") is CellSource.ABSENT
    assert any("按另一版格式印制" in n for n in result.notes)


# --- titles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "name", "year"),
    [
        ("宿迁市水利局2024年政府信息公开工作年度报告", "宿迁市水利局", 2024),
        ("2024年宿迁市水利局政府信息公开工作年度报告", "宿迁市水利局", 2024),
        ("沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", 2023),
        ("某市某局2020年度政府信息公开工作年度报告", "某市某局", 2020),
        ("2023 年政府信息公开工作年度报告", "", 2023),
    ],
)
def test_title_variants(title: str, name: str, year: int) -> None:
    assert parse_title(title) == (name, year)


def test_a_wrapped_title_and_a_document_title() -> None:
    wrapped = [Line(1, "2024 年上海市科委政府信息公开工作"), Line(2, "年度报告")]
    found = find_title(wrapped, [])
    assert (found.name, found.year, found.last) == ("上海市科委", 2024, 1)
    # No name in the printed title: the document's own title (HTML <title>, PDF Title) has it.
    bare = [Line(1, "2023年政府信息公开工作年度报告")]
    found = find_title(bare, ["Title: 洪泽区人民政府2023年政府信息公开工作年度报告_洪泽区人民政府"])
    assert (found.name, found.year) == ("洪泽区人民政府", 2023)


def test_the_name_from_the_signature_when_no_title_gives_it(tmp_path: Path) -> None:
    text = _suqian_text().replace(
        "# report: 宿迁市 2023年政府信息公开工作年度报告", "# report: 2023年政府信息公开工作年度报告"
    )
    path = tmp_path / "report.txt"
    path.write_text(text.rstrip("\n") + "\n\n宿迁市人民政府\n2024年3月20日\n", encoding="utf-8")
    result = import_report(path, ImportOptions("suqian"))
    assert result.by.meta.name == "宿迁市人民政府"
    assert any("按落款" in n for n in result.notes)


def test_html_title_and_article_title_meta(tmp_path: Path) -> None:
    body = _suqian_text()
    html = (
        "<html><head><title>年度报告_宿迁市人民政府</title>"
        '<meta name="ArticleTitle" content="宿迁市2023年政府信息公开工作年度报告"></head><body>'
        + "".join(f"<p>{line}</p>" for line in body.split("\n") if not line.startswith("#"))
        + "</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    by = import_report(path, ImportOptions("suqian")).by
    assert (by.meta.name, by.meta.year) == ("宿迁市", 2023)


# --- browser text, Markdown ------------------------------------------------------------------


def test_tab_fields_keep_empty_cells_in_their_columns() -> None:
    cells = ("2.重复申请", "3", "", "", "1", "", "", "4")
    found = row_values(Line(1, "2.重复申请 3 1 4", cells), 7)
    assert found is not None and found.values == ("3", "", "", "1", "", "", "4") and not found.short
    middle = ("3.其他", "5", "", "", "", "", "", "5", "")  # a trailing separator dropped
    found = row_values(Line(1, "3.其他 5 5", middle), 7)
    assert found is not None and found.values == ("5", "", "", "", "", "", "5") and not found.short
    # An empty total: left unprinted (computed) or lost — not taken as a printed blank.
    trailing = ("3.其他", "5", "", "", "", "", "", "")
    found = row_values(Line(1, "3.其他 5", trailing), 7)
    assert found is not None and found.short
    # An empty field right after the label may be a merged label column: not taken as exact.
    spill = ("(一) 予以公开", "", "0", "0", "0", "0", "0", "0")
    found = row_values(Line(1, "(一) 予以公开 0 0 0 0 0 0", spill), 7)
    assert found is not None and found.short


def test_tab_text_keeps_trailing_empty_fields() -> None:
    lines, _notes = text_lines("3.其他\t5\t\t\t\t\t\t\n")
    assert lines[0].cells == ("3.其他", "5", "", "", "", "", "", "")


def test_markdown_headings_pipe_tables_and_small_tables(tmp_path: Path) -> None:
    text = _suqian_text()
    # Table 四 as three small pipe tables under ### headings; sections as ## headings.
    md = re.sub(r"^([一二三四五六]、)", r"## \1", text, flags=re.MULTILINE)
    lines = md.split("\n")
    start = next(i for i, x in enumerate(lines) if x.startswith("## 四、政府信息公开行政复议"))
    end = next(i for i, x in enumerate(lines) if x.startswith("## 五、"))
    small = []
    for label, values in (
        ("行政复议", "| 8 | 4 | 2 | 0 | 14 |"),
        ("行政诉讼（未经复议直接起诉）", "| 10 | 0 | 4 | 7 | 21 |"),
        ("行政诉讼（复议后起诉）", "| 2 | 0 | 0 | 3 | 5 |"),
    ):
        small += [
            f"### {label}",
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
            "|---|---|---|---|---|",
            values,
            "",
        ]
    md = "\n".join([*lines[: start + 1], *small, *lines[end:]])
    path = tmp_path / "report.md"
    path.write_text(md, encoding="utf-8")
    result = import_report(path, ImportOptions("suqian"))
    t4 = result.by.t4
    assert [t4.get("review", c) for c in ("upheld", "corrected", "other", "pending", "total")] == [
        8,
        4,
        2,
        0,
        14,
    ]
    assert t4.get("litigation_after_review", "pending") == 3
    assert result.by.t3.get("new", "total") == import_report(SUQIAN, ImportOptions("s")).by.t3.get(
        "new", "total"
    )


def test_a_variant_label_is_matched_to_the_nearest_official_one_with_a_note(tmp_path: Path) -> None:
    text = _suqian_text()
    row = "行政规范性文件     109"
    assert row in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(row, "规范性文件       109"), encoding="utf-8")
    result = import_report(path, ImportOptions("suqian"))
    original = import_report(SUQIAN, ImportOptions("suqian")).by
    assert result.by.t2.get("normative_documents", "issued") == original.t2.get(
        "normative_documents", "issued"
    )
    assert any("最接近" in n for n in result.notes)


def test_page_text_flattened_to_one_line(tmp_path: Path) -> None:
    """A web page's text copied as one line: headings inline, cells one space apart."""
    from lxml import etree  # type: ignore[import-untyped]
    from ogi_report.render.html import page

    original = import_report(SUQIAN, ImportOptions("suqian")).by
    root = etree.fromstring(page.render_page(original, check(original)), etree.HTMLParser())
    for kit in root.xpath('//*[contains(@class,"ogi-banner") or contains(@class,"ogi-checks")]'):
        kit.getparent().remove(kit)
    flat = re.sub(r"\s+", " ", " ".join(root.find("body").itertext())).strip()
    assert "\n" not in flat and "一、总体情况 2023年" in flat
    path = tmp_path / "suqian-2023.txt"
    path.write_text(flat, encoding="utf-8")
    result = import_report(path, ImportOptions("suqian"))
    assert result.unplaced == []
    assert result.by.meta.name == "宿迁市"
    for table_id, table in original.tables.items():
        assert dict(result.by.tables[table_id].cells) == dict(table.cells), table_id


def test_a_row_is_named_by_its_label_not_by_two_shared_characters() -> None:
    """「1.申请人无正当理由逾期不补正…政府信息公开申请」 shares 「政府信息」 with （四）1.: it is （六）1."""
    from ogi_report.importers.tables import read_table

    spec = FORMAT_V2.table("t3")
    lines = [
        Line(1, "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3"),
        Line(2, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 1 0 0 0 0 0 1"),
    ]
    read = read_table(spec, lines)
    assert read.given[("other.overdue_correction", "natural_person")] == 1
    assert ("unable.not_held", "natural_person") not in read.given


def test_figures_under_labels_printed_apart_follow_the_table_order() -> None:
    """A converter printed two labels above one row of figures with no label of its own: right
    after row 4., they are row 5. (named above, next in order), never the later （四）1."""
    from ogi_report.importers.tables import read_table

    spec = FORMAT_V2.table("t3")
    figures = ("1", "0", "0", "0", "0", "0", "1")
    lines = [
        Line(1, "4.保护第三方合法权益 0 0 0 0 0 0 0"),
        Line(2, "5.属于三类内部事务信"),
        Line(3, "1.本机关不掌握相关政"),
        Line(4, "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |", figures),
    ]
    read = read_table(spec, lines)
    assert read.given[("refused.internal_affairs", "natural_person")] == 1
    assert ("unable.not_held", "natural_person") not in read.given
    # After a row of figures that could not be placed, the order is lost: nothing is placed.
    lost = [Line(1, "4.保护第三方合法权益 0 0 0 0 0 0 0"), Line(2, "9 9"), *lines[1:]]
    read = read_table(spec, lost)
    assert ("refused.internal_affairs", "natural_person") not in read.given
    assert ("unable.not_held", "natural_person") not in read.given


def _pipe(text: str) -> Line:
    """A Markdown pipe row as the text importer gives it: its cells known, not a real grid."""
    cells = tuple(c.strip() for c in text.strip().strip("|").split("|"))
    return Line(0, text, cells)


def test_a_label_printed_below_its_figures_is_read_only_when_the_next_row_confirms_it() -> None:
    """sh-kewei-2024: a converter printed （二）部分公开's zeros first and its label below them; the
    row after names 1.属于国家秘密, so exactly that one row fits between."""
    from ogi_report.importers.tables import read_table

    spec = FORMAT_V2.table("t3")
    lines = [
        _pipe("| （一）予以公开 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |"),
        _pipe("| 0 | 0 | 0 | 0 | 0 | 0 | 0 |"),
        Line(0, "（二）部分公开（区分处理的，只"),
        Line(0, "计这一情形，不计其他情形）"),
        _pipe("| 1.属于国家秘密 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |"),
    ]
    read = read_table(spec, lines)
    assert [read.given[("partly_granted", c)] for c in T3_COLUMNS] == [0] * 7
    assert read.given[("refused.state_secret", "natural_person")] == 3
    assert any("印在其下方" in note for note in read.notes)
    # The row after names a row two further on: the unlabelled figures could be either, so unread.
    gap = [*lines[:4], _pipe("| 2.其他法律行政法规禁止公开 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |")]
    read = read_table(spec, gap)
    assert ("partly_granted", "natural_person") not in read.given
    assert any("找不到对应的表格行" in u.message for u in read.unplaced)


def test_a_lone_figure_between_pipe_rows_is_not_a_row() -> None:
    """sh-kewei-2024: a bare 「1」 above （六）2.'s row of zeros is a page fragment, reported, and the
    row of zeros is still placed by the label printed above it."""
    from ogi_report.importers.tables import read_table

    spec = FORMAT_V2.table("t3")
    lines = [
        _pipe("| （六）其他处理 1.申请人无正当理由逾期不补正 | 8 | 2 | 0 | 0 | 0 | 0 | 10 |"),
        Line(0, "2.申请人逾期未按收费"),
        Line(0, "通知要求缴纳费用"),
        Line(0, "1"),
        _pipe("| 0 | 0 | 0 | 0 | 0 | 0 | 0 |"),
        _pipe("| 3.其他 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |"),
    ]
    read = read_table(spec, lines)
    assert [read.given[("other.unpaid_fee", c)] for c in T3_COLUMNS] == [0] * 7
    assert read.given[("other.other", "total")] == 4
    assert [u.text for u in read.unplaced if "只有一个数值" in u.message] == ["1"]
    # In layout text (no pipe rows) a short line stays a short row, left unread, never skipped.
    layout = [Line(0, ln.text if ln.cells is None else " ".join(ln.cells)) for ln in lines]
    read = read_table(spec, layout)
    assert ("other.unpaid_fee", "natural_person") in read.unread


def test_a_table_titled_twice_keeps_the_rows_printed_between_the_titles() -> None:
    """sh-kewei-2024: 「一、主动公开政府信息情况」, rows of 第二十条第（五）项 and after them the converter's
    「## 表二：主动公开政府信息情况」 over the rest: one table; with only prose between, two titles."""
    from ogi_report.importers.report import _tables_by_title
    from ogi_report.spec.ids import TableId

    head = [Line(1, "一、主动公开政府信息情况")]
    rows = [Line(2, "第二十条第（五）项"), Line(3, "信息内容本年处理决定数量"), Line(4, "行政许可 97")]
    table = [Line(5, "## 表二：主动公开政府信息情况"), _pipe("| 规章 | 0 | 0 | 0 |")]
    regions: dict[TableId, list[Line]] = {}
    prose = [("六、其他", head + rows + table)]
    _tables_by_title(regions, prose, FORMAT_V2)
    assert [ln.text for ln in regions[TableId.T2]][:3] == [
        "第二十条第（五）项",
        "信息内容本年处理决定数量",
        "行政许可 97",
    ]
    assert prose[0][1] == []
    talk = [Line(2, "我们认真做好主动公开工作，全年发布信息 2139 条。")]
    regions = {}
    prose = [("六、其他", head + talk + table)]
    _tables_by_title(regions, prose, FORMAT_V2)
    assert [ln.text for ln in regions[TableId.T2]] == ["| 规章 | 0 | 0 | 0 |"]
    assert [ln.text for ln in prose[0][1]] == [head[0].text, talk[0].text]


def test_a_label_split_from_its_figures_by_a_page_footer(tmp_path: Path) -> None:
    """A converter put the label on one line, a page footer, then the seven figures."""
    text = _suqian_text()
    row = "              2.重复申请               39      0     0   0    0     0   39"
    assert row in text
    split = "\n".join(["    2.重复申请", "", "      — 4 —", "", "   39    0    0   0   0   0   39"])
    path = tmp_path / "suqian-2023.txt"
    path.write_text(text.replace(row, split), encoding="utf-8")
    result = import_report(path, ImportOptions("suqian"))
    assert result.unplaced == []
    assert [result.by.t3.get("not_processed.repeated", c) for c in T3_COLUMNS] == [39, 0, 0, 0, 0, 0, 39]


# --- PDF: figures placed by their position ----------------------------------------------------


def _unruled_pdf(by: BureauYear, path: Path, blanks: dict[tuple[str, str], None]) -> Path:
    """A PDF of ``by``'s tables as unruled tables (no cell borders), some cells printed empty."""
    import typst

    def cell(value: object) -> str:
        return "[]" if value is None else f"[{value}]"

    out = [
        "#set page(width: 210mm, height: 297mm, margin: 15mm)",
        '#set text(font: "Noto Serif CJK SC", size: 9pt)',
        "宿迁市2023年政府信息公开工作年度报告\n\n一、总体情况\n\n本年度工作情况。\n\n二、主动公开政府信息情况\n",
    ]
    for block in by.t2.spec.blocks:
        heads = ", ".join(f"[{c.label}]" for c in block.columns)
        rows = ", ".join(
            f"[{r.label}], " + ", ".join(cell(by.t2.get(r.key, c.key)) for c in block.columns)
            for r in block.rows
        )
        out.append(
            f"{block.title}\n\n#table(columns: {1 + len(block.columns)}, stroke: none, "
            f"[信息内容], {heads}, {rows})\n"
        )
    t3 = by.t3.replace(blanks)
    block = t3.spec.blocks[0]
    heads = ", ".join(f"[{c.label}]" for c in block.columns)
    rows = ", ".join(
        f"[{r.label}], " + ", ".join(cell(t3.get(r.key, c.key)) for c in block.columns) for r in block.rows
    )
    out.append(
        f"三、收到和处理政府信息公开申请情况\n\n#table(columns: 8, stroke: none, [], {heads}, {rows})\n"
    )
    figures = ", ".join(cell(value) for _cell, value in by.t4.items())
    out.append(f"四、政府信息公开行政复议、行政诉讼情况\n\n#table(columns: 15, stroke: none, {figures})\n")
    out.append("五、存在的主要问题及改进情况\n\n问题与改进。\n\n六、其他需要报告的事项\n\n无。\n")
    source = path.with_suffix(".typ")
    source.write_text("\n".join(out), encoding="utf-8")
    path.write_bytes(typst.compile(str(source)))
    return path


def test_an_unruled_pdf_table_places_figures_by_their_position(tmp_path: Path) -> None:
    original = import_report(SUQIAN, ImportOptions("suqian")).by
    blanks = {("new", "research"): None, ("carried_over", "natural_person"): None}
    path = _unruled_pdf(original, tmp_path / "suqian-2023.pdf", blanks)
    result = import_report(path, ImportOptions("suqian"))
    assert result.unplaced == []
    assert dict(result.by.t3.cells) == dict(original.t3.replace(blanks).cells)
    assert dict(result.by.t4.cells) == dict(original.t4.cells)
    # Printed empty: the report's own blanks (BLANK), not cells the import could not read.
    findings = check(result.by).findings
    assert {(f.rule, f.column) for f in findings if f.rule in ("BLANK", "IMPORT")} == {
        ("BLANK", "科研机构"),
        ("BLANK", "自然人"),
    }


def test_the_name_from_a_docx_title_property(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "宿迁市2023年政府信息公开工作年度报告"
    document.add_paragraph("2023年政府信息公开工作年度报告")  # the printed title names no body
    for line in _suqian_text().split("\n"):
        if not line.startswith("#"):
            document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(str(path))
    result = import_report(path, ImportOptions("suqian"))
    assert (result.by.meta.name, result.by.meta.year) == ("宿迁市", 2023)
    assert any("文档标题" in n for n in result.notes)


def test_a_unit_typed_into_a_count_is_reported_by_n_with_what_was_printed(tmp_path: Path) -> None:
    # 「251000元」 in an HTML cell: read, but not a value. It stays blank, import.json keeps the
    # printed text, and check says N (what the report holds), not IMPORT (could not read).
    report = FIXTURES / "corpus" / "sh-office-2019.html"
    out = tmp_path / "data" / "sh" / "2019"
    assert main(["import", str(report), "--slug", "sh", "--out", str(out)]) == 1
    record = json.loads((out / "import.json").read_text("utf-8"))
    assert record["tables"]["t2"]["procurement"]["amount"] == "invalid"
    assert record["printed"]["t2"]["procurement"]["amount"] == "251000元"
    findings = check(load_bureau_year(out)).findings
    n = [f for f in findings if f.rule == "N"]
    assert [(f.found, f.column) for f in n] == [("251000元", "采购总金额")]
    assert not [f for f in findings if f.rule == "IMPORT" and f.column == "采购总金额"]


def test_figures_printed_with_a_unit_in_page_text_stand_in_their_columns() -> None:
    # 「2笔」 is no count, but it is what the report printed in the first column: kept (rule N then
    # reports it) instead of the whole row being lost as "1 value read, 2 expected".
    found = row_values(Line(1, "政府集中采购 2笔 984361元"), 2)
    assert found is not None and found.label == "政府集中采购" and found.values == ("2笔", "984361元")
    assert not found.short
    # Only when exactly as many figures end the line as the row has columns: never by guessing.
    assert row_values(Line(1, "政府集中采购 2笔"), 2) is None
    three = row_values(Line(1, "采购 3 2笔 984361元"), 2)  # three figures for two columns
    assert three is None or three.short  # a short row, left to the table reader to report
    # Prose ending in counts is left alone unless a unit is printed among exactly as many figures.
    assert row_values(Line(1, "共收到申请 12 件"), 2) is None


def test_figures_run_together_are_read_only_where_they_split_one_way() -> None:
    # A crawler's page text runs a row's figures together.  No figure is printed with a leading
    # zero, so some runs have one reading; others have several and stay unread (IMPORT).
    zeros = row_values(Line(1, "二、上年结转政府信息公开申请数量0000000"), 7)
    assert zeros is not None and zeros.label == "二、上年结转政府信息公开申请数量"
    assert zeros.values == ("0",) * 7
    ones = row_values(Line(1, "（一）予以公开1 0 0 0 0 01"), 7)
    assert ones is not None and ones.values == ("1", "0", "0", "0", "0", "0", "1")
    # 80,1,0,0,0,0,81 or 8,0,10,0,0,0,81 or 8,0,100,0,0,8,1 …: more than one reading, none taken.
    assert row_values(Line(1, "一、本年新收政府信息公开申请数量801000081"), 7) is None
    # A hostile run (2^41 ways to cut 42 digits) is searched with pruning and a budget: no reading.
    assert row_values(Line(1, "一、本年新收政府信息公开申请数量" + "7" * 42), 7) is None
