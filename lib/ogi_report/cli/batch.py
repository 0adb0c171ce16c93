"""``run_reports.py``: render a batch of bureau-years and say what became of each.

    run_reports.py [--year Y …] [--only SLUG …] [--format html,pdf,docx] [--jobs N]
                   [--out DIR] [--force] [--timeout SECONDS] [--root DIR]

Exit codes: 0 every report rendered without check errors; 1 some report is a draft (check errors)
or failed; 2 the command line or the project cannot be used (nothing rendered); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from ogi_report import oserrors
from ogi_report.batch.lock import batch_lock
from ogi_report.batch.plan import (
    EXECUTED_DIR,
    FORMATS,
    STATE_DIR,
    TMP_DIR,
    Job,
    Outcome,
    Plan,
    Status,
    plan,
    read_states,
    record_outcome,
)
from ogi_report.batch.summary import write_year
from ogi_report.cli.usage import usage_message
from ogi_report.errors import OgiError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse with a Chinese hint on errors (still exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            f"参数错误：{usage_message(message)}\n提示：运行 `python run_reports.py --help` 查看用法。\n",
        )


def _formats(text: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise argparse.ArgumentTypeError(f"格式「{text}」无效，可选 {','.join(FORMATS)}（逗号分隔）")
    return wanted


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"「{text}」不是有效的数字") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"「{text}」应大于 0")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="run_reports.py",
        description="用 papermill 批量生成政府信息公开工作年度报告（默认：params/ 下的全部参数文件）。",
    )
    parser.add_argument(
        "--year", type=int, action="append", default=[], metavar="YEAR", help="只生成该年度（可重复）"
    )
    parser.add_argument("--only", nargs="+", default=[], metavar="SLUG", help="只生成这些机关（slug）")
    parser.add_argument(
        "--format",
        type=_formats,
        default=("html",),
        metavar="html,pdf,docx",
        help="输出格式，逗号分隔（默认 html）",
    )
    parser.add_argument(
        "--jobs",
        type=_positive(int),
        default=os.cpu_count() or 1,
        metavar="N",
        help="并行数（默认：CPU 核数）",
    )
    parser.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="输出目录（默认：<项目>/output）"
    )
    parser.add_argument("--force", action="store_true", help="即使未变也重新生成")
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=600.0,
        metavar="SECONDS",
        help="每份报告的时限（默认 600）",
    )
    parser.add_argument(
        "--root", type=Path, default=None, metavar="DIR", help="项目根目录（默认：run_reports.py 所在目录）"
    )
    return parser


def default_root() -> Path:
    """The folder of the ``run_reports.py`` being run, else the current folder."""
    main = sys.modules.get("__main__")
    script = Path(getattr(main, "__file__", "") or ".")
    if script.name == "run_reports.py":
        return script.resolve().parent
    return Path.cwd()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _lead(text: str, max_lines: int = 3, limit: int = 360) -> str:
    """The first lines of a message, up to ``max_lines`` lines or ``limit`` characters.

    A message's first line is often only a lead-in (「无法生成 PDF，否则这些字符会显示为空框：」):
    the lines after it say which characters and which font, so they show too, within reason.
    """
    lines = [line.rstrip() for line in text.strip().splitlines()]
    shown: list[str] = []
    budget = limit
    for line in lines[:max_lines]:
        if budget <= 0:
            break
        shown.append(line[:budget] + "…" if len(line) > budget else line)
        budget -= len(line)
    rest = len(lines) - len(shown)
    more = f"（另有 {rest} 行，见 summary.csv）" if rest else ""
    return "\n    ".join(shown) + more


def format_table(outcomes: Sequence[Outcome]) -> str:
    """The short table printed after the progress bar."""
    header = ("年度", "机关", "状态", "错误", "警告", "用时")
    rows = [
        (str(o.year), o.name, o.status_label, str(o.errors), str(o.warnings), f"{o.seconds:.2f}s")
        for o in sorted(outcomes, key=lambda o: (o.year, o.slug))
    ]
    widths = [max(_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    failed = [o for o in outcomes if o.status is Status.FAILED and o.message]
    notes = [f"  {o.name}（{o.year}）：{_lead(o.message)}" for o in failed]
    return "\n".join([*lines, *(["失败原因："] if notes else []), *notes])


def _counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    c = Counter("skipped" if o.skipped else o.status.value for o in outcomes)
    return {"ok": c["ok"], "draft": c["draft"], "failed": c["failed"], "skipped": c["skipped"]}


def _os_reason(exc: OSError) -> str:
    """Why a folder could not be made or written: the errno table, with a hint for the usual case."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):  # mkdir found a file in the way
        return "该路径（或其上级）是文件而不是文件夹，请移走或改名后重试"
    return oserrors.reason(exc)


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


