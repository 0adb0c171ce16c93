"""T3-HINT: one wrong cell among totals that are filled in is named, whichever cell it is."""

from __future__ import annotations

from dataclasses import replace

import pytest
from kit import build_by
from ogi_report.checks.cause import culprits, equations
from ogi_report.checks.runner import check
from ogi_report.model.bureau import BureauYear, Table
from ogi_report.spec.ids import RuleId


def with_given_totals(fmt: str) -> BureauYear:
    """A balanced bureau-year whose table 三 totals are all typed in (as a published report prints them)."""
    by = build_by(fmt)
    return replace(by, tables={**by.tables, "t3": Table(by.t3.spec, by.t3.cells)})


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_every_cell_is_found_when_it_alone_is_wrong(fmt: str) -> None:
    by = with_given_totals(fmt)
    assert check(by).errors == ()
    for _block, row, col in by.t3.spec.cells():
        cell = (row.key, col.key)
        wrong = replace(by, tables={**by.tables, "t3": by.t3.replace({cell: by.t3.number(*cell) + 2})})
        result = check(wrong)
        t3_errors = [f for f in result.errors if f.rule in ("T3-A", "T3-B", "T3-C")]
        assert len(t3_errors) >= 2, cell  # several errors for one typo: what the hint is for
        (hint,) = [f for f in result.findings if f.rule == RuleId.T3_HINT]
        assert (hint.row, hint.column) == (row.display_label, col.label), cell
        assert hint.expected == str(by.t3.number(*cell)) and "多 2" in hint.message
        assert "可以留空" in hint.message  # the given totals are what multiplied the errors


def test_two_wrong_cells_are_not_blamed_on_one() -> None:
    by = with_given_totals("2021")
    t3 = by.t3.replace({("granted", "natural_person"): 9, ("new", "research"): 0})
    broken = [e for e in equations(t3) if e.residual(t3) != 0]
    assert len(broken) >= 4 and culprits(t3, broken) == []
    (hint,) = [f for f in check(replace(by, tables={**by.tables, "t3": t3})).findings if f.rule == "T3-HINT"]
    assert hint.row == "" and "不能由单个单元格解释" in hint.message


def test_a_short_cell_is_said_to_be_short() -> None:
    by = with_given_totals("2021")
    t3 = by.t3.replace({("granted", "commercial"): by.t3.number("granted", "commercial") - 1})
    (hint,) = [f for f in check(replace(by, tables={**by.tables, "t3": t3})).findings if f.rule == "T3-HINT"]
    assert "少 1" in hint.message and hint.column == "商业企业"
