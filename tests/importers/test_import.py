"""Importing published reports (text): every cell against values typed by hand, checks, CLI, batch."""

from __future__ import annotations

import shutil
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from kit import FIXTURES
from ogi_report.checks.runner import check
from ogi_report.cli.main import main
from ogi_report.errors import DataError
from ogi_report.importers import ImportOptions, import_report
from ogi_report.importers.lines import Line, row_values
from ogi_report.importers.tables import label_matches
from ogi_report.model.bureau import BureauYear, PublisherType
from ogi_report.spec.formats import FORMAT_V1, FORMAT_V2, TableSpec
from ogi_report.storage.folder import load_bureau_year, save_bureau_year
from ogi_report.storage.workspace import load

SHARED = FIXTURES  # the real reports and the seed, copied with their provenance
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads(
    (FIXTURES / "import" / "expected.toml").read_text(encoding="utf-8")
)
SUQIAN = {"reports/03_suqian-city-2023.txt": 2023, "reports/04_suqian-city-2024.txt": 2024}


def expected_cells(spec: TableSpec, expected: dict[str, Any]) -> dict[tuple[str, str], object]:
    """The hand-typed values of one table, keyed by (row, column) in declared order."""
    cells: dict[tuple[str, str], object] = {}
    if spec.id == "t4":
        flat = [(r.key, c.key) for _b, r, c in spec.cells()]
        return dict(zip(flat, expected["t4"], strict=True))
    rows = expected[spec.id]
    assert set(rows) == {r.key for _b, r in spec.rows()}
    for block, row in spec.rows():
        values = rows[row.key]
        assert len(values) == len(block.columns), row.key
        for col, value in zip(block.columns, values, strict=True):
            cells[(row.key, col.key)] = Decimal(value) if isinstance(value, str) else value
    return cells


def assert_matches(by: BureauYear, expected: dict[str, Any]) -> None:
    for spec in by.format.tables:
        got = dict(by.tables[spec.id].cells)
        want = expected_cells(spec, expected)
        wrong = {cell: (got.get(cell), value) for cell, value in want.items() if got.get(cell) != value}
        assert not wrong, f"{spec.name}: (got, expected) {wrong}"
        assert set(got) == set(want)


def imported(relative: str, **options: Any) -> BureauYear:
    result = import_report(SHARED / relative, ImportOptions(slug=options.pop("slug", "body"), **options))
    assert result.unplaced == [], result.unplaced
    return result.by


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_every_cell_matches_the_hand_typed_values(relative: str) -> None:
    expected = EXPECTED[relative]
    by = imported(relative)
    assert by.meta.name == expected["name"]
    assert by.meta.year == expected["year"]
    assert by.meta.format_id == FORMAT_V2.id
    assert by.meta.publish_date == expected.get("publish_date")
    assert by.meta.masthead == expected.get("masthead", "")
    assert_matches(by, expected)
    computed = {f"{r}.{c}" for t in by.tables.values() for r, c in t.computed}
    assert computed == set(expected["computed"])


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_check_finds_no_errors_in_an_import(relative: str) -> None:
    by = imported(relative)
    result = check(by)
    # Imported from a published report: no draft, even where the text prints no publish date.
    assert result.errors == (), [str(f) for f in result.errors]


def test_sections_keep_the_printed_headings_and_prose() -> None:
    seed = imported("seed/000_73748dfa6b923913.txt")
    headings = [line for line in seed.narrative.splitlines() if line.startswith("## ")]
    assert headings[-2:] == ["## 五、存在问题与不足", "## 六、下一步工作思路"]
    assert "### （一）进一步健全机制，加强政务公开组织领导。" in seed.narrative
    assert seed.narrative.startswith("2021 年，市应急管理局认真按照")
    assert "海东市应急管理局文件" not in seed.narrative and "2022年1月7日" not in seed.narrative
    huaian = imported("reports/02_huaian-city-gov-2024.txt")
    # A paragraph cut by a page footer ("-1-") is joined again; table headers stay out of the prose.
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in huaian.narrative
    assert "-1-" not in huaian.narrative
    assert not [ln for ln in huaian.narrative.splitlines() if "   " in ln.strip()]  # no table header rows
    assert "收取政府信息公开信息处理费 3940 元" in huaian.narrative
    suqian = imported("reports/04_suqian-city-2024.txt")
    assert [ln for ln in suqian.narrative.splitlines() if ln.startswith("## ")] == [
        f"## {s.heading}" for s in FORMAT_V2.sections
    ]


