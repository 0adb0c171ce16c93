"""What the overview says, in order: :func:`document` turns a :class:`YearOverview` into blocks.

Read top to bottom the way a coordinator asks: the key figures and who has not filed or filed late
(first screen), every body's status, the summed official tables, the charts each with its numbers,
the comparison with earlier years, and the most frequent findings.
"""

from __future__ import annotations

from datetime import date

from ogi_report.checks.copying import THRESHOLD as COPY_THRESHOLD
from ogi_report.overview import sections
from ogi_report.overview.blocks import (
    Block,
    DataTable,
    Document,
    Heading,
    Key,
    Keys,
    Official,
    Para,
    Style,
    Text,
    cells,
)
from ogi_report.overview.charts import count_text
from ogi_report.overview.model import BodyState, BodyStatus, YearOverview
from ogi_report.spec.formats import TableId

_STATE_STYLE = {
    BodyState.PASSED: Style.OK,
    BodyState.DRAFT: Style.WARN,
    BodyState.FAILED: Style.BAD,
    BodyState.NOT_FILED: Style.BAD,
}


def _names(bodies: list[BodyStatus]) -> str:
    return "、".join(b.name for b in bodies)


def key_figures(o: YearOverview) -> Keys:
    """The first screen: applications, grants, appeals, and who has filed."""
    new, processed, granted = o.figure("new"), o.figure("processed"), o.figure("granted")
    partly = o.figure("partly_granted")
    counts = {s: len(o.in_state(s)) for s in BodyState}
    filed = f"已通过 {counts[BodyState.PASSED]} · 草稿 {counts[BodyState.DRAFT]}"
    if counts[BodyState.FAILED]:
        filed += f" · 无法读取 {counts[BodyState.FAILED]}"
    change = ""
    if o.year - 1 in o.history.index and (previous := sections.as_float(o.history.loc[o.year - 1, "new"])):
        change = f"{o.year - 1}年 {count_text(previous)} 件，{(new - previous) / previous:+.1%}"
    appeals = f"{count_text(o.figure('review'))} · {count_text(o.figure('litigation'))} 件"
    return Keys(
        (
            Key("本年新收申请", f"{count_text(new)} 件", change),
            Key(
                "予以公开", f"{count_text(granted)} 件", f"占办理结果 {sections.percent(granted, processed)}"
            ),
            Key("部分公开", f"{count_text(partly)} 件", f"占 {sections.percent(partly, processed)}"),
            Key("行政复议 · 行政诉讼", appeals, f"纠错率 {sections.rate_text(o.figure('correction_rate'))}"),
            Key(
                "已报送机关", f"{counts[BodyState.PASSED] + counts[BodyState.DRAFT]} / {len(o.bodies)}", filed
            ),
            Key("未报送", f"{counts[BodyState.NOT_FILED]} 个", f"逾期发布 {len(o.late)} 个"),
        )
    )


def alerts(o: YearOverview) -> list[Block]:
    """Named lists: not filed, late, undated, unreadable, drafts — none when all is well."""
    lines: list[tuple[str, str]] = []
    if missing := o.in_state(BodyState.NOT_FILED):
        lines.append(
            (f"未报送（{len(missing)}）：", f"{_names(missing)}（{o.year - 1}年有数据，{o.year}年没有）")
        )
    if late := o.late:
        lines.append(
            (
                f"逾期发布（{len(late)}）：",
                "、".join(f"{b.name}（{b.publish_date}，期限 {b.deadline}）" for b in late),
            )
        )
    if undated := o.undated:
        lines.append((f"未填发布日期（{len(undated)}）：", _names(undated)))
    if failed := o.in_state(BodyState.FAILED):
        lines.append((f"数据无法读取（{len(failed)}）：", _names(failed)))
    if drafts := o.in_state(BodyState.DRAFT):
        lines.append((f"草稿，有校验错误（{len(drafts)}）：", _names(drafts)))
    return [Para((Text(label, Style.WARN), Text(text)), Style.WARN) for label, text in lines]


def _date(day: date | None) -> str:
    return day.isoformat() if day else "未填写"


