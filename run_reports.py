#!/usr/bin/env python3
"""Render a batch of bureau-years (every ``params/*.toml``) with papermill; see ``--help``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

from ogi_report.batch_cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
