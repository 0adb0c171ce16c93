"""``ogi-report new``: a fresh bureau-year, pre-filled from last year, never overwriting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from kit import build_by
from ogi_report.checks.runner import check
from ogi_report.cli import main
from ogi_report.model.narrative import split_sections
from ogi_report.spec.formats import FORMATS
from ogi_report.storage.folder import load_bureau_year, save_bureau_year


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
    assert result.ok
    # No publish date yet, and the template's （请填写） still to be written.
    assert {f.rule for f in result.warnings} == {"DATE", "STRUCT"}
    (left,) = [f for f in result.warnings if f.rule == "STRUCT"]
    assert "（请填写）" in left.message and "6 处" in left.found
    assert main.main(["check", str(tmp_path / "params" / f"test-bureau-{year}.toml")]) == 0


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
    assert result.ok, [str(f) for f in result.errors]
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
    assert check(by).ok
