"""The batch on a Dask cluster: bureau-years as tasks, each Dask worker a warm kernel.

``ogi-report batch --scheduler tcp://HOST:8786`` (an existing cluster) or ``--scheduler local:N``
(a Dask scheduler and N Dask workers on this machine, started for the batch by
:mod:`ogi_report.batch.localcluster`) runs the batch's
jobs here instead of on :class:`~ogi_report.batch.pool.WorkerPool`; planning, fingerprints, state,
the index and the overview are the batch's as always.

Workers share no filesystem with the client.  A task carries a :class:`Shipment`: the job, the
notebook and the bytes of every file the render reads (the bureau-year's data folder, last year's
beside it, its params file).  The worker writes them into a private project folder, renders there
with the same :class:`~ogi_report.batch.worker.Renderer` the local pool uses (kept warm by
:class:`RendererPlugin` for the worker's life), and returns a :class:`Delivery`: the outcome and the
bytes of every file it wrote.  The client writes those atomically into ``output/<year>/`` under the
batch lock, so nothing half-written ever sits at a final path and a stale batch commits nothing.

Faults: a worker that dies mid-task has its task rerun on another worker by the scheduler (its
``allowed-failures``); a render past ``--timeout`` (plus a margin) fails alone and its worker starts
a fresh kernel; losing the scheduler stops the batch with a Chinese message (finished reports are
kept, a rerun renders the rest).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

import ogi_report
from ogi_report.batch.jobs import Job, Outcome
from ogi_report.batch.lock import committing
from ogi_report.errors import RenderError, UsageError
from ogi_report.storage.textfiles import write_bytes
from ogi_report.storage.workspace import Workspace, previous_folder

LOCAL_PREFIX = "local:"
PLUGIN_NAME = "ogi-report-renderer"
HANG_MARGIN = 60.0  # as the local pool's: past the notebook's own timeout, a render is presumed hung
MAX_SHIPPED_BYTES = 64 * 1024 * 1024  # a bureau-year's files are a few KB; the notebook ~10 KB
CONNECT_TIMEOUT = "10s"
MAX_CHUNK = 8  # reports per task at most: a killed worker's task reruns no more than this
CHUNKS_PER_WORKER = 4  # tasks per worker at least before reports are grouped
SCRATCH_PREFIX = "ogi-dask-"  # a worker's scratch folder: ogi-dask-<pid>-<random>
SHM_ROOM = 2**30  # free bytes /dev/shm must have to hold the workers' scratch copies


@dataclass(frozen=True)
class Shipment:
    """What one task carries to a worker: the job and the files it reads, relative to the project."""

    job: Job
    notebook: str  # the notebook's path relative to the project
    files: dict[str, bytes]  # project-relative POSIX path → content


@dataclass(frozen=True)
class Delivery:
    """What a task brings back: the outcome and each file it wrote, relative to ``output/<year>``."""

    outcome: Outcome
    files: dict[str, bytes]


# ---------------------------------------------------------------------------------------------
# The client side.


def _regular_files(folder: Path) -> Iterator[Path]:
    """The files of ``folder`` a render reads (the kit's data files and records), when they are
    regular files: links and other kinds are the render's to refuse, and anything else kept in
    the folder (a scan of the printed report…) is not the render's and does not travel."""
    from ogi_report.storage.folder import DATA_FILES
    from ogi_report.storage.members import COMPILED_FILE, MEMBERS_FILE
    from ogi_report.storage.provenance import PROVENANCE_FILE

    for name in (*DATA_FILES, PROVENANCE_FILE, MEMBERS_FILE, COMPILED_FILE):
        path = folder / name
        with contextlib.suppress(OSError):
            if stat.S_ISREG(path.lstat().st_mode):
                yield path


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{path} 不在项目 {root} 之内：集群上的渲染只能带上项目里的文件") from None


def _params_file(root: Path, slug: str, year: int) -> list[Path]:
    params = Workspace(root).params_file(slug, year)
    return [params] if params.is_file() and not params.is_symlink() else []


def _members(job: Job) -> list[Path]:
    """The data files and params files of a compiled government's members: rule COMPILE reads them."""
    from ogi_report.storage.members import member_folders

    paths: list[Path] = []
    for slug, folder in member_folders(Workspace(job.root), job.data, job.slug, job.year):
        paths += _regular_files(folder)
        paths += _params_file(job.root, slug, job.year)
    return paths


def ship(job: Job) -> Shipment:
    """The job with the bytes of every file its render reads, read now, on the client."""
    root = job.root
    paths = [*_regular_files(job.data)]
    if (previous := previous_folder(job.data)) is not None:
        paths += _regular_files(previous)
    paths += _params_file(root, job.slug, job.year)
    paths += _members(job)
    paths.append(job.notebook)
    files: dict[str, bytes] = {}
    total = 0
    for path in paths:
        total += path.stat().st_size  # before reading: an oversized file is refused unread
        if total > MAX_SHIPPED_BYTES:
            raise RenderError(f"{job.data} 的文件合计超过 {MAX_SHIPPED_BYTES // 2**20} MB，不能发往集群")
        files[_relative(root, path)] = path.read_bytes()
    return Shipment(job, _relative(root, job.notebook), files)


def _safe_relative(name: str) -> PurePosixPath:
    """A file name from the other side of the wire, refused when it would leave its folder."""
    rel = PurePosixPath(name)
    if rel.is_absolute() or not rel.parts or ".." in rel.parts:
        raise RenderError(f"集群返回了不安全的文件名「{name}」")
    return rel


def deliver(job: Job, delivery: Delivery, token: str) -> Outcome:
    """Write the delivered files at their final paths under the batch lock; the outcome to record.

    Each file is written beside its final path and renamed into place; review editions not
    delivered are settled against the recorded state as the local pool settles them.
    """
    from ogi_report.batch.worker import settle_review

    outcome = delivery.outcome
    with committing(job.out_dir.parent, token):
        for name, content in delivery.files.items():
            path = job.out_dir / _safe_relative(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, content)
    return settle_review(job, outcome)


def _kit_version() -> str:
    """Run on each worker: the kit's version there."""
    return ogi_report.__version__


class ClusterPool:
    """Renders :class:`Job` s on a Dask cluster; the same ``run`` as the local pool's.

    ``scheduler`` is ``tcp://HOST:PORT`` (or any address :class:`distributed.Client` takes) or
    ``local:N``.  Use as a context manager from the batch's main thread.
    """

    def __init__(
        self,
        scheduler: str,
        token: str = "",
        say: Callable[[str], None] | None = None,
        notebook: Path | None = None,
        root: Path | None = None,
    ) -> None:
        self.scheduler = scheduler
        self.token = token
        # The batch's notebook (and project root), sent with the plugin so each worker's kernel
        # starts while the batch is still planning.
        self.notebook = notebook
        self.root = root
        self.say = say or (lambda text: print(text, file=sys.stderr))
        self.client: Any = None
        self._local: _LocalCluster | None = None  # local:N's cluster
        self.note = ""  # the progress line's 进程=…: how many Dask workers render
        self.workers = 1  # how many there are (asked when connecting)
        self._connecting: concurrent.futures.ThreadPoolExecutor | None = None
        self._connected: concurrent.futures.Future[None] | None = None

    def __enter__(self) -> ClusterPool:
        if self.scheduler.startswith(LOCAL_PREFIX):
            # A malformed local:N is refused before anything starts; a good one starts its
            # cluster's process now, the first thing, so the kernels boot while the batch plans.
            self._local = _LocalCluster(local_workers(self.scheduler), self.notebook, self.root)
        # Connecting (for local:N: starting the worker processes, ≈ 0.5 s) runs beside the
        # planning of the batch; :meth:`ready` waits for it before the batch writes anything.
        self._connecting = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="ogi-dask-connect")
        self._connected = self._connecting.submit(self._connect)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ready(self) -> None:
        """Wait until the cluster is connected, its versions checked and the plugin registered.

        Raises :class:`UsageError` (no scheduler there, no workers, another version) or
        :class:`RenderError` (a worker that cannot take the plugin) as connecting found it.
        """
        if self._connected is not None:
            self._connected.result()

    def _connect(self) -> None:
        from distributed import Client

        try:
            if self._local is not None:
                # Results straight from the workers: by default the scheduler relays them, and
                # every report's files (≈ 130 KB of HTML, far more with PDF) would cross twice.
                address = self._local.address()
                self.client = Client(address, timeout=CONNECT_TIMEOUT, direct_to_workers=True)
            else:
                self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self._disconnect()
            raise UsageError(f"无法连接 Dask 调度器 {self.scheduler}：{exc}") from None
        try:
            self._check_versions()
            if self._local is None:  # local:N's workers were given it as they started
                self.client.register_plugin(self._plugin(), name=PLUGIN_NAME)
        except UsageError:
            self._disconnect()
            raise
        except Exception as exc:  # a worker that cannot take the plugin: said, not a traceback
            self._disconnect()
            raise RenderError(
                f"无法在 Dask 集群 {self.scheduler} 上准备渲染：{type(exc).__name__}：{exc}"
            ) from None
        if link := getattr(self.client, "dashboard_link", ""):
            self.say(f"Dask 调度器 {self.client.scheduler.address}，监控面板 {link}")

    def _plugin(self) -> RendererPlugin:
        if self.notebook is None or self.root is None:
            return RendererPlugin()
        try:
            return RendererPlugin(_relative(self.root, self.notebook), self.notebook.read_bytes())
        except (OSError, UsageError):  # started with the first shipment instead, which says why
            return RendererPlugin()

    def _check_versions(self) -> None:
        versions: dict[str, str] = self.client.run(_kit_version)
        if not versions:
            raise UsageError(f"Dask 调度器 {self.scheduler} 上没有可用的工作进程（worker）")
        self.note = f"Dask {len(versions)}"
        self.workers = len(versions)
        wrong = {w: v for w, v in versions.items() if v != ogi_report.__version__}
        if wrong:
            listed = "；".join(f"{w}：{v}" for w, v in sorted(wrong.items()))
            raise UsageError(
                f"集群上的 ogi-report 版本与本机（{ogi_report.__version__}）不同：{listed}。"
                "请在每台机器上安装同一版本后再运行。"
            )

    def run(self, jobs: Sequence[Job], on_start: Callable[[Job], None] | None = None) -> Iterator[Outcome]:
        """Render ``jobs``, yielding each outcome in order of completion."""
        from distributed import as_completed

        self.ready()
        shipped: list[tuple[Job, Shipment]] = []
        for job in jobs:
            try:
                shipped.append((job, ship(job)))
            except (OSError, RenderError, UsageError) as exc:
                yield Outcome.failed(job, f"无法读取数据：{exc}")
        # One graph update for all the tasks, results gathered as they complete, and a few reports
        # per task once there are many: the messages between client, scheduler and worker per
        # task are what a report's time on Dask adds.
        # pure=False: every batch renders afresh (the plan already skipped what is unchanged).
        chunks, start = [], 0
        for size in chunk_sizes(len(shipped), self.workers):
            chunks.append(shipped[start : start + size])
            start += size
        futures = self.client.map(render_shipments, [[s for _job, s in c] for c in chunks], pure=False)
        pending = {future.key: chunk for future, chunk in zip(futures, chunks, strict=True)}
        try:
            for future, result in as_completed(futures, with_results=True, raise_errors=False):
                chunk = pending.pop(future.key)
                deliveries = result if isinstance(result, list) else [result] * len(chunk)
                for (job, _s), delivery in zip(chunk, deliveries, strict=True):
                    if on_start is not None:
                        on_start(job)
                    yield self._settle(job, delivery)
        except OSError as exc:  # the scheduler went away (CommClosedError is an OSError)
            for future in futures:
                future.release()
            raise RenderError(
                f"与 Dask 调度器 {self.scheduler} 的连接中断（{exc}）：已完成的报告已保存，再次运行将补齐其余"
            ) from None

    def _settle(self, job: Job, result: object) -> Outcome:
        """The outcome of one finished task: its delivery written into place, or its failure."""
        if isinstance(result, BaseException):  # the task raised, or was lost more often than allowed
            from distributed.client import FutureCancelledError

            if isinstance(result, FutureCancelledError) or "connection" in str(result).lower():
                raise OSError(str(result))
            return Outcome.failed(job, f"集群任务失败：{type(result).__name__}：{result}"[:800])
        if not isinstance(result, Delivery):
            return Outcome.failed(job, f"集群任务返回了意外的结果（{type(result).__name__}）")
        try:
            return deliver(job, result, self.token)
        except OSError as exc:
            return Outcome.failed(job, f"无法写入 {exc.filename or job.out_dir}：{exc.strerror or exc}")
        except RenderError as exc:
            return Outcome.failed(job, str(exc))

    def close(self) -> None:
        """Disconnect (and stop the local cluster when this pool started one)."""
        if self._connecting is not None:
            if self._local is not None and self._connected is not None and not self._connected.done():
                # Still starting (the batch was interrupted while planning): ending the local
                # cluster ends the connecting thread's wait for its address.
                self._local.interrupt()
            self._connecting.shutdown(wait=True)  # a connection half made is closed once made
            self._connecting = self._connected = None
        self._disconnect()

    def _disconnect(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        if self._local is not None:
            self._local.stop()
            self._local = None


def local_workers(scheduler: str) -> int:
    """N of ``local:N``; :class:`UsageError` unless N is a positive whole number."""
    text = scheduler.removeprefix(LOCAL_PREFIX)
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"--scheduler 读到「{scheduler}」，应为 local:N（N 为正整数）或 tcp://主机:端口")
    return int(text)


