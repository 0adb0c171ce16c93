"""The runner stamps each rule's declared id and severity on everything its check found."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kit import build_by, next_year, with_cells
from ogi_report.checks.declaration import Context, Found, Rule, rule
from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.registry import RULES
from ogi_report.checks.runner import check, run_rule, stamp
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.ids import RuleId


def bump(by: BureauYear, table: str, *cells: tuple[str, str]) -> BureauYear:
    """``by`` with each of ``cells`` one more, totals left as they were."""
    return with_cells(by, table, {cell: by.tables[table].number(*cell) + 1 for cell in cells})


@rule(RuleId.T4, Severity.INFO, "一条试验规则", "只用于测试：报出两处。")
def _two_notes(ctx: Context) -> Iterator[Found]:
    yield Found("第一处", table="表四", row="行政复议", column="总计", found="1", expected="0")
    yield Found("第二处")


def test_findings_carry_the_declared_id_and_severity() -> None:
    outcome = run_rule(_two_notes, Context(build_by(), ""))
    assert outcome.applicable and not outcome.passed
    assert outcome.findings == (
        Finding(RuleId.T4, Severity.INFO, "第一处", "表四", "行政复议", "总计", "1", "0"),
        Finding(RuleId.T4, Severity.INFO, "第二处"),
    )


def test_stamp_keeps_everything_found() -> None:
    found = Found("信息", table="表三", row="行", column="列", found="2", expected="3")
    finding = stamp(RULES[RuleId.T3_A], found)
    assert (finding.rule, finding.severity) == (RuleId.T3_A, Severity.ERROR)
    assert (finding.message, finding.table, finding.row, finding.column, finding.found, finding.expected) == (
        "信息", "表三", "行", "列", "2", "3",
    )  # fmt: skip


def test_every_finding_of_a_real_check_has_its_rules_id_and_severity() -> None:
    by = with_cells(build_by(), "t4", {("review", "upheld"): None, ("review", "total"): 9})
    by = with_cells(by, "t3", {("new", "natural_person"): -1})
    result = check(by)
    assert {f.rule for f in result.findings} >= {RuleId.T4, RuleId.BLANK, RuleId.N, RuleId.T3_A}
    for outcome in result.outcomes:
        for finding in outcome.findings:
            assert finding.rule is outcome.rule.id
            assert finding.severity is outcome.rule.severity


def test_a_rule_needing_last_year_is_not_applicable_without_it() -> None:
    outcome = run_rule(RULES[RuleId.X_1], Context(build_by(), ""))
    assert (outcome.applicable, outcome.passed, outcome.findings) == (False, False, ())


def test_rule_declaration_is_a_rule() -> None:
    assert isinstance(_two_notes, Rule)
    assert (_two_notes.id, _two_notes.severity, _two_notes.needs_previous) == (
        RuleId.T4,
        Severity.INFO,
        False,
    )


def test_findings_state_found_and_expected() -> None:
    by = bump(build_by(), "t3", ("granted", "commercial"), ("granted", "total"))
    first = check(by).errors[0]
    assert (first.rule, first.column, first.found, first.expected) == ("T3-B", "商业企业", "12", "13")
    assert "表三 / 行「三、本年度办理结果/（七）总计」 / 列「商业企业」" in str(first)
    assert first.to_dict()["severity"] == "error"


def test_cross_year_rules_need_previous_year() -> None:
    result = check(build_by())
    skipped = {o.rule.id for o in result.outcomes if not o.applicable}
    assert skipped == {"X-1", "X-2", "COPY"}


def test_previous_year_of_another_body_is_refused() -> None:
    prev = build_by(slug="other-body")
    with pytest.raises(DataError, match="上年数据应为 test-bureau 的 2021 年"):
        check(next_year(build_by()), prev)


def test_findings_are_collected_not_stopped_at_first() -> None:
    by = bump(build_by(), "t4", ("review", "total"), ("litigation_direct", "total"))
    by = with_cells(by, "t2", {("licensing", "decisions"): -1})
    assert [f.rule for f in check(by).findings] == ["T4", "T4", "N"]
