"""The batch: every bureau-year of a project rendered by papermill on warm kernels, in parallel.

:func:`ogi_report.batch.plan.plan` decides what to render (validated before any kernel, skipped when
unchanged), :mod:`~ogi_report.batch.pool` runs the jobs on worker processes
(:mod:`~ogi_report.batch.worker`), :mod:`~ogi_report.batch.state` records each outcome beside its
outputs, :mod:`~ogi_report.batch.summary` writes each year's index and CSV files, and
:mod:`~ogi_report.batch.lock` keeps one batch per output folder.  The command is ``ogi-report batch``.
"""

from ogi_report.batch.jobs import FORMATS, Job, Outcome, Status
from ogi_report.batch.lock import batch_lock
from ogi_report.batch.plan import Plan
from ogi_report.batch.state import read_states, record_outcome
from ogi_report.batch.summary import write_year

__all__ = [
    "FORMATS",
    "Job",
    "Outcome",
    "Plan",
    "Status",
    "batch_lock",
    "read_states",
    "record_outcome",
    "write_year",
]
