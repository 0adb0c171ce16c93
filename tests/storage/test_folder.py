"""The bureau-year folder: reading what Excel/WPS write, writing what git diffs well."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit import build_by
from ogi_report.errors import DataError
from ogi_report.storage import jsonform
from ogi_report.storage.folder import load_bureau_year, save_bureau_year, table_csv


def test_seed_loads(seed_dir: Path) -> None:
    by = load_bureau_year(seed_dir)
    assert by.meta.name == "海东市应急管理局"
    assert by.meta.format_id == "2021"
    assert by.t2.get("licensing", "decisions") == 34
    assert by.t2.get("punishment", "decisions") == 1
    assert by.t3.get("total", "total") == 0
    assert by.narrative.startswith("2021年")


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_save_then_load(tmp_path: Path, fmt: str) -> None:
    by = build_by(fmt)
    folder = tmp_path / "test-bureau" / str(by.meta.year)
    save_bureau_year(by, folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        "meta.toml",
        "narrative.md",
        "table2.csv",
        "table3.csv",
        "table4.csv",
    ]
    assert jsonform.to_data(load_bureau_year(folder)) == jsonform.to_data(by)
    assert not list(folder.glob(".*.part"))


def test_csv_layout() -> None:
    text = table_csv(build_by().t3)
    lines = text.splitlines()
    assert lines[0] == "项目,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计"
    assert lines[3].startswith("（一）予以公开,")
    assert lines[6].startswith("（三）不予公开/2.其他法律行政法规禁止公开,")
    t2 = table_csv(build_by().t2).splitlines()
    assert t2[0] == "条款,信息内容,指标,数值"
    assert t2[-1] == "第二十条第（八）项,行政事业性收费,本年收费金额（单位：万元）,24252.311082"


def test_totals_may_be_left_out(seed_copy: Path) -> None:
    path = seed_copy / "table3.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [",".join(line.split(",")[:-1]) for line in lines if not line.startswith("（七）总计")]
    lines[3] = "（一）予以公开,2,1,0,0,0,0"
    lines[1] = "一、本年新收政府信息公开申请数量,2,1,0,0,0,0"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by = load_bureau_year(seed_copy)
    assert by.t3.get("total", "natural_person") == 2
    assert by.t3.get("granted", "total") == 3
    assert by.t3.get("total", "total") == 3
    assert ("total", "total") in by.t3.computed


def test_label_spellings(seed_copy: Path) -> None:
    path = seed_copy / "table3.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("（一）予以公开,", "(一) 予以公开,").replace(
        "（三）不予公开/1.属于国家秘密,", "1.属于国家秘密,"
    )
    text = text.replace("（六）其他处理/3.其他,", "（六）其他处理/3、其他,")
    path.write_text(text, encoding="utf-8")
    load_bureau_year(seed_copy)


def test_line_numbers_count_blank_lines(seed_copy: Path) -> None:
    path = seed_copy / "table4.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = "行政复议,0,0,x,0,0"
    path.write_text(lines[0] + "\n\n\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_bureau_year(seed_copy)
    (problem,) = info.value.problems
    assert problem.line == 4
    assert (problem.table, problem.row, problem.column) == ("表四", "行政复议", "其他结果")


def test_every_problem_of_every_file_at_once(seed_copy: Path) -> None:
    (seed_copy / "table2.csv").write_text(
        (seed_copy / "table2.csv").read_text(encoding="utf-8").replace(",34\n", ",三十四\n"), encoding="utf-8"
    )
    (seed_copy / "table4.csv").unlink()
    t3 = seed_copy / "table3.csv"
    t3.write_text(
        t3.read_text(encoding="utf-8").replace("二、上年结转政府信息公开申请数量,0", "二、上年结转,-1"),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_bureau_year(seed_copy)
    files = sorted({Path(p.file).name for p in info.value.problems})
    assert files == ["table2.csv", "table3.csv", "table4.csv"]


def test_folder_named_for_another_year(tmp_path: Path) -> None:
    by = build_by()
    save_bureau_year(by, tmp_path / "test-bureau" / "2022")
    with pytest.raises(DataError, match="year 为 2021，但目录名为 2022"):
        load_bureau_year(tmp_path / "test-bureau" / "2022")
    save_bureau_year(by, tmp_path / "other" / "2021")
    with pytest.raises(DataError, match="上级目录名为「other」"):
        load_bureau_year(tmp_path / "other" / "2021")


def test_narrative_gets_final_newline(tmp_path: Path) -> None:
    from dataclasses import replace

    by = replace(build_by(), narrative="正文")
    save_bureau_year(by, tmp_path / "test-bureau" / "2021")
    assert load_bureau_year(tmp_path / "test-bureau" / "2021").narrative == "正文\n"


def test_cleared_total_cells_are_computed_and_a_slash_stays_blank(seed_copy: Path) -> None:
    """Excel saves a cleared 总计 cell as an empty field: not given, so computed, not BLANK."""
    from ogi_report.checks.runner import check

    path = seed_copy / "table3.csv"
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows[1:]:
        row[-1] = ""  # the 总计 column cleared
        if row[0] == "（七）总计":
            row[1:] = [""] * (len(row) - 1)  # and the whole total row
        if row[0] == "（一）予以公开":
            row[1:3] = ["2", "1"]
        if row[0] == "一、本年新收政府信息公开申请数量":
            row[1:3] = ["2", "1"]
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    by = load_bureau_year(seed_copy)
    assert by.t3.get("granted", "total") == 3 and by.t3.get("total", "total") == 3
    assert {("granted", "total"), ("total", "natural_person")} <= by.t3.computed
    result = check(by)
    assert result.ok, [str(f) for f in result.errors]

    # "/" is what a published report's blank total is written as: kept blank, flagged by BLANK.
    rows[4][-1] = "/"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    by = load_bureau_year(seed_copy)
    assert by.t3.get("partly_granted", "total") is None
    assert {f.rule for f in check(by).errors} == {"BLANK"}


def test_blank_totals_survive_a_save(tmp_path: Path) -> None:
    by = build_by("2021")
    by = jsonform.from_data(_with_blank_total(jsonform.to_data(by)), "x.json")
    assert by.t3.get("granted", "total") is None
    folder = tmp_path / "test-bureau" / str(by.meta.year)
    save_bureau_year(by, folder)
    lines = (folder / "table3.csv").read_text(encoding="utf-8").splitlines()
    assert next(li for li in lines if li.startswith("（一）予以公开,")).endswith(",/")
    back = load_bureau_year(folder)
    assert back.t3.get("granted", "total") is None and ("granted", "total") not in back.t3.computed


def _with_blank_total(data: dict[str, object]) -> dict[str, object]:
    t3 = data["t3"]
    assert isinstance(t3, dict)
    t3["granted"]["total"] = None
    return data


def test_computed_totals_can_be_written_empty() -> None:
    from ogi_report.model.bureau import complete_table

    t3 = build_by("2021").t3
    given = {c: v for c, v in t3.cells.items() if not (c[0] == "total" or c[1] == "total")}
    table = complete_table(t3.spec, given)
    assert "（七）总计,,,,,,," in table_csv(table, computed=False)
    assert ",," not in table_csv(table)  # by default the computed figures are written


def test_empty_columns_after_the_table_are_ignored(seed_copy: Path) -> None:
    path = seed_copy / "table3.csv"
    path.write_text(
        "".join(line + ",,\n" for line in path.read_text(encoding="utf-8").splitlines()), encoding="utf-8"
    )
    assert load_bureau_year(seed_copy).t3.get("total", "total") == 0  # read without a problem
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + "7"  # a figure in the empty column is not ignored
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="多出"):
        load_bureau_year(seed_copy)


def test_csv_messages_say_how_a_blank_is_written_in_csv(seed_copy: Path) -> None:
    path = seed_copy / "table4.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(li for li in lines if not li.startswith("行政复议,")) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_bureau_year(seed_copy)
    assert "空白请留空或写 /" in str(info.value) and "null" not in str(info.value)
