"""The command line: ``ogi-report <command>``, one argparse tree (``run_reports.py`` is ``ogi-report batch``).

- :mod:`~ogi_report.cli.main`: the tree (:data:`~ogi_report.cli.main.COMMANDS`) and the entry point;
- :mod:`~ogi_report.cli.command`: what a command is, and the exit codes every command uses;
- :mod:`~ogi_report.cli.usage`: help and usage errors in Chinese;
- one module per group of commands: :mod:`~ogi_report.cli.data` (check, export-json, import-json,
  new, formats), :mod:`~ogi_report.cli.render`, :mod:`~ogi_report.cli.xlsx`,
  :mod:`~ogi_report.cli.imports` (import, import-batch) and :mod:`~ogi_report.cli.batch` (with
  :mod:`~ogi_report.cli.console`, what it prints when done).
"""

from ogi_report.cli.command import Command, ExitCode

__all__ = ["Command", "ExitCode"]