def _copy_rate(b: BodyStatus) -> Text:
    """重复率 (rule COPY), marked when at or above the rule's threshold; "—" without last year."""
    if b.copy_rate is None:
        return Text("—" if b.reported else "", Style.NUMBER)
    return Text(f"{b.copy_rate:.0%}", Style.WARN if b.copy_rate >= COPY_THRESHOLD else Style.NUMBER)


def _note(b: BodyStatus) -> str:
    """The 说明 cell: why a body is not counted, or which compiled report it is part of."""
    first = b.message.splitlines()[0] if b.message else ""
    if b.compiled_into:
        first = "；".join(filter(None, (f"计入「{b.compiled_into}」的汇总报告", first)))
    return first


def status_table(o: YearOverview) -> DataTable:
    rows = []
    for b in o.bodies:
        timely = "" if not b.reported else ("逾期" if b.late else ("—" if b.publish_date is None else "按期"))
        rows.append(
            (
                Text(b.name + ("（汇总）" if b.compiled else ""), small=b.slug),
                Text(b.state.label, _STATE_STYLE[b.state]),
                Text(_date(b.publish_date) if b.reported else ""),
                Text(_date(b.deadline) if b.deadline else ""),
                Text(timely, Style.BAD if b.late else Style.PLAIN),
                Text(str(b.errors) if b.reported else "", Style.NUMBER),
                Text(str(b.warnings) if b.reported else "", Style.NUMBER),
                _copy_rate(b),
                Text(_note(b)),
            )
        )
    headers = ("机关", "状态", "发布日期", "期限", "按期", "错误", "警告", "重复率", "说明")
    return DataTable(headers, tuple(rows), kind="status")


def totals_part(o: YearOverview) -> list[Block]:
    counted = o.in_totals
    drafts = [b for b in counted if b.state is BodyState.DRAFT]
    note = f"以下三张表为 {len(counted)} 个机关{o.year}年度数据之和（空白计为 0）"
    note += (
        f"，其中含草稿 {len(drafts)} 个：{_names(drafts)}（数据有校验错误，数字可能有误）。"
        if drafts
        else "，均已通过校验。"
    )
    if left_out := [b for b in o.left_out if not b.compiled]:
        note += f"未计入（填报格式与本年度不同）：{_names(left_out)}。"
    if compiled := [b for b in o.left_out if b.compiled]:
        note += f"未重复计入汇总报告（其成员已计入）：{_names(compiled)}。"
    blocks: list[Block] = [Para((Text(note),), Style.NOTE)]
    for table_id in (TableId.T2, TableId.T3, TableId.T4):
        blocks += [Heading(o.totals[table_id].spec.title, 3), Official(o.totals[table_id])]
    return blocks


def findings_part(o: YearOverview) -> list[Block]:
    counts = o.rule_counts()
    if counts.empty:
        return [Para((Text("本年度各机关的数据没有校验发现。"),), Style.NOTE)]
    labels = {"error": "错误", "warning": "警告", "info": "提示"}
    rows = tuple(
        cells(
            str(r.rule),
            labels.get(str(r.severity), ""),
            str(r.findings),
            str(r.bodies),
            str(r.names),
            numeric_from=2,
            numeric_to=3,
        )
        for r in counts.itertuples()
    )
    note = "按发现数排列；每条发现的位置与改法见各机关的审阅版和 findings.csv。"
    return [Para((Text(note),), Style.NOTE), DataTable(("规则", "级别", "发现数", "机关数", "机关"), rows)]


def document(o: YearOverview) -> Document:
    """Every block of the overview, in reading order."""
    subtitle = f"统计年度 {o.year} · 机关 {len(o.bodies)} 个"
    if o.selection:
        subtitle += f" · 范围：{'、'.join(o.selection)}"
    charts = [
        c
        for c in (
            sections.applicants(o),
            sections.outcomes(o),
            sections.top_bodies(o),
            sections.appeals(o),
            sections.copy_rates(o),
        )
        if c
    ]
    blocks: list[Block] = [
        key_figures(o),
        *alerts(o),
        Heading("一、报送情况"),
        status_table(o),
        Heading("二、汇总表"),
        *totals_part(o),
        Heading("三、图表"),
        *charts,
        Heading("四、与往年比较"),
        *sections.year_over_year(o),
        Heading("五、校验发现"),
        *findings_part(o),
    ]
    return Document(o.title, subtitle, tuple(blocks))
