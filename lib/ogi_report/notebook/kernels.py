"""Warm kernels: one long-lived kernel per job slot, reset between reports, restarted after failures.

A kernel start (≈1 s) and the imports of the report (≈0.6 s) cost far more than rendering one
bureau-year (≈0.05 s).  :class:`WarmKernel` starts a kernel once and imports what the notebook
imports into it once (:func:`notebook_imports`); before each report :func:`reset_code` clears the
user namespace (``%reset -f``), so no variable of one bureau is visible to the next.  After any
error, timeout or death the kernel is restarted, so a failed report leaves no module state behind.

Only ``jupyter_client`` is imported here (≈0.3 s), so a worker can launch its kernel first and
import papermill and nbconvert (≈2 s) while the kernel boots.

A kernel dies with the process that started it (:func:`die_with_parent`, set by a two-line launcher
before the kernel's own command runs), so a killed worker never leaves a kernel writing behind it.
"""

from __future__ import annotations

import ast
import ctypes
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from ogi_report.errors import KernelFailure

KERNEL_NAME = "python3"

WARM_CODE = """
def _ogi_warm(names):
    import importlib
    import IPython.display
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # not a module (``from pkg import function``), or broken: the report will say so
_ogi_warm({names!r})
del _ogi_warm
"""


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# Run in place of the kernel's command: ask Linux to SIGKILL the kernel when the worker thread that
# started it ends (the setting survives exec), unless that parent is already gone; then become the
# kernel.  Done in a fresh interpreter rather than a ``preexec_fn``, which is unsafe in a process with
# threads (libzmq's).
ORPHAN_GUARD = (
    "import ctypes,os,sys\n"
    "ctypes.CDLL(None).prctl(1, 9, 0, 0, 0)\n"
    "os.getppid() == int(sys.argv[1]) or os._exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def die_with_parent(signum: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent ends; False where unsupported.

    Linux sends it when the *thread* that forked this process ends, so a child must be started
    from a thread that lives as long as the parent process (here: always the main thread).
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return bool(libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0)


def orphan_guarded(cmd: Sequence[str]) -> list[str]:
    """``cmd`` run so that it is killed when this process (its parent) ends (Linux only)."""
    if not sys.platform.startswith("linux") or not cmd:
        return list(cmd)
    program = shutil.which(cmd[0]) or cmd[0]
    return [sys.executable, "-S", "-c", ORPHAN_GUARD, str(os.getpid()), program, *cmd[1:]]


class _GuardedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels die with the process that manages them."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return orphan_guarded(super().format_kernel_cmd(extra_arguments))


def notebook_imports(notebook: Path) -> list[str]:
    """The modules a notebook's code cells import (``from a import b`` gives ``a`` and ``a.b``).

    Imported into a kernel once, they make every later report's imports free.
    """
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []
    names: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # IPython magics: nothing to warm
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names += [node.module, *(f"{node.module}.{a.name}" for a in node.names if a.name != "*")]
    return list(dict.fromkeys(names))


def reset_code(cwd: Path) -> str:
    """Code that gives the next report a fresh namespace, history counter and working folder.

    It is sent without waiting for its reply, so it cannot fail quietly: if any of it fails, the
    kernel ends (exit status 70), the report fails on a dead kernel and the next gets a new one.
    """
    # ``%reset -f`` semantics plus a restarted execution counter, so the executed notebook reads
    # In [1], In [2]… as from a fresh kernel.
    return (
        "try:\n"
        f"    __import__('os').chdir({str(cwd)!r})\n"
        "    get_ipython().reset(new_session=False)\n"
        "    get_ipython().execution_count = 1\n"
        "except BaseException:\n"
        "    __import__('os')._exit(70)\n"
    )


class WarmKernel:
    """One job slot's kernel: started once, warmed once, reset before and restarted after failures."""

    def __init__(
        self,
        cwd: Path,
        warm_modules: Sequence[str] = ("ogi_report",),
        kernel_name: str = KERNEL_NAME,
        startup_timeout: float = 60,
        runtime_dir: Path | None = None,
    ) -> None:
        self.cwd = cwd
        self.warm_modules = list(warm_modules)
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.km: Any = None
        self.kc: Any = None
        # Sockets and connection file in one short-named folder (Unix socket paths are limited to
        # ~100 bytes), inside ``runtime_dir`` when given so the batch can remove what a killed
        # worker could not.
        self.socket_dir = Path(tempfile.mkdtemp(prefix="ogi-k-", dir=runtime_dir))
        self.broken = False
        self.reports = 0  # reports run since the last (re)start
        self.language_info: Any = None  # the kernel's, asked for by the first report after a start

    def start(self) -> None:
        """Start the kernel and its client and import the kit (blocking)."""
        self.launch()
        self.connect()

    def launch(self) -> None:
        """Start the kernel process; it boots while the caller does other work (see :meth:`connect`)."""
        run_sync(self._launch)()

    def connect(self) -> None:
        """Wait for the launched kernel, connect to it and import the warm modules."""
        run_sync(self._connect)()

    async def _launch(self) -> None:
        # IPC sockets: local only, and the kernel does not warn about unencrypted TCP on stderr.
        self.socket_dir.mkdir(exist_ok=True)
        self.km = _GuardedKernelManager(
            kernel_name=self.kernel_name,
            transport="ipc",
            ip=str(self.socket_dir / "kernel"),
            connection_file=str(self.socket_dir / "kernel.json"),
        )
        # No history database (parallel kernels would contend for its lock) and no Out[] cache: with
        # one, every namespace reset ends in a full gc.collect() (≈80 ms with pandas loaded).
        # The warm imports also run as the kernel boots (``exec_lines``), while the worker imports
        # papermill and nbconvert, instead of after: ≈0.1 s off every worker's start.  Their run
        # after connecting (:meth:`_connect`) then finds them imported and checks the kernel answers.
        warm = json.dumps([f"exec({WARM_CODE.format(names=self.warm_modules)!r})"])
        await self.km.start_kernel(
            cwd=str(self.cwd),
            extra_arguments=[
                "--HistoryManager.enabled=False",
                "--InteractiveShell.cache_size=0",
                f"--IPKernelApp.exec_lines={warm}",
            ],
        )

    async def _connect(self) -> None:
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=self.startup_timeout)
        self.kc.allow_stdin = False
        self.language_info = None
        await self._run(WARM_CODE.format(names=self.warm_modules), self.startup_timeout)
        self.broken = False
        self.reports = 0

    async def _run(self, code: str, timeout: float) -> None:
        reply = await self.kc.execute_interactive(
            code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None
        )
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise KernelFailure(f"内核准备失败：{content.get('ename')}: {content.get('evalue')}")

    def ensure_ready(self) -> None:
        """Start the kernel, or restart it when the last report left it broken."""
        if self.km is None:
            self.start()
        elif self.broken:
            self.restart()

    def restart(self) -> None:
        """Kill the kernel and start a fresh one: used after any failure so no state leaks."""
        self.shutdown()
        self.start()

    def shutdown(self) -> None:
        """Stop the kernel process now; safe to call twice."""
        if self.km is None:
            return
        run_sync(self._shutdown)()

    async def _shutdown(self) -> None:
        km, kc = self.km, self.kc
        self.km = self.kc = None
        if kc is not None:
            kc.stop_channels()
        try:
            if await km.is_alive():
                await km.shutdown_kernel(now=True)
        finally:
            await km.cleanup_resources()
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def __enter__(self) -> WarmKernel:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
