"""The JSON form: lossless export → import → export, and the bureau-year folder round trip."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kit import SEED_DIR, build_by
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear, Contact, Meta, PublisherType, Table
from ogi_report.model.values import Value
from ogi_report.spec.formats import FORMATS, CellKind, Column
from ogi_report.storage import jsonform
from ogi_report.storage.folder import load_bureau_year, save_bureau_year

MAX = 10**15 - 1


def cell_values(col: Column) -> st.SearchStrategy[Value]:
    if col.kind is CellKind.DECIMAL:
        amount = st.builds(
            lambda whole, frac, places: (
                Decimal(f"{whole}.{str(frac).zfill(places)[:places]}") if places else Decimal(whole)
            ),
            st.integers(0, 10**9 - 1),
            st.integers(0, 999999),
            st.integers(0, 6),
        )
        return st.none() | amount
    low = -MAX if col.kind is CellKind.SIGNED else 0
    return st.none() | st.integers(low, MAX) | st.integers(low, 50)


@st.composite
def bureau_years(draw: st.DrawFn) -> BureauYear:
    fmt = FORMATS[draw(st.sampled_from(sorted(FORMATS)))]
    tables = {}
    for spec in fmt.tables:
        cells = {(row.key, col.key): draw(cell_values(col)) for _b, row, col in spec.cells()}
        tables[spec.id] = Table(spec, cells)
    text = draw(
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00\ufeff"), max_size=60)
    )
    year = fmt.first_year
    meta = Meta(
        name="测试局",
        slug="rt-body",
        year=year,
        publisher_type=draw(st.sampled_from(list(PublisherType))),
        format_id=fmt.id,
        publish_date=draw(st.none() | st.just(date(year + 1, 1, 7))),
        signature=draw(st.sampled_from(["", "测试局办公室"])),
        contact=Contact(phone=draw(st.sampled_from(["", "0972-1234567"]))),
    )
    return BureauYear(meta, tables, text + "\n")


@settings(max_examples=60, deadline=None)
@given(bureau_years())
def test_json_round_trip(by: BureauYear) -> None:
    first = jsonform.dumps(by)
    again = jsonform.loads(first, "x.json")
    assert jsonform.dumps(again) == first
    assert jsonform.to_data(again) == jsonform.to_data(by)
    for table_id, table in by.tables.items():
        for cell, value in table.items():
            got = again.tables[table_id][cell]
            assert got == value and type(got) is type(value)


@settings(max_examples=30, deadline=None)
@given(bureau_years())
def test_folder_round_trip(by: BureauYear) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / by.meta.slug / str(by.meta.year)
        save_bureau_year(by, folder)
        loaded = load_bureau_year(folder)
        assert jsonform.to_data(loaded) == jsonform.to_data(by)
        save_bureau_year(loaded, folder)
        assert jsonform.to_data(load_bureau_year(folder)) == jsonform.to_data(by)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_keys_are_the_contract(fmt: str) -> None:
    data = jsonform.to_data(build_by(fmt))
    assert list(data) == ["format", "meta", "t2", "t3", "t4", "narrative"]
    assert data["format"] == fmt
    assert set(data["t3"]["granted"]) == {
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    }
    assert set(data["t4"]) == {"review", "litigation_direct", "litigation_after_review"}
    assert set(data["t4"]["review"]) == {"upheld", "corrected", "other", "pending", "total"}
    if fmt == "2021":
        assert data["t2"]["regulations"] == {"issued": 2, "repealed": 1, "in_force": 10}
        assert isinstance(data["t2"]["licensing"], int)
        assert data["t2"]["fees_10k_yuan"] == "24252.311082"
        assert "other.other" in data["t3"]
    else:
        assert "other" in data["t3"] and "other.other" not in data["t3"]


def test_seed_export_is_stable() -> None:
    by = load_bureau_year(SEED_DIR)
    data = json.loads(jsonform.dumps(by))
    assert data["meta"]["publish_date"] == "2022-01-07"
    assert data["t2"]["licensing"] == 34
    assert data["t3"]["total"]["total"] == 0
    assert jsonform.dumps(jsonform.loads(jsonform.dumps(by), "-")) == jsonform.dumps(by)


def test_totals_may_be_left_out() -> None:
    data = jsonform.to_data(build_by())
    expected = data["t3"]["total"]["total"]
    del data["t3"]["total"]
    for row in data["t3"].values():
        del row["total"]
    by = jsonform.from_data(data, "x.json")
    assert by.t3.get("total", "total") == expected
    assert ("total", "total") in by.t3.computed


def test_null_is_blank() -> None:
    data = jsonform.to_data(build_by())
    data["t4"]["review"]["upheld"] = None
    by = jsonform.from_data(data, "x.json")
    assert by.t4.get("review", "upheld") is None


def test_decimal_from_number_string_and_int() -> None:
    for raw in (Decimal("96171.6"), "96171.6", 96171):
        data = jsonform.to_data(build_by())
        data["t2"]["fees_10k_yuan"] = raw
        assert jsonform.from_data(data, "x").t2.get("fees_10k_yuan", "amount") == Decimal(str(raw))


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (("t3", "granted", "research"), -1, "负数"),
        (("t3", "granted", "research"), "abc", "abc"),
        (("t3", "granted", "research"), True, "true"),
        (("t3", "granted", "research"), [1], "list"),
        (("t3", "granted", "research"), 10**16, "位数过多"),
        (("t3", "granted", "research"), Decimal("1.5"), "小数"),
        (("t3", "granted", "research"), Decimal("1E+999999"), "位数过多"),
        (("t3", "granted", "nobody"), 1, "未知的列键「nobody」"),
        (("t3", "grantd"), {}, "未知的行键「grantd」"),
        (("t2", "fees_10k_yuan"), "-1", "负数"),
    ],
)
def test_bad_cells_are_located(path: tuple[str, ...], value: object, fragment: str) -> None:
    data = jsonform.to_data(build_by())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(DataError) as info:
        jsonform.from_data(data, "in.json")
    text = str(info.value)
    assert fragment in text
    assert "in.json" in text
    if path[0] == "t3" and path[1] == "granted":
        assert "表三" in text and "（一）予以公开" in text
    if path[-1] == "research":
        assert "列「科研机构」" in text


def test_missing_cell_and_unknown_keys() -> None:
    data = jsonform.to_data(build_by())
    del data["t3"]["granted"]["research"]
    data["extra"] = 1
    data["meta"]["colour"] = "red"
    with pytest.raises(DataError) as info:
        jsonform.from_data(data, "in.json")
    text = str(info.value)
    assert "缺少此单元格" in text and "列「科研机构」" in text
    assert "未知的键「extra」" in text and "未知的键「colour」" in text
    assert len(info.value.problems) == 3


def test_bad_json_text() -> None:
    with pytest.raises(DataError, match="JSON 格式错误"):
        jsonform.loads("{", "in.json")
    with pytest.raises(DataError, match="JSON"):
        jsonform.loads('{"a": ' + "1" * 5000 + "}", "in.json")
