"""Benchmark of the PDF: Typst typesetting in-process, per report in a batch, cold, and memory.

    .venv/bin/python benchmarks/pdf.py              # 40 reports, alternating example and long
    .venv/bin/python benchmarks/pdf.py --batch 100

The reports are the bundled example and a long report made from it (``samples.py``).  Each report
of the batch gets a distinct title, so Typst's incremental compilation cannot reuse a whole
previous result: what is measured is what a batch worker does, one :class:`Typesetter` (compiler
and fonts loaded once) typesetting report after report.  "Cold" is a fresh interpreter importing
the kit and typesetting one report, as ``ogi-report render --format pdf`` does.  Peak memory is
this process's RSS (Typst runs in it), sampled every 20 ms.  The whole batch's figures (PDF per
report over 100 reports with ``--jobs 2``, memory of the process tree) are ``print.py``'s.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from ogi_report.render.model import report_model  # noqa: E402
from ogi_report.render.pdf.typeset import Typesetter  # noqa: E402
from samples import SEED, sample_reports  # noqa: E402

COLD = """
import time; t = time.perf_counter()
from pathlib import Path
from ogi_report.checks.runner import check
from ogi_report.render.model import report_model
from ogi_report.render.pdf.typeset import Typesetter
from ogi_report.storage.workspace import load
by = load(Path({seed!r})).by
Typesetter().pdf(report_model(by, check(by)))
print(time.perf_counter() - t)
"""


class PeakRss:
    """This process's peak RSS, sampled every 20 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, me.memory_info().rss)
            self._stop.wait(0.02)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    colds = [
        float(
            subprocess.run(
                [sys.executable, "-c", COLD.format(seed=str(SEED))],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout
        )
        for _ in range(args.cold_runs)
    ]
    cold = f"min {min(colds):.2f} s, median {statistics.median(colds):.2f} s"
    print(f"cold single report (example), imports included: {cold}")
    reports = [(name, report_model(by, result)) for name, by, result in sample_reports()]
    times: dict[str, list[float]] = {name: [] for name, _r in reports}
    sizes: dict[str, int] = {}
    with PeakRss() as mem:
        typesetter = Typesetter()
        started = time.perf_counter()
        typesetter.pdf(reports[0][1])
        first = time.perf_counter() - started
        for i in range(args.batch):
            name, report = reports[i % len(reports)]
            report = dataclasses.replace(report, title=f"{report.title}（{i}）")
            started = time.perf_counter()
            data = typesetter.pdf(report)
            times[name].append(time.perf_counter() - started)
            sizes[name] = len(data)
    print(f"first report of a typesetter (fonts, template): {first:.3f} s")
    for name, values in times.items():
        print(
            f"batch {name:<8} min {min(values):6.3f} s  median {statistics.median(values):6.3f} s  "
            f"max {max(values):6.3f} s  (n={len(values)}, {sizes[name] // 1024} KB)"
        )
    total = sum(sum(v) for v in times.values())
    print(f"batch of {args.batch}: {total:.2f} s, {total / args.batch:.3f} s per PDF")
    print(f"peak RSS of this process: {mem.peak / 2**20:.0f} MiB")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
