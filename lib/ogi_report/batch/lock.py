"""One batch at a time per output folder.

Two batches (``ogi-report batch``, ``run_reports.py``) writing the same ``output/`` would clear
each other's staging folders (``<year>/.tmp``) and interleave ``index.html``/``summary.csv``.  The
lock is an advisory ``flock`` on ``<out>/.run_reports.lock``: the kernel drops it when the process
ends however it ends, so a killed batch never leaves a stale lock behind that someone must delete
by hand.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ogi_report import oserrors
from ogi_report.errors import BatchBusy, UsageError

LOCK_NAME = ".run_reports.lock"


@contextmanager
def batch_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for the block, or raise :class:`BatchBusy` at once."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UsageError(f"无法使用输出目录 {out}：{oserrors.reason(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "未知"
            raise BatchBusy(
                f"另一个批量任务（进程 {holder}）正在写入 {out}，请等它结束后再运行，"
                "或用 --out 指定另一个输出目录。"
            ) from None
        # The holder's pid is only a hint for the message above; the lock itself is the flock.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
