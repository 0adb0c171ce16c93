"""The printed grid: one derivation of every table's spans, and the three renderers following it."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from kit import build_by
from ogi_report.model.bureau import BureauYear, Cell, Meta, PublisherType, Table, complete_table
from ogi_report.model.printed import printed_grid, table_grid
from ogi_report.model.values import Value, format_value
from ogi_report.render.docx.document import render_docx
from ogi_report.render.html.tables import table_html
from ogi_report.spec.formats import FORMAT_V2, FORMATS, Block, CellKind, Column, Layout, Row, TableSpec
from ogi_report.spec.grid import Grid, GridCell, Kind, Stack, build_grid, header_cells
from ogi_report.storage.xlsx import build_workbook, read_workbook, write_workbook
from ogi_report.storage.xlsx.layout import TITLE_ROW, sheet_grid

# A position and its spans: (row, col, rowspan, colspan).
Place = tuple[int, int, int, int]


def covered(grid: Grid) -> Counter[tuple[int, int]]:
    """How many cells cover each position."""
    counts: Counter[tuple[int, int]] = Counter()
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                counts[(r, c)] += 1
    return counts


def assert_rectangular(grid: Grid) -> None:
    """Every position of the rows × cols rectangle covered by exactly one cell, nothing outside."""
    counts = covered(grid)
    every = {(r, c) for r in range(grid.rows) for c in range(grid.cols)}
    assert set(counts) == every, sorted(set(counts) ^ every)
    assert {pos: n for pos, n in counts.items() if n != 1} == {}


def assert_values_once(grid: Grid) -> None:
    """Each declared cell has exactly one value cell, in the declaration's order."""
    keys = [c.key for c in grid.cells if c.kind is Kind.VALUE]
    assert keys == [(row.key, col.key) for _b, row, col in grid.spec.cells()]
    assert all((c.key is None) == (c.kind is not Kind.VALUE) for c in grid.cells)


def one(grid: Grid, text: str) -> GridCell:
    hits = [c for c in grid.cells if c.text == text and c.kind is not Kind.VALUE]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def spans(cell: GridCell) -> tuple[int, int]:
    return cell.rowspan, cell.colspan


# ---------------------------------------------------------------------------------------------
# The official tables.

OFFICIAL = [(fmt, spec.id, stack) for fmt in FORMATS for spec in FORMATS[fmt].tables for stack in Stack]


@pytest.mark.parametrize(("fmt", "table_id", "stack"), OFFICIAL)
def test_official_grids_are_rectangles_holding_every_value_once(
    fmt: str, table_id: str, stack: Stack
) -> None:
    grid = build_grid(FORMATS[fmt].table(table_id), stack=stack)
    assert_rectangular(grid)
    assert_values_once(grid)
    assert grid.rows == 1 + max(c.last_row for c in grid.cells)


