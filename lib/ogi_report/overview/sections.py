"""The overview's charts, each with the Chinese table of its numbers, and the year-over-year part.

Every chart comes with a table of the same numbers: the text equivalent for screen readers, for
copying into a report upward, and for a reader who wants the figure rather than the bar.
"""

from __future__ import annotations

from typing import cast

import pandas as pd

from ogi_report.checks.copying import THRESHOLD as COPY_THRESHOLD
from ogi_report.overview import charts
from ogi_report.overview.blocks import Block, Chart, DataTable, Heading, Pair, Para, Style, Text, cells
from ogi_report.overview.model import BodyState, YearOverview
from ogi_report.overview.totals import OUTCOMES, T4_RESULTS, body_history
from ogi_report.spec.formats import TableId

TOP_BODIES = 10


def percent(part: float, whole: float) -> str:
    """``part`` as a share of ``whole`` (``—`` when the whole is 0)."""
    return f"{part / whole:.1%}" if whole else "—"


def rate_text(value: float) -> str:
    return "—" if value != value else f"{value:.1%}"  # NaN: no cases


def as_float(value: object) -> float:
    """A frame's cell as a float (NaN stays NaN)."""
    return float(cast(float, value))


def _shares(rows: list[tuple[str, float]], whole: float, total_label: str, head: str) -> DataTable:
    body = [cells(label, charts.count_text(v), percent(v, whole)) for label, v in rows]
    body.append(cells(total_label, charts.count_text(whole), percent(whole, whole)))
    return DataTable((head, "件数", "占比"), tuple(body))


def applicants(o: YearOverview) -> Chart:
    """Applications received, by applicant type (table 三, 一、本年新收, each column)."""
    t3 = o.totals[TableId.T3]
    cols = [c for c in t3.spec.blocks[0].columns if not c.total]
    labels = [c.label if c.key == "natural_person" else f"法人或其他组织·{c.label}" for c in cols]
    values = [float(t3.number("new", c.key)) for c in cols]
    title = "本年新收申请：按申请人类型"
    svg = charts.bar_chart("applicants", title, [c.label for c in cols], values)
    table = _shares(
        list(zip(labels, values, strict=True)), float(t3.number("new", "total")), "合计", "申请人类型"
    )
    return Chart("applicants", title, svg, table)


def outcomes(o: YearOverview) -> Chart:
    """The year's results as shares of （七）总计."""
    values = [o.figure(key) for key, _label in OUTCOMES]
    whole = o.figure("processed")
    labels = [label for _key, label in OUTCOMES]
    texts = [f"{charts.count_text(v)} 件 · {percent(v, whole)}" for v in values]
    title = "办理结果：各类结果占办理总数的比例"
    svg = charts.bar_chart("outcomes", title, labels, values, texts)
    return Chart(
        "outcomes",
        title,
        svg,
        _shares(list(zip(labels, values, strict=True)), whole, "（七）总计", "办理结果"),
    )


def top_bodies(o: YearOverview) -> Chart | None:
    """The bodies with the most applications this year."""
    this = o.this_year
    if this.empty:
        return None
    ranked = this.sort_values(["new", "name"], ascending=[False, True]).head(TOP_BODIES)
    names = [str(n) for n in ranked["name"]]
    values = [as_float(v) for v in ranked["new"]]
    whole = o.figure("new")
    title = f"新收申请最多的机关（前 {len(names)} 个）"
    rows = tuple(
        cells(n, charts.count_text(v), percent(v, whole)) for n, v in zip(names, values, strict=True)
    )
    svg = charts.bar_chart("top-bodies", title, names, values)
    return Chart("top-bodies", title, svg, DataTable(("机关", "新收申请", "占全部"), rows))


def appeals(o: YearOverview) -> Chart:
    """复议 and 诉讼 by result (table 四 summed)."""
    t4 = o.totals[TableId.T4]
    cases = [("行政复议", ("review",)), ("行政诉讼", ("litigation_direct", "litigation_after_review"))]
    series = [
        (label, [float(sum(t4.number(r, key) for r in rows)) for _c, rows in cases])
        for key, label in T4_RESULTS
    ]
    totals = [float(sum(t4.number(r, "total") for r in rows)) for _c, rows in cases]
    title = "行政复议、行政诉讼的结果"
    rows = tuple(
        cells(case, *(charts.count_text(values[i]) for _l, values in series), charts.count_text(totals[i]))
        for i, (case, _rows) in enumerate(cases)
    )
    table = DataTable(("", *(label for _k, label in T4_RESULTS), "总计"), rows)
    note = f"纠错率（结果纠正 ÷ 复议与诉讼总数）：{rate_text(o.figure('correction_rate'))}"
    svg = charts.grouped_chart("appeals", title, [c for c, _r in cases], series)
    return Chart("appeals", title, svg, table, note)


