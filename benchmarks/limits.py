"""Worst-case time and peak memory of the largest inputs the kit accepts, and of hostile ones.

    .venv/bin/python benchmarks/limits.py              # every case, 3 runs each
    .venv/bin/python benchmarks/limits.py --runs 1 --only pdf

Each case builds its input in a temporary folder (``tests/reliability/hostile.py`` builds the
files), runs the real command (``python -m ogi_report …``) in a fresh process, and samples the
memory of its whole process tree (PSS, each process once: ``treemem.py``) every 20 ms.  Printed
per case: the exit code, min and median wall time, and the highest peak of the runs.  Every case
must stay under 60 s and 1 GB on the 2-core machine the kit targets; the last line says whether
they did.

"Largest accepted" means at the limits: a DOCX and an XLSX of just under a million XML elements
in 50 MB of parts; a PDF at the page cap (150 ruled pages) and one of pages just under the
budget of objects drawn per page; a PDF stream inflating to 1 GB (refused); a 20 MB HTML page;
a 5 MB ``table3.csv`` of unknown rows; a 5 MB narrative repeating a checked figure and one of
250,000 placeholders.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lib"))
sys.path.insert(0, str(ROOT / "tests"))

from ogi_report.importers.pdf import MAX_PAGE_TOKENS  # noqa: E402
from ogi_report.storage.archives import MAX_XML_ELEMENTS  # noqa: E402
from ogi_report.storage.textfiles import MAX_TEXT_BYTES  # noqa: E402
from reliability import hostile  # noqa: E402
from treemem import tree_memory  # noqa: E402

SEED = ROOT / "data" / "haidong-emergency" / "2021"
TIME_LIMIT, MEMORY_LIMIT = 60.0, 1024**3


def measure(argv: list[str]) -> tuple[int, float, int, str]:
    """Run ``ogi-report ARGV`` in a fresh process: exit code, seconds, peak tree PSS, last stderr line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ogi_report", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(proc.pid)[0])
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = proc.communicate(timeout=600)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    lines = [line for line in err.strip().splitlines() if line.strip()]
    return proc.returncode, seconds, peak, (lines[-1] if lines else "")[:110]


def _seed(work: Path) -> Path:
    folder = work / "data" / "lim" / "2021"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SEED, folder)
    meta = folder / "meta.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("haidong-emergency", "lim"), encoding="utf-8")
    return folder


def _import(work: Path, name: str, data: bytes) -> list[str]:
    report = work / name
    report.write_bytes(data)
    return ["import", str(report), "--slug", "lim", "--out", str(work / "imported" / name)]


def docx_largest(work: Path) -> list[str]:
    paragraphs = MAX_XML_ELEMENTS // 3 - 100  # <w:p><w:r><w:t>: three elements each
    # Padded with incompressible bytes so that it also passes the compression-ratio check.
    package = hostile.docx_with_paragraphs(paragraphs, "政府信息公开" * 5)
    return _import(work, "largest.docx", hostile.padded(package, os.urandom(400_000)))


def docx_bomb(work: Path) -> list[str]:
    return _import(
        work, "bomb.docx", hostile.padded(hostile.docx_with_paragraphs(7_000_000), os.urandom(300_000))
    )


