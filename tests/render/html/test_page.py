"""The standalone report page: the seed's content in the seed's order, the official tables, findings,
sanitized narrative, a self-contained page, and the ``render`` sub-command."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from io import StringIO
from pathlib import Path

import lxml.html
import pandas as pd
import pytest
from kit import REPO_ROOT, SEED_TEXT
from ogi_report.checks.registry import RULES
from ogi_report.checks.runner import CheckResult, check
from ogi_report.cli import main
from ogi_report.model.bureau import BureauYear, Cell, Meta, PublisherType, Table, complete_table
from ogi_report.model.values import Value
from ogi_report.render.html.page import render_page, report_html
from ogi_report.render.model import DRAFT_BANNER, Edition
from ogi_report.spec.formats import FORMATS, CellKind
from ogi_report.storage.folder import load_bureau_year, save_bureau_year

ROOT = REPO_ROOT
SEED_DATA = ROOT / "data" / "haidong-emergency" / "2021"


def seed() -> BureauYear:
    return load_bureau_year(SEED_DATA)


def rendered(by: BureauYear) -> tuple[str, CheckResult]:
    """The review edition's page (the report and its 数据校验 appendix)."""
    result = check(by)
    return render_page(by, result, edition=Edition.REVIEW), result


def norm(text: str) -> str:
    """Compare text as printed: NFKC (the seed's extraction mixes half- and full-width), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def report_text(page: str) -> str:
    """The report's visible text, without the 数据校验 appendix and the CSS."""
    root = lxml.html.document_fromstring(page)
    for appendix in root.find_class("ogi-checks"):
        appendix.drop_tree()
    return norm(root.body.text_content())


def seed_lines() -> tuple[list[str], list[list[str]]]:
    """The seed's prose lines (headings, paragraphs, signature) and its table lines split into cells."""
    text = SEED_TEXT.read_text("utf-8").replace("领\n\n导小组", "领导小组")  # a line-break artifact
    prose, tables = [], []
    for line in text.splitlines():
        if "\t" in line:
            tables.append([c for c in line.split("\t") if c.strip()])
        elif line.strip():
            prose.append(line)
    return prose, tables


def v1_bureau_year(values: dict[str, dict[Cell, Value]] | None = None) -> BureauYear:
    """A 2020 report in the 2019 format: zero tables with the given cells, totals computed."""
    fmt = FORMATS["2019"]
    tables = {}
    for spec in fmt.tables:
        cells: dict[Cell, Value] = {}
        for _block, row, col in spec.cells():
            if not (row.total or col.total):
                cells[(row.key, col.key)] = 0
        cells.update((values or {}).get(spec.id, {}))
        tables[spec.id] = complete_table(spec, cells)
    meta = Meta(
        name="某县人民政府办公室",
        slug="sample-county",
        year=2020,
        publisher_type=PublisherType.GOVERNMENT,
        format_id="2019",
        publish_date=date(2021, 3, 20),
    )
    narrative = "\n\n".join(
        ["根据《条例》编制本报告。"] + [f"## {s.heading}\n\n{s.heading[2:]}的正文。" for s in fmt.sections]
    )
    return BureauYear(meta, tables, narrative)


# ---------------------------------------------------------------------------------------------
# The bundled example against the published seed.


def test_every_seed_heading_and_paragraph_appears_in_order() -> None:
    page, _result = rendered(seed())
    text = report_text(page)
    prose, _tables = seed_lines()
    position = 0
    for line in prose:
        found = text.find(norm(line), position)
        assert found >= 0, f"missing or out of order: {line[:40]}"
        position = found + len(norm(line))
    assert len(prose) >= 25 and text.endswith(norm("海东市应急管理局2022年1月7日"))


def test_every_seed_table_cell_appears_in_its_table() -> None:
    page, _result = rendered(seed())
    root = lxml.html.document_fromstring(page)
    tables = {t.get("data-table"): t for t in root.iter("table") if t.get("data-table")}
    _prose, lines = seed_lines()
    texts = {tid: {norm(c.text_content()) for c in t.iter("th", "td")} for tid, t in tables.items()}
    for cells in lines:
        for cell in cells:
            assert any(norm(cell) in seen for seen in texts.values()), cell


def test_pandas_reads_the_seed_values_from_tables_two_three_four() -> None:
    page, _result = rendered(seed())
    t2 = pd.read_html(StringIO(page), attrs={"data-table": "t2"})[0]
    rows = {str(r.iloc[0]): [str(v) for v in r.iloc[1:]] for _i, r in t2.iterrows()}
    assert rows["规章"] == ["0", "0", "0"]
    assert rows["行政规范性文件"] == ["0", "0", "0"]
    assert rows["行政许可"][0] == "34"
    assert rows["行政处罚"][0] == "1"
    assert rows["行政强制"][0] == "0"
    assert rows["行政事业性收费"][0] == "0"
    t3 = pd.read_html(StringIO(page), attrs={"data-table": "t3"})[0]
    assert t3.shape == (25, 10)
    assert t3.iloc[:, 3:].astype(int).to_numpy().tolist() == [[0] * 7] * 25
    t4 = pd.read_html(StringIO(page), attrs={"data-table": "t4"})[0]
    assert t4.shape == (1, 15) and t4.iloc[0].astype(int).tolist() == [0] * 15


