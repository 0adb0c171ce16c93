"""The overview with a compiled government (全市汇总) and 重复率: the compiled body is marked and not
counted twice, its members name it, and every body with last year's data has its 重复率."""

from __future__ import annotations

from pathlib import Path

import pytest
from compiling.citykit import CITY, MEMBERS, DemoCity, build_demo_city
from ogi_report.checks.copying import THRESHOLD
from ogi_report.compiling import compile_government
from ogi_report.overview.blocks import Chart, DataTable
from ogi_report.overview.collect import read_root
from ogi_report.overview.document import document, status_table
from ogi_report.overview.model import YearOverview, build_overview
from ogi_report.spec.ids import TableId
from ogi_report.storage.folder import NARRATIVE_FILE
from ogi_report.storage.workspace import Workspace

COPIER = "demo-d07"  # wrote 2023's narrative again in 2024


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoCity, YearOverview]:
    city = build_demo_city(tmp_path_factory.mktemp("demo"))
    last = (city.folder(COPIER, 2023) / NARRATIVE_FILE).read_text("utf-8")
    (city.folder(COPIER, 2024) / NARRATIVE_FILE).write_text(last, "utf-8")
    for year in (2023, 2024):
        compile_government(Workspace(city.root), CITY, year)
    return city, build_overview(read_root(city.root), 2024)


def test_the_compiled_body_is_marked_and_not_counted_twice(demo: tuple[DemoCity, YearOverview]) -> None:
    city, overview = demo
    government = next(b for b in overview.bodies if b.slug == CITY)
    assert government.compiled and government.compiled_from == MEMBERS and not government.in_totals
    assert "由 12 个成员汇总" in government.message
    assert [b.slug for b in overview.in_totals] == sorted(MEMBERS)
    assert {b.compiled_into for b in overview.bodies if b.slug != CITY} == {"示范市人民政府"}
    new = sum(v for d in city.of_year(2024) for v in d["t3"]["new"].values())
    assert overview.totals[TableId.T3].number("new", "total") == new  # the members only, once
    assert overview.figure("new") == new
    assert CITY not in overview.this_year.index


def test_every_body_with_last_year_has_its_copy_rate(demo: tuple[DemoCity, YearOverview]) -> None:
    _city, overview = demo
    rates = {b.slug: b.copy_rate for b in overview.bodies}
    assert rates[COPIER] == pytest.approx(1.0)
    assert all(r is not None and r < THRESHOLD for s, r in rates.items() if s != COPIER)
    assert overview.copy_rates[0].slug == COPIER


def test_the_status_table_and_a_chart_show_the_copy_rate(demo: tuple[DemoCity, YearOverview]) -> None:
    _city, overview = demo
    table = status_table(overview)
    column = table.headers.index("重复率")
    by_name = {row[0].text: row for row in table.rows}
    assert by_name["示范市第7局"][column].text == "100%"
    assert by_name["示范市人民政府（汇总）"][-1].text.startswith("汇总报告")
    assert by_name["示范市第1局"][-1].text == "计入「示范市人民政府」的汇总报告"
    chart = next(b for b in document(overview).blocks if isinstance(b, Chart) and b.key == "copy-rates")
    assert "<svg" in chart.svg and isinstance(chart.numbers, DataTable)
    assert chart.numbers.rows[0][0].text == "示范市第7局" and chart.numbers.rows[0][2].text == "是"


def test_no_chart_without_last_year(tmp_path: Path) -> None:
    city = build_demo_city(tmp_path)
    overview = build_overview(read_root(city.root, years=[2023]), 2023)
    assert all(b.copy_rate is None for b in overview.bodies)
    assert not any(isinstance(b, Chart) and b.key == "copy-rates" for b in document(overview).blocks)
