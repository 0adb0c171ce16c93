"""``python -m ogi_report`` runs the command line."""

import sys

from ogi_report.cli.main import main

sys.exit(main())
