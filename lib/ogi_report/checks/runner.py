"""Running the rules on a bureau-year and summarising what was checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.rules import RULES, Context, Rule
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.model.narrative import fill


@dataclass(frozen=True)
class RuleOutcome:
    """One rule's result for one bureau-year (for the 数据校验 appendix)."""

    rule: Rule
    applicable: bool
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return self.applicable and not self.findings


@dataclass(frozen=True)
class CheckResult:
    """Every finding of every rule, and which rules ran."""

    outcomes: tuple[RuleOutcome, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for o in self.outcomes for f in o.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def rule_ids(self) -> set[str]:
        return {f.rule for f in self.findings}


def _narrative_file(by: BureauYear) -> str:
    """Where the narrative came from, for messages (the folder's narrative.md, or the JSON file)."""
    if by.source and Path(by.source).is_dir():
        return str(Path(by.source) / "narrative.md")
    return by.source or "narrative.md"


def check(by: BureauYear, previous: BureauYear | None = None, text: str | None = None) -> CheckResult:
    """Run every rule; ``text`` is the filled narrative (filled here when not given).

    Last year's data are used only when they are the same body's previous year.
    """
    if previous is not None and (
        previous.meta.year != by.meta.year - 1 or previous.meta.slug != by.meta.slug
    ):
        raise DataError.one(
            previous.source or "previous", f"上年数据应为 {by.meta.slug} 的 {by.meta.year - 1} 年"
        )
    ctx = Context(by, fill(by, _narrative_file(by)) if text is None else text, previous)
    outcomes = []
    for rule in RULES.values():
        applicable = rule.applies(ctx)
        findings = tuple(rule.func(ctx)) if applicable else ()
        outcomes.append(RuleOutcome(rule, applicable, findings))
    return CheckResult(tuple(outcomes))
