"""``ogi-report batch`` (also ``run_reports.py``): render a batch of bureau-years and say what became of each.

    ogi-report batch [--year Y …] [--only SLUG …] [--format html,pdf,docx] [--jobs N]
                     [--scheduler tcp://HOST:PORT | local:N]
                     [--out DIR] [--force] [--timeout SECONDS] [--root DIR]

Exit codes: 0 every report rendered without check errors; 1 some report is a draft (check errors)
or failed; 2 the command line or the project cannot be used (nothing rendered); 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM, as ``timeout``, ``systemctl stop`` and ``docker stop`` send):
both stop the workers, keep finished reports and write the year pages, without a traceback.
One batch at a time per output folder (:mod:`ogi_report.batch.lock`); a progress bar on stderr.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from ogi_report import oserrors
from ogi_report.batch.jobs import EXECUTED_DIR, FORMATS, STATE_DIR, TMP_DIR, Job, Outcome, Status
from ogi_report.batch.lock import batch_lock
from ogi_report.batch.overview import render_overviews
from ogi_report.batch.plan import Plan, plan
from ogi_report.batch.state import read_states, record_outcome
from ogi_report.batch.summary import write_year
from ogi_report.cli.command import Command, ExitCode
from ogi_report.cli.console import Tally, format_table, totals
from ogi_report.errors import OgiError
from ogi_report.storage.workspace import Workspace

if TYPE_CHECKING:
    from ogi_report.batch.cluster import ClusterPool
    from ogi_report.batch.pool import WorkerPool

    Workers = WorkerPool | ClusterPool


def _formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise argparse.ArgumentTypeError(f"格式「{text}」无效，可选 {','.join(FORMATS)}（逗号分隔）")
    return wanted


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"「{text}」不是有效的数字") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"「{text}」应大于 0")
        return value

    return parse


def _batch_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--year", type=int, action="append", default=[], metavar="YEAR", help="只生成该年度（可重复）"
    )
    p.add_argument("--only", nargs="+", default=[], metavar="SLUG", help="只生成这些机关（slug）")
    p.add_argument(
        "--format",
        type=_formats,
        default=("html",),
        metavar="html,pdf,docx",
        help="输出格式，逗号分隔（默认 html）",
    )
    p.add_argument(
        "--jobs",
        type=_positive(int),
        default=os.cpu_count() or 1,
        metavar="N",
        help="并行数（默认：CPU 核数）",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="在 Dask 集群上渲染：tcp://主机:8786 或 local:N（本机 N 个工作进程）；见 docs/scale.md",
    )
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="输出目录（默认：<项目>/output）")
    p.add_argument("--force", action="store_true", help="即使未变也重新生成")
    p.add_argument(
        "--timeout",
        type=_positive(float),
        default=600.0,
        metavar="SECONDS",
        help="每份报告的时限（默认 600）",
    )
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        metavar="DIR",
        help="项目根目录（默认：当前目录；经 run_reports.py 运行时为其所在目录）",
    )


TERMINATED = 128 + signal.SIGTERM  # as shells report a process ended by SIGTERM


_received: list[int] = []  # the signal that stopped this batch (SIGTERM is raised as Ctrl-C is)


def _stop(signum: int, frame: FrameType | None) -> None:
    # Further signals would only cut the clean-up short (workers stopping, year pages written).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _received.append(signum)
    raise KeyboardInterrupt()


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise (once) in the main thread for the block; the old handlers after."""
    _received.clear()
    if threading.current_thread() is not threading.main_thread():  # signals reach only the main thread
        yield
        return
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupted() -> int:
    """Say how the batch was stopped (Ctrl-C or SIGTERM); its exit code."""
    terminated = signal.SIGTERM in _received
    how = "已终止（收到 SIGTERM）" if terminated else "已中断"
    print(f"{how}：已完成的报告已保存，再次运行将补齐其余。", file=sys.stderr)
    return TERMINATED if terminated else ExitCode.INTERRUPTED


def default_root() -> Path:
    """The folder of the ``run_reports.py`` being run, else the current folder."""
    main = sys.modules.get("__main__")
    script = Path(getattr(main, "__file__", "") or ".")
    if script.name == "run_reports.py":
        return script.resolve().parent
    return Path.cwd()


