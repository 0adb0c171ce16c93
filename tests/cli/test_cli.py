"""The command-line contract: check / export-json / import-json, exit codes 0, 1, 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kit import REPO_ROOT, SEED_DIR
from ogi_report.cli import main

OGI = str(REPO_ROOT / ".venv" / "bin" / "ogi-report")
PY = str(REPO_ROOT / ".venv" / "bin" / "python")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def findings(target: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[tuple[str, str, str, str]]]:
    code, out, _err = run(["check", str(target), "--json"], capsys)
    payload = json.loads(out)
    return code, [(f["rule"], f["severity"], f["row"], f["column"]) for f in payload["findings"]]


def import_json(
    text: str, out_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> int:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    code, _out, err = run(["import-json", "-", "--out", str(out_dir)], capsys)
    assert "Traceback" not in err
    return code


SEED_WARNINGS = [
    ("S6-FEE", "warning", "六、下一步工作思路", ""),
    ("STRUCT", "warning", "五、存在问题与不足", ""),
    ("STRUCT", "warning", "六、下一步工作思路", ""),
]


def test_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, found = findings(SEED_DIR, capsys)
    assert code == 0
    assert sorted(found) == SEED_WARNINGS


def test_bundled_example_by_params_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(REPO_ROOT / "params" / "haidong-emergency-2021.toml")], capsys)
    assert code == 0
    assert "错误 0 条，警告 3 条" in out
    assert "[STRUCT] 警告 正文 / 行「五、存在问题与不足」" in out


def test_export_import_check_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, exported, _ = run(["export-json", str(SEED_DIR)], capsys)
    assert code == 0
    out_dir = tmp_path / "x"
    assert import_json(exported, out_dir, monkeypatch, capsys) == 0
    code, found = findings(out_dir, capsys)
    assert (code, sorted(found)) == (0, SEED_WARNINGS)
    assert run(["export-json", str(out_dir)], capsys)[1] == exported


@pytest.mark.parametrize(
    ("row", "col", "expected"),
    [
        # a result cell: （七）总计 of its column and 总计 of its row disagree; 一＋二＝（七）＋四 still holds
        (
            "granted",
            "natural_person",
            [
                ("T3-B", "error", "三、本年度办理结果/（七）总计", "自然人"),
                ("T3-C", "error", "三、本年度办理结果/（一）予以公开", "总计"),
            ],
        ),
        (
            "other.other",
            "legal_service",
            [
                ("T3-B", "error", "三、本年度办理结果/（七）总计", "法律服务机构"),
                ("T3-C", "error", "三、本年度办理结果/（六）其他处理/3.其他", "总计"),
            ],
        ),
        # 一: the balance of its column and its row total
        (
            "new",
            "research",
            [
                ("T3-A", "error", "一＋二 与 三（七）＋四", "科研机构"),
                ("T3-C", "error", "一、本年新收政府信息公开申请数量", "总计"),
            ],
        ),
        # a given total: its row (T3-C) and the column of totals (T3-A, T3-B)
        (
            "total",
            "total",
            [
                ("T3-A", "error", "一＋二 与 三（七）＋四", "总计"),
                ("T3-B", "error", "三、本年度办理结果/（七）总计", "总计"),
                ("T3-C", "error", "三、本年度办理结果/（七）总计", "总计"),
            ],
        ),
    ],
)
def test_one_changed_cell_in_json(
    row: str,
    col: str,
    expected: list[tuple[str, str, str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = json.loads(run(["export-json", str(SEED_DIR)], capsys)[1])
    data["t3"][row][col] += 1
    out_dir = tmp_path / "x"
    assert import_json(json.dumps(data, ensure_ascii=False), out_dir, monkeypatch, capsys) == 0
    code, found = findings(out_dir, capsys)
    assert code == 1
    assert sorted(f for f in found if f[1] == "error") == sorted(expected)
    assert sorted(f for f in found if f[1] == "warning") == SEED_WARNINGS


def test_text_output_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(run(["export-json", str(SEED_DIR)], capsys)[1])
    data["t4"]["review"]["upheld"] = 2
    assert import_json(json.dumps(data), tmp_path / "x", monkeypatch, capsys) == 0
    code, out, _ = run(["check", str(tmp_path / "x")], capsys)
    assert code == 1
    assert "[T4] 错误 表四 / 行「行政复议」 / 列「总计」" in out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main.main(["check"])
    assert info.value.code == 2
    assert "用法错误" in capsys.readouterr().err


def test_out_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "x"
    blocker.write_text("")
    text = run(["export-json", str(SEED_DIR)], capsys)[1]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
    code, _out, err = run(["import-json", "-", "--out", str(blocker)], capsys)
    assert code == 2
    assert str(blocker) in err and "Traceback" not in err


# --- end to end, in real processes ---------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "error"}


@pytest.mark.parametrize("prog", [[OGI], [PY, "-m", "ogi_report"]], ids=["script", "module"])
def test_pipeline_in_processes(prog: list[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "X"
    export = subprocess.run(
        [*prog, "export-json", str(SEED_DIR)], capture_output=True, check=True, env=_env()
    )
    imported = subprocess.run(
        [*prog, "import-json", "-", "--out", str(out_dir)],
        input=export.stdout,
        capture_output=True,
        env=_env(),
    )
    assert imported.returncode == 0, imported.stderr.decode()
    checked = subprocess.run([*prog, "check", str(out_dir), "--json"], capture_output=True, env=_env())
    original = subprocess.run([*prog, "check", str(SEED_DIR), "--json"], capture_output=True, env=_env())
    assert checked.returncode == original.returncode == 0
    assert json.loads(checked.stdout)["findings"] == json.loads(original.stdout)["findings"]


def test_bad_input_in_a_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [OGI, "check", str(tmp_path / "nowhere")], capture_output=True, text=True, env=_env()
    )
    assert result.returncode == 2
    assert "数据目录不存在" in result.stderr and str(tmp_path / "nowhere") in result.stderr
    assert "Traceback" not in result.stderr
