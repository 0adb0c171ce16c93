"""Helpers for the Word tests: open a document, read its text, rebuild its tables' merged cells."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from kit import build_by
from ogi_report.model.bureau import BureauYear, Cell, Table
from ogi_report.model.values import Value
from ogi_report.spec.formats import CellKind, TableSpec


@dataclass(frozen=True)
class Merged:
    """A cell as Word stores it: top-left grid position, spans (from gridSpan / vMerge) and text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def merged_cells(table: Any) -> list[Merged]:
    """Rebuild every cell's spans from the table XML, independently of python-docx's cell API."""
    origins: dict[tuple[int, int], list[Any]] = {}
    open_above: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if tc.vMerge == "continue":
                origin = open_above[c]
                origins[origin][2] = r - origin[0] + 1
            else:
                origins[(r, c)] = [r, c, 1, span, text]
                if tc.vMerge == "restart":
                    open_above[c] = (r, c)
                else:
                    open_above.pop(c, None)
            c += span
    return [Merged(*values) for values in origins.values()]


def find(cells: list[Merged], text: str) -> Merged:
    hits = [m for m in cells if m.text == text]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def open_docx(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def body_texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def distinct_table(spec: TableSpec) -> Table:
    """Every cell a different number, so a value printed in the wrong cell is caught."""
    cells: dict[Cell, Value] = {}
    for n, (_block, row, col) in enumerate(spec.cells(), start=1):
        cells[(row.key, col.key)] = n * 7 if col.kind is not CellKind.DECIMAL else None
    return Table(spec, cells)


def distinct_by(fmt_id: str) -> BureauYear:
    by = build_by(fmt_id)
    return replace(by, tables={spec.id: distinct_table(spec) for spec in by.format.tables})