class _LocalCluster:
    """``local:N``: the process of :mod:`ogi_report.batch.localcluster` (a Dask scheduler and N
    workers), started now, not waited for."""

    def __init__(self, workers: int, notebook: Path | None, root: Path | None) -> None:
        if notebook is None or root is None:
            raise UsageError("--scheduler local:N 需要项目的报告笔记本")
        module = "ogi_report.batch.localcluster"
        command = [sys.executable, "-m", module, str(workers), str(notebook), str(root)]
        # Its log goes to a file, not a pipe nobody reads while the batch runs (a full pipe would
        # stall the cluster); its own session keeps a Ctrl-C at the terminal for the batch, which
        # then stops it in order.
        self.log = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115 (closed in stop)
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                text=True,
                start_new_session=True,
            )
        except OSError as exc:
            self.log.close()
            raise UsageError(f"无法启动本机 Dask 集群（{' '.join(command[:3])}）：{exc}") from None

    def address(self) -> str:
        """The scheduler's address, printed by the process once its workers are up."""
        from ogi_report.batch.localcluster import READY

        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # "" when it exited without starting
        if not line.startswith(READY):
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # it said something else and went on: not ours to wait for
                self.process.kill()
                self.process.wait()
            self.log.seek(0)
            said = self.log.read().strip().splitlines()
            why = said[-1] if said else f"退出码 {self.process.returncode}"
            raise UsageError(f"本机 Dask 集群未能启动：{why}")
        return line.removeprefix(READY).strip()

    def interrupt(self) -> None:
        """End it while it is still starting (it reads its stdin only once started); its workers
        notice their launcher gone and close."""
        with contextlib.suppress(OSError):
            self.process.terminate()

    def stop(self) -> None:
        """Close its stdin (it stops its cluster and exits); killed when it has not within 30 s."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.log.close()


# ---------------------------------------------------------------------------------------------
# The worker side.


class RendererPlugin(WorkerPlugin):
    """A Dask worker plugin: one warm :class:`~ogi_report.batch.worker.Renderer` per worker process.

    Every render runs on one thread the plugin owns for the worker's life: the kernel is started
    from it (Linux ties a child's death signal to the thread that started it) and its event loop
    lives there.  Given the batch's notebook, the plugin starts the renderer as soon as it is set
    up on a worker, so the kernel boots while the client is still planning and shipping.  A render
    past its time is abandoned with its kernel and thread.
    """

    name = PLUGIN_NAME  # the key Dask files it under in ``worker.plugins``

    def __init__(self, notebook_name: str = "", notebook: bytes = b"") -> None:
        self.notebook_name = notebook_name  # relative to the project, as shipments name it
        self.notebook = notebook

    def setup(self, worker: Any = None) -> None:
        from ogi_report.startup import skip_slow_optional_imports

        skip_slow_optional_imports()  # before the renderer imports papermill and nbconvert
        # Made here, on the worker: the plugin object is pickled to get there, a lock cannot be.
        self._lock = threading.Lock()
        self._thread: concurrent.futures.ThreadPoolExecutor | None = None
        self._renderer: concurrent.futures.Future[Any] | None = None
        scratch = scratch_folder()
        _remove_orphans(Path(scratch or tempfile.gettempdir()))
        self._home = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=scratch))
        self._notebook = b""
        if self.notebook_name and self.notebook:
            self._start(self.notebook_name, self.notebook)

    def teardown(self, worker: Any = None) -> None:
        self._abandon()
        shutil.rmtree(self._home, ignore_errors=True)

    @property
    def _project(self) -> Path:
        return self._home / "project"

    def _start(self, name: str, notebook: bytes) -> None:
        """Write the notebook into the project folder and start a renderer for it (not waited for)."""
        path = self._project / _safe_relative(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(notebook)
        self._notebook = notebook
        self._thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="ogi-render")
        self._renderer = self._thread.submit(_start_renderer, path)

    def _abandon(self) -> None:
        renderer, thread = self._renderer, self._thread
        self._renderer = self._thread = None
        if thread is not None:
            if renderer is not None and renderer.done() and renderer.exception() is None:
                with contextlib.suppress(Exception):
                    thread.submit(renderer.result().close).result(timeout=20)
            thread.shutdown(wait=False, cancel_futures=True)

    def render(self, shipment: Shipment) -> Delivery:
        """Render one shipment in this worker's project folder; one at a time."""
        with self._lock:
            project = self._project
            notebook = project / _safe_relative(shipment.notebook)
            if shipment.files[shipment.notebook] != self._notebook:
                self._abandon()  # its kernel warmed another notebook's imports
                shutil.rmtree(project, ignore_errors=True)
            # Only this job's files: the last job's data and outputs go (the kernel's folder stays).
            for folder in ("data", "params", "output"):
                shutil.rmtree(project / folder, ignore_errors=True)
            for name, content in shipment.files.items():
                path = project / _safe_relative(name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            if self._thread is None:
                self._start(shipment.notebook, shipment.files[shipment.notebook])
            assert self._thread is not None and self._renderer is not None
            job = _moved(shipment, project, notebook)
            wait = None if job.timeout is None else job.timeout + HANG_MARGIN
            try:
                renderer = self._renderer.result()  # started at setup, or just now
                outcome: Outcome = self._thread.submit(renderer.render, job).result(timeout=wait)
            except concurrent.futures.TimeoutError:
                self._abandon()
                outcome = Outcome.failed(job, "渲染超时，已终止（工作进程将使用新的内核）")
            except Exception as exc:  # the renderer could not start (no kernel…): this report fails
                self._abandon()
                outcome = Outcome.failed(job, f"渲染进程无法启动：{type(exc).__name__}：{exc}"[:800])
            return _delivered(shipment.job, job, outcome)


def scratch_folder(shm: Path = Path("/dev/shm")) -> str | None:
    """Where a worker keeps its project copy: in memory (``/dev/shm``) when it has room, else the
    temporary folder (``None``).

    The copy is scratch: each report's data is written there, rendered, read back and sent, and
    removed at the next report; on a memory filesystem those writes cost a fraction of a disk's.
    A report's files are a few MB at most; 1 GiB free leaves room to spare (containers often
    give /dev/shm only 64 MB, and then the disk serves).
    """
    with contextlib.suppress(OSError):
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= SHM_ROOM:
            return str(shm)
    return None


def _remove_orphans(folder: Path) -> None:
    """Remove the scratch copies of workers that died without their teardown (killed): each is
    named after its worker's process id, and kept while that process lives."""
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{SCRATCH_PREFIX}*-*"):
            pid = path.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: it exists
        return True
    return True


def _start_renderer(notebook: Path) -> Any:
    from ogi_report.batch.worker import Renderer

    renderer = Renderer(notebook)
    renderer.start()
    return renderer


def _moved(shipment: Shipment, project: Path, notebook: Path) -> Job:
    """The shipment's job with its paths in the worker's project folder."""
    job = shipment.job
    return replace(
        job,
        root=project,
        notebook=notebook,
        data=project / _relative(job.root, job.data),
        out_dir=project / "output" / str(job.year),
    )


def _delivered(original: Job, moved: Job, outcome: Outcome) -> Delivery:
    """The outcome (as the client's job names it) and the bytes of every file it lists."""
    files = {}
    for name in outcome.outputs.values():
        path = moved.out_dir / _safe_relative(name)
        with contextlib.suppress(OSError):
            files[name] = path.read_bytes()
    kept = {kind: name for kind, name in outcome.outputs.items() if name in files}
    return Delivery(replace(outcome, outputs=kept), files)


def render_shipments(shipments: list[Shipment]) -> list[Delivery]:
    """The task: render a few shipments, one after another, on this Dask worker's warm renderer."""
    from distributed import get_worker

    plugin = get_worker().plugins[PLUGIN_NAME]
    if not isinstance(plugin, RendererPlugin):
        raise RenderError("Dask 工作进程缺少 ogi-report 渲染插件")
    return [plugin.render(shipment) for shipment in shipments]


def chunk_sizes(reports: int, workers: int) -> list[int]:
    """How many reports each task renders, in the order the tasks are sent.

    Each task takes the reports left ÷ (:data:`CHUNKS_PER_WORKER` × workers), rounded up, at most
    :data:`MAX_CHUNK`: one per task while the batch is small, larger tasks (fewer messages per
    report) in the bulk of a big batch, shrinking to one as it ends, so the workers finish together
    instead of one idling while another renders a last large task.
    """
    sizes: list[int] = []
    left = reports
    while left > 0:
        size = min(MAX_CHUNK, -(-left // (max(1, workers) * CHUNKS_PER_WORKER)))  # ⌈÷⌉ ≥ 1
        sizes.append(size)
        left -= size
    return sizes


__all__ = [
    "ClusterPool",
    "Delivery",
    "RendererPlugin",
    "Shipment",
    "chunk_sizes",
    "deliver",
    "render_shipments",
    "ship",
]
