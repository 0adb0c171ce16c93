#!/usr/bin/env python3
"""``ogi-report batch`` under its first name: ``.venv/bin/python run_reports.py --help``.

Its folder is the default project root.  The guard matters: the batch's worker processes import
this file again (multiprocessing's spawn) and must not start a batch of their own.
"""

from ogi_report.cli.main import run_reports

if __name__ == "__main__":
    run_reports()
