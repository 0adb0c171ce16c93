"""One batch at a time per output folder, and no output committed by a batch that has ended.

Two batches (``ogi-report batch``, ``run_reports.py``) writing the same ``output/`` would clear
each other's staging folders (``<year>/.tmp``) and interleave ``index.html``/``summary.csv``.  The
lock is an advisory ``flock`` on ``<out>/.run_reports.lock``: the kernel drops it when the process
ends however it ends, so a killed batch never leaves a stale lock behind that someone must delete
by hand.

A worker of a batch killed with SIGKILL may still be finishing a report when the next batch starts
(it is told to stop, but a rename takes no time to slip in).  So each batch writes a fresh *token*
into the lock file, and a worker moves a report's files into place only inside :func:`committing`:
holding a shared lock on ``<out>/.run_reports.commit``, it checks that the lock file still holds its
own batch's token.  A new batch, once it has the main lock, takes that commit lock exclusively
before writing its token: a straggler's commit in flight finishes first, every later one sees the
new token and is refused.  A stale writer can therefore never replace a newer run's files.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ogi_report import oserrors
from ogi_report.errors import BatchBusy, StaleBatch, UsageError

LOCK_NAME = ".run_reports.lock"
COMMIT_NAME = ".run_reports.commit"
# How long a new batch waits for a previous batch's worker to finish a commit already under way.
COMMIT_WAIT = 30.0


def _open(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UsageError(
            f"无法使用输出目录 {path.parent}：无法打开 {path}（{oserrors.reason(exc)}）"
        ) from None


def _holder(fd: int) -> tuple[str, str]:
    """The pid and token written in the lock file (empty strings when unreadable)."""
    fields = os.pread(fd, 128, 0).decode("ascii", "replace").split()
    return (fields[0] if fields else "", fields[1] if len(fields) > 1 else "")


def _claim(out: Path, fd: int, token: str) -> None:
    """Write this batch's pid and token once no worker of an earlier batch is committing."""
    commit = _open(out / COMMIT_NAME)
    try:
        deadline = time.monotonic() + COMMIT_WAIT
        while True:
            try:
                fcntl.flock(commit, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BatchBusy(
                        f"上一个批量任务的渲染进程仍在向 {out} 写入文件（超过 {COMMIT_WAIT:.0f} 秒）："
                        "请确认它已结束后再运行。"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {token}\n".encode("ascii"), 0)
        os.fsync(fd)
    finally:
        os.close(commit)  # releases the commit lock


@contextmanager
def batch_lock(out: Path) -> Iterator[str]:
    """Hold the output folder's lock for the block, or raise :class:`BatchBusy` at once.

    Yields the batch's token, which its workers pass to :func:`committing`.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法使用输出目录 {out}：{oserrors.reason(exc)}") from None
    fd = _open(out / LOCK_NAME)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)[0] or "未知"
            raise BatchBusy(
                f"另一个批量任务（进程 {holder}）正在写入 {out}，请等它结束后再运行，"
                "或用 --out 指定另一个输出目录。"
            ) from None
        token = secrets.token_hex(16)
        _claim(out, fd, token)
        yield token
    finally:
        os.close(fd)  # closing the descriptor releases the flock


@contextmanager
def committing(out: Path, token: str) -> Iterator[None]:
    """Hold the block (moving a report's files into place) only while ``token``'s batch owns ``out``.

    Raises :class:`StaleBatch` when another batch has claimed the folder since: the caller must
    then write nothing at a final path.  An empty ``token`` (a renderer used outside a batch) is
    not checked.
    """
    if not token:
        yield
        return
    commit = _open(out / COMMIT_NAME)
    try:
        fcntl.flock(commit, fcntl.LOCK_SH)
        try:
            with open(out / LOCK_NAME, "rb") as fh:
                current = _holder(fh.fileno())[1]
        except OSError:
            current = ""
        if current != token:
            raise StaleBatch(f"启动本报告的批量任务已结束，{out} 已由另一个批量任务接管：本次结果不写入")
        yield
    finally:
        os.close(commit)
