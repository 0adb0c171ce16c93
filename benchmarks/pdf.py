"""Benchmark of the PDF: Typst typesetting in-process, per report in a batch, cold, and memory.

    .venv/bin/python benchmarks/pdf.py              # 40 reports, alternating example and long
    .venv/bin/python benchmarks/pdf.py --batch 100

The reports are the bundled example and a long report made from it (``samples.py``).  Each report
of the batch gets a distinct title, so Typst's incremental compilation cannot reuse a whole
previous result: what is measured is what a batch worker does, one :class:`Typesetter` (compiler
and fonts loaded once) typesetting report after report.  "Cold" is a fresh interpreter importing
the kit and typesetting one report, as ``ogi-report render --format pdf`` does.  Peak memory is
this process's PSS (Typst runs in it; any child once, ``treemem.py``), sampled every 20 ms.
The whole batch's figures (PDF per report over 100 reports with ``--jobs 2``, memory of the
process tree) are ``print.py``'s.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from ogi_report.render.model import report_model  # noqa: E402
from ogi_report.render.pdf.typeset import Typesetter  # noqa: E402
from samples import SEED, cold_runs, sample_reports  # noqa: E402
from treemem import PeakTreeMemory  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    cold = cold_runs(COLD.format(seed=str(SEED)), args.cold_runs)
    print(f"cold single report (example), imports included: {cold}")
    reports = [(name, report_model(by, result)) for name, by, result in sample_reports()]
    times: dict[str, list[float]] = {name: [] for name, _r in reports}
    sizes: dict[str, int] = {}
    with PeakTreeMemory(os.getpid(), interval=0.02) as mem:
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
    print(f"peak memory of this process and its children ({mem.kind}): {mem.peak / 2**20:.0f} MiB")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
