"""A bureau-year as an Excel workbook in the official layout, and back.

:mod:`.layout` says where every label and value sits (one place for both directions), :mod:`.write`
writes the workbook, :mod:`.read` reads an analyst's filled-in workbook back, collecting every
problem with its sheet and cell.  Importing this package imports openpyxl.

    write_workbook(by, path)                          the .xlsx of a bureau-year (atomic)
    read_workbook(path, narrative) -> BureauYear      raises DataError
"""

from ogi_report.storage.xlsx.read import cell_value, read_workbook
from ogi_report.storage.xlsx.write import build_workbook, write_workbook

__all__ = ["build_workbook", "cell_value", "read_workbook", "write_workbook"]