def copy_rates(o: YearOverview) -> Chart | None:
    """重复率 per body (rule COPY): the share of its narrative repeating last year's, highest first."""
    rated = o.copy_rates
    if not rated:
        return None
    names = [b.name for b in rated]
    values = [float(b.copy_rate or 0.0) for b in rated]
    title = f"正文重复率：与{o.year - 1}年报告相同的文字占比"
    high = [v >= COPY_THRESHOLD for v in values]
    svg = charts.bar_chart("copy-rates", title, names, values, [f"{v:.0%}" for v in values], high)
    rows = tuple(
        cells(b.name, f"{v:.1%}", "是" if v >= COPY_THRESHOLD else "", numeric_to=1)
        for b, v in zip(rated, values, strict=True)
    )
    note = f"重复率达 {COPY_THRESHOLD:.0%} 的机关以深色标出（规则 COPY）；没有上年数据的机关不列出。"
    return Chart("copy-rates", title, svg, DataTable(("机关", "重复率", "达到阈值"), rows), note)


def _change(now: float, before: float) -> str:
    if before != before or now != now:
        return "—"
    if not before:
        return "—" if not now else "新增"
    return f"{(now - before) / before:+.1%}"


def year_over_year(o: YearOverview) -> list[Block]:
    """The whole set over the years, then each body's new applications and 纠错率 by year."""
    years = [int(y) for y in o.history.index if y <= o.year]
    if len(years) < 2:
        return [Para((Text("数据中没有往年的数据，暂无同比。"),), Style.NOTE)]
    hist = o.history.loc[years]

    def at(year: int, key: str) -> float:
        return as_float(hist.loc[year, key])

    rows = tuple(
        cells(
            f"{y}年",
            charts.count_text(at(y, "bodies")),
            charts.count_text(at(y, "new")),
            _change(at(y, "new"), at(y - 1, "new")) if y - 1 in years else "—",
            charts.count_text(at(y, "review")),
            charts.count_text(at(y, "litigation")),
            charts.count_text(at(y, "corrected")),
            rate_text(at(y, "correction_rate")),
        )
        for y in years
    )
    table = DataTable(
        ("年度", "报送机关", "新收申请", "较上年", "行政复议", "行政诉讼", "结果纠正", "纠错率"), rows
    )
    new_title, rate_title = "本年新收申请（全部机关，逐年）", "纠错率（逐年）"
    pair = Pair(
        (
            Chart(
                "yoy-new",
                new_title,
                charts.line_chart("yoy-new", new_title, years, [at(y, "new") for y in years]),
            ),
            Chart(
                "yoy-rate",
                rate_title,
                charts.line_chart(
                    "yoy-rate", rate_title, years, [at(y, "correction_rate") for y in years], True
                ),
            ),
        )
    )
    return [pair, table, Heading("各机关逐年比较", 3), *_per_body(o, years)]


def _value(frame: pd.DataFrame, slug: str, year: int) -> float:
    if slug in frame.index and year in frame.columns:
        return as_float(frame.loc[slug, year])
    return float("nan")


def _per_body(o: YearOverview, years: list[int]) -> list[Block]:
    bodies = [b.slug for b in o.bodies]
    new = body_history(o.figures, "new", bodies)
    rate = body_history(o.figures, "correction_rate", bodies)
    failed = {b.slug for b in o.in_state(BodyState.FAILED)}
    shown = years[-3:]
    rows = []
    for body in o.bodies:
        values = [_value(new, body.slug, y) for y in shown]
        texts = [
            charts.count_text(v)
            if v == v
            else ("无法读取" if body.slug in failed and y == o.year else "未报送")
            for v, y in zip(values, shown, strict=True)
        ]
        last = _value(rate, body.slug, o.year)
        rows.append(cells(body.name, *texts, _change(values[-1], values[-2]), rate_text(last)))
    table = DataTable(("机关", *(f"{y}年新收" for y in shown), "较上年", f"{o.year}年纠错率"), tuple(rows))
    blocks: list[Block] = []
    if not o.this_year.empty and o.year - 1 in years:
        ranked = o.this_year.sort_values(["new", "name"], ascending=[False, True]).head(TOP_BODIES)
        labels = [str(n) for n in ranked["name"]]
        before = [v if (v := _value(new, str(s), o.year - 1)) == v else 0.0 for s in ranked.index]
        now = [as_float(v) for v in ranked["new"]]
        title = f"新收申请最多的机关：{o.year - 1}年与{o.year}年"
        series = [(f"{o.year - 1}年", before), (f"{o.year}年", now)]
        blocks.append(Chart("yoy-bodies", title, charts.grouped_chart("yoy-bodies", title, labels, series)))
    blocks.append(table)
    return blocks