@pytest.mark.parametrize(("fmt", "results_rows"), [("2021", 22), ("2019", 20)])
def test_table3_spans_are_the_official_ones(fmt: str, results_rows: int) -> None:
    spec = FORMATS[fmt].table("t3")
    grid = build_grid(spec)
    corner = one(grid, spec.corner)
    assert (corner.kind, corner.row, corner.col, *spans(corner)) == (Kind.CORNER, 0, 0, 3, 3)
    assert spans(one(grid, "申请人情况")) == (1, 7)
    assert spans(one(grid, "法人或其他组织")) == (1, 5)
    assert spans(one(grid, "自然人")) == spans(one(grid, "总计")) == (2, 1)
    assert spans(one(grid, "商业企业")) == (1, 1)
    results = one(grid, "三、本年度办理结果")
    assert (results.kind, results.group, results.col, *spans(results)) == (
        Kind.ROW_LABEL,
        True,
        0,
        results_rows,
        1,
    )
    assert spans(one(grid, "（三）不予公开")) == (8, 1)
    assert spans(one(grid, "一、本年新收政府信息公开申请数量")) == (1, 3)
    assert spans(one(grid, "（七）总计")) == (1, 2)
    assert (grid.header_rows, grid.label_columns, grid.first_value_row) == (3, 3, 3)
    assert (grid.rows, grid.cols) == (3 + len(spec.blocks[0].rows), 10)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_table4_spans_in_both_stacks(fmt: str) -> None:
    spec = FORMATS[fmt].table("t4")
    official, aligned = build_grid(spec), build_grid(spec, stack=Stack.ALIGNED)
    for grid in (official, aligned):
        assert spans(one(grid, "行政复议"))[1] == 5
        assert spans(one(grid, "行政诉讼")) == (1, 10)
        assert spans(one(grid, "未经复议直接起诉")) == spans(one(grid, "复议后起诉")) == (1, 5)
        assert one(grid, "行政复议").kind is Kind.HEADER_LABEL
        assert (grid.header_rows, grid.first_value_row, grid.rows, grid.cols) == (3, 3, 4, 15)
    # Printed: the results under 行政复议 reach the data row; in the Excel form 行政复议 does.
    leaves = [c for c in official.cells if c.kind is Kind.COLUMN_HEADER]
    assert spans(one(official, "行政复议"))[0] == 1
    assert [(c.row, c.rowspan) for c in leaves[:5]] == [(1, 2)] * 5
    assert spans(one(aligned, "行政复议"))[0] == 2
    assert {(c.row, c.rowspan) for c in aligned.cells if c.kind is Kind.COLUMN_HEADER} == {(2, 1)}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_table2_blocks_have_titles_headings_and_spanning_last_columns(fmt: str) -> None:
    spec = FORMATS[fmt].table("t2")
    grid = build_grid(spec)
    width = 1 + max(len(b.columns) for b in spec.blocks)
    assert grid.cols == width and grid.header_rows == 0 and grid.first_value_row == 2
    rows = grid.row_cells()
    r = 0
    for block in spec.blocks:
        (title,) = rows[r]
        assert (title.kind, title.text, *spans(title)) == (Kind.BLOCK_TITLE, block.title, 1, width)
        heading = rows[r + 1]
        assert [c.kind for c in heading] == [Kind.CORNER] + [Kind.COLUMN_HEADER] * len(block.columns)
        assert heading[0].text == block.row_header
        assert heading[-1].colspan == width - len(block.columns)
        for row in block.rows:
            r_cells = rows[r + 2 + block.rows.index(row)]
            assert r_cells[0].text == row.label and r_cells[-1].colspan == width - len(block.columns)
        r += 2 + len(block.rows)
    assert r == grid.rows


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_value_cells_show_the_tables_values_and_mark_totals(fmt: str) -> None:
    by = build_by(fmt)
    for table in by.tables.values():
        grid = table_grid(table)
        for cell in grid.cells:
            if cell.key is not None:
                assert cell.text == format_value(table.get(*cell.key))
                assert cell.total == table.spec.is_total(*cell.key)
        # The positions do not depend on the values.
        assert [c.text for c in build_grid(table.spec).cells if c.key is not None] == [""] * len(table.cells)
    with pytest.raises(ValueError, match="表二"):
        printed_grid(build_grid(by.t3.spec), by.t2)


# ---------------------------------------------------------------------------------------------
# A made-up third generation: other nestings, rendered by every renderer without changes there.

X2 = TableSpec(
    id="t2",
    number="二",
    title="二、虚构的主动公开情况",
    blocks=(
        Block(
            "第一类",
            (
                Column("a", "甲一", path=("甲",)),
                Column("b", "甲二", path=("甲",)),
                Column("c", "乙一", path=("乙",)),
                Column("d", "丙"),
            ),
            (Row("r1", "事项一"), Row("r2", "事项二")),
        ),
        Block(
            "第二类", (Column("amount", "金额", CellKind.DECIMAL),), (Row("r3", "事项三"),), row_header="项目"
        ),
    ),
)
X3 = TableSpec(
    id="t3",
    number="三",
    title="三、虚构的申请情况",
    blocks=(
        Block(
            "",
            (
                Column("p", "个人", path=("申请人", "境内")),
                Column("q", "企业", path=("申请人", "境内", "组织")),
                Column("s", "社团", path=("申请人", "境内", "组织")),
                Column("f", "境外", path=("申请人",)),
                Column("total", "合计", total=True),
            ),
            (
                Row("new", "新收"),
                Row("yes", "公开", ("办结",), in_total=True),
                Row("no.a", "甲项", ("办结", "不公开"), in_total=True),
                Row(
                    "no.b", "乙项", ("办结", "不公开", "细分"), in_total=True
                ),  # deeper than the label columns
                Row("sum", "小计", ("办结",), total=True),
            ),
            row_header="",
        ),
    ),
    corner="（虚构的说明）",
    label_columns=3,
)
X4 = TableSpec(
    id="t4",
    number="四",
    title="四、虚构的复议诉讼情况",
    blocks=(
        Block(
            "复议",
            (Column("won", "胜", path=("结果",)), Column("lost", "败", path=("结果",)), Column("n", "件数")),
            (Row("first", "一审", ("诉讼",)), Row("second", "二审", ("诉讼",))),
            row_header="",
        ),
        Block("其他", (Column("n", "件数"),), (Row("other", "其余"),), row_header=""),
    ),
    layout=Layout.WIDE,
)
MADE_UP = (X2, X3, X4)


