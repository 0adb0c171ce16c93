"""Every rule is declared once, with its id and severity, and the registry lists them in id order."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from ogi_report.checks import cause, crossyear, draft, meta, narrative, tables
from ogi_report.checks.declaration import Rule
from ogi_report.checks.findings import Severity
from ogi_report.checks.registry import DECLARED, RULES, by_id
from ogi_report.spec.ids import RuleId


def test_every_rule_id_has_exactly_one_declaration() -> None:
    assert Counter(r.id for r in DECLARED) == Counter(set(RuleId))
    assert all(isinstance(r, Rule) and r.id is key for key, r in RULES.items())


def test_rules_run_in_id_order() -> None:
    assert list(RULES) == list(RuleId)


def test_rules_are_declared_in_the_module_of_their_subject() -> None:
    subjects = {
        tables: {"T3-A", "T3-B", "T3-C", "T4", "N", "BLANK"},
        meta: {"FMT", "DATE"},
        crossyear: {"X-1", "X-2"},
        narrative: {"TXT", "S5", "S6-FEE", "STRUCT"},
        cause: {"T3-HINT"},
        draft: {"PLACEHOLDER", "DRAFT"},
    }
    for module, ids in subjects.items():
        assert {r.id for r in module.RULES} == ids, module.__name__


def test_only_cross_year_rules_need_last_year() -> None:
    assert {r.id for r in RULES.values() if r.needs_previous} == {RuleId.X_1, RuleId.X_2, RuleId.COPY}


def test_every_rule_is_documented() -> None:
    for rule in RULES.values():
        assert rule.title and len(rule.description) > len(rule.title), rule.id


def test_a_missing_or_repeated_declaration_is_refused() -> None:
    with pytest.raises(ValueError, match="DATE"):
        by_id([r for r in DECLARED if r.id is not RuleId.DATE])
    with pytest.raises(ValueError, match="T4"):
        by_id([*DECLARED, replace(RULES[RuleId.T4], title="again")])


@pytest.mark.parametrize(
    ("rule_id", "severity"),
    [
        ("T3-A", "error"),
        ("T3-B", "error"),
        ("T3-C", "error"),
        ("T4", "error"),
        ("N", "error"),
        ("BLANK", "error"),
        ("FMT", "error"),
        ("X-1", "error"),
        ("X-2", "warning"),
        ("TXT", "warning"),
        ("S5", "warning"),
        ("S6-FEE", "warning"),
        ("STRUCT", "warning"),
        ("DATE", "warning"),
        ("T3-HINT", "info"),
        ("PLACEHOLDER", "error"),
        ("DRAFT", "error"),
    ],
)
def test_declared_severity(rule_id: str, severity: str) -> None:
    assert RULES[rule_id].severity is Severity(severity)  # type: ignore[index]
