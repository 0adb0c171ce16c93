"""The real-report corpus: each published report imported as found, against values typed by hand.

Every case is a source file kept unchanged in ``tests/fixtures/corpus`` (or one of the shared 洪泽
PDFs in ``tests/fixtures/reports``) with a sidecar holding tables 三 and 四 transcribed by hand from
the source, the layout table 三 is printed in, the body's name as the report states it, and the rule
ids a careful person reports as errors (provenance: ``tests/fixtures/README.md``).  Each thing is its
own test, so a failure names what is wrong: every table 三/四 cell, the layout, the name and year
found without ``--name``/``--year``, and ``check``'s error rule ids.

Some sources run a row's numbers together (「801000081」, page text flattened by a crawler): no reader
can split those without guessing, so for them the test is that nothing is guessed — every cell filled
in is right and the cells left unread are reported as unread (IMPORT), never as blank.

What the importer or ``check`` does not do yet is marked ``xfail(strict=True)`` in
:data:`KNOWN_FAILURES`, with the failure pattern: the mark fails loudly once fixed, and must then go.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from kit import FIXTURES
from ogi_report.checks.runner import check
from ogi_report.errors import DataError
from ogi_report.importers import ImportOptions, import_report
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.ids import TableId

CORPUS = FIXTURES / "corpus"
HONGZE = FIXTURES / "reports" / "hongze-expected.json"
SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


@dataclass(frozen=True)
class Case:
    """One real report: where its source is, and what a person read in it."""

    id: str
    source: Path
    expected: dict[str, Any]

    @property
    def cells_separated(self) -> bool:
        """False when the source runs a row's cells together (「801000081」): no reader can split them."""
        return bool(self.expected.get("cells_separated", True))

    def verdict(self) -> set[str]:
        """The rule ids a person reports as errors (a list, or a mapping rule id → reason)."""
        return set(self.expected["verdict"])

    def expected_errors(self) -> set[str]:
        """The verdict, plus IMPORT where the source as found lost cells a reader must leave unread."""
        return self.verdict() | set(self.expected.get("unreadable", {}))

    def cells(self) -> Iterator[tuple[TableId, str, str, int | None]]:
        """Every hand-typed cell of tables 三 and 四: (table, row, column, value or None for blank)."""
        for table_id, key in ((TableId.T3, "table3"), (TableId.T4, "table4")):
            for row, columns in self.expected[key].items():
                for column, value in columns.items():
                    yield table_id, row, column, value


def _corpus_cases() -> list[Case]:
    cases = []
    for sidecar in sorted(CORPUS.glob("*.json")):
        sources = [p for p in CORPUS.glob(sidecar.stem + ".*") if p.suffix in SOURCE_SUFFIXES]
        assert len(sources) == 1, f"{sidecar.name}: expected one source file, found {sources}"
        cases.append(Case(sidecar.stem, sources[0], json.loads(sidecar.read_text(encoding="utf-8"))))
    hongze = json.loads(HONGZE.read_text(encoding="utf-8"))
    for stem, expected in sorted(hongze.items()):
        cases.append(Case(stem, FIXTURES / "reports" / f"{stem}.pdf", expected))
    return cases


CASES = {case.id: case for case in _corpus_cases()}
SEPARATED = [case_id for case_id, case in CASES.items() if case.cells_separated]
RUN_TOGETHER = [case_id for case_id, case in CASES.items() if not case.cells_separated]

# What the importer or check gets wrong today (the corpus was added on 2026-12-07).
KNOWN_FAILURES: dict[tuple[str, str], str] = {}  # every corpus case passes today


def _params(case_ids: list[str], aspect: str) -> list[Any]:
    params = []
    for case_id in case_ids:
        reason = KNOWN_FAILURES.get((case_id, aspect))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case_id, marks=marks, id=case_id))
    return params


@cache
def imported(case_id: str) -> BureauYear:
    """The case's source imported as a new user would: no --name, no --year, no --type."""
    return import_report(CASES[case_id].source, ImportOptions(slug="corpus")).by


def test_the_corpus_is_varied_and_every_sidecar_is_complete() -> None:
    assert len(CASES) >= 17
    for case in CASES.values():
        assert case.expected["format"] in ("2019", "2021"), case.id
        rows = 25 if case.expected["format"] == "2021" else 23
        assert len(case.expected["table3"]) == rows, case.id
        assert sum(1 for _ in case.cells()) == rows * 7 + 15, case.id
    assert {".txt", ".md", ".html", ".pdf", ".docx"} <= {case.source.suffix for case in CASES.values()}
    assert {c.expected["format"] for c in CASES.values()} == {"2019", "2021"}
    assert {c.expected["type"] for c in CASES.values()} == {"department", "government"}
    assert SEPARATED and RUN_TOGETHER
    assert [k for k in KNOWN_FAILURES if k[0] not in CASES] == []


@pytest.mark.parametrize("case_id", _params(SEPARATED, "cells"))
def test_every_table_cell_equals_the_hand_transcription(case_id: str) -> None:
    by = imported(case_id)
    cells = list(CASES[case_id].cells())
    wrong = {
        f"{table_id}:{row}.{column}": (got, value)
        for table_id, row, column, value in cells
        if (got := by.tables[table_id].cells.get((row, column), "missing")) != value
    }
    assert not wrong, f"{len(cells) - len(wrong)}/{len(cells)} cells right; (got, expected): {wrong}"


@pytest.mark.parametrize("case_id", RUN_TOGETHER)
def test_cells_run_together_are_left_unread_not_guessed(case_id: str) -> None:
    """Where the source runs a row's numbers together, no cell may be filled by guessing a split.

    A row is read only where its digits split one way (no figure has a leading zero: 「0000000」 is
    seven zeros); refusing the file is acceptable; so is reading what is separated.
    A cell filled in must equal the hand transcription, and cells left unread are reported as such
    (IMPORT), never as cells the report left blank (BLANK).
    """
    case = CASES[case_id]
    try:
        by = imported(case_id)
    except DataError:
        return
    cells = list(case.cells())
    wrong = {
        f"{table_id}:{row}.{column}": (got, value)
        for table_id, row, column, value in cells
        if (got := by.tables[table_id].cells.get((row, column))) is not None and got != value
    }
    assert not wrong, f"cells filled with a guessed split, (got, expected): {wrong}"
    if any(by.tables[table_id].cells.get((row, column)) is None for table_id, row, column, _ in cells):
        rules = {f.rule for f in check(by).errors}
        assert "IMPORT" in rules and "BLANK" not in rules, rules


@pytest.mark.parametrize("case_id", _params(list(CASES), "format"))
def test_the_layout_is_detected_as_printed(case_id: str) -> None:
    assert imported(case_id).meta.format_id == CASES[case_id].expected["format"]


@pytest.mark.parametrize("case_id", _params(list(CASES), "name"))
def test_the_name_and_year_are_found_without_being_given(case_id: str) -> None:
    case = CASES[case_id]
    meta = imported(case_id).meta
    assert (meta.name, meta.year) == (case.expected["name"], case.expected["year"])


@pytest.mark.parametrize("case_id", _params(SEPARATED, "verdict"))
def test_check_reports_the_errors_a_person_reports(case_id: str) -> None:
    result = check(imported(case_id))
    assert {f.rule for f in result.errors} == CASES[case_id].expected_errors(), [
        str(f) for f in result.errors
    ]
