"""Format, table and rule ids are enums whose values are the strings the files carry, so the JSON,
TOML and CSV contracts read and write exactly what they did with plain strings."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from kit import SEED_DIR, build_by
from ogi_report.spec.formats import FORMATS, TABLE_IDS, find_format, format_for_year
from ogi_report.spec.ids import FormatId, RuleId, TableId
from ogi_report.storage import jsonform
from ogi_report.storage.folder import load_bureau_year, meta_toml, save_bureau_year


def test_values_are_the_strings_files_carry() -> None:
    assert [f.value for f in FormatId] == ["2021", "2019"]
    assert [t.value for t in TableId] == ["t2", "t3", "t4"]
    assert [r.value for r in RuleId] == [
        "T3-A", "T3-B", "T3-C", "T3-HINT", "T4", "N", "BLANK", "IMPORT", "FMT",
        "X-1", "X-2", "TXT", "S5", "S6-FEE", "STRUCT", "DATE", "PLACEHOLDER", "DRAFT", "COPY", "COMPILE",
    ]  # fmt: skip
    assert FormatId("2021") is FormatId.V2021 and FormatId.V2021 == "2021"
    assert f"{TableId.T3}" == "t3" and str(RuleId.X_1) == "X-1"


def test_declarations_are_keyed_and_typed_by_the_enums() -> None:
    assert list(FORMATS) == list(FormatId)
    assert all(type(key) is FormatId and spec.id is key for key, spec in FORMATS.items())
    assert tuple(TableId) == TABLE_IDS
    for spec in FORMATS.values():
        assert [t.id for t in spec.tables] == list(TableId)
        assert all(type(s.table) is TableId for s in spec.sections if s.table)
        assert spec.table(TableId.T4) is spec.tables[2]
    assert format_for_year(2020).id is FormatId.V2019


def test_find_format_reads_what_a_file_names() -> None:
    assert find_format("2019") is FORMATS[FormatId.V2019]
    assert find_format("2021 ") is None and find_format("") is None


@pytest.mark.parametrize("fmt", list(FormatId))
def test_json_form_round_trip(fmt: FormatId) -> None:
    by = build_by(fmt)
    text = jsonform.dumps(by)
    data = json.loads(text)
    assert data["format"] == fmt.value and data["meta"]["format"] == fmt.value
    assert [k for k in data if k.startswith("t")] == ["t2", "t3", "t4"]
    back = jsonform.loads(text, "test.json")
    assert back.meta.format_id is fmt
    assert all(type(k) is TableId for k in back.tables)
    assert jsonform.dumps(back) == text
    assert {k: dict(t.cells) for k, t in back.tables.items()} == {
        k: dict(t.cells) for k, t in by.tables.items()
    }


def test_meta_toml_and_csv_files_are_unchanged(tmp_path: Path) -> None:
    by = load_bureau_year(SEED_DIR)
    assert by.meta.format_id is FormatId.V2021
    assert tomllib.loads(meta_toml(by.meta))["format"] == "2021"
    save_bureau_year(by, tmp_path / "out")
    for name in ("table2.csv", "table3.csv", "table4.csv", "narrative.md"):
        assert (tmp_path / "out" / name).read_bytes() == (SEED_DIR / name).read_bytes(), name
    seed_meta = [
        line
        for line in (SEED_DIR / "meta.toml").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert (tmp_path / "out" / "meta.toml").read_text(encoding="utf-8").splitlines() == seed_meta
