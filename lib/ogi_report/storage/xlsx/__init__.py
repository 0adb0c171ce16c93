"""A bureau-year as an Excel workbook in the official layout, and back.

:mod:`.layout` says where every label and value sits (one place for both directions), :mod:`.write`
writes the workbook, :mod:`.read` reads an analyst's filled-in workbook back, collecting every
problem with its sheet and cell.  Importing this package imports openpyxl.

    write_workbook(by, path, provenance=…)            the .xlsx of a bureau-year (atomic), with the
                                                      import record of an imported one
    read_workbook(path, narrative) -> BureauYear      raises DataError
    read_workbook_origin(path, narrative)             … and what the workbook says of its 正文 sheet
                                                      and its import record (WorkbookOrigin)
    workbook_cell(spec, row, column) -> 「表三」!J5     where a finding's cell sits in the workbook
"""

from ogi_report.storage.xlsx.layout import narrative_digest, workbook_cell
from ogi_report.storage.xlsx.read import WorkbookOrigin, cell_value, read_workbook, read_workbook_origin
from ogi_report.storage.xlsx.write import build_workbook, write_workbook

__all__ = [
    "WorkbookOrigin",
    "build_workbook",
    "cell_value",
    "narrative_digest",
    "read_workbook",
    "read_workbook_origin",
    "workbook_cell",
    "write_workbook",
]
