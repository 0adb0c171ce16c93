"""A worker of a batch that has ended can never commit a report over a newer run's files.

Before: after ``kill -9`` of the batch, its worker kept rendering and, during the rerun, wrote the
old data into a report the new state then recorded as current.  Now each batch writes a token in
its lock file and a worker moves files into place only while that token is still the folder's
(:func:`ogi_report.batch.lock.committing`); the end-to-end kill tests are in ``test_interruption``.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from ogi_report.batch.jobs import EXECUTED_DIR, TMP_DIR, Job
from ogi_report.batch.lock import batch_lock, committing
from ogi_report.batch.worker import Renderer
from ogi_report.errors import StaleBatch


def _job(out: Path) -> Job:
    year = out / "2021"
    return Job("a", 2021, "甲局", out, out / "nb.ipynb", out, year, ("html",), None, "fp")


def test_a_worker_of_an_ended_batch_commits_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    job = _job(out)
    with batch_lock(out) as old:
        pass  # the first batch ends (killed: its lock is gone; its worker is not, yet)
    with batch_lock(out) as new:
        assert new != old
        (job.out_dir / TMP_DIR).mkdir(parents=True)
        (job.out_dir / "a.html").parent.mkdir(parents=True, exist_ok=True)
        (job.out_dir / "a.html").write_text("新数据", encoding="utf-8")
        stale = Renderer(tmp_path / "nb.ipynb", token=old)
        monkeypatch.setattr(stale, "_rendered", lambda *a: {"html": "旧数据"})
        with pytest.raises(StaleBatch, match="已由另一个批量任务接管"):
            stale._export(job, None, None)  # type: ignore[arg-type]
        executed = job.out_dir / TMP_DIR / "a.1.ipynb"
        executed.write_text("{}", encoding="utf-8")
        with pytest.raises(StaleBatch):
            stale._keep_executed(job, executed, job.out_dir / EXECUTED_DIR / "a.ipynb")
        assert (job.out_dir / "a.html").read_text(encoding="utf-8") == "新数据"
        assert not (job.out_dir / EXECUTED_DIR / "a.ipynb").exists()

        current = Renderer(tmp_path / "nb.ipynb", token=new)
        monkeypatch.setattr(current, "_rendered", lambda *a: {"html": "本批次"})
        assert current._export(job, None, None) == {"html": "a.html"}  # type: ignore[arg-type]
        assert (job.out_dir / "a.html").read_text(encoding="utf-8") == "本批次"
        assert not list(job.out_dir.glob(".*.part"))


def test_a_new_batch_waits_for_a_commit_already_under_way(tmp_path: Path) -> None:
    out = tmp_path / "output"
    with batch_lock(out) as old:
        pass
    in_commit, release = threading.Event(), threading.Event()
    finished: list[float] = []

    def straggler() -> None:
        with committing(out, old):
            in_commit.set()
            release.wait(10)
            finished.append(time.monotonic())

    thread = threading.Thread(target=straggler)
    thread.start()
    assert in_commit.wait(10)
    threading.Timer(0.5, release.set).start()
    with batch_lock(out) as new:
        claimed = time.monotonic()
        with pytest.raises(StaleBatch), committing(out, old):  # every later commit of the old batch
            pass
        with committing(out, new):
            pass
    thread.join()
    assert finished and finished[0] <= claimed  # the new batch claimed the folder only after it