def _year_outcomes(root: Path, out: Path, year: int, latest: Sequence[Outcome]) -> list[Outcome]:
    """Every bureau-year of ``year`` with a params file: this run's outcome, else the recorded one."""
    present = {p.stem.rsplit("-", 1)[0] for p in (root / "params").glob(f"*-{year}.toml")}
    merged = {o.slug: o for o in read_states(out / str(year)) if o.slug in present and o.year == year}
    merged.update({o.slug: o for o in latest if o.year == year})
    return list(merged.values())


def run(args: argparse.Namespace) -> int:
    """Plan, render, record and summarise a batch; returns the exit code."""
    from ogi_report.batch.worker import check_formats

    root = (args.root or default_root()).resolve()
    out = (args.out if args.out is not None else root / "output").resolve()
    try:
        check_formats(args.format)
        # Planning only reads, so a usage error leaves no output folder behind.
        the_plan: Plan = plan(
            root,
            out,
            years=args.year,
            only=args.only,
            formats=args.format,
            force=args.force,
            timeout=args.timeout,
        )
        for line in the_plan.unplaced:
            print(f"无法识别的参数文件（未计入任何年度）：{line}", file=sys.stderr)
        with batch_lock(out):
            return _execute(args, root, out, the_plan)
    except OgiError as exc:  # a usage error, another batch on the same folder, an unusable folder
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # last resort (a disk gone full…): a sentence, never a traceback
        print(f"错误：无法写入 {exc.filename or out}：{_os_reason(exc)}", file=sys.stderr)
        return EXIT_USAGE


def _execute(args: argparse.Namespace, root: Path, out: Path, the_plan: Plan) -> int:
    """Render the planned jobs, record each outcome, write the year pages; returns the exit code."""
    from tqdm import tqdm

    # A year whose folders cannot be used renders nothing (exit 2); the other years go on.
    unusable: list[int] = []
    for year in sorted(the_plan.years):
        if reason := _prepare_year(out / str(year)):
            print(f"错误：{reason}。{year} 年度的报告均未生成。", file=sys.stderr)
            unusable.append(year)
    years = sorted(the_plan.years - set(unusable))
    jobs = [j for j in the_plan.jobs if j.year in years]
    known = [o for o in the_plan.known if o.year in years]

    outcomes: list[Outcome] = []
    bar = tqdm(total=len(jobs) + len(known), file=sys.stderr, unit="份", dynamic_ncols=True)

    def record(outcome: Outcome) -> None:
        if not outcome.skipped:
            outcome, warnings = record_outcome(out / str(outcome.year), outcome)
            for warning in warnings:
                bar.write(warning, file=sys.stderr)
        outcomes.append(outcome)
        bar.set_postfix(_counts(outcomes), refresh=False)
        bar.update(1)

    def started(job: Job) -> None:
        bar.set_description_str(f"{job.name}（{job.year}）")

    interrupted = False
    started_at = time.monotonic()
    try:
        for outcome in known:
            record(outcome)
        if jobs:
            from ogi_report.batch.pool import WorkerPool

            with WorkerPool(min(args.jobs, len(jobs)), jobs[0].notebook) as pool:
                for outcome in pool.run(jobs, on_start=started):
                    record(outcome)
    except KeyboardInterrupt:
        interrupted = True
    except OgiError as exc:  # no worker could start: every job not yet done fails with the reason
        done = {o.key for o in outcomes}
        for job in jobs:
            if job.key not in done:
                record(Outcome(job.slug, job.year, job.name, Status.FAILED, message=str(exc)))
    finally:
        bar.set_description_str("完成" if not interrupted else "已中断")
        bar.close()
        for year in years:
            shutil.rmtree(out / str(year) / TMP_DIR, ignore_errors=True)
            try:
                write_year(out / str(year), year, _year_outcomes(root, out, year, outcomes))
            except OSError as exc:  # e.g. a folder where index.html should be
                print(f"错误：无法写入 {exc.filename or out / str(year)}：{_os_reason(exc)}", file=sys.stderr)
                unusable.append(year)
    elapsed = time.monotonic() - started_at
    if outcomes:  # an empty table (every year refused) would only be noise under the error
        print(format_table(outcomes))
    counts = _counts(outcomes)
    print(
        f"共 {len(outcomes)} 份，用时 {elapsed:.1f} 秒：已通过 {counts['ok']}，草稿 {counts['draft']}，"
        f"失败 {counts['failed']}，未变跳过 {counts['skipped']}。结果在 {out}"
    )
    if interrupted:
        print("已中断：已完成的报告已保存，再次运行将补齐其余。", file=sys.stderr)
        return EXIT_INTERRUPTED
    if unusable:
        return EXIT_USAGE
    if the_plan.unplaced or any(o.status is not Status.OK for o in outcomes):
        return EXIT_PROBLEMS
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``run_reports.py``."""
    args = build_parser().parse_args(argv)
    return run(args)
