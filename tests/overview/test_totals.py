"""The overview's numbers against hand sums of the synthetic city (plain loops over its JSON dicts)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from kit import build_by
from ogi_report.overview.collect import RootData, read_root
from ogi_report.overview.model import BodyState, YearOverview, build_overview
from ogi_report.overview.totals import sum_tables
from ogi_report.spec.formats import FORMAT_V2, TableId
from overview.citykit import COLUMNS, T4_COLUMNS, T4_ROWS, YEAR, YEARS, City


@pytest.fixture(scope="module")
def data(city: City) -> RootData:
    return read_root(city.root)


@pytest.fixture(scope="module")
def overview(data: RootData) -> YearOverview:
    return build_overview(data, YEAR)


def hand(dicts: Iterator[dict[str, Any]], table: str, row: str, col: str) -> int:
    total = 0
    for d in dicts:
        value = d[table][row][col]
        total += value or 0  # a blank counts as 0
    return total


def row_total(d: dict[str, Any], row: str) -> int:
    return sum(d["t3"][row][c] for c in COLUMNS)


def test_table_three_totals_are_hand_sums(city: City, overview: YearOverview) -> None:
    t3 = overview.totals[TableId.T3]
    for row in ("new", "granted", "partly_granted", "refused.third_party", "unable.not_held", "other.other"):
        for col in COLUMNS:
            assert t3.get(row, col) == hand(city.filed(YEAR), "t3", row, col), (row, col)
        assert t3.get(row, "total") == sum(row_total(d, row) for d in city.filed(YEAR))
    results = [r.key for _b, r in t3.spec.rows() if r.in_total]
    assert t3.get("total", "total") == sum(row_total(d, r) for d in city.filed(YEAR) for r in results)


def test_table_four_and_two_totals_are_hand_sums(city: City, overview: YearOverview) -> None:
    t4 = overview.totals[TableId.T4]
    for row in T4_ROWS:
        for col in T4_COLUMNS:
            assert t4.get(row, col) == hand(city.filed(YEAR), "t4", row, col), (row, col)
        assert t4.get(row, "total") == sum(
            (d["t4"][row][c] or 0) for d in city.filed(YEAR) for c in T4_COLUMNS
        )
    t2 = overview.totals[TableId.T2]
    assert t2.get("licensing", "decisions") == sum(d["t2"]["licensing"] for d in city.filed(YEAR))
    assert t2.get("fees_10k_yuan", "amount") == Decimal("0.25") * len(list(city.filed(YEAR)))


def test_key_figures_are_hand_sums(city: City, overview: YearOverview) -> None:
    filed = list(city.filed(YEAR))
    assert overview.figure("new") == sum(row_total(d, "new") for d in filed)
    assert overview.figure("granted") == sum(row_total(d, "granted") for d in filed)
    refused = [f"refused.{k}" for k in ("state_secret", "third_party")]
    assert overview.figure("refused") == sum(row_total(d, r) for d in filed for r in refused)
    review = sum((d["t4"]["review"][c] or 0) for d in filed for c in T4_COLUMNS)
    litigation = sum((d["t4"][r][c] or 0) for d in filed for r in T4_ROWS[1:] for c in T4_COLUMNS)
    corrected = sum(d["t4"][r]["corrected"] for d in filed for r in T4_ROWS)
    assert (overview.figure("review"), overview.figure("litigation")) == (review, litigation)
    assert overview.figure("correction_rate") == pytest.approx(corrected / (review + litigation))
    for year in YEARS:  # year over year: every year of the data, summed the same way
        dicts = list(city.filed(year))
        assert overview.history.loc[year, "new"] == sum(row_total(d, "new") for d in dicts)
        assert overview.history.loc[year, "bodies"] == len(dicts)
    per_body = overview.figures.loc[("b06", 2022), "new"]
    assert per_body == row_total(city.written[("b06", 2022)], "new")


def test_statuses_not_filed_late_drafts_and_unreadable(overview: YearOverview) -> None:
    states = {b.slug: b.state for b in overview.bodies}
    assert len(states) == 14
    assert [b.slug for b in overview.in_state(BodyState.NOT_FILED)] == ["b12", "b13"]
    assert [b.slug for b in overview.in_state(BodyState.FAILED)] == ["b14"]
    # b04 has check errors; b08 has no publish date, which makes a report a draft (rule DRAFT).
    assert [b.slug for b in overview.in_state(BodyState.DRAFT)] == ["b04", "b08"]
    assert [b.slug for b in overview.late] == ["b03", "b07"]  # b05 (government, March) is on time
    assert [b.slug for b in overview.undated] == ["b08"]
    assert [b.slug for b in overview.in_totals] == [f"b{i:02d}" for i in range(1, 12)]  # the draft counted
    b14 = next(b for b in overview.bodies if b.slug == "b14")
    assert b14.name == "示范市第14局" and "table3.csv" in b14.message


def test_rule_counts_name_the_bodies(overview: YearOverview) -> None:
    counts = overview.rule_counts().set_index("rule")
    assert counts.loc["BLANK", "bodies"] == 1 and counts.loc["BLANK", "names"] == "示范市第4局"
    assert counts.loc["DATE", "findings"] == 3  # two late, one without a date


def test_a_selection_narrows_every_number(data: RootData, city: City) -> None:
    some = build_overview(data, YEAR, ("b0[1-3]",))
    assert [b.slug for b in some.bodies] == ["b01", "b02", "b03"]
    dicts = [city.written[(f"b0{i}", YEAR)] for i in (1, 2, 3)]
    assert some.figure("new") == sum(row_total(d, "new") for d in dicts)


def test_blank_cells_count_as_zero_and_stay_blank_only_when_blank_everywhere() -> None:
    spec = FORMAT_V2.table(TableId.T4)
    one = build_by(slug="one").t4.replace({("review", "pending"): None, ("review", "other"): None})
    two = build_by(slug="two").t4.replace({("review", "pending"): None, ("review", "other"): 4})
    summed = sum_tables(spec, [one, two])
    assert summed.get("review", "pending") is None  # blank in every table: still blank
    assert summed.get("review", "other") == 4  # blank + 4
    assert summed.get("review", "upheld") == one.get("review", "upheld") + two.get("review", "upheld")
    empty = build_overview(RootData(), YEAR)
    assert empty.bodies == () and empty.figure("new") == 0.0
