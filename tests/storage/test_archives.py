"""Zip-packaged documents are refused before anything is unpacked, by the Excel reader and the DOCX importer
alike: the same limits, each message naming the kind of file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from ogi_report.errors import DataError
from ogi_report.importers import ImportOptions, import_report
from ogi_report.storage.archives import MAX_MEMBERS, MAX_RATIO, MAX_UNPACKED_BYTES, OLE_MAGIC
from ogi_report.storage.xlsx import read_workbook


def _read_xlsx(path: Path) -> object:
    return read_workbook(path)


def _import_docx(path: Path) -> object:
    return import_report(path, ImportOptions("body"))


# (suffix, main part, how the kit reads the file, the word its messages use for it)
KINDS = [
    pytest.param(".xlsx", "xl/workbook.xml", _read_xlsx, "工作簿", id="xlsx"),
    pytest.param(".docx", "word/document.xml", _import_docx, "DOCX", id="docx"),
]
Reader = Callable[[Path], object]


def _zip(path: Path, members: dict[str, bytes], zeros: int = 0, main: str = "") -> Path:
    """A zip of ``members``, plus ``zeros`` zero bytes deflated into ``main`` (a bomb's ratio)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if zeros:
            with archive.open(main, "w", force_zip64=True) as member:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(zeros // len(chunk)):
                    member.write(chunk)
    path.write_bytes(buffer.getvalue())
    return path


def _refusal(read: Reader, path: Path) -> str:
    with pytest.raises(DataError) as caught:
        read(path)
    return str(caught.value)


@pytest.mark.parametrize(("suffix", "main", "read", "noun"), KINDS)
def test_a_file_that_is_not_a_zip_is_refused(
    suffix: str, main: str, read: Reader, noun: str, tmp_path: Path
) -> None:
    path = tmp_path / f"text{suffix}"
    path.write_text("项目,自然人\n", "utf-8")
    assert "zip" in _refusal(read, path)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "zip" in _refusal(read, path)


@pytest.mark.parametrize(("suffix", "main", "read", "noun"), KINDS)
def test_a_legacy_or_encrypted_file_is_named(
    suffix: str, main: str, read: Reader, noun: str, tmp_path: Path
) -> None:
    path = tmp_path / f"old{suffix}"
    path.write_bytes(OLE_MAGIC + b"\0" * 600)
    message = _refusal(read, path)
    assert "旧版" in message and "密码" in message and f"另存为 {suffix}" in message


@pytest.mark.parametrize(("suffix", "main", "read", "noun"), KINDS)
def test_too_many_members_are_refused(
    suffix: str, main: str, read: Reader, noun: str, tmp_path: Path
) -> None:
    members = {main: b"<x/>", **{f"part{i}.xml": b"<x/>" for i in range(MAX_MEMBERS)}}
    message = _refusal(read, _zip(tmp_path / f"many{suffix}", members))
    assert noun in message and f"含 {MAX_MEMBERS + 1} 个部件" in message and "拒绝读取" in message


@pytest.mark.parametrize(("suffix", "main", "read", "noun"), KINDS)
def test_an_oversized_member_is_refused(
    suffix: str, main: str, read: Reader, noun: str, tmp_path: Path
) -> None:
    path = _zip(
        tmp_path / f"big{suffix}", {"[Content_Types].xml": b"<Types/>"}, MAX_UNPACKED_BYTES + 2**20, main
    )
    assert path.stat().st_size < 1024 * 1024  # the limit is on what the zip claims, not on its size
    message = _refusal(read, path)
    assert noun in message and "解压后过大" in message and f"上限 {MAX_UNPACKED_BYTES}" in message


@pytest.mark.parametrize(("suffix", "main", "read", "noun"), KINDS)
def test_a_compression_bomb_ratio_is_refused(
    suffix: str, main: str, read: Reader, noun: str, tmp_path: Path
) -> None:
    """Far below the size limit, but packed a thousand to one: no document is made of that."""
    path = _zip(tmp_path / f"bomb{suffix}", {"[Content_Types].xml": b"<Types/>"}, 4 * 2**20, main)
    message = _refusal(read, path)
    assert noun in message and "压缩炸弹" in message and f"上限 {MAX_RATIO}:1" in message


@pytest.mark.parametrize(("suffix", "main", "read", "noun"), KINDS)
def test_a_zip_without_the_main_part_is_refused(
    suffix: str, main: str, read: Reader, noun: str, tmp_path: Path
) -> None:
    message = _refusal(read, _zip(tmp_path / f"other{suffix}", {"hello.txt": b"hi"}))
    assert main in message
