"""The numbers of a year overview, computed once: tables summed across bodies and key figures.

:func:`sum_tables` adds up one official table over many bodies, cell by cell, so the totals can be
printed in the official layout.  :func:`key_figures` reduces the long frame to one row per
body-year with the figures a coordinator asks for first (新收, 予以公开 …, 复议, 诉讼, 纠错率);
:func:`yearly` adds them up per year.  Everything the overview page, its charts and its tables show
comes from here, so a number printed twice is the same number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ogi_report.model.bureau import Table, sum_values
from ogi_report.model.values import Value
from ogi_report.spec.formats import TableId, TableSpec

# Table 三's result rows grouped as the report counts them (a group's items summed).
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("granted", "予以公开"),
    ("partly_granted", "部分公开"),
    ("refused", "不予公开"),
    ("unable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)
# Every key figure, with its Chinese name, in the order tables and CSV print them.
FIGURES: tuple[tuple[str, str], ...] = (
    ("new", "本年新收申请"),
    ("carried_over", "上年结转"),
    *OUTCOMES,
    ("processed", "办理结果总计"),
    ("carried_forward", "结转下年度"),
    ("review", "行政复议"),
    ("litigation", "行政诉讼"),
    ("corrected", "复议诉讼结果纠正"),
    ("correction_rate", "纠错率"),
)
FIGURE_LABELS = dict(FIGURES)
# Table 四: what each key figure adds up.
_T4_CASES = {"review": ("review",), "litigation": ("litigation_direct", "litigation_after_review")}
T4_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)


def sum_tables(spec: TableSpec, tables: Iterable[Table]) -> Table:
    """``spec``'s table with each cell the sum of that cell over ``tables`` (all of that spec).

    A blank cell counts as 0, as the report's own totals count it; a cell blank in every table
    stays blank.  Totals are summed like any cell (they are sums themselves), so a body whose
    given total is wrong shows up in the sum as it published it.
    """
    tables = list(tables)
    cells: dict[tuple[str, str], Value] = {}
    for _block, row, col in spec.cells():
        key = (row.key, col.key)
        values = [t.cells[key] for t in tables]
        cells[key] = None if tables and all(v is None for v in values) else sum_values(values)
    return Table(spec, cells)


def _group(row_key: str) -> str:
    """The key figure a row of table 三 adds to: ``refused.third_party`` → ``refused``, ``total`` →
    ``processed``."""
    head = row_key.split(".", 1)[0]
    return "processed" if head == "total" else head


def key_figures(long: pd.DataFrame) -> pd.DataFrame:
    """One row per body-year (index body, year; column ``name``) with every key figure of :data:`FIGURES`.

    Blank cells count as 0.  ``correction_rate`` is 结果纠正 ÷ (行政复议 + 行政诉讼) totals, NaN
    when there were no cases.
    """
    columns = [key for key, _label in FIGURES]
    if long.empty:
        return pd.DataFrame(
            columns=["name", *columns], index=pd.MultiIndex.from_tuples([], names=["body", "year"])
        )
    t3 = long[(long["table"] == str(TableId.T3)) & (long["column_key"] == "total")]
    t3 = t3.assign(figure=t3["row_key"].astype(str).map(_group))
    t4 = long[long["table"] == str(TableId.T4)]
    case_of = {row: case for case, rows in _T4_CASES.items() for row in rows}
    t4_cases = t4[t4["column_key"] == "total"]
    t4_cases = t4_cases.assign(figure=t4_cases["row_key"].astype(str).map(case_of))
    corrected = t4[t4["column_key"] == "corrected"].assign(figure="corrected")
    parts = pd.concat([t3, t4_cases, corrected], ignore_index=True)
    parts["body"] = parts["body"].astype(str)
    parts["name"] = parts["name"].astype(str)
    figures = parts.pivot_table(
        index=["body", "year"], columns="figure", values="value", aggfunc="sum", fill_value=0.0
    )
    names = parts.groupby(["body", "year"])["name"].first()
    figures = figures.reindex(columns=[c for c in columns if c != "correction_rate"], fill_value=0.0)
    figures["correction_rate"] = _rate(figures["corrected"], figures["review"] + figures["litigation"])
    figures.insert(0, "name", names)
    figures.columns.name = None
    return figures


def _rate(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part`` ÷ ``whole``, NaN where ``whole`` is 0."""
    return (part / whole.where(whole != 0, np.nan)).astype("float64")


def yearly(figures: pd.DataFrame) -> pd.DataFrame:
    """The key figures added up per year (index year), with ``bodies`` (how many bodies reported)."""
    counts = [key for key, _label in FIGURES if key != "correction_rate"]
    if figures.empty:
        return pd.DataFrame(columns=["bodies", *counts, "correction_rate"])
    per_year = figures[counts].groupby(level="year").sum()
    per_year.insert(0, "bodies", figures.groupby(level="year").size())
    per_year["correction_rate"] = _rate(per_year["corrected"], per_year["review"] + per_year["litigation"])
    return per_year


def body_history(figures: pd.DataFrame, figure: str, bodies: Sequence[str]) -> pd.DataFrame:
    """One row per body of ``bodies`` (index slug, column ``name``), one column per year: ``figure``."""
    if figures.empty:
        return pd.DataFrame(columns=["name"])
    values = figures[figure].unstack("year")
    names = figures["name"].groupby(level="body").last()
    history = values.reindex(index=list(bodies))
    history.insert(0, "name", names.reindex(list(bodies)))
    history.columns.name = None
    return history
