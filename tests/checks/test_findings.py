"""Findings written to JSON and read back keep their rule id and everything else."""

from __future__ import annotations

import json

from ogi_report.checks.findings import Finding, Severity
from ogi_report.spec.ids import RuleId


def test_round_trip_through_json() -> None:
    finding = Finding(RuleId.X_1, Severity.ERROR, "消息", "表三", "行", "列", "1", "2")
    data = json.loads(json.dumps(finding.to_dict()))
    assert data["rule"] == "X-1" and type(finding.to_dict()["rule"]) is str
    assert data["location"] == "表三 / 行「行」 / 列「列」"
    back = Finding.from_dict(data)
    assert back == finding and back.rule is RuleId.X_1


def test_a_check_outside_the_rules_keeps_its_name() -> None:
    finding = Finding("READ", Severity.ERROR, "数据目录无法读取")
    back = Finding.from_dict(finding.to_dict())
    assert back == finding and type(back.rule) is str


def test_an_unfilled_placeholder_is_the_declared_rule() -> None:
    """What a renderer reports for a placeholder it could not fill is rule PLACEHOLDER's finding."""
    back = Finding.from_dict(Finding("PLACEHOLDER", Severity.ERROR, "未知的占位符").to_dict())
    assert back.rule is RuleId.PLACEHOLDER
