"""Every OS error names the path it concerns, in Chinese, and a failed write leaves the data as they were.

Before: on a full disk, ``import-json --overwrite`` and ``xlsx`` said only 「磁盘已满」 — the error
came from a write or a close, which names no file.  A full disk is simulated by making every write
of the kit's atomic writer fail with ENOSPC (errno, no file name), as the kernel reports it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from kit import copy_seed
from ogi_report.cli.main import main
from ogi_report.storage import textfiles
from reliability.hostile import snapshot


class _FullDisk:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.close()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen
    monkeypatch.setattr(textfiles.os, "fdopen", lambda *a, **k: _FullDisk(real(*a, **k)))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    _out, err = capsys.readouterr()
    assert "Traceback" not in err
    return err


def test_import_json_overwrite_on_a_full_disk_names_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_seed(tmp_path)
    source = tmp_path / "x.json"
    assert main(["export-json", str(folder)]) == 0
    source.write_text(capsys.readouterr().out, encoding="utf-8")
    before = snapshot(tmp_path / "data")
    real = os.fdopen
    monkeypatch.setattr(textfiles.os, "fdopen", lambda *a, **k: _FullDisk(real(*a, **k)))
    err = _run(["import-json", str(source), "--out", str(folder), "--overwrite"], capsys)
    assert f"{folder}：磁盘已满" in err
    assert snapshot(tmp_path / "data") == before  # the old folder is intact, nothing staged is left
    assert [p.name for p in folder.parent.iterdir()] == ["2021"]


def test_xlsx_on_a_full_disk_names_the_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], full_disk: None
) -> None:
    folder = copy_seed(tmp_path)
    book = tmp_path / "表格.xlsx"
    err = _run(["xlsx", str(folder), "--out", str(book)], capsys)
    assert f"{book}：磁盘已满" in err
    assert not book.exists() and not list(tmp_path.glob(".*.part"))


def test_a_render_on_a_full_disk_names_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], full_disk: None
) -> None:
    folder = copy_seed(tmp_path)
    page = tmp_path / "报告.html"
    err = _run(["render", str(folder), "--out", str(page)], capsys)
    assert str(page) in err and "磁盘已满" in err
    assert not page.exists()


def test_an_unreadable_data_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    folder = copy_seed(tmp_path)
    (folder / "table2.csv").chmod(0)
    err = _run(["check", str(folder)], capsys)
    assert f"{folder / 'table2.csv'}" in err and "没有权限" in err
