"""``ogi-report new``: a fresh bureau-year, pre-filled from last year, never overwriting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from kit import build_by, copy_seed
from ogi_report.checks.runner import check
from ogi_report.cli import main
from ogi_report.model.narrative import split_sections
from ogi_report.spec.formats import FORMATS
from ogi_report.storage.folder import load_bureau_year, save_bureau_year
from ogi_report.storage.scaffold import PROMPT, skeleton


def new(root: Path, slug: str, year: int, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main.main(
        ["new", slug, str(year), "--name", "测试市测试局", "--type", "department", "--root", str(root)]
    )
    return code, capsys.readouterr().err


@pytest.mark.parametrize(("year", "fmt"), [(2024, "2021"), (2020, "2019")])
def test_new_without_last_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], year: int, fmt: str
) -> None:
    assert new(tmp_path, "test-bureau", year, capsys)[0] == 0
    folder = tmp_path / "data" / "test-bureau" / str(year)
    params = tomllib.loads((tmp_path / "params" / f"test-bureau-{year}.toml").read_text(encoding="utf-8"))
    assert params == {"slug": "test-bureau", "year": year}
    by = load_bureau_year(folder)
    assert by.meta.format_id == fmt
    assert all(value == 0 for table in by.tables.values() for _cell, value in table.items())
    narrative = split_sections(by.narrative, FORMATS[fmt])
    assert [s.heading for s in narrative.sections] == [s.heading for s in FORMATS[fmt].sections]
    one = narrative.section("一")
    assert one is not None
    for sub in FORMATS[fmt].sections[0].subheads:
        assert f"### {sub}" in one.body
    result = check(by)
    # A template is a draft: its prompts still to be written, and no publish date yet.
    assert not result.ok
    assert {(f.rule, f.row) for f in result.errors} == {("DRAFT", ""), ("DRAFT", "publish_date")}
    assert {f.rule for f in result.warnings} == {"DATE"}
    (left,) = [f for f in result.errors if f.table == "正文"]
    assert "（请填写）" in left.message and "10 处" in left.found
    assert main.main(["check", str(tmp_path / "params" / f"test-bureau-{year}.toml")]) == 1


@pytest.mark.parametrize("prev_fmt", ["2021", "2019"])
def test_new_carries_last_year(tmp_path: Path, capsys: pytest.CaptureFixture[str], prev_fmt: str) -> None:
    prev = build_by(prev_fmt, year=2021 if prev_fmt == "2021" else 2020)
    year = prev.meta.year + 1
    save_bureau_year(prev, tmp_path / "data" / "test-bureau" / str(prev.meta.year))
    assert new(tmp_path, "test-bureau", year, capsys)[0] == 0
    by = load_bureau_year(tmp_path / "data" / "test-bureau" / str(year))
    for col in FORMATS["2021"].table("t3").blocks[0].columns:
        assert by.t3.get("carried_over", col.key) == prev.t3.get("carried_forward", col.key) != 0
    if prev_fmt == "2021":
        assert by.t2.get("regulations", "in_force") == 10
        assert by.t2.get("normative_documents", "in_force") == 66
    else:
        assert by.t2.get("normative_documents", "in_force") == 0
    result = check(by, prev)
    # Only the template's prompts and the missing publish date stand between it and publishing.
    assert {f.rule for f in result.errors} == {"DRAFT"}, [str(f) for f in result.errors]
    assert {o.rule.id for o in result.outcomes if o.passed} >= {"X-1", "X-2", "T3-A", "T3-B", "T3-C"}


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(tmp_path, "test-bureau", 2024, capsys)[0] == 0
    narrative = tmp_path / "data" / "test-bureau" / "2024" / "narrative.md"
    narrative.write_text("已写好的正文\n", encoding="utf-8")
    code, err = new(tmp_path, "test-bureau", 2024, capsys)
    assert code == 2
    assert "已存在" in err and "Traceback" not in err
    assert narrative.read_text(encoding="utf-8") == "已写好的正文\n"
    (tmp_path / "data" / "test-bureau" / "2025").mkdir(parents=True)
    assert new(tmp_path, "test-bureau", 2025, capsys)[0] == 2
    assert not (tmp_path / "params" / "test-bureau-2025.toml").exists()


@pytest.mark.parametrize(
    ("slug", "year", "fragment"),
    [
        ("Test_Bureau", "2024", "[a-z0-9-]+"),
        ("nl\n", "2024", "[a-z0-9-]+"),  # "$" would let a trailing newline into a folder name
        ("../up", "2024", "[a-z0-9-]+"),
        ("test-bureau", "1800", "四位整数年份"),
    ],
)
def test_new_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], slug: str, year: str, fragment: str
) -> None:
    code = main.main(["new", slug, year, "--name", "x", "--type", "government", "--root", str(tmp_path)])
    assert code == 2
    assert fragment in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_new_refuses_to_carry_forward_broken_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prev = build_by("2021", year=2021)
    prev_dir = tmp_path / "data" / "test-bureau" / "2021"
    save_bureau_year(prev, prev_dir)
    t3 = prev_dir / "table3.csv"
    t3.write_text(
        t3.read_text(encoding="utf-8").replace("四、结转下年度继续办理,", "四、结转下年度,"), encoding="utf-8"
    )
    code, err = new(tmp_path, "test-bureau", 2022, capsys)
    assert code == 2 and "Traceback" not in err
    assert "上年数据有误，无法预填「上年结转」" in err
    assert "table3.csv" in err and "未知的行「四、结转下年度」" in err
    assert not (tmp_path / "data" / "test-bureau" / "2022").exists()
    assert not (tmp_path / "params" / "test-bureau-2022.toml").exists()


def test_new_leaves_totals_to_be_computed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Totals are left empty, so filling the entry cells in Excel never contradicts a stale 0."""
    assert new(tmp_path, "test-bureau", 2024, capsys)[0] == 0
    folder = tmp_path / "data" / "test-bureau" / "2024"
    path = folder / "table3.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",总计") and all(li.endswith(",") for li in lines[1:])
    assert next(li for li in lines if li.startswith("（七）总计,")) == "（七）总计" + "," * 7
    edited = [
        "一、本年新收政府信息公开申请数量,5,1,0,0,0,0,"
        if li.startswith("一、本年新收")
        else "（一）予以公开,5,1,0,0,0,0,"
        if li.startswith("（一）予以公开")
        else li
        for li in lines
    ]
    path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    by = load_bureau_year(folder)
    assert by.t3.get("total", "total") == 6 and by.t3.get("new", "total") == 6
    assert {f.rule for f in check(by).errors} == {"DRAFT"}  # the tables pass; the prose is a draft


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_skeleton_asserts_no_fact_and_prompts_in_every_section(fmt: str) -> None:
    """Whatever only the analyst knows is a prompt: nothing is pre-filled as if it were true."""
    narrative = split_sections(skeleton(FORMATS[fmt]), FORMATS[fmt])
    for section in narrative.sections:
        assert PROMPT.search(section.body), section.heading
    six = narrative.section("六")
    assert six is not None
    # The fee is a question to answer, never the claim that none was collected.
    assert "本年度无收取信息处理费情况。" not in [line.strip() for line in six.body.splitlines()]
    four = narrative.section("四")
    assert four is not None and "{{ t4.review }}" in four.body


