"""Reading and writing text files safely.

Reading: bounded size, and the encodings Excel and WPS write on Chinese Windows (UTF-8, UTF-8
with BOM, GB18030).  Writing: to a temporary file beside the target, then an atomic rename, so a
half-written file never sits where a finished one belongs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
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


def _open_regular(path: Path) -> int:
    """A descriptor on the regular file at ``path``; a located :class:`DataError` for anything else.

    A symbolic link is refused, not followed: data folders come from other offices by git or zip,
    and a ``narrative.md`` linked to ``/etc/passwd`` must not print that file in a report.  A FIFO
    or device is refused too (opened without blocking, then checked).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise DataError.one(path, "文件不存在") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataError.one(
                path, "是符号链接，拒绝读取：请把链接换成文件本身（数据目录中只能放普通文件）"
            ) from None
        raise DataError.one(path, f"无法读取文件（{oserrors.reason(exc)}）") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "是一个文件夹" if stat.S_ISDIR(mode) else "不是普通文件（设备、管道或套接字）"
        raise DataError.one(path, f"{kind}，拒绝读取")
    return fd


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The file's bytes, refusing missing, unreadable, oversized or non-regular files and links."""
    fd = _open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fd).st_size
        if size > limit:
            raise DataError.one(path, f"文件过大（{size:,} 字节），上限为 {limit:,} 字节，请确认选对了文件")
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise DataError.one(path, f"无法读取文件（{oserrors.reason(exc)}）") from None
    if len(data) > limit:  # grown since it was measured
        raise DataError.one(path, f"文件过大（超过 {limit:,} 字节），请确认选对了文件")
    return data


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
    """Open a temporary file beside ``path``; rename it over ``path`` only if the block succeeds.

    An OS error that names no file (a write or close on a full disk: ENOSPC) is raised again
    naming ``path``, so every message says which file could not be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    # mkstemp creates the file 0600; a shared report must get the usual permissions (umask).
    os.chmod(tmp, 0o666 & ~_UMASK)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:
            raise named(exc, path) from None
        raise


def named(exc: OSError, path: Path) -> OSError:
    """``exc`` (same errno, same subclass) naming ``path``."""
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` atomically."""
    with atomic_writer(path, encoding=encoding) as fh:
        fh.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` atomically."""
    with atomic_writer(path, "wb", encoding=None) as fh:
        fh.write(data)  # type: ignore[arg-type]