def xlsx_largest(work: Path) -> list[str]:
    folder = _seed(work)
    book = work / "largest.xlsx"
    subprocess.run(
        [sys.executable, "-m", "ogi_report", "xlsx", str(folder), "--out", str(book)],
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "lib")},
    )
    book.write_bytes(hostile.xlsx_with_cells(book.read_bytes(), MAX_XML_ELEMENTS // 2 - 2_000))
    return ["import-xlsx", str(book), "--out", str(folder), "--overwrite"]


def pdf_pages(work: Path) -> list[str]:
    return _import(work, "pages.pdf", hostile.pdf([hostile.ruled_page(label=f"p{i}") for i in range(150)]))


def pdf_dense(work: Path) -> list[str]:
    page = hostile.ruled_page()
    # "0 0 m 1 1 l S": seven objects; the ruled table above is ~5,000.
    filler = b"\n" + b"0 0 m 1 1 l S\n" * ((MAX_PAGE_TOKENS - 10_000) // 7)
    return _import(work, "dense.pdf", hostile.pdf([page + filler] * 2))


def pdf_bomb(work: Path) -> list[str]:
    return _import(work, "bomb.pdf", hostile.pdf([b" " * (1024 * 1024 * 1024)]))


def html_largest(work: Path) -> list[str]:
    para = "<p>本机关主动公开政府信息，依申请公开政府信息，不予公开政府信息的情况说明。</p>\n"
    body = para * ((20 * 1024 * 1024 - 4096) // len(para.encode()))
    head = "<html><body><h1>某某局2021年政府信息公开工作年度报告</h1>"
    return _import(work, "largest.html", (head + body + "</body></html>").encode())


def csv_largest(work: Path) -> list[str]:
    folder = _seed(work)
    (folder / "table3.csv").write_text(hostile.unknown_rows_csv(MAX_TEXT_BYTES // 2 - 100), encoding="utf-8")
    return ["check", str(folder)]


def _narrative(work: Path, sentence: str) -> list[str]:
    folder = _seed(work)
    narrative = (folder / "narrative.md").read_text(encoding="utf-8")
    repeat = (MAX_TEXT_BYTES - len(narrative.encode()) - 1024) // len(sentence.encode())
    (folder / "narrative.md").write_text(narrative + sentence * repeat, encoding="utf-8")
    return ["render", str(folder), "--out", str(work / "narrative.html")]


def narrative_figures(work: Path) -> list[str]:
    return _narrative(work, "本年度共收到政府信息公开申请 987654 件。\n\n")


def narrative_placeholders(work: Path) -> list[str]:
    return _narrative(work, "收到申请{{ t3.new }}件。\n")


CASES: dict[str, list[tuple[str, Callable[[Path], list[str]]]]] = {
    "docx": [
        ("DOCX 最大可接受（≈100 万元素，≈48 MB XML）", docx_largest),
        ("DOCX 元素炸弹（拒绝）", docx_bomb),
    ],
    "xlsx": [("XLSX 最大可接受（≈100 万元素）", xlsx_largest)],
    "pdf": [
        ("PDF 150 页表格（页数上限，时限截止）", pdf_pages),
        ("PDF 两页、每页近 50 万项绘制内容（每页上限内）", pdf_dense),
        ("PDF 1 GB 内容流炸弹（拒绝）", pdf_bomb),
    ],
    "html": [("HTML 20 MB（大小上限）", html_largest)],
    "csv": [("table3.csv 5 MB 未知行", csv_largest)],
    "narrative": [
        ("正文 5 MB 重复核对数字（render）", narrative_figures),
        ("正文 5 MB 占位符（render）", narrative_placeholders),
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=sorted(CASES), action="append", default=[])
    args = parser.parse_args()
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.runs} runs per case"
    )
    worst_time, worst_memory = 0.0, 0
    for kind in args.only or list(CASES):
        for label, build in CASES[kind]:
            with tempfile.TemporaryDirectory(prefix="ogi-limits-") as tmp:
                work = Path(tmp)
                argv = build(work)
                runs = []
                for _ in range(args.runs):
                    shutil.rmtree(work / "imported", ignore_errors=True)
                    runs.append(measure(argv))
            times = [r[1] for r in runs]
            peak = max(r[2] for r in runs)
            worst_time, worst_memory = max(worst_time, max(times)), max(worst_memory, peak)
            print(
                f"{label}: exit {runs[0][0]}, min {min(times):.1f} s, "
                f"median {statistics.median(times):.1f} s, peak {peak / 1024**2:.0f} MB (process tree)\n"
                f"    {runs[0][3]}"
            )
    within = worst_time < TIME_LIMIT and worst_memory < MEMORY_LIMIT
    print(
        f"worst: {worst_time:.1f} s, {worst_memory / 1024**2:.0f} MB — "
        f"{'within' if within else 'OVER'} the limits ({TIME_LIMIT:.0f} s, {MEMORY_LIMIT // 1024**2} MB)"
    )


if __name__ == "__main__":
    main()
