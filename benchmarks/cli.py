"""Benchmark of the command line's start: wall time of short commands in fresh processes.

    .venv/bin/python benchmarks/cli.py             # 7 runs each
    .venv/bin/python benchmarks/cli.py --runs 15

Each command runs as a user runs it (``.venv/bin/ogi-report …``, a new interpreter every time);
min and median wall time are printed beside issue 17's target (``check``, ``new`` and
``export-json`` within 0.15 s), and the slowest imports of ``check`` (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "haidong-emergency" / "2021"
BIN = Path(sys.executable).parent / "ogi-report"
TARGET = 0.15


def wall(argv: Callable[[int], list[str]], runs: int, cwd: Path) -> list[float]:
    """Wall seconds of each run of ``ogi-report argv(i)``; a run that fails stops the benchmark."""
    times = []
    for i in range(runs):
        started = time.perf_counter()
        done = subprocess.run([str(BIN), *argv(i)], cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise SystemExit(f"ogi-report {' '.join(argv(i))}: exit {done.returncode}")
    return times


def slowest_imports(argv: list[str], top: int = 8) -> list[tuple[int, str]]:
    """The ``top`` imports of ``ogi-report argv`` with the largest cumulative time (µs, module)."""
    code = "import sys; from ogi_report.cli.main import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *argv], capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="ogi-bench-cli-") as tmp:
        commands: dict[str, Callable[[int], list[str]]] = {
            "check": lambda i: ["check", str(SEED)],
            "export-json": lambda i: ["export-json", str(SEED)],
            "new": lambda i: [
                "new",
                f"bench-{i}",
                "2021",
                "--name",
                "测试局",
                "--type",
                "department",
                "--root",
                tmp,
            ],
            "--help": lambda i: ["--help"],
        }
        for name, argv in commands.items():
            times = wall(argv, args.runs, Path(tmp))
            target = f"target ≤ {TARGET:.2f} s" if name != "--help" else "no target"
            print(
                f"ogi-report {name:<12} min {min(times):.3f} s  median {statistics.median(times):.3f} s"
                f"  ({args.runs} runs)   {target}"
            )
    print("slowest imports of `ogi-report check` (cumulative):")
    for micros, module in slowest_imports(["check", str(SEED)]):
        print(f"  {micros / 1000:7.1f} ms  {module}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
