"""The report as every output prints it: one model, built once per report, walked by HTML, PDF, DOCX.

:func:`report_model` reads a bureau-year, its check result (or findings) and optional notes into
a :class:`Report`: the masthead and title, the opening, the sections in the narrative's order (each
with its heading, number, body and the printed grid of the table it carries), the signature, the
draft state and the 数据校验 appendix.  It holds data, never markup: the narrative is parsed once
(:mod:`ogi_report.render.prose`) and tables are their printed grids
(:func:`ogi_report.model.printed.table_grid`), so the HTML page, the PDF and the Word document lay
out the same report.  :meth:`Report.edition` gives what a file holds: the published edition drops
the appendix; the review edition keeps it (:class:`Edition`).

Every table is printed, once: a table whose section the narrative lacks gets the standard heading,
placed before the next section with a higher number (the STRUCT rule reports the missing section).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.runner import CheckResult, RuleOutcome
from ogi_report.model.bureau import BureauYear
from ogi_report.model.narrative import Narrative, fill, split_sections
from ogi_report.model.printed import table_grid
from ogi_report.render.prose import Prose, parse_prose
from ogi_report.spec.formats import SectionSpec
from ogi_report.spec.grid import Grid
from ogi_report.spec.wording import chinese_date


@dataclass(frozen=True, eq=False)
class Section:
    """One section as printed: its heading, its number (一…六, "" when unknown), body and table."""

    heading: str
    number: str
    body: Prose
    table: Grid | None  # the printed grid of the table the section carries


@dataclass(frozen=True)
class Signature:
    """The signature block: the signing body and the publish date in Chinese ("" when unknown)."""

    signer: str
    date: str


@dataclass(frozen=True)
class Draft:
    """The checks' verdict on publishing: a report with errors is a draft."""

    errors: tuple[Finding, ...]
    warnings: tuple[Finding, ...]

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Draft:
        """The draft state ``findings`` amount to."""
        found = tuple(findings)
        return cls(
            tuple(f for f in found if f.severity is Severity.ERROR),
            tuple(f for f in found if f.severity is Severity.WARNING),
        )

    def __bool__(self) -> bool:
        return bool(self.errors)


class OutcomeState(StrEnum):
    """How a rule came out."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "na"


def outcome_text(outcome: RuleOutcome) -> tuple[OutcomeState, str]:
    """A rule's outcome as the appendix states it (通过 / 未通过（n 处） / 不适用)."""
    if not outcome.applicable:
        reason = "（无上年数据）" if outcome.rule.needs_previous else ""
        return OutcomeState.NOT_APPLICABLE, f"不适用{reason}"
    if outcome.passed:
        return OutcomeState.PASSED, "通过"
    return OutcomeState.FAILED, f"未通过（{len(outcome.findings)} 处）"


@dataclass(frozen=True)
class Checks:
    """The 数据校验 appendix: every rule's outcome, every finding, and notes on how the checks ran."""

    outcomes: tuple[RuleOutcome, ...]
    notes: tuple[str, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for o in self.outcomes for f in o.findings)

    def summary(self) -> str:
        """One sentence counting the rules by outcome and the findings by severity."""
        outcomes = self.outcomes
        findings = self.findings
        applicable = [o for o in outcomes if o.applicable]
        passed = sum(1 for o in applicable if o.passed)

        def count(severity: Severity) -> int:
            return sum(1 for f in findings if f.severity is severity)

        infos = count(Severity.INFO)
        return (
            f"共 {len(outcomes)} 条规则：通过 {passed} 条，未通过 {len(applicable) - passed} 条，"
            f"不适用 {len(outcomes) - len(applicable)} 条。"
            f"发现错误 {count(Severity.ERROR)} 条、警告 {count(Severity.WARNING)} 条"
            + (f"、提示 {infos} 条" if infos else "")
            + "。"
        )


class Edition(StrEnum):
    """Which file of a report is made: what a bureau publishes, or what its reviewers read.

    The published edition is the official report alone (a draft's is marked 草稿); the review
    edition adds the 数据校验 appendix, as the notebook shows it.
    """

    PUBLISHED = "published"
    REVIEW = "review"


@dataclass(frozen=True, eq=False)
class Report:
    """One bureau-year's report, ready to lay out."""

    name: str  # the publishing body, as document metadata
    masthead: str  # "" when the report has none
    title: str
    year: int  # the year reported on
    publish_date: date | None
    opening: Prose
    sections: tuple[Section, ...]
    signature: Signature
    draft: Draft
    checks: Checks | None  # None when built from findings alone (no rule outcomes to list)

    def edition(self, edition: Edition) -> Report:
        """This report as ``edition`` prints it: the published one has no 数据校验 appendix."""
        return self if edition is Edition.REVIEW else replace(self, checks=None)

    @property
    def draft_notice(self) -> str:
        """The line under a draft's banner: how many errors (and warnings), and where they are listed."""
        warnings = f"，警告 {len(self.draft.warnings)} 条" if self.draft.warnings else ""
        where = "，详见文末「数据校验」" if self.checks is not None else ""
        return f"（错误 {len(self.draft.errors)} 条{warnings}{where}）"


DRAFT_BANNER = "草稿 — 数据未通过校验，不得发布"
DRAFT_MARK = "草稿"


def report_model(
    by: BureauYear,
    checked: CheckResult | Sequence[Finding] | None = None,
    notes: Iterable[str] = (),
    *,
    text: str | None = None,
) -> Report:
    """The report of ``by``; ``text`` is its filled narrative (filled here when not given, raising
    :class:`~ogi_report.errors.DataError` on an unknown placeholder)."""
    narrative = split_sections(fill(by) if text is None else text, by.format)
    result = checked if isinstance(checked, CheckResult) else None
    findings = checked.findings if isinstance(checked, CheckResult) else checked or ()
    meta = by.meta
    return Report(
        name=meta.name,
        masthead=meta.masthead,
        title=meta.title,
        year=meta.year,
        publish_date=meta.publish_date,
        opening=parse_prose(narrative.opening),
        sections=_sections(by, narrative),
        signature=Signature(meta.signer, chinese_date(meta.publish_date) if meta.publish_date else ""),
        draft=Draft.of(findings),
        checks=Checks(result.outcomes, tuple(n for n in notes if n)) if result is not None else None,
    )


def _sections(by: BureauYear, narrative: Narrative) -> tuple[Section, ...]:
    """The sections in the narrative's order, each official table placed once (see the module)."""
    order = [spec.number for spec in by.format.sections]
    pending = [spec for spec in by.format.sections if spec.table]
    out: list[Section] = []

    def table(spec: SectionSpec) -> Grid | None:
        assert spec.table is not None
        found = by.tables.get(spec.table)
        return table_grid(found) if found is not None else None

    def flush(before: str | None) -> None:
        while pending and (before is None or order.index(pending[0].number) < order.index(before)):
            spec = pending.pop(0)
            out.append(Section(spec.heading, spec.number, parse_prose(""), table(spec)))

    for section in narrative.sections:
        spec = section.spec
        grid = None
        if spec is not None:
            flush(spec.number)
            if spec in pending:
                pending.remove(spec)
                grid = table(spec)
        out.append(Section(section.heading, spec.number if spec else "", parse_prose(section.body), grid))
    flush(None)
    return tuple(out)
