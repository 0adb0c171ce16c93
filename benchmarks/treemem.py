"""Peak memory of a process tree, each process counted once and shared pages split (PSS).

Summing RSS over a tree counts every shared page once per process that maps it: the workers, their
kernels and a browser or typesetter share libraries and copy-on-write pages, so the sum can be
about twice what the tree really holds.  PSS (proportional set size, Linux ``smaps_rollup``)
charges each shared page to its sharers in proportion, so the PSS of the processes adds up to the
memory the tree uses.  Where PSS cannot be read (another OS, no permission), RSS is used and the
result says so.
"""

from __future__ import annotations

import contextlib
import threading

import psutil


def tree_memory(pid: int) -> tuple[int, bool]:
    """The memory of ``pid`` and all its descendants now, in bytes, and whether it is PSS."""
    try:
        top = psutil.Process(pid)
        procs = {p.pid: p for p in (top, *top.children(recursive=True))}  # each process once
    except psutil.Error:
        return 0, True
    total, pss = 0, True
    for proc in procs.values():
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):  # it may have exited since
            try:
                total += proc.memory_full_info().pss
            except (psutil.AccessDenied, AttributeError):
                total += proc.memory_info().rss
                pss = False
    return total, pss


class PeakTreeMemory:
    """Samples :func:`tree_memory` of ``pid`` every ``interval`` seconds; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.pss = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            now, pss = tree_memory(self.pid)
            self.peak = max(self.peak, now)
            self.pss = self.pss and pss
            self._stop.wait(self.interval)

    @property
    def kind(self) -> str:
        """What :attr:`peak` measures: "PSS", or "RSS" where PSS could not be read."""
        return "PSS" if self.pss else "RSS"

    def __enter__(self) -> PeakTreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