def test_the_seed_page_headers_carry_the_official_spans() -> None:
    page, _result = rendered(seed())
    root = lxml.html.document_fromstring(page)

    def span(text: str) -> tuple[str | None, str | None]:
        cell = next(th for th in root.iter("th") if th.text_content() == text)
        return cell.get("rowspan"), cell.get("colspan")

    assert span(FORMATS["2021"].table("t3").corner) == ("3", "3")
    assert span("申请人情况") == (None, "7")
    assert span("法人或其他组织") == (None, "5")
    assert span("三、本年度办理结果") == ("22", None)
    assert span("行政诉讼") == (None, "10")
    assert span("未经复议直接起诉") == (None, "5")
    assert span("复议后起诉") == (None, "5")


def test_title_masthead_and_sections_in_place() -> None:
    page, result = rendered(seed())
    root = lxml.html.document_fromstring(page)
    assert root.get("lang") == "zh-CN"
    assert [h.text_content() for h in root.iter("h1")] == ["海东市应急管理局2021年政府信息公开工作年度报告"]
    assert root.find_class("ogi-masthead")[0].text_content() == "海东市应急管理局文件"
    sections = root.find_class("ogi-section")
    assert [s.get("data-section") for s in sections] == list("一二三四五六")
    # Each table sits in its own section, after that section's text.
    tables = [[t.get("data-table") for t in s.iter("table")] for s in sections]
    assert tables == [[], ["t2"], ["t3"], ["t4"], [], []]
    first_subhead = next(sections[0].iter("h3")).text_content()
    assert first_subhead == "（一）进一步健全机制，加强政务公开组织领导。"
    assert not result.errors and not root.find_class("ogi-banner")


# ---------------------------------------------------------------------------------------------
# The 2019 format.


def test_v1_report_has_its_twenty_result_rows_and_values_in_place() -> None:
    values = {
        "t3": {
            ("new", "natural_person"): 7,
            ("granted", "natural_person"): 4,
            ("other", "natural_person"): 3,
        },
        "t2": {("licensing", "change"): -2, ("procurement", "amount"): 251000},
        "t4": {("review", "upheld"): 2},
    }
    page, result = rendered(v1_bureau_year(values))
    root = lxml.html.document_fromstring(page)
    cell = next(th for th in root.iter("th") if th.text_content() == "三、本年度办理结果")
    assert cell.get("rowspan") == "20"
    assert [h.text_content() for h in root.iter("h1")] == ["某县人民政府办公室2020年政府信息公开工作年度报告"]
    t3 = pd.read_html(StringIO(page), attrs={"data-table": "t3"})[0]
    assert t3.shape == (23, 10)
    labels = t3.iloc[:, 2].tolist()

    def row(label: str) -> list[int]:
        return [int(v) for v in t3.iloc[labels.index(label), 3:]]

    assert row("一、本年新收政府信息公开申请数量") == [7, 0, 0, 0, 0, 0, 7]
    assert row("（六）其他处理") == [3, 0, 0, 0, 0, 0, 3]
    assert row("（七）总计") == [7, 0, 0, 0, 0, 0, 7]
    t2 = pd.read_html(StringIO(page), attrs={"data-table": "t2"})[0]
    rows = {str(r.iloc[0]): [str(v) for v in r.iloc[1:]] for _i, r in t2.iterrows()}
    assert rows["行政许可"][:2] == ["0", "-2"]
    assert rows["政府集中采购"][:2] == ["0", "251000"]
    t4 = pd.read_html(StringIO(page), attrs={"data-table": "t4"})[0]
    assert t4.iloc[0].astype(int).tolist()[:5] == [2, 0, 0, 0, 2]
    assert "2021年3月20日" in report_text(page)
    assert not result.errors


def test_a_table_whose_section_is_missing_is_still_printed_once_in_order() -> None:
    by = replace(seed(), narrative="开头。\n\n## 一、总体情况\n\n正文。\n\n## 五、存在问题\n\n无。\n")
    root = lxml.html.document_fromstring(rendered(by)[0])
    sections = root.find_class("ogi-section")
    assert [s.get("data-section") for s in sections] == ["一", "二", "三", "四", "五"]
    assert [t.get("data-table") for t in root.iter("table") if t.get("data-table")] == ["t2", "t3", "t4"]


# ---------------------------------------------------------------------------------------------
# Untrusted narrative, findings.


def test_script_and_event_handlers_in_the_narrative_never_become_live_html() -> None:
    evil = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    heading = "## 五、存在问题与不足"
    by = replace(seed(), narrative=seed().narrative.replace(heading, f"{evil}\n\n{heading}\n\n{evil}"))
    page, _result = rendered(by)
    root = lxml.html.document_fromstring(page)
    assert root.find(".//script") is None and root.find(".//img") is None
    for el in root.iter():
        assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
        assert not el.get("href", "").lower().startswith("javascript:")
    assert "<script>alert(1)</script>" in root.body.text_content()  # shown as text


