"""``--scheduler local:N``'s cluster: a Dask scheduler and N Dask workers, in processes of their own.

``python -m ogi_report.batch.localcluster N NOTEBOOK ROOT`` starts N worker processes and a
:class:`distributed.Scheduler`, prints the scheduler's address as one line on stdout once every
worker has registered, and keeps them until its stdin closes (the batch closed it, or the batch
process died); then it stops the workers (each shuts its kernel down) and exits.  Each worker is a
plain :class:`distributed.Worker` with one thread and the
:class:`~ogi_report.batch.cluster.RendererPlugin`, so its kernel boots as the worker starts.

Why not :class:`distributed.LocalCluster`:

- **Start-up.**  The batch plans (reads, validates and fingerprints every bureau-year) while the
  cluster starts, so the cluster runs in a process of its own, not competing with planning for
  the interpreter lock.  LocalCluster's nannies start each worker as a fresh interpreter that
  imports Dask again (≈ 0.35 s of CPU each, on a machine whose cores the renders need); here the
  workers are forked after Dask and the kit are imported — and before this process starts any
  thread, so no lock can be held mid-way by another thread at the fork (forking a process with
  threads, as LocalCluster would with ``fork``, risks a child stuck on such a lock).
- **A worker that dies** (killed, out of memory) is replaced, as a nanny would, by a freshly
  spawned interpreter (this process has threads by then); its task is retried by the scheduler.
- **Ending.**  Workers are asked to close (their plugin shuts each kernel down), then terminated
  after a grace period; a worker whose launcher has died closes itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

READY = "ogi-report-dask-scheduler "  # the line's prefix: the address follows
STOP = "stop"  # sent to a worker over its pipe: close and exit
START_TIMEOUT = 120.0  # seconds for every worker to register (a kernel's first start is ≈ 2 s)
GRACE = 20.0  # seconds for a worker to close (its kernel's shutdown) before it is terminated
WATCH_INTERVAL = 0.5  # seconds between looks at the workers (a dead one is replaced)
MAX_REPLACEMENTS = 10  # per worker: workers dying more often than this cannot run here


def _worker_main(conn: Connection, address: str | None, plugin: Any, launcher: int) -> None:
    """A worker process: wait for the scheduler's address (unless given), then serve until told to stop."""
    import dask
    import distributed  # noqa: F401  (before the level is set: importing it sets the level)

    logging.getLogger("distributed").setLevel(logging.ERROR)  # as the launcher's (a spawned one)
    # A worker's statistical profiler samples every thread's stack every 10 ms: a render's thread
    # is busy for its whole task, so the samples cost CPU the reports need.
    dask.config.set({"distributed.worker.profile.enabled": False})
    if address is None:
        address = str(conn.recv())
    asyncio.run(_serve(conn, address, plugin, launcher))


