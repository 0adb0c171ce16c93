"""The reports the benchmarks render: the bundled example and a long report made from it."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from ogi_report.checks.runner import CheckResult, check  # noqa: E402
from ogi_report.model.bureau import BureauYear, Cell, Value, complete_table  # noqa: E402
from ogi_report.storage.workspace import load  # noqa: E402

SEED = ROOT / "data" / "haidong-emergency" / "2021"


def long_narrative(narrative: str, repeat: int = 3) -> str:
    """The narrative with every paragraph of prose repeated, so the report runs to about 8 more
    pages (the seed's prose fills about 5; three times it, about 15)."""
    out: list[str] = []
    for block in narrative.split("\n\n"):
        out.append(block)
        if block and not block.lstrip().startswith("#") and "{{" not in block:
            out.extend([block] * (repeat - 1))
    return "\n\n".join(out)


def sample_reports() -> list[tuple[str, BureauYear, CheckResult]]:
    """``example`` (the bundled 海东市应急管理局 2021) and ``long`` (table 三 filled, the narrative's
    prose three times over: about 15 pages), each with its check result."""
    by = load(SEED).by
    t3 = by.tables["t3"]
    block = t3.spec.blocks[0]
    # Every result row non-zero, balanced so the long report passes the checks too.
    cells: dict[Cell, Value] = {}
    for i, col in enumerate(c for c in block.columns if not c.total):
        results = 0
        for j, row in enumerate(block.rows):
            if row.key in ("new", "carried_over", "total", "carried_forward") or not row.in_total:
                continue
            cells[(row.key, col.key)] = 1 + (i + j) % 9
            results += 1 + (i + j) % 9
        cells[("carried_over", col.key)] = 3
        cells[("carried_forward", col.key)] = 2
        cells[("new", col.key)] = results + 2 - 3
    long_by = dataclasses.replace(
        by,
        narrative=long_narrative(by.narrative),
        tables={**by.tables, "t3": complete_table(t3.spec, cells)},
    )
    return [("example", by, check(by)), ("long", long_by, check(long_by))]