def made_up_table(spec: TableSpec) -> Table:
    cells: dict[Cell, Value] = {}
    for n, (_block, row, col) in enumerate(spec.cells()):
        if not (row.total or col.total):
            cells[(row.key, col.key)] = Decimal(f"{n}.5") if col.kind is CellKind.DECIMAL else n + 1
    return complete_table(spec, cells)


def test_made_up_grids_follow_their_nesting() -> None:
    for spec in MADE_UP:
        for stack in Stack:
            grid = build_grid(spec, stack=stack)
            assert_rectangular(grid)
            assert_values_once(grid)
    g2 = build_grid(X2)
    assert (g2.cols, spans(one(g2, "甲")), spans(one(g2, "丙")), spans(one(g2, "金额"))) == (
        5,
        (1, 2),
        (2, 1),
        (1, 4),
    )
    assert spans(one(g2, "事项一")) == (1, 1) and one(g2, "项目").kind is Kind.CORNER
    g3 = build_grid(X3)
    assert spans(one(g3, X3.corner)) == (4, 3)
    assert [spans(one(g3, t)) for t in ("申请人", "境内", "组织", "个人", "境外", "合计")] == [
        (1, 4),
        (1, 3),
        (1, 2),
        (2, 1),
        (3, 1),
        (4, 1),
    ]
    assert [spans(one(g3, t)) for t in ("新收", "办结", "公开", "不公开", "小计")] == [
        (1, 3),
        (4, 1),
        (1, 2),
        (2, 1),
        (1, 2),
    ]
    deep = one(g3, "细分/乙项")  # a path deeper than the label columns joins into the row's own label
    assert (deep.col, deep.group, *spans(deep)) == (2, False, 1, 1)
    assert {c.key for c in g3.cells if c.total} == {(r, "total") for r in ("new", "yes", "no.a", "no.b")} | {
        ("sum", c) for c in ("p", "q", "s", "f", "total")
    }
    g4 = build_grid(X4)
    # 复议/诉讼/一审/结果/胜 is the deepest stack: five header rows above the data row.
    assert (g4.rows, g4.cols, g4.header_rows) == (6, 7, 5)
    assert [(c.text, c.row, *spans(c)) for c in g4.cells if c.kind is Kind.BLOCK_TITLE] == [
        ("复议", 0, 1, 6),
        ("其他", 0, 1, 1),
    ]
    assert spans(one(g4, "诉讼")) == (1, 6) and spans(one(g4, "其余")) == (1, 1)
    assert [spans(c) for c in g4.cells if c.text == "结果"] == [(1, 2), (1, 2)]
    assert [(c.row, *spans(c)) for c in g4.cells if c.text == "件数"] == [(2, 3, 1), (3, 2, 1), (3, 2, 1)]
    a4 = build_grid(X4, stack=Stack.ALIGNED)  # row labels in rows 0–2, column labels in rows 3–4
    assert [(c.row, *spans(c)) for c in a4.cells if c.text == "件数"] == [(3, 2, 1)] * 3
    assert (one(a4, "其余").row, *spans(one(a4, "其余"))) == (1, 2, 1)
    assert (a4.rows, a4.header_rows) == (6, 5)


