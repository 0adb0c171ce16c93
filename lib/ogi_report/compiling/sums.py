"""The members' tables added up: every entry cell summed, every total computed from the sums.

All cells are summed, stock figures included.  Table 二's 现行有效件数 counts the documents in
force *issued by* the body; a document has one issuing body, so the jurisdiction's count is the
sum of its members' — provided the members do not overlap (docs/compile.md says when they do).
Table 三's 上年结转 and 结转下年度 are per body too, so their sums are the jurisdiction's.

Totals are not summed but computed again from the summed cells: the compiled table is consistent
by construction, even when a draft member (``--allow-drafts``) published a wrong total.
"""

from __future__ import annotations

from collections.abc import Sequence

from ogi_report.model.bureau import Table, complete_table, sum_values
from ogi_report.model.values import Value
from ogi_report.spec.formats import Cell, TableSpec


def sum_table(spec: TableSpec, tables: Sequence[Table]) -> Table:
    """``spec``'s table with each entry cell the sum over ``tables`` and its totals computed.

    A blank cell counts as 0, as a report's own totals count it; a cell blank in every member stays
    blank (rule BLANK then asks the government to fill it, as it would ask a member).
    """
    cells: dict[Cell, Value] = {}
    for _block, row, col in spec.cells():
        if row.total or col.total:
            continue
        key = (row.key, col.key)
        values = [t.cells[key] for t in tables]
        cells[key] = None if all(v is None for v in values) else sum_values(values)
    return complete_table(spec, cells)