def test_unbalanced_report_shows_the_draft_banner_and_every_finding_with_its_location() -> None:
    by = seed()
    by = replace(by, tables={**by.tables, "t3": by.t3.replace({("granted", "natural_person"): 3})})
    page, result = rendered(by)
    assert result.errors
    root = lxml.html.document_fromstring(page)
    (banner,) = root.find_class("ogi-banner")
    assert DRAFT_BANNER in banner.text_content()
    assert f"错误 {len(result.errors)} 条" in banner.text_content()
    # The banner comes before the title.
    assert page.index("ogi-banner") < page.index("<h1")
    assert root.find(".//title").text_content().startswith("【草稿】")
    (findings,) = root.find_class("ogi-findings")
    printed = [[td.text_content() for td in tr.iter("td")] for tr in findings.iter("tr")][1:]
    expected = [
        [f.rule, f.severity.label, f.location or "—", f.found, f.expected, f.message] for f in result.findings
    ]
    assert printed == expected
    assert any("表三" in f.location and "（一）予以公开" in f.location for f in result.errors)


def test_appendix_lists_every_rule_with_its_outcome() -> None:
    page, result = rendered(seed())
    root = lxml.html.document_fromstring(page)
    (rules,) = root.find_class("ogi-rules")
    printed = {tr[0].text_content(): tr[3].text_content() for tr in rules.iter("tr") if tr[0].tag == "td"}
    assert set(printed) == set(RULES)
    for outcome in result.outcomes:
        text = printed[outcome.rule.id]
        if not outcome.applicable:
            assert text.startswith("不适用")
        elif outcome.passed:
            assert text == "通过"
        else:
            assert text == f"未通过（{len(outcome.findings)} 处）"
    assert printed["X-1"].startswith("不适用")  # no 2020 data beside the seed
    assert printed["STRUCT"].startswith("未通过")  # the seed's own 五、六 headings


# ---------------------------------------------------------------------------------------------
# The page as a file.


def test_page_is_self_contained_and_carries_the_print_css() -> None:
    page, _result = rendered(seed())
    root = lxml.html.document_fromstring(page)
    assert root.find(".//script") is None and root.find(".//link") is None
    assert not [el for el in root.iter() if el.get("src")]
    assert not re.search(r"https?://", page)
    assert "@import" not in page and "url(" not in page.replace('local("', "")
    style = "".join(s.text_content() for s in root.iter("style"))
    css = (ROOT / "lib/ogi_report/templates/ogi_report/print.css").read_text("utf-8")
    assert css.strip() in style
    rules = re.sub(r"/\*.*?\*/", "", style, flags=re.S)  # comments may name the trap
    assert not re.search(r"break-inside:\s*avoid-page|page-break-inside:\s*avoid", rules)
    for family in ("FangSong_GB2312", "FZXiaoBiaoSong-B05S", "SimHei", "KaiTi_GB2312", "Noto Serif CJK SC"):
        assert family in style


def test_fragment_is_what_the_page_wraps() -> None:
    by = seed()
    result = check(by)
    assert report_html(by, result) in render_page(by, result, edition=Edition.REVIEW)
    published = report_html(by, result, edition=Edition.PUBLISHED)
    assert published in render_page(by, result) and "数据校验" not in published


def test_render_command_writes_the_page_and_reports_errors_by_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    assert main.main(["render", str(ROOT / "params/haidong-emergency-2021.toml"), "--out", str(out)]) == 0
    by = seed()
    assert out.read_text("utf-8") == render_page(by, check(by))
    assert not [p for p in out.parent.iterdir() if p.name != "report.html"]  # no temporary left behind

    broken = replace(by, tables={**by.tables, "t4": by.t4.replace({("review", "upheld"): 1})})
    folder = tmp_path / "data" / "haidong-emergency" / "2021"
    save_bureau_year(broken, folder)
    draft = tmp_path / "draft.html"
    assert main.main(["render", str(folder), "--out", str(draft)]) == 1
    assert DRAFT_BANNER in draft.read_text("utf-8")

    missing = tmp_path / "missing.html"
    assert main.main(["render", str(tmp_path / "nowhere"), "--out", str(missing)]) == 2
    assert not missing.exists()


def test_decimal_fee_is_printed_exactly() -> None:
    by = seed()
    spec = by.format.table("t2")
    assert spec.block_of("fees_10k_yuan").column("amount").kind is CellKind.DECIMAL
    from decimal import Decimal

    t2: Table = by.t2.replace({("fees_10k_yuan", "amount"): Decimal("24252.311082")})
    page, _result = rendered(replace(by, tables={**by.tables, "t2": t2}))
    assert ">24252.311082</td>" in page


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_every_declared_row_label_is_printed(fmt: str) -> None:
    by = seed() if fmt == "2021" else v1_bureau_year()
    text = report_text(rendered(by)[0])
    for spec in by.format.tables:
        for _block, row in spec.rows():
            assert norm(row.label) in text
