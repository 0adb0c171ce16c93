"""Operating-system errors in the analyst's words: one errno → Chinese table for every command.

``OSError.strerror`` is English ("Permission denied", "Is a directory"); the commands say what went
wrong in Chinese and keep the system's wording only for an errno without a translation here.
"""

from __future__ import annotations

import errno
from pathlib import Path

_REASONS: dict[int, str] = {
    errno.EEXIST: "已存在",
    errno.EISDIR: "是一个目录",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "不存在",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘已满（超出配额）",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOTEMPTY: "目录不为空",
    errno.EROFS: "位于只读的文件系统",
    errno.ENAMETOOLONG: "名称过长",
}


def reason(exc: OSError) -> str:
    """What went wrong, in Chinese when the errno is known, else the system's own wording."""
    if exc.errno is not None and exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return exc.strerror or str(exc)


def culprit(exc: OSError) -> str:
    """The path the analyst knows that the error is about, or "" when the error names none.

    A rename names the temporary source first and the final path second: the final path is the one
    to report.  A temporary ``.<name>.<random>.part`` file (see :mod:`ogi_report.storage.textfiles`) is
    reported as the folder it was being written in, since the analyst never saw that name.
    """
    raw = exc.filename2 if exc.filename2 is not None else exc.filename
    if raw is None:
        return ""
    path = Path(str(raw) if not isinstance(raw, bytes) else raw.decode(errors="replace"))
    if path.name.startswith(".") and path.name.endswith(".part"):
        return str(path.parent)
    return str(path)


def describe(exc: OSError) -> str:
    """``<path>：<reason>`` (just the reason when the error names no path)."""
    where = culprit(exc)
    return f"{where}：{reason(exc)}" if where else reason(exc)
