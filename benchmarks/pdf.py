"""Benchmark of PDF printing: per-report time in a batch, a cold single report, and peak memory.

    .venv/bin/python benchmarks/pdf.py                    # Chromium (the kit's engine), 20 reports
    .venv/bin/python benchmarks/pdf.py --engine weasyprint
    .venv/bin/python benchmarks/pdf.py --html a.html --html b.html   # any pages instead

By default the pages are the bundled example (data/haidong-emergency/2021) and a long report made
from it (table 三 filled, the narrative repeated to several pages), rendered by
``ogi_report.render.html.page.render_page``; the batch alternates them.  Peak memory is sampled every 20 ms:
for Chromium the summed RSS of the browser's whole process tree plus this process, for
WeasyPrint this process (it runs in-process).  RSS sums count shared pages once per process, so
the Chromium figure is an upper bound.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))

from ogi_report.render.fonts import load_setup  # noqa: E402
from ogi_report.render.pdf.printer import PdfPrinter, with_print_style  # noqa: E402
from samples import sample_reports  # noqa: E402


def report_pages() -> list[tuple[str, str]]:
    """The bundled example and a long report made from it, as printed HTML pages."""
    from ogi_report.render.html.page import render_page

    return [(name, render_page(by, result)) for name, by, result in sample_reports()]


class PeakSampler:
    """Samples the memory of some processes and their descendants every 50 ms; keeps the peaks.

    RSS sums count pages shared between processes (Chromium's are many) once per process; PSS
    shares them out, so its sum is the tree's real footprint.
    """

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self.pids = pids
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0
            for pid in self.pids():
                try:
                    root = psutil.Process(pid)
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for proc in procs:
                    with suppress(psutil.Error):
                        info = proc.memory_full_info()
                        rss += info.rss
                        pss += info.pss
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(0.05)

    @contextmanager
    def running(self) -> Iterator[PeakSampler]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


def bench_chromium(pages: list[tuple[str, str]], batch: int) -> None:
    me = psutil.Process().pid
    printer = PdfPrinter()
    sampler = PeakSampler(lambda: [me] + ([printer.browser_pid] if printer.browser_pid else []))
    with sampler.running(), printer:
        t0 = time.perf_counter()
        printer.start()
        started = time.perf_counter() - t0
        name, html = pages[0]  # cold: the first print, which loads the fonts
        t = time.perf_counter()
        size = len(printer.print_html(html))
        first = time.perf_counter() - t
        print(
            f"cold single report ({name}): browser start {started:.2f} s + first print {first:.2f} s"
            f" = {started + first:.2f} s  ({size / 1024:.0f} KB)"
        )
        times: dict[str, list[float]] = {name: [] for name, _ in pages}
        t_batch = time.perf_counter()
        for i in range(batch):
            name, html = pages[i % len(pages)]
            t = time.perf_counter()
            printer.print_html(html)
            times[name].append(time.perf_counter() - t)
        total = time.perf_counter() - t_batch
    for name, ts in times.items():
        print(
            f"batch {name:8s} mean {sum(ts) / len(ts):6.3f} s  min {min(ts):6.3f} s  max {max(ts):6.3f} s"
            f"  (n={len(ts)})"
        )
    amortized = (total + started + first) / (batch + 1)
    print(f"batch of {batch}: {total:.2f} s printing, {amortized:.3f} s per PDF amortized incl. start + cold")
    print(
        f"peak memory (this process + browser tree): PSS {sampler.peak_pss / 2**20:.0f} MB,"
        f" RSS sum {sampler.peak_rss / 2**20:.0f} MB"
    )


def bench_weasyprint(pages: list[tuple[str, str]], batch: int) -> None:
    import weasyprint  # type: ignore[import-untyped]

    setup = load_setup()
    styled = [(name, with_print_style(html, setup)) for name, html in pages]
    sampler = PeakSampler(lambda: [psutil.Process().pid])
    with sampler.running():
        name, html = styled[0]
        t = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf()
        print(f"cold  {name:8s} {time.perf_counter() - t:6.2f} s")
        times: dict[str, list[float]] = {name: [] for name, _ in styled}
        for i in range(batch):
            name, html = styled[i % len(styled)]
            t = time.perf_counter()
            weasyprint.HTML(string=html).write_pdf()
            times[name].append(time.perf_counter() - t)
    for name, ts in times.items():
        print(
            f"batch {name:8s} mean {sum(ts) / len(ts):6.3f} s  min {min(ts):6.3f} s  max {max(ts):6.3f} s"
            f"  (n={len(ts)})"
        )
    print(
        f"peak memory (this process): PSS {sampler.peak_pss / 2**20:.0f} MB,"
        f" RSS {sampler.peak_rss / 2**20:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=("chromium", "weasyprint"), default="chromium")
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--html", type=Path, action="append", help="benchmark these pages instead")
    args = parser.parse_args()
    pages = [(p.stem, p.read_text(encoding="utf-8")) for p in args.html] if args.html else report_pages()
    print(f"engine {args.engine}; pages: {', '.join(f'{n} ({len(h) // 1024} KB)' for n, h in pages)}")
    # Other work on the machine slows every figure: the load average says how busy it was.
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    (bench_chromium if args.engine == "chromium" else bench_weasyprint)(pages, args.batch)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
