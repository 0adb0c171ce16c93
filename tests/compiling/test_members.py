"""members.toml read strictly, compiled.toml read back as written, fingerprints of values not files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kit import build_by, with_cells
from ogi_report.errors import DataError
from ogi_report.storage.folder import load_bureau_year, save_bureau_year
from ogi_report.storage.members import (
    CompiledMember,
    Member,
    Provenance,
    fingerprint,
    read_members,
    read_provenance,
    write_provenance,
)


def members(tmp_path: Path, text: str) -> tuple[Member, ...]:
    (tmp_path / "members.toml").write_text(text, "utf-8")
    return read_members(tmp_path, "city")


def test_flat_and_grouped_members_in_the_order_listed(tmp_path: Path) -> None:
    listed = members(tmp_path, 'members = ["office"]\n[groups]\n"县区" = ["x1", "x2"]\n"市直部门" = ["d1"]\n')
    assert listed == (Member("office"), Member("x1", "县区"), Member("x2", "县区"), Member("d1", "市直部门"))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('member = ["a"]\n', "未知的键「member」"),
        ('members = ["A b"]\n', "「A b」不是机关代号"),
        ("members = 3\n", "members 应为机关代号的列表"),
        ("members = []\n", "成员清单为空"),
        ('members = ["a"]\n[groups]\n"县区" = ["a"]\n', "成员「a」列了两次（members 与 县区）"),
    ],
)
def test_a_wrong_members_file_is_refused(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(DataError) as refused:
        members(tmp_path, text)
    assert said in str(refused.value) and "members.toml" in str(refused.value)


def test_no_members_file_says_how_to_write_one(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="找不到成员清单"):
        read_members(tmp_path, "city")


def test_provenance_round_trip(tmp_path: Path) -> None:
    written = Provenance(
        datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        (
            CompiledMember("d1", "甲局", "市直部门", "0123456789abcdef"),
            CompiledMember("x1", "乙区", "县区", "f" * 16, True),
        ),
        "fedcba9876543210",
    )
    write_provenance(tmp_path, written)
    assert read_provenance(tmp_path) == written
    assert read_provenance(tmp_path / "nowhere") is None


def test_the_fingerprint_follows_the_values_not_the_files_or_the_narrative(tmp_path: Path) -> None:
    by = build_by()
    assert fingerprint(replace(by, narrative="别的正文")) == fingerprint(by)
    changed = with_cells(by, "t4", {("review", "upheld"): by.t4.number("review", "upheld") + 1})
    assert fingerprint(changed) != fingerprint(by)
    save_bureau_year(by, tmp_path / "a", computed=False)  # totals left out of the files
    save_bureau_year(by, tmp_path / "b", computed=True)
    assert fingerprint(load_bureau_year(tmp_path / "a")) == fingerprint(load_bureau_year(tmp_path / "b"))