def test_suqian_2024_filing_figure_is_not_a_txt_finding() -> None:
    by = imported("reports/04_suqian-city-2024.txt")
    assert "行政复议案件134件" in by.narrative.replace("\n", "")
    assert "TXT" not in check(by).rule_ids()


def test_suqian_side_by_side_passes_the_cross_year_rules(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for relative, year in SUQIAN.items():
        shutil.copy(SHARED / relative, folder / f"suqian-{year}.txt")
    root = tmp_path / "project"
    assert main(["import-batch", str(folder), "--root", str(root)]) == 0
    loaded = load(root / "params" / "suqian-2024.toml")
    assert loaded.previous is not None and loaded.previous.meta.year == 2023
    result = check(loaded.by, loaded.previous)
    outcomes = {o.rule.id: o for o in result.outcomes}
    for rule in ("X-1", "X-2"):
        assert outcomes[rule].applicable and outcomes[rule].passed, outcomes[rule]
    assert result.errors == ()  # no publish date printed, yet published: not a draft


def test_a_report_without_title_year_or_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n一、总体情况\n今天开会。\n", encoding="utf-8")
    with pytest.raises(DataError, match="年度"):
        import_report(path, ImportOptions("body"))
    path.write_text("某局2024年政府信息公开工作年度报告\n一、总体情况\n很好。\n", encoding="utf-8")
    with pytest.raises(DataError, match="表格"):
        import_report(path, ImportOptions("body"))


def _v1_report(blank_cell: bool = False) -> str:
    """A 2020 report in the trial format, tab-separated, its figures typed here."""
    t3 = {
        "一、本年新收政府信息公开申请数量": "5\t1\t0\t0\t0\t0\t6",
        "二、上年结转政府信息公开申请数量": "1\t0\t0\t0\t0\t0\t1",
        "三、本年度办理结果\t（一）予以公开": "3\t1\t0\t0\t0\t0\t4",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "1\t0\t0\t0\t0\t0\t1",
        "（三）不予公开\t1.属于国家秘密": "0\t0\t0\t0\t0\t0\t0",
        "2.其他法律行政法规禁止公开": "0\t0\t0\t0\t0\t0\t0",
        "3.危及“三安全一稳定”": "0\t0\t0\t0\t0\t0\t0",
        "4.保护第三方合法权益": "0\t0\t0\t0\t0\t0\t0",
        "5.属于三类内部事务信息": "0\t0\t0\t0\t0\t0\t0",
        "6.属于四类过程性信息": "0\t0\t0\t0\t0\t0\t0",
        "7.属于行政执法案卷": "0\t0\t0\t0\t0\t0\t0",
        "8.属于行政查询事项": "0\t0\t0\t0\t0\t0\t0",
        "（四）无法提供\t1.本机关不掌握相关政府信息": "1\t0\t0\t0\t0\t0\t1",
        "2.没有现成信息需要另行制作": "0\t0\t0\t0\t0\t0\t0",
        "3.补正后申请内容仍不明确": "0\t0\t0\t0\t0\t0\t0",
        "（五）不予处理\t1.信访举报投诉类申请": "0\t0\t0\t0\t0\t0\t0",
        "2.重复申请": "0\t0\t0\t0\t0\t0\t0",
        "3.要求提供公开出版物": "0\t0\t0\t0\t0\t0\t0",
        "4.无正当理由大量反复申请": "0\t0\t0\t0\t0\t0\t0",
        "5.要求行政机关确认或重新出具已获取信息": "0\t0\t0\t0\t0\t0\t0",
        "（六）其他处理": "0\t\t0\t0\t0\t0\t0" if blank_cell else "0\t0\t0\t0\t0\t0\t0",
        "（七）总计": "5\t1\t0\t0\t0\t0\t6",
        "四、结转下年度继续办理": "1\t0\t0\t0\t0\t0\t1",
    }
    lines = [
        "某县交通运输局2020年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度依法公开。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项\t\t\t",
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
        "规章\t0\t0\t0",
        "规范性文件\t2\t2\t15",
        "第二十条第（五）项\t\t\t",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        "行政许可\t12\t-2\t340",
        "其他对外管理服务事项\t3\t0\t8",
        "第二十条第（六）项\t\t\t",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        "行政处罚\t20\t1\t77",
        "行政强制\t2\t0\t4",
        "第二十条第（八）项\t\t\t",
        "信息内容\t上一年项目数量\t本年增/减\t",
        "行政事业性收费\t1\t0\t",
        "第二十条第（九）项\t\t\t",
        "信息内容\t采购项目数量\t采购总金额\t",
        "政府集中采购\t4\t25.1\t",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况",
        *(f"{label}\t{values}" for label, values in t3.items()),
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t\t\t\t行政诉讼",
        "\t".join(["1", "0", "0", "0", "1", *["0"] * 10]),
        "五、政府信息公开工作存在的主要问题及改进情况",
        "人员不足，将加强培训。",
        "六、其他需要报告的事项",
        "无。",
        "某县交通运输局",
        "2021年1月20日",
    ]
    return "\n".join(lines) + "\n"


def test_the_trial_format_is_recognised_from_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "county-transport.txt"
    path.write_text(_v1_report(), encoding="utf-8")
    result = import_report(path, ImportOptions("county-transport", publisher_type=PublisherType.DEPARTMENT))
    by = result.by
    assert result.unplaced == []
    assert by.meta.format_id == FORMAT_V1.id
    assert by.meta.publish_date is not None and by.meta.publish_date.isoformat() == "2021-01-20"
    assert by.meta.signature == ""  # the signature is the body's name: the default signer
    assert by.t2.get("licensing", "change") == -2
    assert by.t2.get("procurement", "amount") == Decimal("25.1")
    assert by.t2.get("normative_documents", "total_published") == 15
    assert by.t3.get("other", "total") == 0
    assert by.t3.get("total", "total") == 6
    assert by.t4.get("review", "upheld") == 1 and by.t4.get("review", "total") == 1
    assert check(by).errors == ()


def test_a_v2_year_with_trial_tables_is_imported_as_printed_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    path.write_text(_v1_report().replace("2020年", "2021年"), encoding="utf-8")
    result = import_report(path, ImportOptions("late", publisher_type=PublisherType.DEPARTMENT))
    assert result.by.meta.format_id == FORMAT_V1.id
    assert any("2021 年度应使用" in note for note in result.notes)
    assert "FMT" in check(result.by).rule_ids()


def test_a_blank_published_cell_stays_blank(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(_v1_report(blank_cell=True), encoding="utf-8")
    by = import_report(path, ImportOptions("blank", publisher_type=PublisherType.DEPARTMENT)).by
    assert by.t3.get("other", "commercial") is None
    assert by.t3.get("other", "natural_person") == 0
    assert "BLANK" in check(by).rule_ids()


def test_a_layout_row_missing_a_value_is_reported_not_guessed(tmp_path: Path) -> None:
    text = SHARED / "reports/04_suqian-city-2024.txt"
    broken = text.read_text(encoding="utf-8").replace(
        "1.属于国家秘密             2       0     0   0    0     0    2",
        "1.属于国家秘密             2       0     0   0    0         2",
    )
    path = tmp_path / "suqian-2024.txt"
    path.write_text(broken, encoding="utf-8")
    result = import_report(path, ImportOptions("suqian"))
    assert len(result.unplaced) == 1
    item = result.unplaced[0]
    assert item.table == "表三" and "1.属于国家秘密" in item.message and "6 个数值" in item.message
    assert item.line is not None and "1.属于国家秘密" in broken.split("\n")[item.line - 1]
    assert all(result.by.t3.get("refused.state_secret", c) is None for c in ("natural_person", "other_org"))
    # The CLI writes the folder, lists the item with its line, and exits 1.
    out = tmp_path / "data" / "suqian" / "2024"
    assert main(["import", str(path), "--out", str(out)]) == 1
    assert load_bureau_year(out).meta.slug == "suqian"


def test_row_labels_are_matched_through_wrapping_and_shortening() -> None:
    rows = {r.key: r for _b, r in FORMAT_V2.table("t3").rows()}
    assert label_matches(rows["other.overdue_correction"], "出具已获取信息1.逾期不补正")
    assert label_matches(rows["other.unpaid_fee"], "（六）其他2、申请人逾期未按收费通知要")
    assert not label_matches(rows["other.unpaid_fee"], "3.其他")
    assert label_matches(rows["partly_granted"], "本 （二）部分公开")
    assert not label_matches(rows["granted"], "（二）部分公开")
    found = row_values(Line(1, "  行政处罚        2676474"), 1)
    assert found is not None and found.values == ("2676474",) and found.label == "行政处罚"
    assert row_values(Line(1, "规章\t\t3\t"), 3) is not None


def test_import_needs_a_slug_unless_the_file_name_is_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = SHARED / "reports/02_huaian-city-gov-2024.txt"
    out = tmp_path / "out"
    assert main(["import", str(source), "--out", str(out)]) == 2
    assert "--slug" in capsys.readouterr().err and not out.exists()
    named = tmp_path / "huaian-2024.txt"
    shutil.copy(source, named)
    assert main(["import", str(named), "--out", str(out), "--type", "government"]) == 0
    meta = load_bureau_year(out).meta
    assert (meta.slug, meta.year, meta.publisher_type) == ("huaian", 2024, PublisherType.GOVERNMENT)
    assert main(["import", str(source), "--out", str(tmp_path / "x"), "--slug", "Huai An"]) == 2


def test_batch_reports_every_failure_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SHARED / "reports/02_huaian-city-gov-2024.txt", folder)
    shutil.copy(SHARED / "seed/000_73748dfa6b923913.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    (folder / "slugs.toml").write_text(
        '"02_huaian-city-gov-2024.txt" = { slug = "huaian", type = "government" }\n"gone.txt" = "gone"\n',
        encoding="utf-8",
    )
    root = tmp_path / "project"
    assert main(["import-batch", str(folder), "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "成功：02_huaian-city-gov-2024.txt" in out
    assert "失败：000_73748dfa6b923913.txt" in out and "slugs.toml" in out
    assert "失败：empty.txt" in out and "文件为空" in out
    assert "失败：broken.pdf" in out and "PDF" in out
    assert "失败：gone.txt" in out
    assert (root / "params" / "huaian-2024.toml").is_file()
    assert load(root / "params" / "huaian-2024.toml").by.meta.name == "淮安市人民政府"
    # A second run does not overwrite what is there.
    assert main(["import-batch", str(folder), "--root", str(root)]) == 1
    assert "已存在" in capsys.readouterr().out


def _suqian_2023_with(tmp_path: Path, printed: str, replacement: str) -> Path:
    """A copy of the 宿迁 2023 report with one printed line changed."""
    source = SHARED / "reports/03_suqian-city-2023.txt"
    text = source.read_text(encoding="utf-8")
    assert printed in text
    path = tmp_path / "suqian-2023.txt"
    path.write_text(text.replace(printed, replacement), encoding="utf-8")
    return path


def test_slashes_and_dashes_in_a_layout_row_are_read_as_in_csv(tmp_path: Path) -> None:
    path = _suqian_2023_with(
        tmp_path, "91      3     0   0    2     0   96", "91      3     /   —    2     0   96"
    )
    result = import_report(path, ImportOptions("suqian"))
    assert result.unplaced == []
    t3 = result.by.t3
    row = [t3.get("carried_over", c.key) for c in FORMAT_V2.table("t3").blocks[0].columns]
    assert row == [91, 3, None, 0, 2, 0, 96]  # "/" is a blank, "—" a zero, the total as printed
    assert "BLANK" in check(result.by).rule_ids()


def test_row_values_take_slashes_dashes_and_wu_as_cells() -> None:
    found = row_values(Line(1, "2.重复申请    1   /   —   -   －   无   1"), 7)
    assert found is not None and found.values == ("1", "/", "—", "-", "－", "无", "1")
    assert not found.short and found.label == "2.重复申请"
    tabbed = row_values(
        Line(1, "2.重复申请\t1\t/\t—\t0\t0\t0\t/", ("2.重复申请", "1", "/", "—", "0", "0", "0", "/")), 7
    )
    assert tabbed is not None and tabbed.values == ("1", "/", "—", "0", "0", "0", "/") and not tabbed.short
    assert row_values(Line(1, "适用于 / /"), 7) is None  # slashes alone are not a data row


def test_an_unread_row_keeps_its_published_total(tmp_path: Path) -> None:
    path = _suqian_2023_with(
        tmp_path,
        "3402     99    0   4    5     1   3511",
        "3402     99        4    5     1   3511",
    )
    result = import_report(path, ImportOptions("suqian"))
    assert len(result.unplaced) == 1 and "3511 保留" in result.unplaced[0].message
    t3 = result.by.t3
    columns = [c.key for c in FORMAT_V2.table("t3").blocks[0].columns]
    assert [t3.get("new", c) for c in columns] == [None] * 6 + [3511]
    assert ("new", "total") not in t3.computed
    # The six cells could not be read: IMPORT, not a blank the bureau published.
    findings = check(result.by).findings
    assert {(f.row, f.column) for f in findings if f.rule == "IMPORT"} == {
        ("一、本年新收政府信息公开申请数量", c.label) for c in FORMAT_V2.table("t3").blocks[0].columns[:6]
    }
    assert "BLANK" not in {f.rule for f in findings}


def test_an_unread_row_without_its_total_leaves_the_total_blank(tmp_path: Path) -> None:
    # The 总计 column is missing too: the last figure (1) stands under 其他, not under 总计.
    path = _suqian_2023_with(
        tmp_path,
        "3402     99    0   4    5     1   3511",
        "3402     99        4    5     1",
    )
    result = import_report(path, ImportOptions("suqian"))
    assert len(result.unplaced) == 1 and "保留" not in result.unplaced[0].message
    assert result.by.t3.get("new", "total") is None  # not 0: no figure of the row was read


def test_an_unread_tab_row_leaves_its_totals_blank(tmp_path: Path) -> None:
    path = tmp_path / "county-transport.txt"
    path.write_text(_v1_report().replace("5\t1\t0\t0\t0\t0\t6", "5\t1\t0\t0\t6", 1), encoding="utf-8")
    result = import_report(path, ImportOptions("county-transport", publisher_type=PublisherType.DEPARTMENT))
    assert [u.message for u in result.unplaced if "一、本年新收" in u.message]
    by = result.by
    assert by.t3.get("new", "natural_person") is None
    assert by.t3.get("new", "total") is None
    # （七）总计 was printed: kept as printed, whatever the unread row would have added up to.
    assert by.t3.get("total", "total") == 6


def test_table_four_missing_a_figure_leaves_every_total_blank(tmp_path: Path) -> None:
    path = _suqian_2023_with(
        tmp_path,
        "  309      17      88      26        440 ",
        "  309      17      88              440 ",
    )
    result = import_report(path, ImportOptions("suqian"))
    assert len(result.unplaced) == 1 and result.unplaced[0].table == "表四"
    t4 = result.by.t4
    for row in ("review", "litigation_direct", "litigation_after_review"):
        assert t4.get(row, "total") is None, row
    assert t4.computed == frozenset()


def test_the_closing_date_is_found_under_a_saved_pages_furniture(tmp_path: Path) -> None:
    path = tmp_path / "county-transport.txt"
    text = _v1_report() + "附件下载\n扫一扫在手机上查看当前页面\n评论\n关闭\n"
    path.write_text(text, encoding="utf-8")
    by = import_report(path, ImportOptions("county-transport", publisher_type=PublisherType.DEPARTMENT)).by
    assert by.meta.publish_date is not None and by.meta.publish_date.isoformat() == "2021-01-20"
    assert "扫一扫" not in by.narrative and "附件下载" not in by.narrative  # the page's, not the report's
    assert by.narrative.rstrip().endswith("无。")
    # A sentence after the date is the report's own: the date is then not taken as the closing.
    path.write_text(_v1_report() + "本报告的电子版可在门户网站下载。\n", encoding="utf-8")
    by = import_report(path, ImportOptions("county-transport", publisher_type=PublisherType.DEPARTMENT)).by
    assert by.meta.publish_date is None


def test_a_published_report_without_its_date_is_not_a_draft(tmp_path: Path) -> None:
    by = imported("reports/04_suqian-city-2024.txt")  # a rendering that prints no publish date
    assert by.meta.publish_date is None
    rules = {f.rule: f for f in check(by).findings}
    assert "DRAFT" not in rules and "DATE" in rules  # asked to add the date, not called a draft
    # The same data typed in by hand (no import record) is a draft until the date is filled in.
    folder = tmp_path / "typed"
    save_bureau_year(by, folder)
    assert "DRAFT" in check(load_bureau_year(folder)).rule_ids()
