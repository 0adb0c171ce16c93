"""Bad input: exit 2, a Chinese message naming the file (and table, row, column), no traceback."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from kit import REPO_ROOT, SEED_DIR, copy_seed
from ogi_report.cli import main

Edit = Callable[[Path], None]


def replace_in(name: str, old: str, new: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def remove(name: str) -> Edit:
    return lambda folder: (folder / name).unlink()


def write_bytes(name: str, data: bytes) -> Edit:
    return lambda folder: (folder / name).write_bytes(data)


GRANTED = "三、本年度办理结果/（一）予以公开"
CASES: list[tuple[str, Edit, list[str]]] = [
    ("missing-file", remove("table3.csv"), ["table3.csv", "文件不存在"]),
    ("missing-meta", remove("meta.toml"), ["meta.toml", "文件不存在"]),
    (
        "unknown-meta-key",
        replace_in("meta.toml", "year = 2021", "year = 2021\nyaer = 2021"),
        ["meta.toml", "未知的键「yaer」", "是否应为「year」"],
    ),
    (
        "wrong-type-date",
        replace_in("meta.toml", "publish_date = 2022-01-07", "publish_date = 20220107"),
        ["meta.toml", "publish_date", "应为日期"],
    ),
    (
        "wrong-type-name",
        replace_in("meta.toml", 'name = "海东市应急管理局"', "name = 5"),
        ["meta.toml", "「name」", "应为文字"],
    ),
    (
        "bad-slug",
        replace_in("meta.toml", 'slug = "haidong-emergency"', 'slug = "Haidong_Emergency"'),
        ["meta.toml", "slug", "[a-z0-9-]+"],
    ),
    (
        "negative-count",
        replace_in("table3.csv", "（一）予以公开,0", "（一）予以公开,-1"),
        ["table3.csv", "表三", f"行「{GRANTED}」", "列「自然人」", "负数"],
    ),
    (
        "text-in-count",
        replace_in("table4.csv", "行政复议,0,0", "行政复议,0,两件"),
        ["table4.csv", "表四", "行「行政复议」", "列「结果纠正」", "两件"],
    ),
    (
        "unit-in-cell",
        replace_in("table2.csv", "行政许可,本年处理决定数量,34", "行政许可,本年处理决定数量,34件"),
        ["table2.csv", "表二", "行「行政许可」", "列「本年处理决定数量」", "34件"],
    ),
    (
        "unknown-row",
        replace_in("table3.csv", "（一）予以公开,", "（一）予已公开,"),
        ["table3.csv", "表三", "未知的行「（一）予已公开」", "是否应为「（一）予以公开」"],
    ),
    (
        "unknown-column",
        replace_in("table3.csv", "科研机构", "科研机关"),
        ["table3.csv", "表三", "未知的列「科研机关」", "是否应为「科研机构」"],
    ),
    (
        "unknown-t2-measure",
        replace_in("table2.csv", "本年制发件数", "本年制定件数"),
        ["table2.csv", "表二", "未知的指标「本年制定件数」", "是否应为「本年制发件数」"],
    ),
    (
        "undecodable",
        write_bytes("narrative.md", b"\xff\xfe\xff\xff abc"),
        ["narrative.md", "无法识别文件编码"],
    ),
    ("binary", write_bytes("table4.csv", b"\x00\x01"), ["table4.csv", "二进制"]),
    ("bad-toml", replace_in("meta.toml", "year = 2021", "year = "), ["meta.toml", "TOML 格式错误"]),
]


def test_an_unknown_placeholder_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A placeholder typo leaves the folder readable: rule PLACEHOLDER reports it (exit 1, not 2)."""
    folder = copy_seed(tmp_path)
    replace_in("narrative.md", "2021年，市应急", "{{ t3.nothing }}年，市应急")(folder)
    assert main.main(["check", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    (line,) = [li for li in out.splitlines() if "[PLACEHOLDER]" in li]
    assert "错误" in line and "正文（第" in line and "{{ t3.nothing }}" in line and "表三" in line


@pytest.mark.parametrize(("edit", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_folder(
    edit: Edit, fragments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_seed(tmp_path)
    edit(folder)
    assert main.main(["check", str(folder)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "无法完成" in err and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    assert str(folder) in err


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")], ids=["gb18030", "utf-8-bom"]
)
def test_excel_encodings_accepted(
    encoding: str, prefix: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_seed(tmp_path)
    for name in ("table2.csv", "table3.csv", "table4.csv", "narrative.md"):
        text = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(prefix + text.replace("\n", "\r\n").encode(encoding))
    assert main.main(["check", str(folder)]) == 0
    assert main.main(["export-json", str(folder)]) == 0
    assert capsys.readouterr().out.count('"natural_person": 0') == 25


def test_published_spellings_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_seed(tmp_path)
    t2 = folder / "table2.csv"
    t2.write_text(
        t2.read_text(encoding="utf-8")
        .replace("行政许可,本年处理决定数量,34", '行政许可,本年处理决定数量,"3,119"')
        .replace("行政处罚,本年处理决定数量,1", "行政处罚,本年处理决定数量,１")
        .replace("行政强制,本年处理决定数量,0", "行政强制,本年处理决定数量,—"),
        encoding="utf-8",
    )
    t4 = folder / "table4.csv"
    t4.write_text(
        t4.read_text(encoding="utf-8").replace("行政复议,0,0,0,0,0", "行政复议,—,-,无,０,0"), encoding="utf-8"
    )
    assert main.main(["export-json", str(folder)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["t2"]["licensing"], data["t2"]["punishment"], data["t2"]["enforcement"]) == (3119, 1, 0)
    assert data["t4"]["review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}


def _params(tmp_path: Path, name: str, content: str) -> Path:
    copy_seed(tmp_path)
    path = tmp_path / "params" / name
    path.parent.mkdir()
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        (
            "haidong-emergency-2022.toml",
            'slug = "haidong-emergency"\nyear = 2021\n',
            ["haidong-emergency-2022.toml", "文件名应为「haidong-emergency-2021.toml」"],
        ),
        ("Haidong-2021.toml", 'slug = "Haidong"\nyear = 2021\n', ["Haidong-2021.toml", "[a-z0-9-]+"]),
        ("haidong-emergency-2021.toml", 'slug = "haidong-emergency"\nyear = "2021"\n', ["year", "str"]),
        (
            "haidong-emergency-2021.toml",
            'slug = "haidong-emergency"\nyear = 2021\ndata = "../x"\n',
            ["不含 .."],
        ),
        (
            "haidong-emergency-2021.toml",
            'slug = "haidong-emergency"\nyear = 2021\nfoo = 1\n',
            ["未知的键「foo」"],
        ),
    ],
)
def test_bad_params(
    name: str, content: str, fragments: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _params(tmp_path, name, content)
    assert main.main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_good_params_with_data_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _params(
        tmp_path,
        "haidong-emergency-2021.toml",
        'slug = "haidong-emergency"\nyear = 2021\ndata = "data/haidong-emergency/2021"\n',
    )
    assert main.main(["check", str(path)]) == 0


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (lambda d: d.update(colour=1), ["标准输入", "未知的键「colour」"]),
        (lambda d: d["meta"].update(nmae="x"), ["标准输入", "未知的键「nmae」", "是否应为「name」"]),
        (
            lambda d: d["t3"]["granted"].update(natural_person=-2),
            ["标准输入", "表三", f"行「{GRANTED}」", "列「自然人」", "负数"],
        ),
        (lambda d: d["t3"]["granted"].update(natural_person="二"), ["表三", "列「自然人」", "「二」"]),
        (lambda d: d["t4"]["review"].update(total=[0]), ["表四", "行「行政复议」", "列「总计」", "list"]),
        (lambda d: d["meta"].update(slug="Bad Slug"), ["slug", "[a-z0-9-]+"]),
        (lambda d: d["meta"].update(year="二〇二一"), ["year", "二〇二一"]),
    ],
)
def test_bad_json(
    mutate: Callable[[dict[str, object]], None],
    fragments: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    main.main(["export-json", str(SEED_DIR)])
    data = json.loads(capsys.readouterr().out)
    mutate(data)
    _stdin(monkeypatch, json.dumps(data, ensure_ascii=False).encode())
    assert main.main(["import-json", "-", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"{not json", "JSON 格式错误"), (b"\xff\xff\xff", "无法识别文件编码"), (b"[1, 2]", "顶层应为对象")],
)
def test_bad_json_file(
    content: bytes, fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    assert main.main(["import-json", str(path), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert fragment in err and str(path) in err and "Traceback" not in err


def test_missing_json_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["import-json", str(tmp_path / "none.json"), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "none.json" in err and "文件不存在" in err


def test_repo_seed_untouched() -> None:
    # the bad-input tests work on copies: the bundled example must still be pristine
    assert shutil.which("true") is not None
    assert (REPO_ROOT / "data" / "haidong-emergency" / "2021" / "table3.csv").read_text(
        encoding="utf-8"
    ).count(",0") > 100


def test_a_missing_row_is_one_problem_naming_its_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_seed(tmp_path)
    path = folder / "table3.csv"
    text = path.read_text(encoding="utf-8")
    line = next(li for li in text.splitlines(keepends=True) if li.startswith("（一）予以公开,"))
    path.write_text(text.replace(line, ""), encoding="utf-8")
    assert main.main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    problems = [li for li in err.splitlines() if "table3.csv" in li]
    assert len(problems) == 1, problems
    assert f"行「{GRANTED}」" in problems[0] and "缺少整行（6 个单元格" in problems[0]
    assert "「自然人」" in problems[0] and "「其他」" in problems[0] and "缺少此单元格" not in err


def test_a_table_without_rows_is_one_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_seed(tmp_path)
    path = folder / "table3.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert main.main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    problems = [li for li in err.splitlines() if "table3.csv" in li]
    assert len(problems) == 1, problems
    assert "表三" in problems[0] and "没有任何数据（应有 144 个单元格）" in problems[0]
