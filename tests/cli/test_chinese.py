"""The commands speak Chinese when they refuse: usage errors, operating-system errors, format errors."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from kit import SEED_DIR
from ogi_report import oserrors
from ogi_report.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_missing_argument_is_explained_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main.main(["check"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "缺少参数：target" in err and "ogi-report check --help" in err
    assert "the following arguments" not in err and "usage:" not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["chek"], "没有 'chek' 这个命令"),
        (["check", "a", "--bogus"], "无法识别的参数：--bogus"),
        (["new", "x", "abc", "--name", "n", "--type", "department"], "参数 year 的值 'abc' 无效，应为整数"),
        (["new", "x", "2024", "--name", "n", "--type", "bureau"], "参数 --type 的值 'bureau' 无效"),
        (["render", "a", "--out"], "参数 --out 后面缺少值"),
    ],
)
def test_usage_errors_in_chinese(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main.main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and expected in err
    assert "invalid" not in err and "unrecognized" not in err and "expected one" not in err


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.EEXIST, "已存在"),
        (errno.EISDIR, "是一个目录"),
        (errno.EACCES, "没有权限"),
        (errno.ENOENT, "不存在"),
        (errno.ENOSPC, "磁盘已满"),
    ],
)
def test_os_errors_in_chinese(number: int, words: str) -> None:
    exc = OSError(number, "English words", "/x/report.html")
    assert oserrors.describe(exc) == f"/x/report.html：{words}"


def test_os_error_names_the_final_path_not_the_temporary_file() -> None:
    rename = OSError(errno.EISDIR, "Is a directory", "/x/.r.html.ab12.part", None, "/x/r.html")
    assert oserrors.describe(rename) == "/x/r.html：是一个目录"
    stage = OSError(errno.EACCES, "Permission denied", "/x/.r.html.ab12.part")
    assert oserrors.describe(stage) == "/x：没有权限"
    assert oserrors.describe(OSError(errno.EIO, "Input/output error")) == "Input/output error"


def test_a_file_in_the_way_is_explained_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    code, _out, err = run(["render", str(SEED_DIR), "--out", str(blocker / "r.html")], capsys)
    assert code == 2 and str(blocker) in err
    assert "File exists" not in err and "Not a directory" not in err


def test_xlsx_onto_a_folder_is_explained_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "book.xlsx"
    folder.mkdir()
    code, _out, err = run(["xlsx", str(SEED_DIR), "--out", str(folder)], capsys)
    assert code == 2 and f"{folder}：是一个目录" in err
    assert ".part" not in err and "Is a directory" not in err


def test_toml_errors_in_slugs_file_are_explained_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "slugs.toml").write_text('"a.txt" = "a"\n"b.txt" = \n', encoding="utf-8")
    code, _out, err = run(["import-batch", str(tmp_path)], capsys)
    assert code == 2 and "TOML 格式错误（第 2 行第" in err and "(at line" not in err


def test_json_errors_keep_a_chinese_lead(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1 "b": 2}', encoding="utf-8")
    code, _out, err = run(["import-json", str(bad), "--out", str(tmp_path / "x")], capsys)
    assert code == 2 and "JSON 格式错误" in err and str(bad) in err
    assert not (tmp_path / "x").exists()