def _os_reason(exc: OSError) -> str:
    """Why a folder could not be made or written: the errno table, with a hint for the usual case."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):  # mkdir found a file in the way
        return "该路径（或其上级）是文件而不是文件夹，请移走或改名后重试"
    return oserrors.reason(exc)


def run(args: argparse.Namespace) -> int:
    """Plan, render, record and summarise a batch; returns the exit code."""
    try:
        with _interruptible():
            return _run(args)
    except KeyboardInterrupt:  # before any report started (planning, taking the lock)
        return _interrupted()


def _run(args: argparse.Namespace) -> int:
    from ogi_report.batch.worker import check_formats

    workspace = Workspace((args.root or default_root()).resolve())
    out = (args.out if args.out is not None else workspace.root / "output").resolve()
    try:
        check_formats(args.format)
        with ExitStack() as stack:
            started: list[Workers] = []

            def start_first_worker(job: Job) -> None:
                # The first job planned takes the lock and starts a worker (or connects to the Dask
                # cluster), whose start (≈3 s) then overlaps the planning of the rest; inputs that
                # all fail validation, or a folder another batch holds, start none.
                if started:
                    return
                token = stack.enter_context(batch_lock(out))
                if args.scheduler:
                    from ogi_report.batch.cluster import ClusterPool

                    cluster = ClusterPool(args.scheduler, token, notebook=job.notebook, root=job.root)
                    started.append(stack.enter_context(cluster))
                else:
                    from ogi_report.batch import pool

                    started.append(stack.enter_context(pool.WorkerPool(args.jobs, job.notebook, token)))

            # Planning only reads, so a usage error leaves no output folder behind.
            the_plan = plan(
                workspace,
                out,
                years=args.year,
                only=args.only,
                formats=args.format,
                force=args.force,
                timeout=args.timeout,
                on_job=start_first_worker,
            )
            for line in the_plan.unplaced:
                print(f"无法识别的参数文件（未计入任何年度）：{line}", file=sys.stderr)
            if not started:  # nothing to render: the lock still guards the year pages written
                stack.enter_context(batch_lock(out))
            for workers in started:  # connected while planning; a refusal comes before any output
                workers.ready()
            return _execute(started[0] if started else None, workspace, out, the_plan)
    except OgiError as exc:  # a usage error, another batch on the same folder, an unusable folder
        print(f"错误：{exc}", file=sys.stderr)
        return ExitCode.UNUSABLE
    except OSError as exc:  # last resort (a disk gone full…): a sentence, never a traceback
        print(f"错误：无法写入 {exc.filename or out}：{_os_reason(exc)}", file=sys.stderr)
        return ExitCode.UNUSABLE


def _prepare_year(year_dir: Path) -> str | None:
    """Make a year's folders (itself, its state, executed and staging folders) before any render.

    Returns a Chinese reason naming the path when one cannot be used (e.g. a file sits where the
    folder should be), so the year is refused up front instead of every report failing oddly.
    """
    # The staging folder is ours alone: emptied so leftovers of a killed batch do not pile up.
    shutil.rmtree(year_dir / TMP_DIR, ignore_errors=True)
    for folder in (year_dir, year_dir / STATE_DIR, year_dir / EXECUTED_DIR, year_dir / TMP_DIR):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"无法使用输出目录 {folder}：{_os_reason(exc)}"
    return None


def _usable_years(out: Path, years: set[int]) -> tuple[list[int], list[int]]:
    """The years whose folders could be prepared, and those refused (each said on stderr)."""
    usable, refused = [], []
    for year in sorted(years):
        if reason := _prepare_year(out / str(year)):
            print(f"错误：{reason}。{year} 年度的报告均未生成。", file=sys.stderr)
            refused.append(year)
        else:
            usable.append(year)
    return usable, refused


class _Progress:
    """The progress bar on stderr, and each outcome recorded as its state as soon as it arrives."""

    def __init__(self, out: Path, total: int) -> None:
        from tqdm import tqdm

        self.out = out
        self.outcomes: list[Outcome] = []
        self.tally = Tally()  # the counts shown beside the bar, kept as outcomes arrive
        self.workers = ""  # how many render processes run, and why (the pool's note)
        self.bar = tqdm(total=total, file=sys.stderr, unit="份", dynamic_ncols=True)

    def started(self, job: Job) -> None:
        self.bar.set_description_str(f"{job.name}（{job.year}）")

    def record(self, outcome: Outcome) -> None:
        if not outcome.skipped:
            outcome, warnings = record_outcome(self.out / str(outcome.year), outcome)
            for warning in warnings:
                self.bar.write(warning, file=sys.stderr)
        self.outcomes.append(outcome)
        self.tally.add(outcome)
        shown: dict[str, object] = {**self.tally.counts()}
        if self.workers:
            shown["进程"] = self.workers
        self.bar.set_postfix(shown, refresh=False)
        self.bar.update(1)

    def close(self, interrupted: bool) -> None:
        self.bar.set_description_str("已中断" if interrupted else "完成")
        self.bar.close()


def _render(
    workers: Workers | None, jobs: Sequence[Job], known: Sequence[Outcome], progress: _Progress
) -> None:
    """Record the outcomes known without rendering, then render the jobs on the ``workers``."""
    for outcome in known:
        progress.record(outcome)
    if not jobs or workers is None:
        return
    try:
        for outcome in workers.run(jobs, on_start=progress.started):
            progress.workers = workers.note
            progress.record(outcome)
        workers.close()  # before the overviews and year pages: the workers and kernels are done
    except OgiError as exc:  # no worker could start: every job not yet done fails with the reason
        done = {o.key for o in progress.outcomes}
        for job in jobs:
            if job.key not in done:
                progress.record(Outcome.failed(job, str(exc)))


def _year_outcomes(workspace: Workspace, out: Path, year: int, latest: Sequence[Outcome]) -> list[Outcome]:
    """Every bureau-year of ``year`` with a params file: this run's outcome, else the recorded one."""
    present = {
        key[0] for p in workspace.params_files() if (key := workspace.params_key(p)) and key[1] == year
    }
    merged = {o.slug: o for o in read_states(out / str(year)) if o.slug in present and o.year == year}
    merged.update({o.slug: o for o in latest if o.year == year})
    return list(merged.values())


