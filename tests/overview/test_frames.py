"""The frames: the long form with its cell states, the wide views of 三 and 四, findings, a data root."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
from kit import build_by, with_cells
from ogi_report.checks.runner import check
from ogi_report.overview.collect import read_root, root_frame
from ogi_report.overview.frames import (
    FINDING_COLUMNS,
    LONG_COLUMNS,
    CellState,
    bureau_frame,
    findings_frame,
    long_frame,
    wide_t3,
    wide_t4,
)
from overview.citykit import City, t3_json


def cell(frame: pd.DataFrame, table: str, row: str, column: str) -> pd.Series:
    hit = frame[(frame["table"] == table) & (frame["row_key"] == row) & (frame["column_key"] == column)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_long_frame_has_one_row_per_cell_with_labels_and_states() -> None:
    by = build_by()  # totals left out: computed by the kit
    by = with_cells(by, "t4", {("review", "pending"): None})  # printed blank
    frame = bureau_frame(by)
    assert tuple(frame.columns) == LONG_COLUMNS
    cells = sum(len(list(t.spec.cells())) for t in by.tables.values())
    assert len(frame) == cells
    given = cell(frame, "t3", "granted", "natural_person")
    assert (given["value"], given["state"]) == (5.0, "given")
    assert given["row_label"] == "（一）予以公开" and given["column_label"] == "自然人"
    assert given["body"] == "test-bureau" and given["name"] == "测试市测试局" and given["year"] == 2021
    total = cell(frame, "t3", "total", "total")
    assert total["state"] == "computed" and total["value"] == float(by.t3.number("total", "total"))
    blank = cell(frame, "t4", "review", "pending")
    assert blank["state"] == "blank" and math.isnan(blank["value"])
    fee = cell(frame, "t2", "fees_10k_yuan", "amount")
    assert fee["value"] == 24252.311082  # an amount keeps its decimals
    assert set(frame["state"].astype(str)) == {s.value for s in CellState}


def test_a_given_total_is_given_not_computed() -> None:
    by = with_cells(build_by(), "t3", {("total", "natural_person"): 999})
    row = cell(bureau_frame(by), "t3", "total", "natural_person")
    assert (row["value"], row["state"]) == (999.0, "given")


def test_wide_views_are_tables_three_and_four_as_printed() -> None:
    a = build_by(slug="a-body")
    b = build_by(slug="b-body")
    long = long_frame([a, b])
    t3 = wide_t3(long)
    assert list(t3.columns) == [c.key for c in a.t3.spec.blocks[0].columns]  # printed order, total last
    assert t3.loc[("a-body", 2021, "granted"), "research"] == a.t3.number("granted", "research")
    assert list(t3.loc[("b-body", 2021)].index)[:2] == ["new", "carried_over"]
    t4 = wide_t4(long)
    assert list(t4.columns) == ["upheld", "corrected", "other", "pending", "total"]
    assert t4.loc[("a-body", 2021, "litigation_direct"), "total"] == a.t4.number("litigation_direct", "total")


def test_findings_frame_lists_every_finding_with_its_body() -> None:
    bad = with_cells(build_by(slug="bad-body"), "t3", {("total", "natural_person"): 999})
    good = build_by(slug="good-body")
    frame = findings_frame([(bad, check(bad).findings), (good, check(good).findings)])
    assert tuple(frame.columns) == FINDING_COLUMNS
    assert set(frame["body"]) == {"bad-body"}
    assert "T3-B" in set(frame["rule"]) and set(frame["severity"]) <= {"error", "warning", "info"}
    assert findings_frame([]).empty


def test_data_root_frame_reads_every_folder_and_keeps_the_unreadable(city: City) -> None:
    data = read_root(city.root)
    assert len(data.bureau_years) == len(city.written)
    assert [(u.slug, u.year) for u in data.unreadable] == [("b14", 2023)]
    assert "table3.csv" in data.unreadable[0].message and data.unreadable[0].name == "示范市第14局"
    frame = root_frame(city.root, years=[2022], slugs=["b0*"])
    assert set(frame["body"].astype(str)) == {f"b0{i}" for i in range(1, 10)}
    assert set(frame["year"]) == {2022}
    granted = cell(frame[frame["body"] == "b03"], "t3", "granted", "research")
    assert granted["value"] == t3_json(3, 2022)["granted"]["research"] and granted["state"] == "given"


def test_a_params_file_points_a_bureau_year_at_its_folder(city: City, tmp_path: Path) -> None:
    root = tmp_path / "proj"
    elsewhere = root / "archive" / "b01-2023"
    by = replace(build_by(slug="b01", year=2023))
    from ogi_report.storage.folder import save_bureau_year

    save_bureau_year(by, elsewhere)
    (root / "params").mkdir(parents=True)
    (root / "params" / "b01-2023.toml").write_text(
        'slug = "b01"\nyear = 2023\ndata = "archive/b01-2023"\n', "utf-8"
    )
    data = read_root(root)
    assert [(b.meta.slug, b.meta.year) for b in data.bureau_years] == [("b01", 2023)]