def test_a_filled_in_template_is_no_longer_a_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(tmp_path, "test-bureau", 2024, capsys)[0] == 0
    folder = tmp_path / "data" / "test-bureau" / "2024"
    narrative = folder / "narrative.md"
    text = PROMPT.sub("本部分写明工作情况。", narrative.read_text(encoding="utf-8"))
    narrative.write_text(text, encoding="utf-8")
    meta = folder / "meta.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + "publish_date = 2025-01-20\n", encoding="utf-8")
    result = check(load_bureau_year(folder))
    assert "DRAFT" not in {f.rule for f in result.findings}
    assert main.main(["check", str(folder)]) == 0


def new_from(root: Path, slug: str, source: str, *extra: str) -> int:
    return main.main(
        ["new", slug, "2022", "--name", "海东市卫生健康委员会", "--from", source, "--root", str(root), *extra]
    )


def test_new_from_copies_structure_never_facts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = copy_seed(tmp_path)
    assert new_from(tmp_path, "haidong-health", "haidong-emergency") == 0
    capsys.readouterr()
    seed = load_bureau_year(source)
    by = load_bureau_year(tmp_path / "data" / "haidong-health" / "2022")
    assert by.meta.name == "海东市卫生健康委员会" and by.meta.year == 2022
    assert by.meta.publisher_type is seed.meta.publisher_type  # --type taken from the copied body
    # Meta fields to review, the other body's name already replaced.
    assert by.meta.masthead == "（请核对：海东市卫生健康委员会文件）"
    assert by.meta.signature == "（请核对：海东市卫生健康委员会）"
    # The tables are not copied: the other body's figures are not this body's.
    assert all(value == 0 for table in by.tables.values() for _cell, value in table.items())
    # The narrative: every paragraph marked to rewrite, the headings kept, name and year placeholders.
    text = by.narrative
    assert "海东市应急管理局" not in text.split("\n", 1)[1]
    assert [s.heading for s in split_sections(text, by.format).sections] == [
        s.heading for s in split_sections(seed.narrative, seed.format).sections
    ]
    for line in text.splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            assert line.startswith("（请改写）"), line
    body = text.split("\n", 1)[1]  # below the note on where the text came from
    assert "{{ year }}年" in body and "2021年" not in body
    result = check(by)
    drafts = [f for f in result.errors if f.rule == "DRAFT"]
    assert {f.row for f in drafts} == {"", "signature", "masthead", "publish_date"}
    assert main.main(["check", str(tmp_path / "data" / "haidong-health" / "2022")]) == 1


def test_new_from_picks_the_latest_year_up_to_this_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_seed(tmp_path)
    later = build_by(year=2023, slug="haidong-emergency")
    save_bureau_year(later, tmp_path / "data" / "haidong-emergency" / "2023")
    assert new_from(tmp_path, "haidong-health", "haidong-emergency") == 0  # 2022: the 2021 report
    assert "2021年的报告" in (tmp_path / "data" / "haidong-health" / "2022" / "narrative.md").read_text(
        "utf-8"
    )


def test_new_from_an_unknown_body_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new_from(tmp_path, "haidong-health", "nobody") == 2
    err = capsys.readouterr().err
    assert "--from nobody" in err and "data/nobody/" in err
    assert not (tmp_path / "data" / "haidong-health").exists()
    code = main.main(["new", "x", "2024", "--name", "某局", "--root", str(tmp_path)])
    assert code == 2 and "--type" in capsys.readouterr().err


def test_a_prompt_may_hold_a_copied_value_with_parentheses() -> None:
    assert PROMPT.fullmatch("（请核对：宿迁市（全市）人民政府）")
    assert PROMPT.fullmatch("（请填写）") and not PROMPT.search("（一）予以公开")
