#!/usr/bin/env python3
"""Benchmark of the batch on Dask against the local pool, side by side in one run.

Generates ``--n`` synthetic bureau-years (the bundled example's tables under new names, marked
示例数据) in a temporary project and renders all of them with ``--force``, ``--runs`` times each:

  (a) the local pool: ``ogi-report batch --jobs 2``;
  (b) Dask: ``ogi-report batch --scheduler local:2`` (a LocalCluster of two worker processes, started
      by the batch, so its start is counted as the local pool's is).

Prints wall seconds per report (whole batch ÷ N, start included) as min / median of the runs, the
ratio Dask ÷ local, and the peak memory of the process tree (PSS: shared pages counted once).

    .venv/bin/python benchmarks/cluster.py --n 200 --runs 3 --format html
    .venv/bin/python benchmarks/cluster.py --n 200 --runs 3 --format html,pdf,docx
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "lib"))

from ogi_report.storage.folder import load_bureau_year, save_bureau_year  # noqa: E402
from treemem import PeakTreeMemory, tree_memory  # noqa: E402


def make_project(root: Path, n: int) -> None:
    """A project with the kit's notebook and ``n`` synthetic bureau-years of 2021."""
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / "notebooks" / "annual_report.ipynb", root / "notebooks")
    (root / "params").mkdir()
    seed = load_bureau_year(REPO / "data" / "haidong-emergency" / "2021")
    for i in range(n):
        slug = f"sample-{i:03d}"
        meta = replace(seed.meta, slug=slug, name=f"示例数据第{i + 1}局", signature="", masthead="")
        narrative = "（示例数据，非真实报告）" + seed.narrative.replace("海东市应急管理局", "{{ name }}")
        save_bureau_year(replace(seed, meta=meta, narrative=narrative), root / "data" / slug / "2021")
        (root / "params" / f"{slug}-2021.toml").write_text(f'slug = "{slug}"\nyear = 2021\n', "utf-8")


class BatchProbe(PeakTreeMemory):
    """The tree's peak memory (PSS, each page once) and the batch process's own CPU seconds (the
    client and, in ``local:N``, the scheduler)."""

    cpu = 0.0

    def _sample(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                times = psutil.Process(self.pid).cpu_times()
                self.cpu = times.user + times.system
            now, pss = tree_memory(self.pid)
            self.peak, self.pss = max(self.peak, now), self.pss and pss
            self._stop.wait(self.interval)


def run_batch(root: Path, out: Path, formats: str, extra: list[str]) -> tuple[float, int, float]:
    """One ``--force`` batch: wall seconds, peak PSS bytes and the batch process's own CPU seconds."""
    cmd = [sys.executable, "-m", "ogi_report", "batch", "--root", str(root), "--out", str(out)]
    cmd += ["--force", "--format", formats, *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with BatchProbe(proc.pid, interval=0.2) as memory:
        _, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {err[-2000:]}")
    return wall, memory.peak, memory.cpu


def moved_bytes(root: Path, year_dir: Path, slug: str) -> tuple[int, int]:
    """What one report's task carries to its worker (data and notebook) and brings back (its files)."""
    sent = sum(p.stat().st_size for p in (root / "data" / slug / "2021").iterdir())
    sent += (root / "notebooks" / "annual_report.ipynb").stat().st_size
    back = sum(p.stat().st_size for p in year_dir.rglob(f"{slug}.*") if p.is_file())
    return sent, back


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", default="html")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"N = {args.n} synthetic bureau-years, --format {args.format}, {args.runs} runs each, ", end="")
    print(f"{os.cpu_count()} CPUs, load average before {load:.1f}")
    modes = {
        "local pool (--jobs 2)": ["--jobs", "2"],
        "Dask (--scheduler local:2)": ["--scheduler", "local:2"],
    }
    with tempfile.TemporaryDirectory(prefix="ogi-bench-cluster-") as tmp:
        root = Path(tmp) / "project"
        make_project(root, args.n)
        results: dict[str, list[tuple[float, int, float]]] = {mode: [] for mode in modes}
        for _ in range(args.runs):  # interleaved, so a slower minute of the machine hits both
            for mode, extra in modes.items():
                results[mode].append(run_batch(root, Path(tmp) / "out", args.format, extra))
        sent, back = moved_bytes(root, Path(tmp) / "out" / "2021", "sample-000")
    medians = {}
    for mode, runs in results.items():
        per = [wall / args.n for wall, _, _ in runs]
        medians[mode] = statistics.median(per)
        peak = max(p for _, p, _ in runs) / 2**20
        cpu = statistics.median(c for _, _, c in runs) / args.n * 1000
        print(
            f"{mode:28s} per report: min {min(per):.3f} s, median {medians[mode]:.3f} s; "
            f"peak PSS {peak:,.0f} MiB; batch process CPU {cpu:.1f} ms per report"
        )
    local, dask = medians.values()
    print(f"Dask ÷ local pool (medians): {dask / local:.2f}× (target ≤ 1.2×)")
    print(f"bytes moved per report: to the worker {sent / 1024:,.0f} KiB, back {back / 1024:,.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
