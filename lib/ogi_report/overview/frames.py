"""Bureau-years as pandas DataFrames, for analysts and for the year overview.

:func:`long_frame` is the one shape everything else derives from: one row per cell of tables 二, 三
and 四 of every bureau-year given, with the columns of :data:`LONG_COLUMNS`::

    body  name  year  table  row_key  row_label  column_key  column_label  value  state

``value`` is a float (NaN for a blank cell; amounts such as 行政事业性收费 keep their decimals —
the JSON form stays the exact record), ``state`` says where the value came from
(:class:`CellState`: ``given`` in the data, ``computed`` — a total the data left out —, or
``blank``).  :func:`wide_t3` and :func:`wide_t4` pivot the long frame into the printed shape of
tables 三 and 四 (one row per body-year and table row, one column per table column), and
:func:`findings_frame` lists what the checks found, one row per finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache

import pandas as pd

from ogi_report.checks.findings import Finding
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.formats import TableId, TableSpec

LONG_COLUMNS = (
    "body",
    "name",
    "year",
    "table",
    "row_key",
    "row_label",
    "column_key",
    "column_label",
    "value",
    "state",
)
FINDING_COLUMNS = (
    "body",
    "name",
    "year",
    "rule",
    "severity",
    "table",
    "row",
    "column",
    "found",
    "expected",
    "message",
)
# Columns of few distinct values: categoricals keep a data root of 1,000 bureau-years small and fast.
_CATEGORIES = ("body", "name", "table", "row_key", "row_label", "column_key", "column_label", "state")


class CellState(StrEnum):
    """Where a cell's value came from."""

    GIVEN = "given"  # written in the data
    COMPUTED = "computed"  # a total the data left out, computed by the kit
    BLANK = "blank"  # printed blank (or "/"): no value

    @property
    def label(self) -> str:
        return {"given": "填报", "computed": "计算", "blank": "空白"}[self.value]


@cache
def _layout(spec: TableSpec) -> tuple[tuple[str, str, str, str], ...]:
    """(row key, row label, column key, column label) of every cell of ``spec``, in printed order."""
    return tuple((row.key, row.qualified_label, col.key, col.label) for _block, row, col in spec.cells())


def long_frame(bureau_years: Iterable[BureauYear]) -> pd.DataFrame:
    """Every cell of tables 二, 三 and 四 of ``bureau_years``, one row each (see module docs)."""
    columns: dict[str, list[object]] = {name: [] for name in LONG_COLUMNS}
    body, name, year, table = columns["body"], columns["name"], columns["year"], columns["table"]
    row_key, row_label = columns["row_key"], columns["row_label"]
    column_key, column_label = columns["column_key"], columns["column_label"]
    value, state = columns["value"], columns["state"]
    nan = float("nan")
    for by in bureau_years:
        meta = by.meta
        for table_id in TableId:
            tbl = by.tables.get(table_id)
            if tbl is None:
                continue
            cells, computed = tbl.cells, tbl.computed
            layout = _layout(tbl.spec)
            n = len(layout)
            body += [meta.slug] * n
            name += [meta.name] * n
            year += [meta.year] * n
            table += [str(table_id)] * n
            for r_key, r_label, c_key, c_label in layout:
                row_key.append(r_key)
                row_label.append(r_label)
                column_key.append(c_key)
                column_label.append(c_label)
                v = cells[(r_key, c_key)]
                if v is None:
                    value.append(nan)
                    state.append(CellState.BLANK.value)
                else:
                    value.append(float(v))
                    given = (r_key, c_key) not in computed
                    state.append(CellState.GIVEN.value if given else CellState.COMPUTED.value)
    frame = pd.DataFrame(columns)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    for column in _CATEGORIES:
        frame[column] = frame[column].astype("category")
    return frame


def bureau_frame(by: BureauYear) -> pd.DataFrame:
    """The long frame of one bureau-year."""
    return long_frame([by])


def _wide(long: pd.DataFrame, table_id: TableId) -> pd.DataFrame:
    part = long[long["table"] == str(table_id)]
    if part.empty:
        return pd.DataFrame()
    # The table's own column order (as printed), not the alphabetical one pivot would give.
    order = list(dict.fromkeys(part["column_key"].astype(str)))
    rows = list(dict.fromkeys(part["row_key"].astype(str)))
    wide = part.pivot_table(
        index=["body", "year", "row_key"],
        columns="column_key",
        values="value",
        aggfunc="first",
        observed=True,
        dropna=False,
    )
    wide = wide.reindex(columns=order)
    wide.columns.name = None
    wide = wide.reset_index()
    wide["row_key"] = pd.Categorical(wide["row_key"].astype(str), categories=rows, ordered=True)
    wide = wide.sort_values(["body", "year", "row_key"]).dropna(how="all", subset=order)
    return wide.set_index(["body", "year", "row_key"])


def wide_t3(long: pd.DataFrame) -> pd.DataFrame:
    """Table 三 as printed: index (body, year, row_key), one column per applicant column (… total)."""
    return _wide(long, TableId.T3)


def wide_t4(long: pd.DataFrame) -> pd.DataFrame:
    """Table 四 as printed: index (body, year, row_key: review / litigation_*), columns upheld … total."""
    return _wide(long, TableId.T4)


def findings_frame(checked: Iterable[tuple[BureauYear, Sequence[Finding]]]) -> pd.DataFrame:
    """One row per finding of each (bureau-year, its findings) pair, columns :data:`FINDING_COLUMNS`."""
    rows = [
        (
            by.meta.slug,
            by.meta.name,
            by.meta.year,
            str(f.rule),
            f.severity.value,
            f.table,
            f.row,
            f.column,
            f.found,
            f.expected,
            f.message,
        )
        for by, findings in checked
        for f in findings
    ]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame["year"] = frame["year"].astype("int64")
    return frame
