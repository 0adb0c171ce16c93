"""``ogi-report batch`` is the batch, and ``run_reports.py`` is only its other name.

The batch itself (states, stale outputs, failures, reruns) is tested in ``tests/batch``; here: the
command line — arguments, usage errors, exit codes, the console table — and that both names do the
same thing in real processes.
"""

from __future__ import annotations

import ast
import subprocess
import zipfile
from pathlib import Path

import pytest
from batchkit import add_bureau, batch, make_project, read_summary
from kit import REPO_ROOT, SEED_DIR
from ogi_report.batch.jobs import Outcome, Status
from ogi_report.cli.command import ExitCode
from ogi_report.cli.console import format_table

OGI = str(REPO_ROOT / ".venv" / "bin" / "ogi-report")
PY = str(REPO_ROOT / ".venv" / "bin" / "python")
RUN_REPORTS = str(REPO_ROOT / "run_reports.py")


def test_exit_codes_are_declared_once() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 130]
    defined = [
        p.relative_to(REPO_ROOT)
        for p in (REPO_ROOT / "lib" / "ogi_report").rglob("*.py")
        if "EXIT_" in p.read_text(encoding="utf-8")
    ]
    assert defined == []


def test_run_reports_is_a_two_line_wrapper_of_the_batch_command() -> None:
    tree = ast.parse(Path(RUN_REPORTS).read_text(encoding="utf-8"))
    docstring, imported, guard = tree.body
    assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
    assert isinstance(imported, ast.ImportFrom) and imported.module == "ogi_report.cli.main"
    assert [a.name for a in imported.names] == ["run_reports"]
    # The guard keeps the batch's spawned workers, which import this file again, from batching.
    assert isinstance(guard, ast.If) and ast.unparse(guard.test) == "__name__ == '__main__'"
    assert [ast.unparse(s) for s in guard.body] == ["run_reports()"]


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--format", "html,odt"], ["--timeout", "x"], ["--bogus"]])
def test_bad_arguments_exit_2_with_a_chinese_hint(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        batch(*args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "用法错误" in err and "ogi-report batch --help" in err and "用法：" in err
    assert "usage:" not in err and "invalid" not in err


def test_help_is_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        batch("--help")
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：ogi-report batch") and "显示本帮助并退出" in out and "--timeout" in out
    assert "show this help" not in out and "options:" not in out


def test_console_summary_shows_the_lines_after_a_lead_in() -> None:
    fonts = (
        "导出失败：无法生成 PDF，否则这些字符会显示为空框：\n"
        "正文（仿宋）字体中没有这些字符的字形：「𠀀」(U+20000)；已查找字体：Noto Serif CJK SC\n"
        "请改用常用字，或通过 OGI_FONTS_DIR 配置含这些字符的字体。"
    )
    many = "数据无法读取：\n" + "\n".join(f"第 {i} 个问题" for i in range(1, 8))
    table = format_table(
        [
            Outcome("a", 2021, "甲局", Status.FAILED, message=fonts),
            Outcome("b", 2021, "乙局", Status.FAILED, message=many),
            Outcome("c", 2021, "丙局", Status.FAILED, message="长" * 1000),
        ]
    )
    assert "「𠀀」(U+20000)" in table and "Noto Serif CJK SC" in table and "OGI_FONTS_DIR" in table
    assert "第 2 个问题" in table and "第 3 个问题" not in table and "（另有 5 行，见 summary.csv）" in table
    assert max(len(line) for line in table.splitlines()) < 400


# --- both names, in real processes ----------------------------------------------------------------


def _both(root: Path, *args: str) -> list[subprocess.CompletedProcess[str]]:
    """``ogi-report batch ARGS`` and ``run_reports.py ARGS``, each into its own output folder."""
    runs = []
    for name, prog in (("a", [OGI, "batch"]), ("b", [PY, RUN_REPORTS])):
        cmd = [*prog, "--root", str(root), "--out", str(root / name), *args]
        runs.append(subprocess.run(cmd, capture_output=True, text=True, timeout=600))
    return runs


def _same_year_files(root: Path, year: int = 2021) -> None:
    for name in ("findings.csv", "index.html"):
        assert (root / "a" / str(year) / name).read_bytes() == (root / "b" / str(year) / name).read_bytes()
    # The same rows, but for the time each render took.
    first, second = read_summary(root, year, out="a"), read_summary(root, year, out="b")
    for row in (*first.values(), *second.values()):
        row.pop("用时（秒）")
    assert first == second


def _parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_both_names_plan_validate_and_exit_alike(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "params" / "haidong-emergency-2021.toml").write_text(
        'slug = "haidong-emergency"\nyear = "2021"\n'
    )
    add_bureau(root, "corrupt")
    (root / "data" / "corrupt" / "2021" / "table4.csv").write_bytes(b"\xff\xfe\x00garbage")
    # Only inputs that fail validation: no worker starts, every report fails, exit 1.
    first, second = _both(root)
    assert first.returncode == second.returncode == ExitCode.PROBLEMS, first.stderr + second.stderr
    _same_year_files(root)
    assert read_summary(root, out="a")["corrupt"]["状态"] == "失败"
    assert first.stdout.split("共 ")[0] == second.stdout.split("共 ")[0]  # the same table
    # A usage error: exit 2, nothing written, the same message.
    first, second = _both(root, "--only", "nobody")
    assert first.returncode == second.returncode == ExitCode.UNUSABLE
    assert "nobody" in first.stderr and first.stderr == second.stderr
    first, second = _both(root, "--jobs", "0")
    assert first.returncode == second.returncode == ExitCode.UNUSABLE
    assert first.stderr == second.stderr and "用法错误" in first.stderr


def test_run_reports_defaults_to_its_own_folder(tmp_path: Path) -> None:
    """Without --root, ``run_reports.py`` works on the project it sits in, wherever it is run from."""
    result = subprocess.run(
        [PY, RUN_REPORTS, "--only", "nobody"], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == ExitCode.UNUSABLE
    assert "nobody" in result.stderr and "haidong-emergency" in result.stderr  # the repository's params


@pytest.mark.slow
def test_both_names_render_the_same_report(tmp_path: Path) -> None:
    root = tmp_path
    (root / "data" / "haidong-emergency").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(SEED_DIR), str(root / "data" / "haidong-emergency" / "2021")], check=True)
    (root / "params").mkdir()
    (root / "params" / "haidong-emergency-2021.toml").write_bytes(
        (REPO_ROOT / "params" / "haidong-emergency-2021.toml").read_bytes()
    )
    (root / "notebooks").mkdir()
    nb = REPO_ROOT / "notebooks" / "annual_report.ipynb"
    (root / "notebooks" / nb.name).write_bytes(nb.read_bytes())
    first, second = _both(root, "--format", "html,docx", "--jobs", "1")
    assert first.returncode == second.returncode == ExitCode.OK, first.stderr + second.stderr
    _same_year_files(root)
    html = "2021/haidong-emergency.html"
    assert (root / "a" / html).read_bytes() == (root / "b" / html).read_bytes()
    docx = "2021/haidong-emergency.docx"
    assert _parts(root / "a" / docx) == _parts(root / "b" / docx)
