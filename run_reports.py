#!/usr/bin/env python3
"""Render a batch of bureau-years (every ``params/*.toml``) with papermill; see ``--help``.

Run it with the project's environment: ``.venv/bin/python run_reports.py``.
"""

import sys

from ogi_report.cli.batch import main

if __name__ == "__main__":
    sys.exit(main())
