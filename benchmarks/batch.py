#!/usr/bin/env python3
"""Benchmark of the batch: the naive per-report CLI loop against ``run_reports.py``.

Generates ``--n`` synthetic bureau-years (the bundled example's balanced tables under new names,
marked 示例数据) in a temporary project, then measures, in one run:

  (a) the naive loop — ``papermill`` CLI then ``jupyter nbconvert --to html --no-input`` CLI per
      report — on the first ``--naive-n`` of them (it is slow; reported per report);
  (b) ``run_reports.py --force`` on all ``--n``;

and prints the wall time per report of each, their ratio, and the peak memory (RSS summed over
the process tree, sampled every 50 ms).

    .venv/bin/python benchmarks/batch.py --n 100 --naive-n 10
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "lib"))

from ogi_report.storage.folder import load_bureau_year, save_bureau_year  # noqa: E402

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


class PeakMemory:
    """Samples the RSS of a process and all its descendants; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                top = psutil.Process(self.pid)
                procs = [top, *top.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error):  # it may have exited since listed
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """Run ``cmd``; return (seconds, peak tree RSS in bytes, exit code)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with PeakMemory(proc.pid) as mem:
        _out, err = proc.communicate()
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return time.perf_counter() - started, mem.peak, proc.returncode


def naive(root: Path, slugs: list[str]) -> tuple[float, int]:
    """The per-report CLI loop; returns (total seconds, peak RSS of any one step)."""
    out = root / "naive"
    out.mkdir()
    total, peak = 0.0, 0
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
        for cmd in steps:
            seconds, mem, code = run_measured(cmd, root)
            if code != 0:
                raise SystemExit(f"naive step failed ({code}): {' '.join(cmd)}")
            total += seconds
            peak = max(peak, mem)
    return total, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="bureau-years for run_reports.py (default 100)")
    parser.add_argument(
        "--naive-n", type=int, default=10, help="bureau-years for the naive loop (default 10)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    try:
        slugs = make_project(root, max(args.n, args.naive_n))
        print(f"project: {root} ({len(slugs)} 份示例数据), {os.cpu_count()} cores, --jobs {args.jobs}")
        naive_s, naive_peak = naive(root, slugs[: args.naive_n]) if args.naive_n else (0.0, 0)
        batch_cmd = [
            sys.executable,
            str(REPO / "run_reports.py"),
            "--root",
            str(root),
            "--force",
            "--jobs",
            str(args.jobs),
            "--only",
            *slugs[: args.n],
        ]
        batch_s, batch_peak, code = run_measured(batch_cmd, root)
        rendered = len(list((root / "output" / "2021").glob("*.html"))) - 1  # minus index.html
        if code != 0 or rendered != args.n:
            raise SystemExit(f"run_reports.py exit {code}, {rendered}/{args.n} rendered")
        per_naive = naive_s / args.naive_n if args.naive_n else float("nan")
        per_batch = batch_s / args.n
        mib = 1024 * 1024
        print(f"{'':28}{'reports':>8}{'total s':>10}{'s/report':>10}{'peak MiB':>10}")
        print(
            f"{'(a) papermill + nbconvert CLI':28}{args.naive_n:>8}{naive_s:>10.2f}{per_naive:>10.3f}"
            f"{naive_peak / mib:>10.0f}"
        )
        print(
            f"{'(b) run_reports.py':28}{args.n:>8}{batch_s:>10.2f}{per_batch:>10.3f}{batch_peak / mib:>10.0f}"
        )
        if args.naive_n:
            print(f"speed-up (a)/(b) per report: {per_naive / per_batch:.1f}x")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
