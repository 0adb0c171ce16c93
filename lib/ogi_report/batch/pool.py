"""The batch's worker processes: one per job slot, long-lived, replaced when one dies.

Each worker (:func:`ogi_report.batch.worker.serve`) imports papermill and nbconvert once and keeps one
warm kernel for the whole batch.  :class:`WorkerPool` hands each idle worker the next job over a
pipe and yields outcomes as they arrive.  A worker that dies (or stops answering) fails only the
job it held: a fresh worker takes its place.  Closing the pool — also on Ctrl-C or SIGTERM — asks
every worker to stop, which shuts its kernel down; stragglers are terminated, then killed.

The first worker starts when the pool is entered (the batch enters it as soon as planning finds a
report to render, so its imports and kernel boot overlap the rest of the planning); the others
start in :meth:`WorkerPool.run` only when the work left pays for their start (:func:`workers_worth`,
judged again as reports finish), which :attr:`WorkerPool.note` says for the progress line.

Workers also die with the batch when it cannot close the pool (SIGKILL, a crash): each asks Linux
for SIGTERM when the batch's main thread ends (:func:`_worker_main`), and its kernel for SIGKILL
when the worker ends.  A straggler that still finishes a report is refused by the batch lock's
token (:func:`ogi_report.batch.lock.committing`), so it cannot overwrite a newer run's files.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import statistics
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ogi_report.batch.jobs import Job, Outcome
from ogi_report.batch.worker import serve
from ogi_report.errors import RenderError
from ogi_report.notebook.kernels import die_with_parent
from ogi_report.startup import skip_slow_optional_imports

# A worker holding a job past its timeout plus this margin is presumed hung (e.g. stuck exporting).
HANG_MARGIN = 60.0
STARTUP_TIMEOUT = 120.0

# What another worker costs and what it saves, measured on the 2-core reference machine
# (``make bench``; docs/decisions.md): a worker's start (imports ≈1.9 s, kernel ≈1.7 s, partly
# overlapped) and one report's render on a warm worker, per format.
WORKER_START_SECONDS = 3.0
REPORT_SECONDS = {"html": 0.05, "pdf": 0.12, "docx": 0.1}


def report_seconds(formats: Sequence[str]) -> float:
    """The expected render time of one report in ``formats`` on a warm worker."""
    return sum(REPORT_SECONDS.get(f, max(REPORT_SECONDS.values())) for f in formats)


def workers_worth(reports: int, per_report: float, limit: int) -> int:
    """How many workers (1 to ``limit``) pay for themselves on ``reports`` left of ``per_report`` s.

    A worker started beside running ones takes about :data:`WORKER_START_SECONDS` of the cores
    they work on, then halves (thirds…) what is left.  So one more pays while each running
    worker's share of the work left is longer than that start; below it, starting it costs more
    than it saves (on the 2-core machine, a second worker for HTML from about 60 reports on).
    """
    workers = 1
    while workers < limit and reports * per_report / workers > WORKER_START_SECONDS:
        workers += 1
    return workers


@dataclass
class _Slot:
    process: Any
    conn: Connection
    job: Job | None = None
    since: float = 0.0
    ready: bool = False


def _worker_main(conn: Connection, notebook: Path, runtime: Path | None, token: str, parent: int) -> None:
    """A worker's entry point: tie its life to the batch's, then serve jobs.

    SIGTERM (not SIGKILL) when the batch ends, so the worker still shuts its kernel down; a batch
    that died before this line ran is noticed by the changed parent pid.
    """
    die_with_parent(signal.SIGTERM)
    if os.getppid() != parent:
        return
    skip_slow_optional_imports()  # before papermill and nbconvert: ≈ 0.8 s off the worker's start
    serve(conn, notebook, runtime, token)


class WorkerPool:
    """``jobs`` worker processes rendering :class:`Job` s; use as a context manager.

    ``token`` is the batch lock's (:func:`ogi_report.batch.lock.batch_lock`): workers commit a
    report's files only while it is still the folder's.  The pool must be used from the main
    thread: a worker dies when the thread that started it ends.
    """

    def __init__(self, jobs: int, notebook: Path, token: str = "") -> None:
        self.size = max(1, jobs)
        self.notebook = notebook
        self.token = token
        # spawn: a clean interpreter (no inherited threads or locks from the parent, e.g. tqdm's).
        self._ctx = multiprocessing.get_context("spawn")
        self._slots: list[_Slot] = []
        self._runtime: Path | None = None
        self.note = ""  # how many workers run and why (the progress line's 进程=…), once :meth:`run` decided

    def __enter__(self) -> WorkerPool:
        # The kernels' sockets and connection files: removed on close, even those of killed workers.
        self._runtime = Path(tempfile.mkdtemp(prefix="ogi-batch-"))
        self._slots = [self._spawn()]  # the others when :meth:`run` knows the batch pays for them
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ready(self) -> None:
        """Nothing to wait for: the first worker starts on its own and the rest in :meth:`run`
        (the Dask pool's counterpart waits for its connection)."""

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main,
            args=(child, self.notebook, self._runtime, self.token, os.getpid()),
            daemon=True,
            name="ogi-report-worker",
        )
        process.start()
        child.close()
        return _Slot(process, parent, since=time.monotonic())

    def run(self, jobs: Sequence[Job], on_start: Any = None) -> Iterator[Outcome]:
        """Render ``jobs``, yielding each outcome when it is known (order of completion).

        Workers beyond the first start as soon as the work left pays for them
        (:func:`workers_worth`): judged first from the expected time per report, then from the
        reports' measured times and the one running longest, so a batch of slow reports gets its
        workers even when it is short.
        """
        pending = deque(jobs)
        running = 0
        expected = report_seconds(jobs[0].formats) if jobs else 0.0
        took: list[float] = []
        while pending or running:
            self._grow(pending, running, expected, took)
            for slot in self._slots:
                if slot.ready and slot.job is None and pending:
                    slot.job, slot.since = pending.popleft(), time.monotonic()
                    slot.conn.send(slot.job)
                    running += 1
                    if on_start is not None:
                        on_start(slot.job)
            ready = wait([s.conn for s in self._slots], timeout=1.0)
            for index, slot in enumerate(self._slots):
                outcome = self._receive(index) if slot.conn in ready else self._check_alive(index)
                if outcome is not None:
                    running -= 1
                    took.append(outcome.seconds)
                    yield outcome

    def _grow(self, pending: Sequence[Job], running: int, expected: float, took: Sequence[float]) -> None:
        """Start one more worker when the work left pays for it; say how many run in :attr:`note`."""
        now = time.monotonic()
        longest = max((now - s.since for s in self._slots if s.job is not None), default=0.0)
        # Measured once a few reports are done (the first on a fresh kernel is slower); one report
        # still running counts alone only when it outlasts a worker's start (a batch of slow ones).
        measured = statistics.median(took) if len(took) >= 3 else 0.0
        per_report = max(expected, measured, longest if longest > WORKER_START_SECONDS else 0.0)
        wanted = workers_worth(len(pending) + running, per_report, self.size)
        if len(self._slots) < wanted:
            self._slots.append(self._spawn())
        started = len(self._slots)
        # Shown beside the progress bar's counts as 进程=…
        self.note = str(started) if started == self.size else f"{started}（再启动一个不划算）"

    def _receive(self, index: int) -> Outcome | None:
        slot = self._slots[index]
        try:
            kind, payload = slot.conn.recv()
        except (EOFError, OSError):
            return self._replace(index, "渲染进程意外退出")
        if kind == "ready":
            slot.ready = True
            return None
        if kind == "fatal":
            return self._replace(index, f"渲染进程出错：{payload}")
        job, slot.job = slot.job, None
        assert job is not None and isinstance(payload, Outcome)
        return payload

    def _check_alive(self, index: int) -> Outcome | None:
        slot = self._slots[index]
        if not slot.process.is_alive():
            return self._replace(index, "渲染进程意外退出")
        limit = STARTUP_TIMEOUT if slot.job is None else (slot.job.timeout or 0) + HANG_MARGIN
        hung = time.monotonic() - slot.since > limit and (slot.job is not None or not slot.ready)
        if hung and (slot.job is None or slot.job.timeout is not None):
            return self._replace(index, "渲染进程无响应，已终止")
        return None

    def _replace(self, index: int, message: str) -> Outcome | None:
        """Stop the slot's worker, start a new one; fail the job it held."""
        slot = self._slots[index]
        job = slot.job
        self._stop(slot, grace=2.0)
        self._slots[index] = self._spawn()
        if job is None:
            if not slot.ready:
                raise RenderError(f"{message}：渲染进程无法启动（内核或 papermill 不可用？）")
            return None
        return Outcome.failed(job, message)

    @staticmethod
    def _stop(slot: _Slot, grace: float) -> None:
        if slot.process.is_alive():
            slot.process.terminate()  # SIGTERM: the worker shuts its kernel down, then exits
            slot.process.join(grace)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join(5)
        slot.conn.close()

    def close(self) -> None:
        """Stop every worker (idle ones finish cleanly; busy and still starting ones are interrupted)."""
        # A worker still starting (the batch had nothing for it after all) is not waited for.
        idle = [slot for slot in self._slots if slot.ready and slot.job is None]
        for slot in idle:
            if slot.process.is_alive():
                try:
                    slot.conn.send(None)
                except OSError:
                    continue
        deadline = time.monotonic() + 10
        for slot in idle:
            slot.process.join(max(0.1, deadline - time.monotonic()))
        for slot in self._slots:
            self._stop(slot, grace=10.0)
        self._slots = []
        if self._runtime is not None:
            shutil.rmtree(self._runtime, ignore_errors=True)
