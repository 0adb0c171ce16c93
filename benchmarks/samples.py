"""The reports the benchmarks render: the bundled example and a long report made from it.

The long report has table 三 filled in every row and at least :data:`LONG_PROSE_PAGES` pages of
prose; :func:`sample_reports` refuses to return one that is not (an earlier version split the
narrative on a literal backslash-n, so its "long report" was the example).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from ogi_report.checks.runner import CheckResult, check  # noqa: E402
from ogi_report.model.bureau import BureauYear, Cell, Value, complete_table  # noqa: E402
from ogi_report.storage.workspace import load  # noqa: E402

SEED = ROOT / "data" / "haidong-emergency" / "2021"


# A page of GB/T 9704 body text: 22 lines of 28 characters.
CHARS_PER_PAGE = 22 * 28
LONG_PROSE_PAGES = 8  # issue 17: a long report has 8 pages of prose or more


def _prose(block: str) -> bool:
    """A paragraph of prose: not a heading, not empty, no placeholder (repeating one would
    repeat a checked figure)."""
    return bool(block.strip()) and not block.lstrip().startswith("#") and "{{" not in block


def long_narrative(narrative: str, pages: int = LONG_PROSE_PAGES) -> str:
    """The narrative with every paragraph of prose repeated until the prose fills ``pages`` pages.

    Paragraphs are separated by a blank line (real newlines: the narrative is read as text, with
    Windows line ends made plain).  Raises when the narrative has no prose to repeat, so a long
    report can never quietly be the example.
    """
    blocks = narrative.replace("\r\n", "\n").split("\n\n")
    prose = sum(len(b) for b in blocks if _prose(b))
    if not prose:
        raise SystemExit("samples.py: the example's narrative has no paragraph of prose to repeat")
    repeat = max(2, -(-pages * CHARS_PER_PAGE // prose))
    out: list[str] = []
    for block in blocks:
        out.extend([block] * (repeat if _prose(block) else 1))
    return "\n\n".join(out)


def prose_pages(narrative: str) -> float:
    """Pages the narrative's prose fills at :data:`CHARS_PER_PAGE` (paragraph ends not counted)."""
    return sum(len(b) for b in narrative.replace("\r\n", "\n").split("\n\n") if _prose(b)) / CHARS_PER_PAGE


def sample_reports() -> list[tuple[str, BureauYear, CheckResult]]:
    """``example`` (the bundled 海东市应急管理局 2021) and ``long`` (table 三 filled in every row, the
    narrative's prose repeated to :data:`LONG_PROSE_PAGES` pages or more), each with its check
    result."""
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
    if prose_pages(long_by.narrative) < LONG_PROSE_PAGES or long_by.narrative == by.narrative:
        raise SystemExit("samples.py: the long report's prose is not long: check long_narrative()")
    return [("example", by, check(by)), ("long", long_by, check(long_by))]


def cold_runs(code: str, runs: int) -> str:
    """Run ``code`` (which prints its own seconds) in ``runs`` fresh interpreters: "min …, median …"."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    seconds = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
            ).stdout
        )
        for _ in range(runs)
    ]
    return f"min {min(seconds):.2f} s, median {statistics.median(seconds):.2f} s"
