"""Benchmark of the Word output: per-report DOCX time, warm (as in a batch worker) and cold.

(Named word.py: a docx.py in this folder would shadow python-docx.)

    .venv/bin/python benchmarks/word.py            # 20 reports, alternating example and long
    .venv/bin/python benchmarks/word.py --batch 50

The reports are the bundled example and a long report made from it (``samples.py``).  "Cold" is a
fresh interpreter importing the kit and writing one report, as ``ogi-report`` would; "in a batch"
is the same process writing one report after another, as a batch worker does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from ogi_report.render.docx.document import render_docx  # noqa: E402
from samples import SEED, cold_runs, sample_reports  # noqa: E402

COLD = """
import time; t = time.perf_counter()
from pathlib import Path
from ogi_report.render.docx.document import render_docx
from ogi_report.checks.runner import check
from ogi_report.storage.workspace import load
by = load(Path({seed!r})).by
render_docx(by, check(by))
print(time.perf_counter() - t)
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    cold = cold_runs(COLD.format(seed=str(SEED)), args.cold_runs)
    print(f"cold single report (example), imports included: {cold}")
    reports = sample_reports()
    times: dict[str, list[float]] = {name: [] for name, _by, _r in reports}
    sizes: dict[str, int] = {}
    for i in range(args.batch):
        name, by, result = reports[i % len(reports)]
        started = time.perf_counter()
        data = render_docx(by, result)
        times[name].append(time.perf_counter() - started)
        sizes[name] = len(data)
    for name, values in times.items():
        print(
            f"batch {name:<8} min {min(values):6.3f} s  median {statistics.median(values):6.3f} s  "
            f"max {max(values):6.3f} s  (n={len(values)}, {sizes[name] // 1024} KB)"
        )
    total = sum(sum(v) for v in times.values())
    print(f"batch of {args.batch}: {total:.2f} s, {total / args.batch:.3f} s per DOCX")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
