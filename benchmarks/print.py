"""Benchmark of printing in a batch: the PDF's cost per report, the process tree's peak memory, and
the seed's PDF size.

    .venv/bin/python benchmarks/print.py                 # 100 reports, --jobs 2, 3 runs
    .venv/bin/python benchmarks/print.py --n 20 --runs 1

A temporary project with ``--n`` synthetic bureau-years (``batch.py``'s) is rendered with
``run_reports.py --force --jobs J`` three ways per run: ``--format html``, ``html,pdf`` and
``html,pdf,docx``.  The PDF's cost per report is the difference between the first two, divided by
``--n`` (it includes both PDFs a report gets: published and review); the memory is the peak PSS
of the whole process tree (parent, workers, kernels; each process once, shared pages split, see
``treemem.py``), sampled every 50 ms.  Each figure is printed as min and median over ``--runs``,
beside issue 17's target where it has one.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from batch import REPO, make_project, run_measured

sys.path.insert(0, str(REPO / "lib"))

from ogi_report.checks.runner import check
from ogi_report.render.model import report_model
from ogi_report.render.pdf.typeset import Typesetter
from ogi_report.storage.workspace import load

FORMATS = ("html", "html,pdf", "html,pdf,docx")
TARGETS = {"html": 0.04, "html,pdf,docx": 0.35}  # issue 17: seconds per report at N = 100, --jobs 2
PROJECTED_MIN = {"html": 3.0, "html,pdf,docx": 30.0}  # issue 17: 5,000 reports, minutes


def seed_pdf_size() -> int:
    loaded = load(REPO / "data" / "haidong-emergency" / "2021")
    return len(Typesetter().pdf(report_model(loaded.by, check(loaded.by, loaded.previous))))


def one_run(root: Path, slugs: list[str], jobs: int) -> dict[str, tuple[float, int]]:
    """Seconds and peak tree PSS of a forced batch in each of :data:`FORMATS`."""
    out: dict[str, tuple[float, int]] = {}
    for formats in FORMATS:
        cmd = [sys.executable, str(REPO / "run_reports.py"), "--root", str(root), "--force"]
        cmd += ["--jobs", str(jobs), "--format", formats, "--only", *slugs]
        seconds, peak, code = run_measured(cmd, root)
        if code != 0:
            raise SystemExit(f"run_reports.py --format {formats}: exit {code}")
        out[formats] = (seconds, peak)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ogi-bench-print-"))
    try:
        slugs = make_project(root, args.n)
        runs = [one_run(root, slugs, args.jobs) for _ in range(args.runs)]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    mib = 2**20

    def stats(values: list[float], unit: str, digits: int = 3) -> str:
        return f"min {min(values):.{digits}f} {unit}, median {statistics.median(values):.{digits}f} {unit}"

    print(f"{args.n} reports, --jobs {args.jobs}, {args.runs} runs")
    for formats in FORMATS:
        seconds = [r[formats][0] / args.n for r in runs]
        peaks = [r[formats][1] / mib for r in runs]
        memory = stats(peaks, "MiB", 0)
        target = TARGETS.get(formats) if args.n == 100 else None  # the targets are for N = 100
        beside = f"  (target ≤ {target:.2f} s)" if target else ""
        print(f"  --format {formats:<14} per report: {stats(seconds, 's')}{beside};  peak tree PSS: {memory}")
        projected = [5000 * s / 60 for s in seconds]
        goal = PROJECTED_MIN.get(formats)
        print(
            f"    5,000 reports projected (× 5,000, start included: at most): {stats(projected, 'min', 1)}"
            + (f"  (target ≤ {goal:.0f} min)" if goal else "")
        )
    pdf = [(r["html,pdf"][0] - r["html"][0]) / args.n for r in runs]
    print(f"PDF per report (html,pdf minus html; published + review PDF): {stats(pdf, 's')}")
    print(f"seed PDF (published edition): {seed_pdf_size() / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
