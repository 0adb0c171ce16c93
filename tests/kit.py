"""Test helpers: the bundled example, and balanced bureau-years built in code for either format."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from ogi_report.model.bureau import BureauYear, Cell, Meta, PublisherType, Table, complete_table
from ogi_report.model.values import Value
from ogi_report.spec.formats import FORMATS, CellKind, TableSpec

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = REPO_ROOT / "data" / "haidong-emergency" / "2021"
FIXTURES = REPO_ROOT / "tests" / "fixtures"
REPORTS_DIR = FIXTURES / "reports"  # real published reports, with provenance: fixtures/README.md
SEED_TEXT = FIXTURES / "seed" / "000_73748dfa6b923913.txt"  # the example report as published

# Each applicant column gets its own figures, so a finding's column can be told apart.
T3_PATTERN: dict[str, int] = {
    "carried_over": 2,
    "granted": 5,
    "partly_granted": 1,
    "refused.state_secret": 1,
    "unable.not_held": 2,
    "not_processed.petition": 1,
}


def standard_narrative(fmt_id: str = "2021") -> str:
    """A narrative every narrative rule accepts: the six standard headings, 五 and 六 written out."""
    fmt = FORMATS[fmt_id]
    parts = ["根据《条例》，{{ name }}编制本报告。", ""]
    for section in fmt.sections:
        parts += [f"## {section.heading}", ""]
        for sub in section.subheads:
            parts += [f"### {sub}", "", "本部分写明工作情况。", ""]
        if section.number == "三":
            parts += ["本年新收政府信息公开申请{{ t3.new }}件，上年结转{{ t3.carried_over }}件。", ""]
        elif section.number == "五":
            parts += ["一是政策解读仍需加强。下一步将加强培训。", ""]
        elif section.number == "六":
            parts += ["本年度未收取信息处理费。", ""]
    return "\n".join(parts)


def t3_cells(spec: TableSpec) -> dict[Cell, Value]:
    """Balanced table 三 cells without totals: 一＋二 = （七）＋四 in every column."""
    block = spec.blocks[0]
    rows = [r.key for r in block.rows]
    other = next(k for k in rows if k == "other" or k.startswith("other."))
    cells: dict[Cell, Value] = {}
    for i, col in enumerate(c for c in block.columns if not c.total):
        values = {key: 0 for key in rows if key != "total"}
        values.update(T3_PATTERN)
        values["granted"] = 5 + i
        values[other] = 1
        results = sum(v for k, v in values.items() if block.row(k).in_total)
        values["new"] = results - values["carried_over"] + 1 + i  # leaves 1 + i carried forward
        values["carried_forward"] = values["new"] + values["carried_over"] - results
        for key, value in values.items():
            cells[(key, col.key)] = value
    return cells


def t4_cells(spec: TableSpec) -> dict[Cell, Value]:
    cells: dict[Cell, Value] = {}
    for i, (_block, row) in enumerate(spec.rows()):
        for j, col in enumerate(c for c in spec.blocks[0].columns if not c.total):
            cells[(row.key, col.key)] = (i + j) % 3
    return cells


def t2_cells(spec: TableSpec) -> dict[Cell, Value]:
    cells: dict[Cell, Value] = {}
    for n, (_block, row, col) in enumerate(spec.cells()):
        if col.kind is CellKind.DECIMAL:
            cells[(row.key, col.key)] = Decimal("24252.311082")
        elif col.kind is CellKind.SIGNED:
            cells[(row.key, col.key)] = -1
        else:
            cells[(row.key, col.key)] = n + 1
    if "in_force" in {c.key for c in spec.blocks[0].columns}:
        cells[("regulations", "issued")], cells[("regulations", "repealed")] = 2, 1
        cells[("regulations", "in_force")] = 10
        cells[("normative_documents", "issued")], cells[("normative_documents", "repealed")] = 8, 26
        cells[("normative_documents", "in_force")] = 66
    return cells


def build_by(
    fmt_id: str = "2021",
    *,
    year: int | None = None,
    slug: str = "test-bureau",
    narrative: str | None = None,
    publish_date: date | str | None = "default",
    publisher: PublisherType = PublisherType.DEPARTMENT,
) -> BureauYear:
    """A bureau-year that passes every rule, built in code for format ``fmt_id``."""
    fmt = FORMATS[fmt_id]
    year = year if year is not None else (2021 if fmt_id == "2021" else 2020)
    when = date(year + 1, 1, 20) if publish_date == "default" else publish_date
    assert not isinstance(when, str)
    meta = Meta(
        name="测试市测试局",
        slug=slug,
        year=year,
        publisher_type=publisher,
        format_id=fmt_id,
        publish_date=when,
    )
    builders: dict[str, Callable[[TableSpec], dict[Cell, Value]]] = {
        "t2": t2_cells,
        "t3": t3_cells,
        "t4": t4_cells,
    }
    tables = {spec.id: complete_table(spec, builders[spec.id](spec)) for spec in fmt.tables}
    return BureauYear(meta, tables, standard_narrative(fmt_id) if narrative is None else narrative)


def with_cells(by: BureauYear, table_id: str, changes: Mapping[Cell, Value]) -> BureauYear:
    """``by`` with some cells of one table changed (totals are not recomputed)."""
    tables: dict[str, Table] = dict(by.tables)
    tables[table_id] = by.tables[table_id].replace(changes)
    return replace(by, tables=tables)


def next_year(by: BureauYear) -> BureauYear:
    """The following year of the same body, consistent with ``by`` across years."""
    nxt = build_by(
        by.meta.format_id if by.meta.year + 1 <= 2020 else "2021", year=by.meta.year + 1, slug=by.meta.slug
    )
    # A new year's report describes the new year's work: not last year's text again (rule COPY).
    fresh = nxt.narrative.replace("本部分写明工作情况。", "本部分写明新一年度的各项进展与成效。")
    nxt = replace(nxt, narrative=fresh)
    t3 = {("carried_over", c.key): by.t3.get("carried_forward", c.key) for c in by.t3.spec.blocks[0].columns}
    nxt = with_cells(nxt, "t3", t3)
    # keep T3-A: 一 absorbs the difference
    fixes = {
        ("new", c.key): nxt.t3.number("total", c.key)
        + nxt.t3.number("carried_forward", c.key)
        - nxt.t3.number("carried_over", c.key)
        for c in nxt.t3.spec.blocks[0].columns
    }
    nxt = with_cells(nxt, "t3", fixes)
    if "in_force" in {c.key for c in by.t2.spec.blocks[0].columns}:
        t2 = {
            (row, "in_force"): by.t2.number(row, "in_force")
            + nxt.t2.number(row, "issued")
            - nxt.t2.number(row, "repealed")
            for row in ("regulations", "normative_documents")
        }
        nxt = with_cells(nxt, "t2", t2)
    return nxt


def copy_seed(tmp_path: Path) -> Path:
    """A writable copy of the bundled example at ``tmp_path/data/haidong-emergency/2021``."""
    target = tmp_path / "data" / "haidong-emergency" / "2021"
    shutil.copytree(SEED_DIR, target)
    return target
