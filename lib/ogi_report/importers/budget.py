"""A time budget for importing one file: past it, the import stops with a clear message.

Every reader already bounds what it reads (bytes, pages, parts, elements), but a file inside all
of those can still be slow to take apart (hundreds of ruled PDF pages, each a table search).
:func:`time_budget` gives one file ``seconds`` (``--max-seconds``): the readers call
:func:`check_time` between units of work (a page, a table), and in the main thread a timer also
interrupts a single long step.  Either way the import fails as a :class:`DataError` naming the file
and the limit, and nothing is written.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ogi_report.errors import DataError

DEFAULT_MAX_SECONDS = 45.0  # a long published report imports in a few seconds


@dataclass(frozen=True)
class _Budget:
    path: Path
    seconds: float
    ends: float

    def error(self) -> DataError:
        return DataError.one(
            self.path,
            f"导入用时超过上限 {self.seconds:g} 秒，已停止（文件过于复杂，不像是年度报告）："
            "什么也没有写入；确属年度报告时可用 --max-seconds 放宽",
        )


_current: ContextVar[_Budget | None] = ContextVar("ogi_import_budget", default=None)


def check_time() -> None:
    """Raise the budget's :class:`DataError` when the current import has run out of time."""
    budget = _current.get()
    if budget is not None and time.monotonic() > budget.ends:
        raise budget.error()


@contextlib.contextmanager
def time_budget(path: Path, seconds: float = DEFAULT_MAX_SECONDS) -> Iterator[None]:
    """Give the import of ``path`` at most ``seconds`` (checked between steps; timed in the main thread)."""
    budget = _Budget(path, seconds, time.monotonic() + seconds)
    token = _current.set(budget)
    timed = threading.current_thread() is threading.main_thread()
    if timed:

        def expire(signum: int, frame: FrameType | None) -> None:
            raise budget.error()

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
        check_time()  # an expiry swallowed by a library's own error handling still counts
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _current.reset(token)
