"""Data folders arrive from other offices by git or zip: a link or a special file in one is refused.

Before: ``narrative.md`` linked to ``/etc/passwd`` put that file in the report, and ``table3.csv``
linked to it leaked its lines into ``index.html``, ``summary.csv`` and the terminal; a FIFO in a
data folder hung the batch's fingerprinting, which also read every file whole into memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from batchkit import FakePool, add_bureau, batch, read_summary
from kit import copy_seed
from ogi_report.batch import pool as batch_pool
from ogi_report.batch.plan import fingerprint
from ogi_report.cli.main import main
from ogi_report.storage.workspace import Workspace
from reliability.hostile import snapshot

SECRET = "ogi-secret-line-that-must-not-leak"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project, as /etc/passwd would be."""
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text(f"root:x:0:0:{SECRET}:/root:/bin/bash\n", encoding="utf-8")
    return path


def _link(folder: Path, name: str, target: Path) -> None:
    (folder / name).unlink()
    (folder / name).symlink_to(target)


@pytest.mark.parametrize("name", ["narrative.md", "table3.csv", "meta.toml"])
def test_check_and_render_refuse_a_linked_data_file(
    tmp_path: Path, secret: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_seed(tmp_path)
    _link(folder, name, secret)
    before = snapshot(tmp_path / "data")
    for argv in (["check", str(folder)], ["render", str(folder), "--out", str(tmp_path / "r.html")]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert f"{folder / name}" in err and "符号链接" in err
        assert SECRET not in out + err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()
    assert snapshot(tmp_path / "data") == before


def test_a_linked_data_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = copy_seed(tmp_path / "elsewhere")
    link = tmp_path / "data" / "haidong-emergency" / "2021"
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    assert main(["check", str(link)]) == 2
    err = capsys.readouterr().err
    assert "数据目录是符号链接" in err and str(link) in err


def test_a_fifo_is_refused_without_hanging(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_seed(tmp_path)
    (folder / "narrative.md").unlink()
    os.mkfifo(folder / "narrative.md")
    done = threading.Event()
    result: list[int] = []

    def run() -> None:
        result.append(main(["check", str(folder)]))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(20), "reading a FIFO blocked"
    assert result == [2]
    assert "不是普通文件" in capsys.readouterr().err


def test_a_batch_never_renders_a_linked_file_and_fails_only_that_report(
    project: Path, secret: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(batch_pool, "WorkerPool", FakePool)
    folder = add_bureau(project, "linked")
    _link(folder, "table3.csv", secret)
    assert batch("--root", str(project)) == 1
    out, err = capsys.readouterr()
    rows = read_summary(project)
    assert rows["haidong-emergency"]["状态"] == "已通过"
    assert rows["linked"]["状态"] == "失败" and "符号链接" in rows["linked"]["说明"]
    year = project / "output" / "2021"
    for path in (year / "index.html", year / "summary.csv", year / "findings.csv"):
        assert SECRET not in path.read_text(encoding="utf-8-sig")
    assert SECRET not in out + err and "Traceback" not in err


def test_fingerprinting_streams_and_follows_no_link(project: Path, secret: Path) -> None:
    folder = add_bureau(project, "scan", 2022)
    notebook = project / "notebooks" / "annual_report.ipynb"
    params = Workspace(project).read_params(project / "params" / "scan-2022.toml")
    first = fingerprint(params, notebook, "k")
    os.mkfifo(folder / "scan.pipe")  # read whole, this would block forever
    (folder / "evidence.txt").symlink_to(secret)
    with_extras = fingerprint(params, notebook, "k")
    assert with_extras != first
    secret.write_text("changed\n", encoding="utf-8")  # what a link points to is never read
    assert fingerprint(params, notebook, "k") == with_extras


def test_import_refuses_a_linked_report(tmp_path: Path, secret: Path) -> None:
    report = tmp_path / "report.txt"
    report.symlink_to(secret)
    out = tmp_path / "data" / "x" / "2021"
    cmd = [sys.executable, "-m", "ogi_report", "import", str(report), "--slug", "x", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "符号链接" in done.stderr and str(report) in done.stderr
    assert "Traceback" not in done.stderr and SECRET not in done.stdout + done.stderr
    assert not out.exists()
