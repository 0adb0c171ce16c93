"""Running the rules on a bureau-year and summarising what was checked.

The runner stamps each rule's declared id and severity on what its check found, so a finding's
rule and severity are always the declaration's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ogi_report.checks.declaration import Context, Found, Rule
from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.registry import RULES
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


def stamp(rule: Rule, found: Found) -> Finding:
    """The finding ``found`` is under ``rule``: the declared id and severity, then what was found."""
    return Finding(
        rule.id,
        rule.severity,
        found.message,
        table=found.table,
        row=found.row,
        column=found.column,
        found=found.found,
        expected=found.expected,
    )


def run_rule(rule: Rule, ctx: Context) -> RuleOutcome:
    """One rule on ``ctx``: every finding it has, or not applicable (a cross-year rule without last year)."""
    if not rule.applies(ctx):
        return RuleOutcome(rule, False, ())
    return RuleOutcome(rule, True, tuple(stamp(rule, found) for found in rule.check(ctx)))


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
    return CheckResult(tuple(run_rule(rule, ctx) for rule in RULES.values()))