def _write_years(
    workspace: Workspace, out: Path, years: Sequence[int], outcomes: Sequence[Outcome]
) -> list[int]:
    """Write each year's index and CSV files (staging folder removed); the years that could not be."""
    failed = []
    for year in years:
        shutil.rmtree(out / str(year) / TMP_DIR, ignore_errors=True)
        try:
            write_year(out / str(year), year, _year_outcomes(workspace, out, year, outcomes), workspace)
        except OSError as exc:  # e.g. a folder where index.html should be
            print(f"错误：无法写入 {exc.filename or out / str(year)}：{_os_reason(exc)}", file=sys.stderr)
            failed.append(year)
    return failed


def _execute(workers: Workers | None, workspace: Workspace, out: Path, the_plan: Plan) -> int:
    """Render the planned jobs on ``workers`` (started while planning, None when there was no job),
    record each outcome, write the year pages; returns the exit code."""
    # A year whose folders cannot be used renders nothing (exit 2); the other years go on.
    years, unusable = _usable_years(out, the_plan.years)
    jobs = [j for j in the_plan.jobs if j.year in years]
    known = [o for o in the_plan.known if o.year in years]
    progress = _Progress(out, len(jobs) + len(known))
    interrupted = False
    started_at = time.monotonic()
    try:
        _render(workers, jobs, known, progress)
        render_overviews(
            workspace, out, years, the_plan.formats, force=the_plan.force, timeout=the_plan.timeout
        )
    except KeyboardInterrupt:
        interrupted = True
    finally:
        progress.close(interrupted)
        unusable += _write_years(workspace, out, years, progress.outcomes)
    if progress.outcomes:  # an empty table (every year refused) would only be noise under the error
        print(format_table(progress.outcomes))
    print(totals(progress.outcomes, time.monotonic() - started_at, out))
    if interrupted:
        return _interrupted()
    if unusable:
        return ExitCode.UNUSABLE
    if the_plan.unplaced or any(o.status is not Status.OK for o in progress.outcomes):
        return ExitCode.PROBLEMS
    return ExitCode.OK


COMMAND = Command(
    "batch",
    "用 papermill 批量生成政府信息公开工作年度报告（默认：params/ 下的全部参数文件）",
    _batch_args,
    run,
)
