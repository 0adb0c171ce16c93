"""The 基本信息 rules' own parts: the statutory deadline the DATE rule falls back on."""

from __future__ import annotations

from datetime import date

from kit import build_by
from ogi_report.checks.meta import statutory_deadline
from ogi_report.checks.runner import check
from ogi_report.model.bureau import PublisherType


def test_statutory_deadlines() -> None:
    assert statutory_deadline(PublisherType.DEPARTMENT, 2021) == date(2022, 1, 31)
    assert statutory_deadline(PublisherType.GOVERNMENT, 2021) == date(2022, 3, 31)
    message = check(build_by(publish_date=None)).warnings[0].message
    assert "2022年1月31日" in message
