"""docs/format.md is generated from the format declarations and documents every part of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kit import REPO_ROOT
from ogi_report.spec.formats import FORMATS
from ogi_report.spec.reference import COMMAND, format_reference, main

UTF8 = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def test_docs_format_is_the_generated_reference() -> None:
    assert (REPO_ROOT / "docs" / "format.md").read_text(encoding="utf-8") == format_reference(), (
        f"docs/format.md is stale: regenerate it with `{COMMAND}`"
    )


def test_every_section_table_row_and_column_is_documented() -> None:
    reference = format_reference()
    for fmt in FORMATS.values():
        assert fmt.name in reference and f'`format = "{fmt.id}"`' in reference
        for section in fmt.sections:
            assert all(h in reference for h in (section.heading, *section.variants, *section.subheads))
        for table in fmt.tables:
            assert f"{table.name}（`{table.id}`）：{table.title}" in reference
            for block, row, col in table.cells():
                assert f"| `{row.key}` | {row.label} |" in reference
                assert f"| `{col.key}` | {col.label} |" in reference
                assert block.title in reference


def test_totals_and_kinds_are_stated() -> None:
    reference = format_reference()
    assert "| `total` | （七）总计 | 三、本年度办理结果 | 总计行（各“计入总计”行之和） |" in reference
    assert "| `total` | 总计 | 申请人情况 | 非负整数 | 总计列（本行其他列之和） |" in reference
    assert "| `change` | 本年增/减 | — | 整数（可为负） |  |" in reference
    assert "| `amount` | 采购总金额 | — | 非负数（可有小数） |  |" in reference


def test_runs_as_a_module(tmp_path: Path) -> None:
    assert main([str(tmp_path / "format.md")]) == 0
    assert (tmp_path / "format.md").read_text(encoding="utf-8") == format_reference()
    run = subprocess.run(
        [sys.executable, "-m", "ogi_report.spec.reference"], capture_output=True, check=True, env=UTF8
    )
    assert run.stdout.decode("utf-8") == format_reference()
