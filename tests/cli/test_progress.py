"""The batch's progress counts: kept as outcomes arrive, never counted afresh (that was quadratic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ogi_report.batch.jobs import Outcome, Status
from ogi_report.cli import batch as cli_batch
from ogi_report.cli import console


def _outcomes(n: int) -> list[Outcome]:
    kinds = [(Status.OK, False), (Status.DRAFT, False), (Status.FAILED, False), (Status.OK, True)]
    return [Outcome(f"b{i}", 2021, f"局{i}", kinds[i % 4][0], skipped=kinds[i % 4][1]) for i in range(n)]


def test_tally_counts_as_counting_afresh_does() -> None:
    tally = console.Tally()
    outcomes = _outcomes(11)
    for i, outcome in enumerate(outcomes):
        tally.add(outcome)
        assert tally.counts() == console.counts(outcomes[: i + 1])
    assert tally.counts() == {"ok": 3, "draft": 3, "failed": 3, "skipped": 2}


def test_the_progress_bar_never_recounts_every_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def recount(outcomes: object) -> dict[str, int]:
        raise AssertionError("the progress bar counted every outcome again")

    monkeypatch.setattr(console, "counts", recount)
    progress = cli_batch._Progress(tmp_path, 400)
    shown = []
    monkeypatch.setattr(progress.bar, "set_postfix", lambda values, refresh=False: shown.append(values))
    for outcome in (o for o in _outcomes(400) if o.skipped):  # skipped: nothing written to disk
        progress.record(outcome)
    progress.workers = "1（份数少，再启动一个不划算）"
    progress.record(Outcome("last", 2021, "局", Status.OK, skipped=True))
    progress.close(interrupted=False)
    assert shown[0] == {"ok": 0, "draft": 0, "failed": 0, "skipped": 1}
    assert shown[-1] == {"ok": 0, "draft": 0, "failed": 0, "skipped": 101, "进程": progress.workers}
    assert len(progress.outcomes) == 101
