"""Benchmark of the frames: a data root of N bureau-years read into the long DataFrame.

    .venv/bin/python benchmarks/frames.py                # 1,000 bureau-years (200 bodies × 5 years), 5 runs
    .venv/bin/python benchmarks/frames.py --bodies 50 --years 4 --runs 3

The data root is written once into a temporary folder from the bundled example (each body a copy
with its own slug and year).  Timed per run, in one process: reading every folder
(:func:`read_root`: meta.toml, three CSV files, narrative) and building the long frame, then the
wide views of 三 and 四.  Checking every bureau-year (the findings frame) is timed on its own: it
parses each narrative, which reading data does not need.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from ogi_report.checks.runner import check  # noqa: E402
from ogi_report.overview.collect import read_root  # noqa: E402
from ogi_report.overview.frames import findings_frame, wide_t3, wide_t4  # noqa: E402
from ogi_report.storage.folder import save_bureau_year  # noqa: E402
from ogi_report.storage.workspace import load  # noqa: E402

SEED = ROOT / "data" / "haidong-emergency" / "2021"


def make_root(root: Path, bodies: int, years: int) -> None:
    """``bodies`` × ``years`` bureau-year folders under ``root/data`` copied from the example."""
    seed = load(SEED).by
    for b in range(bodies):
        for y in range(years):
            meta = dataclasses.replace(seed.meta, slug=f"body-{b:04d}", year=2021 + y, name=f"机关{b:04d}")
            by = dataclasses.replace(seed, meta=meta)
            save_bureau_year(by, root / "data" / meta.slug / str(meta.year), computed=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=200)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ogi-frames-") as tmp:
        root = Path(tmp)
        make_root(root, args.bodies, args.years)
        n = args.bodies * args.years
        load_times, frame_times, wide_times = [], [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            data = read_root(root)
            loaded = time.perf_counter()
            long = data.frame()
            framed = time.perf_counter()
            wide_t3(long), wide_t4(long)
            load_times.append(loaded - started)
            frame_times.append(framed - started)
            wide_times.append(time.perf_counter() - framed)
        assert len(data.bureau_years) == n, len(data.bureau_years)
        started = time.perf_counter()
        findings = findings_frame((by, check(by).findings) for by in data.bureau_years)
        checked = time.perf_counter() - started
    print(
        f"{n} bureau-years, long frame {len(long):,} rows × {long.shape[1]} columns, "
        f"{long.memory_usage(deep=True).sum() / 2**20:.1f} MiB"
    )
    for label, times in (
        ("read folders", load_times),
        ("read + long frame", frame_times),
        ("wide 三 + 四 views", wide_times),
    ):
        print(
            f"{label:>20}: min {min(times):.2f} s, median {statistics.median(times):.2f} s ({args.runs} runs)"
        )
    print(f"{'checks + findings':>20}: {checked:.2f} s ({len(findings)} findings, one run)")


if __name__ == "__main__":
    main()