async def _serve(conn: Connection, address: str, plugin: Any, launcher: int) -> None:
    from distributed import Worker

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def wait_for_stop() -> None:
        # Told to stop, or the pipe closed (the launcher died): close either way.
        with contextlib.suppress(EOFError, OSError):
            conn.recv()
        loop.call_soon_threadsafe(stop.set)

    def watch_launcher() -> None:
        while os.getppid() == launcher:
            threading.Event().wait(WATCH_INTERVAL * 2)
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_stop, daemon=True).start()
    threading.Thread(target=watch_launcher, daemon=True).start()
    async with Worker(address, nthreads=1, plugins=(plugin,), dashboard=False, memory_limit=0) as worker:
        finished = asyncio.ensure_future(worker.finished())
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({finished, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()


_Process = tuple[multiprocessing.process.BaseProcess, Connection]  # a worker and its pipe


class _Workers:
    """The worker processes: forked at first, spawned as replacements; told to stop at the end."""

    def __init__(self, count: int, plugin: Any) -> None:
        self.plugin = plugin
        self.address: str | None = None
        self.processes: list[_Process] = []
        self.replaced = 0  # workers replaced so far
        fork = multiprocessing.get_context("fork")
        for _ in range(count):
            self.processes.append(self._start(fork, None))

    def _start(self, context: Any, address: str | None) -> _Process:
        parent, child = context.Pipe()
        process = context.Process(
            target=_worker_main,
            args=(child, address, self.plugin, os.getpid()),
            name="ogi-report-dask-worker",
        )
        process.start()
        child.close()
        return process, parent

    def tell(self, address: str) -> None:
        """Give the forked workers the scheduler's address (they wait for it)."""
        self.address = address
        for _process, conn in self.processes:
            conn.send(address)

    def replace_dead(self) -> int:
        """Start a fresh worker for each that died; how many were replaced.

        At most :data:`MAX_REPLACEMENTS` per worker over the cluster's life: a worker that dies
        as it starts (a broken installation) is not restarted in a loop; the scheduler then fails
        its tasks, and the batch reports them.
        """
        spawn = multiprocessing.get_context("spawn")
        replaced = 0
        for index, (process, conn) in enumerate(self.processes):
            if not process.is_alive() and self.replaced < MAX_REPLACEMENTS * len(self.processes):
                self.replaced += 1
                process.join()
                conn.close()
                self.processes[index] = self._start(spawn, self.address)
                replaced += 1
        return replaced

    def stop(self) -> None:
        """Ask every worker to close, then terminate (and at last kill) those still running."""
        for _process, conn in self.processes:
            with contextlib.suppress(OSError):
                conn.send(STOP)
        for process, conn in self.processes:
            process.join(GRACE)
            if process.is_alive():
                process.terminate()
                process.join(GRACE)
            if process.is_alive():
                process.kill()
                process.join()
            conn.close()


async def _schedule(workers: _Workers, count: int) -> None:
    """Run the scheduler: announce it once ``count`` workers registered, keep it until stdin closes."""
    from distributed import Scheduler

    loop = asyncio.get_running_loop()
    async with Scheduler(host="127.0.0.1", port=0, dashboard_address=":0") as scheduler:
        workers.tell(scheduler.address)
        deadline = loop.time() + START_TIMEOUT
        while len(scheduler.workers) < count:
            dead = [p.exitcode for p, _c in workers.processes if not p.is_alive()]
            if dead or loop.time() > deadline:
                why = f"工作进程退出（退出码 {dead[0]}）" if dead else f"{START_TIMEOUT:.0f} 秒内未全部就绪"
                raise RuntimeError(f"{count} 个 Dask 工作进程未能启动：{why}")
            await asyncio.sleep(0.02)
        print(READY + scheduler.address, flush=True)
        ended = loop.run_in_executor(None, sys.stdin.read)  # until the batch closes it, or dies
        while not ended.done():
            workers.replace_dead()
            if not any(process.is_alive() for process, _conn in workers.processes):
                # Nothing left to run the tasks: ending the scheduler tells the batch, which
                # stops with its message instead of waiting for workers that will not come.
                raise RuntimeError(f"Dask 工作进程反复退出（已重启 {workers.replaced} 次），本机集群停止")
            await asyncio.wait({ended}, timeout=WATCH_INTERVAL)
        # The workers close while their scheduler is still there to release them.
        await loop.run_in_executor(None, workers.stop)


def _plugin(notebook: Path, root: Path) -> Any:
    from ogi_report.batch.cluster import RendererPlugin

    return RendererPlugin(notebook.relative_to(root).as_posix(), notebook.read_bytes())


def main(argv: list[str]) -> int:
    """Run the cluster until stdin closes; 2 (with the reason on stderr) when it cannot start."""
    from ogi_report.startup import skip_slow_optional_imports

    skip_slow_optional_imports()
    # Imported before the fork, so the workers start with them: Dask (its worker and scheduler),
    # and the kit's worker side.
    import dask  # noqa: F401
    import distributed  # noqa: F401

    # Dask's start and stop are logged at INFO; errors only, as LocalCluster(silence_logs=…) does
    # (after the import, which sets the level; the forked workers inherit it).
    logging.getLogger("distributed").setLevel(logging.ERROR)

    try:
        count, notebook, root = int(argv[0]), Path(argv[1]), Path(argv[2])
        plugin = _plugin(notebook, root)
    except Exception as exc:  # said to the batch, which shows it in Chinese with the cause
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 2
    workers = _Workers(count, plugin)  # forked now: this process still has a single thread
    try:
        asyncio.run(_schedule(workers, count))
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 2
    finally:
        workers.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
