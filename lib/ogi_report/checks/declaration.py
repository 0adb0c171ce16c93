"""How a rule is declared: its id and severity said once, next to the function that checks it.

A check function takes a :class:`Context` and yields :class:`Found` — what is wrong and where, in
the analyst's words — without restating its rule: :mod:`ogi_report.checks.runner` stamps the
declared id and severity on every finding.  A rule never stops at the first failure: it yields
everything it finds.  Every rule today has one severity; a check that needed two would be declared
as two rules, so that the severity of a finding is always its rule's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ogi_report.checks.findings import Severity
from ogi_report.model.bureau import BureauYear
from ogi_report.model.narrative import Narrative, split_sections
from ogi_report.spec.ids import RuleId


@dataclass(frozen=True)
class Context:
    """What a rule looks at: this year's data, its filled narrative, and last year's if present."""

    by: BureauYear
    text: str  # the narrative with placeholders filled
    previous: BureauYear | None = None

    @property
    def narrative(self) -> Narrative:
        return split_sections(self.text, self.by.format)


@dataclass(frozen=True)
class Found:
    """One thing a check found: the message (Chinese, saying what to fix) and where it is."""

    message: str
    table: str = ""  # 表二 / 表三 / 表四, or 正文 / 基本信息
    row: str = ""
    column: str = ""
    found: str = ""
    expected: str = ""


CheckFunc = Callable[[Context], Iterator[Found]]


@dataclass(frozen=True)
class Rule:
    """A declared rule: its id, severity and title (Chinese), when it applies, and its check.

    ``description`` is the paragraph docs/rules.md prints for the rule.
    """

    id: RuleId
    severity: Severity
    title: str
    description: str
    check: CheckFunc
    needs_previous: bool = False  # runs only when last year's data are given

    def applies(self, ctx: Context) -> bool:
        return ctx.previous is not None if self.needs_previous else True


def rule(
    rule_id: RuleId, severity: Severity, title: str, description: str, *, needs_previous: bool = False
) -> Callable[[CheckFunc], Rule]:
    """Declare the decorated check function as rule ``rule_id``: the name then stands for the rule."""

    def declare(check: CheckFunc) -> Rule:
        return Rule(rule_id, severity, title, description, check, needs_previous)

    return declare
