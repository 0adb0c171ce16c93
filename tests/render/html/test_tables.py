"""Tables 二/三/四 as HTML: the official spans, derived from the declarations, and the values in place."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import lxml.html
import pandas as pd
import pytest
from ogi_report.model.bureau import Cell, Table
from ogi_report.model.printed import table_grid
from ogi_report.model.values import Value
from ogi_report.render.html.tables import table_html
from ogi_report.spec.formats import FORMATS, CellKind, TableSpec


def numbered(spec: TableSpec) -> Table:
    """Every cell a different number (1, 2, 3 … in declaration order), so a misplaced one shows."""
    cells: dict[Cell, Value] = {}
    for i, (_block, row, col) in enumerate(spec.cells(), start=1):
        cells[(row.key, col.key)] = Decimal(f"{i}.25") if col.kind is CellKind.DECIMAL else i
    return Table(spec, cells)


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html)


def header(table: lxml.html.HtmlElement, text: str, nth: int = 0) -> lxml.html.HtmlElement:
    cells = [th for th in table.iter("th") if th.text_content() == text]
    assert cells, f"no header cell 「{text}」"
    return cells[nth]


def spans(cell: lxml.html.HtmlElement) -> tuple[int, int]:
    return int(cell.get("rowspan", "1")), int(cell.get("colspan", "1"))


def grid(rows: list[lxml.html.HtmlElement]) -> list[list[str]]:
    """The rows expanded into a rectangle of cell texts (a spanning cell fills every slot it covers).

    Fails when two cells overlap or when the rows do not all come out the same width.
    """
    filled: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            while (r, c) in filled:
                c += 1
            rowspan, colspan = spans(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    assert (r + dr, c + dc) not in filled, f"overlap at row {r + dr} column {c + dc}"
                    filled[(r + dr, c + dc)] = cell.text_content()
            c += colspan
    height = len(rows)
    width = 1 + max(c for _r, c in filled)
    assert all((r, c) in filled for r in range(height) for c in range(width)), "ragged rows"
    return [[filled[(r, c)] for c in range(width)] for r in range(height)]


@pytest.mark.parametrize(("fmt", "results_rows", "body_rows"), [("2021", 22, 25), ("2019", 20, 23)])
def test_table3_headers_carry_the_official_spans(fmt: str, results_rows: int, body_rows: int) -> None:
    spec = FORMATS[fmt].table("t3")
    table = parse(table_html(numbered(spec)))
    assert spans(header(table, spec.corner)) == (3, 3)
    assert spans(header(table, "申请人情况")) == (1, 7)
    assert spans(header(table, "法人或其他组织")) == (1, 5)
    assert spans(header(table, "自然人")) == (2, 1)
    assert spans(header(table, "总计")) == (2, 1)
    assert spans(header(table, "商业企业")) == (1, 1)
    assert spans(header(table, "三、本年度办理结果")) == (results_rows, 1)
    assert spans(header(table, "一、本年新收政府信息公开申请数量")) == (1, 3)
    assert spans(header(table, "（一）予以公开")) == (1, 2)
    assert spans(header(table, "（三）不予公开")) == (8, 1)
    assert spans(header(table, "（四）无法提供")) == (3, 1)
    assert spans(header(table, "（五）不予处理")) == (5, 1)
    assert spans(header(table, "（七）总计")) == (1, 2)
    other = header(table, "（六）其他处理")
    assert spans(other) == ((3, 1) if fmt == "2021" else (1, 2))
    head = table.findall("thead/tr")
    body = table.findall("tbody/tr")
    assert len(head) == 3
    assert len(body) == body_rows
    assert {len(row) for row in grid(head + body)} == {10}


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_table3_values_sit_under_their_row_and_column(fmt: str) -> None:
    spec = FORMATS[fmt].table("t3")
    data = numbered(spec)
    table = parse(table_html(data))
    rows = grid(table.findall("thead/tr") + table.findall("tbody/tr"))
    block = spec.blocks[0]
    for r, row in enumerate(block.rows):
        printed = rows[3 + r]
        assert printed[2] == row.label
        assert printed[3:] == [str(data.get(row.key, c.key)) for c in block.columns]
        assert rows[2][3:] == [c.label for c in block.columns]


def test_table4_two_level_header_and_one_row_of_fifteen() -> None:
    spec = FORMATS["2021"].table("t4")
    data = numbered(spec)
    table = parse(table_html(data))
    assert spans(header(table, "行政复议")) == (1, 5)
    assert spans(header(table, "行政诉讼")) == (1, 10)
    assert spans(header(table, "未经复议直接起诉")) == (1, 5)
    assert spans(header(table, "复议后起诉")) == (1, 5)
    assert spans(header(table, "结果维持", 0)) == (2, 1)  # under 行政复议: down to the last header row
    assert spans(header(table, "结果维持", 1)) == (1, 1)
    rows = grid(table.findall("thead/tr") + table.findall("tbody/tr"))
    assert len(rows) == 4 and len(rows[0]) == 15
    assert rows[3] == [str(v) for v in range(1, 16)]
    assert rows[1][5:10] == ["未经复议直接起诉"] * 5


def test_table4_is_the_same_in_both_generations() -> None:
    v2 = table_html(numbered(FORMATS["2021"].table("t4")))
    assert table_html(numbered(FORMATS["2019"].table("t4"))) == v2


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_table2_blocks_have_a_title_row_a_header_row_and_spanning_last_cells(fmt: str) -> None:
    spec = FORMATS[fmt].table("t2")
    data = numbered(spec)
    table = parse(table_html(data))
    width = 1 + max(len(b.columns) for b in spec.blocks)
    rows = table.findall("tbody/tr")
    assert {len(r) for r in grid(rows)} == {width}
    i = 0
    for block in spec.blocks:
        (title,) = rows[i]
        assert title.text_content() == block.title and spans(title) == (1, width)
        head = rows[i + 1]
        assert [c.text_content() for c in head] == [block.row_header, *(c.label for c in block.columns)]
        assert spans(head[-1]) == (1, width - len(block.columns))
        for k, row in enumerate(block.rows):
            cells = rows[i + 2 + k]
            assert cells[0].text_content() == row.label
            assert [c.text_content() for c in cells[1:]] == [
                str(data.get(row.key, c.key)) for c in block.columns
            ]
            assert spans(cells[-1]) == (1, width - len(block.columns))
        i += 2 + len(block.rows)
    assert i == len(rows)


def test_numbers_zero_blank_and_exact_decimals() -> None:
    spec = FORMATS["2021"].table("t2")
    data = numbered(spec).replace(
        {
            ("licensing", "decisions"): 0,
            ("punishment", "decisions"): None,
            ("fees_10k_yuan", "amount"): Decimal("24252.311082"),
        }
    )
    table = parse(table_html(data))
    by_label = {tr[0].text_content(): tr for tr in table.iter("tr") if len(tr) > 1 and tr[1].tag == "td"}
    assert by_label["行政许可"][1].text_content() == "0"
    blank = by_label["行政处罚"][1]
    assert blank.text_content() == "" and "ogi-blank" in blank.get("class", "")
    assert by_label["行政事业性收费"][1].text_content() == "24252.311082"
    assert all("ogi-num" in td.get("class", "") for td in table.iter("td"))


def test_v1_signed_change_is_printed_with_its_sign() -> None:
    spec = FORMATS["2019"].table("t2")
    table = parse(table_html(numbered(spec).replace({("licensing", "change"): -3})))
    row = next(tr for tr in table.iter("tr") if tr[0].text_content() == "行政许可")
    assert [td.text_content() for td in row[1:]][1] == "-3"


def test_pandas_reads_table3_values() -> None:
    spec = FORMATS["2021"].table("t3")
    data = numbered(spec)
    frame = pd.read_html(StringIO(table_html(data)))[0]
    assert frame.shape == (25, 10)
    block = spec.blocks[0]
    assert [int(v) for v in frame.iloc[0, 3:]] == [int(data.get("new", c.key) or 0) for c in block.columns]
    assert [int(v) for v in frame.iloc[-1, 3:]] == [
        int(data.get("carried_forward", c.key) or 0) for c in block.columns
    ]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_a_table_and_its_printed_grid_give_the_same_html(fmt: str) -> None:
    for spec in FORMATS[fmt].tables:
        table = numbered(spec).replace({next((r.key, c.key) for _b, r, c in spec.cells()): None})
        assert table_html(table_grid(table)) == table_html(table)
