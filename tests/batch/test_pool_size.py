"""How many workers a batch starts: another only when the work left pays for its start."""

from __future__ import annotations

from ogi_report.batch.pool import WORKER_START_SECONDS, report_seconds, workers_worth

HTML = report_seconds(("html",))


def test_a_small_batch_gets_one_worker() -> None:
    assert workers_worth(1, HTML, 2) == 1
    assert workers_worth(20, HTML, 2) == 1


def test_a_large_batch_gets_every_worker_asked_for() -> None:
    assert workers_worth(100, HTML, 2) == 2
    assert workers_worth(10_000, report_seconds(("html", "pdf", "docx")), 8) == 8


def test_the_threshold_is_the_start_cost() -> None:
    # Another worker pays while each running one's share of the work left is longer than a start.
    at = WORKER_START_SECONDS / HTML
    assert workers_worth(int(at) - 1, HTML, 2) == 1
    assert workers_worth(int(at) + 2, HTML, 2) == 2
    assert workers_worth(int(2 * at) - 1, HTML, 3) == 2
    assert workers_worth(int(2 * at) + 2, HTML, 3) == 3


def test_slow_reports_pay_sooner_and_the_limit_holds() -> None:
    assert workers_worth(20, report_seconds(("html", "pdf", "docx")), 2) == 2
    assert workers_worth(4, 10.0, 2) == 2  # four reports of ten seconds each: measured, not guessed
    assert workers_worth(10_000, HTML, 1) == 1
    assert report_seconds(("html", "pdf")) > HTML
