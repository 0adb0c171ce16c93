"""Every parser is bounded in depth, and says so in Chinese with the file and line.

Before: an array nested 50,000 deep in any TOML file (meta, params, ``slugs.toml``) or in JSON
ended in a ``RecursionError`` traceback — and in a batch one such params file aborted every
report; an HTML page nested past lxml's limit was cut short without a word and imported half
empty; TOML syntax errors and huge JSON integers ended in English.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from batchkit import FakePool, add_bureau, batch, read_summary
from kit import copy_seed
from ogi_report.batch import pool as batch_pool
from ogi_report.cli.main import main
from reliability.hostile import deep_html, deep_json, deep_toml, snapshot


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "RecursionError" not in out + err
    return code, err


def test_deep_meta_toml_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_seed(tmp_path)
    (folder / "meta.toml").write_text(deep_toml(), encoding="utf-8")
    before = snapshot(folder)
    code, err = _run(["check", str(folder)], capsys)
    assert code == 2 and f"{folder / 'meta.toml'} 第1行" in err and "嵌套超过 64 层" in err
    assert snapshot(folder) == before


def test_toml_syntax_errors_are_chinese_to_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_seed(tmp_path)
    (folder / "meta.toml").write_text('name = "某局"\nyear = 2021 2022\n', encoding="utf-8")
    code, err = _run(["check", str(folder)], capsys)
    assert code == 2 and "TOML 格式错误（第 2 行第" in err and "一行只能写一个" in err
    assert "(at line" not in err and "Expected" not in err


def test_one_deep_params_file_fails_only_its_own_report(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(batch_pool, "WorkerPool", FakePool)
    add_bureau(project, "deep")
    (project / "params" / "deep-2021.toml").write_text(deep_toml(), encoding="utf-8")
    assert batch("--root", str(project)) == 1
    _out, err = capsys.readouterr()
    assert "Traceback" not in err
    rows = read_summary(project)
    assert rows["haidong-emergency"]["状态"] == "已通过"
    assert rows["deep"]["状态"] == "失败" and "嵌套超过 64 层" in rows["deep"]["说明"]


def test_deep_slugs_toml_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "slugs.toml").write_text(deep_toml(), encoding="utf-8")
    code, err = _run(["import-batch", str(tmp_path / "in"), "--root", str(tmp_path)], capsys)
    assert code == 2 and "slugs.toml 第1行" in err and "嵌套超过" in err
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (deep_json(), "嵌套超过 64 层"),
        ('{"meta": {"year": ' + "9" * 5000 + "}}", "整数有 5000 位"),
        ('{"meta": 1,}', "JSON 格式错误，第"),
    ],
)
def test_bad_json_is_a_chinese_error_and_writes_nothing(
    tmp_path: Path, text: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "x.json"
    source.write_text(text, encoding="utf-8")
    out = copy_seed(tmp_path)
    before = snapshot(out)
    code, err = _run(["import-json", str(source), "--out", str(out), "--overwrite"], capsys)
    assert code == 2 and said in err and str(source) in err
    assert "Exceeds the limit" not in err and "Expecting" not in err
    assert snapshot(out) == before


def test_html_past_the_parser_depth_is_refused_not_truncated(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_bytes(deep_html(300))
    out = tmp_path / "data" / "x" / "2021"
    cmd = [sys.executable, "-m", "ogi_report", "import", str(report), "--slug", "x", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "嵌套超过解析器上限 256 层" in done.stderr and str(report) in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_json_state_of_a_batch_is_never_parsed_unbounded(project: Path) -> None:
    """A corrupted (deep) state file is treated as absent: the report is rendered again."""
    from ogi_report.batch.state import read_state

    state = project / "output" / "2021" / ".state" / "haidong-emergency.json"
    state.parent.mkdir(parents=True)
    state.write_text(deep_json(), encoding="utf-8")
    assert read_state(state.parent.parent, "haidong-emergency") is None
    state.write_text(json.dumps({"slug": 1}), encoding="utf-8")
    assert read_state(state.parent.parent, "haidong-emergency") is None
