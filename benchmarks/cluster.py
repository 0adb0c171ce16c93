#!/usr/bin/env python3
"""Benchmark of the batch on Dask against the local pool, side by side in one run.

Generates ``--n`` synthetic bureau-years (the bundled example's tables under new names, marked
示例数据) in a temporary project and renders all of them with ``--force``, ``--runs`` times each:

  (a) the local pool: ``ogi-report batch --jobs 2``;
  (b) Dask: ``ogi-report batch --scheduler local:2`` (a Dask scheduler and two Dask worker
      processes, started by the batch, so their start is counted as the local pool's is).

Prints wall seconds per report (whole batch ÷ N, start included) as min / median of the timed
runs, the ratio Dask ÷ local, the CPU per report of the whole process tree and of the batch
process alone (medians), and
the peak memory of the tree (PSS: shared pages counted once) measured in one further run of each
(sampling memory costs CPU, so it is kept out of the timed runs).

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
import threading
import time
from dataclasses import replace
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "lib"))

from ogi_report.storage.folder import load_bureau_year, save_bureau_year  # noqa: E402
from treemem import PeakTreeMemory  # noqa: E402


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


def _command(root: Path, out: Path, formats: str, extra: list[str]) -> list[str]:
    cmd = [sys.executable, "-m", "ogi_report", "batch", "--root", str(root), "--out", str(out)]
    return [*cmd, "--force", "--format", formats, *extra]


def timed_batch(root: Path, out: Path, formats: str, extra: list[str]) -> tuple[float, float, float]:
    """One ``--force`` batch, its memory not sampled: wall seconds; CPU seconds of its whole process
    tree (the batch's rusage as reaped, which holds every descendant its parent waited for: workers,
    kernels, and for ``local:N`` the cluster's process with its scheduler); and the batch process's
    own CPU seconds (the client: planning, receiving, writing, recording), read every 0.1 s."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        _command(root, out, formats, extra), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    own = [0.0]

    def sample() -> None:
        with contextlib.suppress(psutil.Error):
            batch = psutil.Process(proc.pid)
            while True:
                times = batch.cpu_times()
                own[0] = times.user + times.system
                time.sleep(0.1)

    threading.Thread(target=sample, daemon=True).start()
    assert proc.stderr is not None
    err = proc.stderr.read()  # until it exits (its stderr closes)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {err[-2000:].decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, own[0]


def probed_batch(root: Path, out: Path, formats: str, extra: list[str]) -> int:
    """One ``--force`` batch with its tree's memory sampled (PSS, each page once): the peak bytes.
    Sampling every process's page map costs CPU, so this run is not among the timed ones."""
    proc = subprocess.Popen(
        _command(root, out, formats, extra), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    with PeakTreeMemory(proc.pid, interval=0.2) as memory:
        _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {err[-2000:].decode(errors='replace')}")
    return memory.peak


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
        results: dict[str, list[tuple[float, float, float]]] = {mode: [] for mode in modes}
        for _ in range(args.runs):  # interleaved, so a slower minute of the machine hits both
            for mode, extra in modes.items():
                results[mode].append(timed_batch(root, Path(tmp) / "out", args.format, extra))
        peaks = {
            mode: probed_batch(root, Path(tmp) / "out", args.format, extra) for mode, extra in modes.items()
        }
        sent, back = moved_bytes(root, Path(tmp) / "out" / "2021", "sample-000")
    medians = {}
    for mode, runs in results.items():
        per = [wall / args.n for wall, _, _ in runs]
        medians[mode] = statistics.median(per)
        cpu = statistics.median(c for _, c, _ in runs) / args.n * 1000
        client = statistics.median(c for _, _, c in runs) / args.n * 1000
        print(
            f"{mode:28s} per report: min {min(per):.3f} s, median {medians[mode]:.3f} s; "
            f"CPU: all processes {cpu:.0f} ms, batch process {client:.1f} ms; "
            f"peak PSS {peaks[mode] / 2**20:,.0f} MiB"
        )
    local, dask = medians.values()
    print(f"Dask ÷ local pool (medians): {dask / local:.2f}× (target ≤ 1.2×)")
    print(f"bytes moved per report: to the worker {sent / 1024:,.0f} KiB, back {back / 1024:,.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