def html_places(html: str) -> list[tuple[Place, str]]:
    """Each ``th``/``td`` of an HTML table with its position, recovered from rowspan/colspan."""
    table = lxml.html.fromstring(html)
    taken: set[tuple[int, int]] = set()
    out = []
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            while (r, c) in taken:
                c += 1
            rowspan, colspan = int(cell.get("rowspan", "1")), int(cell.get("colspan", "1"))
            taken |= {(r + i, c + j) for i in range(rowspan) for j in range(colspan)}
            out.append(((r, c, rowspan, colspan), cell.text_content()))
            c += colspan
    return out


def docx_places(table: Any) -> list[tuple[Place, str]]:
    """Each cell of a Word table with its position, recovered from gridSpan and vMerge."""
    found: dict[tuple[int, int], list[Any]] = {}
    open_above: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                found[open_above[c]][2] += 1
            else:
                found[(r, c)] = [r, c, 1, tc.grid_span, "".join(t.text or "" for t in tc.iter(qn("w:t")))]
                open_above[c] = (r, c)
            c += tc.grid_span
    return [((r, c, h, w), text) for r, c, h, w, text in found.values()]


def grid_places(grid: Grid) -> list[tuple[Place, str]]:
    return [((c.row, c.col, c.rowspan, c.colspan), c.text) for c in grid.cells]


@pytest.fixture
def made_up_by(monkeypatch: pytest.MonkeyPatch) -> BureauYear:
    """A report whose format declares the made-up tables (the 2021 generation, re-declared)."""
    monkeypatch.setitem(FORMATS, "2021", replace(FORMAT_V2, tables=MADE_UP))
    meta = Meta(
        name="虚构局",
        slug="made-up",
        year=2031,
        publisher_type=PublisherType.DEPARTMENT,
        format_id="2021",
        publish_date=None,
    )
    narrative = "\n\n".join(f"## {s.heading}\n\n本部分。" for s in FORMAT_V2.sections)
    return BureauYear(meta, {spec.id: made_up_table(spec) for spec in MADE_UP}, narrative)


def test_made_up_tables_render_in_html_docx_and_xlsx(made_up_by: BureauYear, tmp_path: Path) -> None:
    by = made_up_by
    grids = [table_grid(by.tables[spec.id]) for spec in MADE_UP]
    for grid in grids:
        assert html_places(table_html(by.tables[grid.spec.id])) == grid_places(grid)
    word = docx.Document(io.BytesIO(render_docx(by))).tables
    assert len(word) == 3
    for grid, table in zip(grids, word, strict=True):
        assert sorted(docx_places(table)) == sorted(grid_places(grid))
    workbook = build_workbook(by)
    for spec in MADE_UP:
        grid = sheet_grid(spec)
        ws = workbook[spec.name]
        expected = {
            f"{ws.cell(TITLE_ROW + 1 + c.row, 1 + c.col).coordinate}:"
            f"{ws.cell(TITLE_ROW + 1 + c.last_row, 1 + c.last_col).coordinate}"
            for c in grid.cells
            if c.rowspan > 1 or c.colspan > 1
        }
        assert expected <= {str(r) for r in ws.merged_cells.ranges}
        for cell in grid.cells:
            if cell.key is None:
                assert ws.cell(TITLE_ROW + 1 + cell.row, 1 + cell.col).value == cell.text
    path = tmp_path / "made-up.xlsx"
    write_workbook(by, path)
    back = read_workbook(path)
    for spec in MADE_UP:
        assert dict(back.tables[spec.id].cells) == dict(by.tables[spec.id].cells)


def test_an_empty_band_lends_its_rows_to_the_next_label() -> None:
    row, col = Kind.HEADER_LABEL, Kind.COLUMN_HEADER
    cells = header_cells([((), (("甲", col),)), ((("乙", row),), (("丙", col),))], stack=Stack.ALIGNED)
    assert [(c.text, c.row, c.col, c.rowspan, c.group) for c in cells] == [
        ("甲", 0, 0, 2, False),
        ("乙", 0, 1, 1, True),
        ("丙", 1, 1, 1, False),
    ]
