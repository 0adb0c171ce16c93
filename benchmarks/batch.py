#!/usr/bin/env python3
"""Benchmark of the batch: ``ogi-report batch`` beside the naive per-report CLI loop and the
in-process floor, each figure beside its target (issue 17).

Generates ``--n`` synthetic bureau-years (the bundled example's balanced tables under new names,
marked 示例数据) in a temporary project, then measures, in one run:

  (a) the naive loop — ``papermill`` CLI then ``jupyter nbconvert --to html --no-input`` CLI per
      report — on the first ``--naive-n`` of them (slow; min and median per report);
  (b) ``run_reports.py --force --jobs J --format F`` on all ``--n``, ``--runs`` times (min and
      median per report, start included, as a user waits for it);
  (c) the floor: loading, checking and rendering the same HTML page in this process, no kernel,
      no papermill (min and median per report over all ``--n``);

and prints the per-report figures side by side with their targets, the batch's multiple of the
floor, the 5,000-report projection and the peak memory (PSS of the whole process tree, each
process once).

    .venv/bin/python benchmarks/batch.py --n 100 --naive-n 10 --runs 3
    .venv/bin/python benchmarks/batch.py --n 100 --format html,pdf,docx --naive-n 0
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "lib"))

from ogi_report.storage.folder import load_bureau_year, save_bureau_year  # noqa: E402
from treemem import PeakTreeMemory  # noqa: E402

BIN = Path(sys.executable).parent


def make_project(root: Path, n: int) -> list[str]:
    """A project with the kit's notebook and ``n`` synthetic bureau-years; returns their slugs."""
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / "notebooks" / "annual_report.ipynb", root / "notebooks")
    seed = load_bureau_year(REPO / "data" / "haidong-emergency" / "2021")
    slugs = []
    for i in range(n):
        slug = f"sample-{i:03d}"
        meta = replace(seed.meta, slug=slug, name=f"示例数据第{i + 1}局", signature="", masthead="")
        narrative = "（示例数据，非真实报告）" + seed.narrative.replace("海东市应急管理局", "{{ name }}")
        save_bureau_year(replace(seed, meta=meta, narrative=narrative), root / "data" / slug / "2021")
        (root / "params").mkdir(exist_ok=True)
        (root / "params" / f"{slug}-2021.toml").write_text(
            f'slug = "{slug}"\nyear = 2021\n', encoding="utf-8"
        )
        slugs.append(slug)
    return slugs


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """Run ``cmd``; return (seconds, peak PSS of its process tree in bytes, exit code)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with PeakTreeMemory(proc.pid) as mem:
        _out, err = proc.communicate()
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return time.perf_counter() - started, mem.peak, proc.returncode


def naive(root: Path, slugs: list[str]) -> list[float]:
    """The per-report CLI loop; returns the seconds of each report (both steps)."""
    out = root / "naive"
    out.mkdir(exist_ok=True)
    times = []
    for slug in slugs:
        executed = out / f"{slug}.ipynb"
        steps = [
            [
                str(BIN / "papermill"),
                "notebooks/annual_report.ipynb",
                str(executed),
                "-p",
                "slug",
                slug,
                "-p",
                "year",
                "2021",
                "-p",
                "data_root",
                str(root),
                "--no-progress-bar",
            ],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
        ]
        total = 0.0
        for cmd in steps:
            seconds, _mem, code = run_measured(cmd, root)
            if code != 0:
                raise SystemExit(f"naive step failed ({code}): {' '.join(cmd)}")
            total += seconds
        times.append(total)
    return times


def floor(root: Path, slugs: list[str]) -> list[float]:
    """Seconds per report of loading, checking and rendering the HTML page in this process."""
    from ogi_report.checks.runner import check
    from ogi_report.render.html.page import report_page
    from ogi_report.render.model import report_model
    from ogi_report.storage.workspace import Workspace

    workspace = Workspace(root)
    times = []
    for slug in slugs:
        started = time.perf_counter()
        loaded = workspace.load(slug, 2021)
        report_page(report_model(loaded.by, check(loaded.by, loaded.previous)))
        times.append(time.perf_counter() - started)
    return times


# Issue 17's targets, seconds per report (None: no target for that case).
TARGETS = {"html": {100: 0.04, 1000: 0.03}, "html,pdf,docx": {100: 0.35}}
PROJECTED_TARGET_MIN = {"html": 3.0, "html,pdf,docx": 30.0}  # 5,000 reports, minutes
FLOOR_MULTIPLE_TARGET = 10.0


def _stats(values: list[float]) -> str:
    return f"{min(values):>9.3f}{statistics.median(values):>9.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="bureau-years for the batch (default 100)")
    parser.add_argument(
        "--naive-n", type=int, default=10, help="bureau-years for the naive loop (default 10; 0: skip)"
    )
    parser.add_argument("--runs", type=int, default=3, help="batch runs (default 3)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", default="html", help="the batch's --format (default html)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    try:
        slugs = make_project(root, max(args.n, args.naive_n))
        load = os.getloadavg()[0]
        print(f"project: {root} ({len(slugs)} 份示例数据), {os.cpu_count()} cores, load {load:.1f}")
        naive_times = naive(root, slugs[: args.naive_n]) if args.naive_n else []
        batch_cmd = [sys.executable, str(REPO / "run_reports.py"), "--root", str(root), "--force"]
        batch_cmd += ["--jobs", str(args.jobs), "--format", args.format, "--only", *slugs[: args.n]]
        batch_times, peaks = [], []
        for _ in range(args.runs):
            seconds, peak, code = run_measured(batch_cmd, root)
            rendered = len(list((root / "output" / "2021").glob("*.html"))) - 1  # minus index.html
            if code != 0 or rendered != args.n:
                raise SystemExit(f"run_reports.py exit {code}, {rendered}/{args.n} rendered")
            batch_times.append(seconds / args.n)
            peaks.append(peak)
        floor_times = floor(root, slugs[: args.n])
        target = TARGETS.get(args.format, {}).get(args.n)
        mib = 1024 * 1024
        print(f"{'seconds per report':40}{'reports':>8}{'min':>9}{'median':>9}   target")
        if naive_times:
            print(
                f"{'(a) papermill + nbconvert CLI, per report':40}{len(naive_times):>8}{_stats(naive_times)}"
            )
        label = f"(b) ogi-report batch --jobs {args.jobs} ({args.runs} runs)"
        shown = f"≤ {target:.2f}" if target else "—"
        print(f"{label:40}{args.n:>8}{_stats(batch_times)}   {shown}  [--format {args.format}]")
        print(f"{'(c) in-process floor (load+check+HTML)':40}{len(floor_times):>8}{_stats(floor_times)}")
        multiple = min(batch_times) / statistics.median(floor_times)
        print(f"batch ÷ floor (min ÷ median): {multiple:.1f}×   target ≤ {FLOOR_MULTIPLE_TARGET:.0f}× (HTML)")
        if naive_times:
            speedup = statistics.median(naive_times) / statistics.median(batch_times)
            print(f"naive ÷ batch (median ÷ median): {speedup:.0f}×")
        projected = 5000 * statistics.median(batch_times) / 60
        goal = PROJECTED_TARGET_MIN.get(args.format)
        goal_text = f"target ≤ {goal:.0f} min" if goal else "no target"
        print(
            f"5,000 reports projected (median × 5,000, start included: at most): {projected:.1f} min"
            f"   {goal_text}"
        )
        print(f"peak memory of the batch's process tree (PSS): {max(peaks) / mib:.0f} MiB")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
