"""The papermill engine ``ogi_warm``: report notebooks run on warm kernels.

:class:`WarmEngine` runs the cells on the job slot's :class:`~ogi_report.notebook.kernels.WarmKernel`
after clearing its namespace.  A cell timeout or a dead kernel is written into the notebook as an
error output, so papermill adds its error marker as for any failing cell, and the kernel is marked
for a restart.

papermill finds the engine through the ``papermill.engine`` entry point ``ogi_warm``
(pyproject.toml), which it loads while ``papermill.engines`` is being imported.  So this module is
papermill's to import: imported first, it would make papermill load it again half-defined.  The kit
runs reports through :func:`ogi_report.notebook.engine.execute_report`, which imports papermill.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine

from ogi_report.errors import KernelFailure
from ogi_report.notebook.kernels import WarmKernel, reset_code

log = logging.getLogger(__name__)


class WarmClient(PapermillNotebookClient):  # type: ignore[misc]
    """papermill's notebook client on a warm kernel, turning timeouts and deaths into cell errors."""

    kernel_broken = False
    reset_source = ""
    warm: WarmKernel | None = None  # the slot's kernel: its language_info is asked for once

    def execute(self, **kwargs: Any) -> Any:
        self.reset_execution_trackers()
        with self.setup_kernel(**kwargs):
            self.reset_namespace()
            self.papermill_execute_cells()
            if not self.kernel_broken:
                self.nb.metadata["language_info"] = self.language_info()
        return self.nb

    def language_info(self) -> Any:
        """The kernel's ``language_info`` for the notebook's metadata, as nbclient records it.

        Asked of the kernel once per kernel start, not once per report: it cannot change while
        the kernel lives, and each request is a round trip through the kernel.
        """
        if self.warm is not None and self.warm.language_info is not None:
            return self.warm.language_info
        info = self.wait_for_reply(self.kc.kernel_info())["content"]["language_info"]
        if self.warm is not None:
            self.warm.language_info = info
        return info

    def reset_namespace(self) -> None:
        """Send :attr:`reset_source` silently through nbclient's own channels, ahead of the cells.

        Going through nbclient matters: a second reader on the shell channel of the same client
        loses replies to nbclient's pending receive.  Its reply is not waited for (a round trip
        through the kernel saved per report): the kernel runs requests in the order they come, so
        the reset is done before the first cell runs, and a reset that fails ends the kernel
        (:func:`~ogi_report.notebook.kernels.reset_code`), so the first cell fails as on a dead
        kernel instead of running in the last report's namespace.  nbclient drops the reply.
        """
        try:
            self.kc.execute(self.reset_source, silent=True, store_history=False, allow_stdin=False)
        except Exception as exc:  # the channel itself is gone
            self.kernel_broken = True
            raise KernelFailure("内核重置失败，已标记为需重启") from exc

    def papermill_execute_cells(self) -> None:
        # papermill's own loop, plus the two failures it lets escape: they become error outputs
        # so the run is recorded (and marked) like any other failing cell.
        for index, cell in enumerate(self.nb.cells):
            try:
                self.nb_man.cell_start(cell, index)
                self.execute_cell(cell, index)
            except CellExecutionError as ex:
                self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                break
            except (CellTimeoutError, DeadKernelError) as ex:
                self.kernel_broken = True
                failed = self.nb.cells[index]
                ename = "ReportTimeout" if isinstance(ex, CellTimeoutError) else "DeadKernelError"
                evalue = (
                    "报告运行超时，内核已重启" if isinstance(ex, CellTimeoutError) else "内核意外退出，已重启"
                )
                error = new_output(  # type: ignore[no-untyped-call]
                    "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}", str(ex)]
                )
                failed.outputs.append(error)
                self.nb_man.cell_exception(failed, cell_index=index, exception=ex)
                break
            finally:
                self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)


class WarmEngine(Engine):  # type: ignore[misc]
    """A papermill engine running the notebook on the :class:`WarmKernel` passed as ``kernel``."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        *,
        kernel: WarmKernel,
        kernel_cwd: Path,
        deadline: float | None = None,
        log_output: bool = False,
        **kwargs: Any,
    ) -> Any:
        def timeout_for(cell: Any) -> int | None:
            # nbclient times cells; a report's budget is shared by all its cells.
            if deadline is None:
                return None
            return max(1, math.ceil(deadline - time.monotonic()))

        client = WarmClient(
            nb_man,
            km=kernel.km,
            kernel_name=kernel_name,
            timeout_func=timeout_for,
            interrupt_on_timeout=False,
            log=log,
            log_output=log_output,
        )
        # NotebookClient.__init__ drops a ``kc`` argument; set after, it skips a new client per
        # report (whose start waits 0.2 s flushing iopub).
        client.kc = kernel.kc
        client.warm = kernel
        client.reset_source = reset_code(kernel_cwd)
        try:
            return client.execute()
        finally:
            if client.kernel_broken:
                kernel.broken = True
