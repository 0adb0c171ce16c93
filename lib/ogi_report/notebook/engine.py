"""Running a report notebook through papermill on a warm kernel: :func:`execute_report`.

papermill still parameterizes and records each run: :func:`execute_report` calls
``papermill.execute_notebook`` with ``engine_name="ogi_warm"``, the engine papermill found through
its ``papermill.engine`` entry point (:class:`ogi_report.notebook.warm_engine.WarmEngine`).
Importing this module imports papermill (≈2 s with nbclient and nbformat), which registers the engine.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import papermill

from ogi_report.notebook.kernels import WarmKernel

ENGINE_NAME = "ogi_warm"  # the entry point's name (pyproject.toml, group papermill.engine)


def execute_report(
    kernel: WarmKernel,
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    timeout: float | None = None,
) -> Any:
    """Execute ``notebook`` with ``parameters`` on ``kernel`` through papermill, writing ``output``.

    Raises papermill's ``PapermillExecutionError`` when a cell failed (the notebook at ``output``
    then carries papermill's error marker).  The kernel is reset before; after a failure it is
    marked broken, and the next :meth:`WarmKernel.ensure_ready` restarts it so the next report starts clean.
    """
    kernel.ensure_ready()
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        return papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            engine_name=ENGINE_NAME,
            kernel_name=kernel.kernel_name,
            progress_bar=False,
            # One write at the end (or with the error marker): per-cell saves cost more than the cells.
            request_save_on_cell_execute=False,
            kernel=kernel,
            kernel_cwd=cwd,  # papermill's own ``cwd`` would chdir this process, not the kernel
            deadline=deadline,
        )
    except Exception:
        # Whatever failed (a cell, papermill, the kernel), the next report gets a restarted kernel.
        kernel.broken = True
        raise
    finally:
        kernel.reports += 1
