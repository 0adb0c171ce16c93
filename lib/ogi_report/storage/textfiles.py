"""Reading and writing text files safely.

Reading: bounded size, and the encodings Excel and WPS write on Chinese Windows (UTF-8, UTF-8
with BOM, GB18030).  Writing: to a temporary file beside the target, then an atomic rename, so a
half-written file never sits where a finished one belongs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ogi_report import oserrors
from ogi_report.errors import DataError

MAX_TEXT_BYTES = 5 * 1024 * 1024  # a bureau-year's files are a few KB; more is a wrong file
# The process umask, read once (reading it means setting it), for files made by mkstemp.
_UMASK = os.umask(0)
os.umask(_UMASK)


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The file's bytes, refusing missing, unreadable or oversized files with a clear message."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError.one(path, "文件不存在") from None
    except OSError as exc:
        raise DataError.one(path, f"无法读取文件（{oserrors.reason(exc)}）") from exc
    if not path.is_file():
        raise DataError.one(path, "不是文件")
    if size > limit:
        raise DataError.one(path, f"文件过大（{size} 字节），上限为 {limit} 字节，请确认选对了文件")
    try:
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise DataError.one(path, f"无法读取文件（{oserrors.reason(exc)}）") from exc


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030; anything else is refused."""
    if b"\x00" in data:
        raise DataError.one(path, "文件含有二进制内容（NUL 字节），不是文本文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise DataError.one(path, "无法识别文件编码，应为 UTF-8 或 GB18030（Excel/WPS 的“CSV UTF-8”或“CSV”）")


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """Read a text file in any accepted encoding."""
    return decode_text(read_bytes(path, limit), path)


@contextlib.contextmanager
def atomic_writer(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    # mkstemp creates the file 0600; a shared report must get the usual permissions (umask).
    os.chmod(tmp, 0o666 & ~_UMASK)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` atomically."""
    with atomic_writer(path, encoding=encoding) as fh:
        fh.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` atomically."""
    with atomic_writer(path, "wb", encoding=None) as fh:
        fh.write(data)  # type: ignore[arg-type]
