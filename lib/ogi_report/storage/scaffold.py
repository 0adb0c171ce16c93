"""``ogi-report new``: a fresh bureau-year folder and params file, pre-filled from last year."""

from __future__ import annotations

from pathlib import Path

from ogi_report.errors import DataError, Problem
from ogi_report.model.bureau import BureauYear, Meta, Table, recompute, zero_table
from ogi_report.model.narrative import FILL_IN
from ogi_report.model.values import Value
from ogi_report.spec.formats import Cell, FormatSpec, TableId, format_for_year
from ogi_report.storage.folder import load_bureau_year, save_bureau_year
from ogi_report.storage.workspace import Workspace


def skeleton(fmt: FormatSpec) -> str:
    """The narrative skeleton: an opening paragraph, the six standard headings, 一's five sub-heads."""
    opening = (
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
        f"《{fmt.name}》（{fmt.basis}）要求，{{{{ name }}}}编制本报告。"
        "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        "本报告所列数据的统计期限自{{ year }}年1月1日起至{{ year }}年12月31日止。"
    )
    parts = [opening, ""]
    for section in fmt.sections:
        parts += [f"## {section.heading}", ""]
        for sub in section.subheads:
            parts += [f"### {sub}", "", FILL_IN, ""]
        if section.number == "三":
            parts += [
                "本年新收政府信息公开申请{{ t3.new }}件，上年结转{{ t3.carried_over }}件，"
                "结转下年度继续办理{{ t3.carried_forward }}件。",
                "",
            ]
        elif section.number == "六":
            parts += ["本年度无收取信息处理费情况。", ""]
        elif not section.subheads and section.table is None:
            parts += [FILL_IN, ""]
    return "\n".join(parts)


def create(workspace: Workspace, slug: str, year: int, name: str, publisher: str) -> tuple[Path, Path]:
    """Create ``data/<slug>/<year>/`` and ``params/<slug>-<year>.toml``; never overwrite."""
    slug = workspace.validate_slug(slug, "slug")
    year = workspace.validate_year(year, "year")
    if not name.strip():
        raise DataError.one("--name", "机关名称不能为空")
    ptype = workspace.validate_publisher(publisher, "--type")
    folder = workspace.data_folder(slug, year)
    params_file = workspace.params_file(slug, year)
    for path in (folder, params_file):
        if path.exists():
            raise DataError.one(path, "已存在，未做任何修改（如需重建请先移走它）")
    fmt = format_for_year(year)
    tables: dict[str, Table] = {spec.id: zero_table(spec) for spec in fmt.tables}
    prev_dir = workspace.data_folder(slug, year - 1)
    if prev_dir.is_dir():
        try:
            previous = load_bureau_year(prev_dir)
        except DataError as exc:
            # Pre-filling from broken figures would carry last year's mistake into this year.
            lead = Problem(
                str(prev_dir), "上年数据有误，无法预填「上年结转」与现行有效件数；请先修正以下问题"
            )
            raise DataError([lead, *exc.problems]) from None
        tables = carry_forward(tables, previous)
    meta = Meta(name=name.strip(), slug=slug, year=year, publisher_type=ptype, format_id=fmt.id)
    # Totals left empty: computed from whatever the analyst fills in, until they type their own.
    save_bureau_year(BureauYear(meta, tables, skeleton(fmt)), folder, computed=False)
    return folder, workspace.write_params(slug, year)


def carry_forward(tables: dict[str, Table], previous: BureauYear) -> dict[str, Table]:
    """Pre-fill 二、上年结转 from last year's 结转下年度 and 现行有效 baselines from last year."""
    t3 = tables[TableId.T3]
    changes: dict[Cell, Value] = {
        ("carried_over", col.key): previous.t3.get("carried_forward", col.key)
        for col in t3.spec.blocks[0].columns
        if not col.total  # the 总计 column stays computed, so it follows the analyst's edits
    }
    t2 = tables[TableId.T2]
    t2_changes: dict[Cell, Value] = {}
    prev_cols = {c.key for c in previous.t2.spec.blocks[0].columns}
    if "in_force" in prev_cols:
        for row in t2.spec.blocks[0].rows:
            t2_changes[(row.key, "in_force")] = previous.t2.get(row.key, "in_force")
    # A carried-over count is also part of the applications to be handled: keep 四 balanced by
    # leaving it in 结转下年度 until the analyst records the results.
    carried = {("carried_forward", key): value for (_row, key), value in changes.items()}
    result = dict(tables)
    result[TableId.T3] = recompute(t3.replace({**changes, **carried}))
    result[TableId.T2] = recompute(t2.replace(t2_changes))
    return result
