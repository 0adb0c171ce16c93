"""docs/rules.md is generated from the rule declarations, with examples produced by running them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kit import REPO_ROOT
from ogi_report.checks.reference import (
    COMMAND,
    EXAMPLES,
    example_findings,
    main,
    passing_example,
    rules_reference,
)
from ogi_report.checks.registry import RULES
from ogi_report.checks.runner import check
from ogi_report.spec.ids import RuleId

UTF8 = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def test_docs_rules_is_the_generated_reference() -> None:
    assert (REPO_ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_reference(), (
        f"docs/rules.md is stale: regenerate it with `{COMMAND}`"
    )


def test_the_passing_example_passes_every_rule() -> None:
    this_year = passing_example()
    result = check(this_year, passing_example(this_year.meta.year - 1))
    assert result.findings == ()
    assert all(o.applicable for o in result.outcomes)


def test_every_rule_has_an_example() -> None:
    assert set(EXAMPLES) == set(RuleId)


@pytest.mark.parametrize("rule_id", list(RuleId))
def test_each_example_fails_its_rule_and_is_documented(rule_id: RuleId) -> None:
    rule = RULES[rule_id]
    findings = example_findings(rule)
    assert {(f.rule, f.severity) for f in findings} == {(rule.id, rule.severity)}
    reference = rules_reference()
    assert f"## `{rule_id}` {rule.title}" in reference
    assert rule.description in reference
    assert str(findings[0]) in reference
    assert (
        "需要上年数据：是" in reference.split(f"## `{rule_id}`")[1].split("## ")[0]
    ) == rule.needs_previous


def test_runs_as_a_module(tmp_path: Path) -> None:
    assert main([str(tmp_path / "rules.md")]) == 0
    assert (tmp_path / "rules.md").read_text(encoding="utf-8") == rules_reference()
    run = subprocess.run(
        [sys.executable, "-m", "ogi_report.checks.reference"], capture_output=True, check=True, env=UTF8
    )
    assert run.stdout.decode("utf-8") == rules_reference()
