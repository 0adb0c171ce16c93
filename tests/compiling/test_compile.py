"""``compile``: a city of 12 members over two years adds up to the hand sums and passes ``check``;
a member changed afterwards raises COMPILE; what cannot be summed is refused, naming the member."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from compiling.citykit import CITY, DEPARTMENTS, DISTRICTS, MEMBERS, DemoCity, build_demo_city, members_toml
from kit import build_by
from ogi_report.checks.runner import check
from ogi_report.cli.main import main
from ogi_report.compiling import compile_government
from ogi_report.errors import DataError
from ogi_report.model.narrative import fill
from ogi_report.spec.ids import RuleId
from ogi_report.storage.folder import save_bureau_year
from ogi_report.storage.members import COMPILED_FILE, MEMBERS_FILE, read_provenance
from ogi_report.storage.workspace import Workspace, load

T4_ROWS = ("review", "litigation_direct", "litigation_after_review")


@pytest.fixture
def city(tmp_path: Path) -> DemoCity:
    return build_demo_city(tmp_path)


def compiled(city: DemoCity, *years: int) -> None:
    for year in years or (2023, 2024):
        compile_government(Workspace(city.root), CITY, year)


def compile_warnings(city: DemoCity, year: int = 2024) -> list[str]:
    loaded = load(city.folder(CITY, year))
    return [f.message for f in check(loaded.by, loaded.previous).findings if f.rule == RuleId.COMPILE]


def test_the_compiled_tables_are_the_hand_sums_and_pass_check(city: DemoCity) -> None:
    compiled(city)
    loaded = load(city.folder(CITY, 2024))
    by, dicts = loaded.by, city.of_year(2024)
    assert len(dicts) == 12 and loaded.previous is not None
    for row, cols in dicts[0]["t3"].items():  # every entry cell of table 三
        for col in cols:
            assert by.t3.get(row, col) == sum(d["t3"][row][col] for d in dicts), (row, col)
    for row in T4_ROWS:
        for col in ("upheld", "corrected", "other", "pending"):
            assert by.t4.get(row, col) == sum(d["t4"][row][col] for d in dicts), (row, col)
    new = sum(v for d in dicts for v in d["t3"]["new"].values())
    assert by.t3.get("new", "total") == new
    assert by.t2.get("licensing", "decisions") == sum(d["t2"]["licensing"] for d in dicts)
    assert by.t2.get("normative_documents", "in_force") == sum(
        d["t2"]["normative_documents"]["in_force"] for d in dicts
    )
    assert by.t2.get("fees_10k_yuan", "amount") == Decimal("0.25") * 12
    result = check(loaded.by, loaded.previous)
    assert result.ok and result.findings == (), [str(f) for f in result.findings]
    assert f"本年新收政府信息公开申请{new}件" in fill(by)  # the narrative quotes the compiled figure


def test_the_provenance_names_every_member_with_its_group(city: DemoCity) -> None:
    compiled(city, 2024)
    provenance = read_provenance(city.folder(CITY, 2024))
    assert provenance is not None and provenance.drafts == ()
    assert [m.slug for m in provenance.members] == list(MEMBERS)
    assert {m.group for m in provenance.members if m.slug in DISTRICTS} == {"县区"}
    assert len({m.fingerprint for m in provenance.members}) == 12


def test_a_member_changed_after_compiling_raises_compile_until_compiled_again(city: DemoCity) -> None:
    compiled(city)
    assert compile_warnings(city) == []
    data = city.members[("demo-d03", 2024)]
    data["t4"]["review"]["upheld"] += 1
    city.write_member(data)
    warnings = compile_warnings(city)
    assert len(warnings) == 1 and "示范市第3局" in warnings[0] and "demo-d03" in warnings[0]
    assert "ogi-report compile demo-city 2024" in warnings[0]
    compiled(city, 2024)
    assert compile_warnings(city) == []


def test_a_compiled_table_edited_by_hand_raises_compile(city: DemoCity) -> None:
    compiled(city)
    path = city.folder(CITY, 2024) / "table2.csv"
    text = path.read_text("utf-8")
    assert "行政许可,本年处理决定数量," in text
    path.write_text(text.replace("行政许可,本年处理决定数量,", "行政许可,本年处理决定数量,1", 1), "utf-8")
    assert any("汇总表在汇总" in w for w in compile_warnings(city))


def test_a_member_added_to_the_list_after_compiling_raises_compile(city: DemoCity) -> None:
    compiled(city, 2024)
    (city.folder(CITY, 2024) / MEMBERS_FILE).write_text(members_toml(DEPARTMENTS[:-1]), "utf-8")
    assert any("删去 demo-d08" in w for w in compile_warnings(city))


def test_a_member_with_errors_blocks_the_compile_with_its_name_and_errors(city: DemoCity) -> None:
    data = city.members[("demo-x02", 2024)]
    data["t3"]["granted"]["commercial"] += 2  # 一＋二 no longer equals 三（七）＋四: T3-A
    city.write_member(data)
    with pytest.raises(DataError) as refused:
        compiled(city, 2024)
    message = str(refused.value)
    assert "示范市第10区人民政府" in message and "demo-x02" in message and "[T3-A]" in message
    assert "--allow-drafts" in message
    folder = city.folder(CITY, 2024)
    assert not (folder / COMPILED_FILE).exists() and not (folder / "table3.csv").exists()  # nothing written


def test_allow_drafts_compiles_and_records_the_draft(city: DemoCity) -> None:
    data = city.members[("demo-x02", 2024)]
    data["t4"]["review"]["other"] = None  # BLANK: a draft
    city.write_member(data)
    compile_government(Workspace(city.root), CITY, 2023)
    result = compile_government(Workspace(city.root), CITY, 2024, allow_drafts=True)
    assert [m.member.slug for m in result.drafts] == ["demo-x02"]
    provenance = read_provenance(city.folder(CITY, 2024))
    assert provenance is not None and [m.slug for m in provenance.drafts] == ["demo-x02"]
    assert any("汇总时是草稿" in w and "demo-x02" in w for w in compile_warnings(city))


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("missing", "成员「demo-d05」：没有 2024 年的数据"),
        ("twice", "成员「demo-d01」列了两次"),
        ("itself", "是汇总机关本身"),
        ("format", "两代格式的表格行列不同"),
    ],
)
def test_what_cannot_be_summed_is_refused(city: DemoCity, change: str, said: str) -> None:
    folder = city.folder(CITY, 2024)
    if change == "missing":
        for path in city.folder("demo-d05", 2024).iterdir():
            path.unlink()
        city.folder("demo-d05", 2024).rmdir()
    elif change == "twice":
        (folder / MEMBERS_FILE).write_text(members_toml((*DEPARTMENTS, "demo-d01")), "utf-8")
    elif change == "itself":
        (folder / MEMBERS_FILE).write_text(members_toml((*DEPARTMENTS, CITY)), "utf-8")
    else:  # filed in the 2019 generation (its own FMT error aside, its rows are not the city's)
        save_bureau_year(build_by("2019", year=2024, slug="demo-d02"), city.folder("demo-d02", 2024))
    with pytest.raises(DataError) as refused:
        compiled(city, 2024)
    assert said in str(refused.value)


def test_the_command_prints_the_members_and_the_check(
    city: DemoCity, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(city.root)
    assert main(["compile", CITY, "2023", "--root", root]) == 0
    assert main(["compile", CITY, "2024", "--root", root]) == 0
    out = capsys.readouterr().out
    assert "示范市人民政府2024年政府信息公开工作年度报告：由 12 个成员汇总" in out
    assert "市直部门（8）：示范市第1局、" in out and "县区（4）：示范市第9区人民政府、" in out
    assert "错误 0 条，警告 0 条。" in out
    (city.folder(CITY, 2024) / MEMBERS_FILE).write_text(members_toml((*DEPARTMENTS, "demo-d01")), "utf-8")
    assert main(["compile", CITY, "2024", "--root", root]) == 2
    assert "列了两次" in capsys.readouterr().err
