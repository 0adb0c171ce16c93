"""Building small projects for batch tests: a test report notebook and generated bureau-years."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import nbformat
from kit import REPO_ROOT, SEED_DIR, build_by, with_cells
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from ogi_report.batch.jobs import EXECUTED_DIR, Job, Outcome, Status
from ogi_report.cli.main import main
from ogi_report.storage.folder import save_bureau_year

# What each slug makes the test notebook do, besides rendering.
BEHAVIOUR = """
import os, time
if slug == "kill-kernel":
    os.kill(os.getpid(), 9)
if slug == "kill-worker":  # the kernel's parent is the batch's worker process
    os.kill(os.getppid(), 9)
if slug == "hang":
    time.sleep(600)
if slug.startswith("slow"):
    time.sleep(1.5)
if slug == "raise":
    raise ValueError("笔记本中的故意错误")
"""

REPORT = """
from pathlib import Path
from IPython.display import display
from ogi_report import check, load_for
from ogi_report.notebook import payload
loaded = load_for(slug, year, Path(data_root) if data_root else Path.cwd())
result = check(loaded.by, loaded.previous)
bundle = {payload.MIME: payload.payload(loaded.by, result), "text/html": f"<h1>{loaded.by.meta.title}</h1>"}
display(bundle, raw=True)
"""

# Each report records what it found of the previous report's globals, then leaves one behind.
LEAK = """
leaked = sorted(k for k in ("LEFT_BEHIND", "loaded", "result") if k in globals())
print("leaked:", leaked)
LEFT_BEHIND = slug
"""


def report_notebook() -> nbformat.NotebookNode:
    """A small report notebook honouring the kit's contract (parameters cell, nbdata payload)."""
    params = new_code_cell('slug = "haidong-emergency"\nyear = 2021\ndata_root = ""')
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 测试报告"),
            params,
            new_code_cell(LEAK),
            new_code_cell(BEHAVIOUR),
            new_code_cell(REPORT),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def write_notebook(root: Path) -> Path:
    path = root / "notebooks" / "annual_report.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(report_notebook(), str(path))
    return path


def make_project(root: Path) -> Path:
    """A project at ``root``: the bundled example with its params file, and the test report notebook."""
    shutil.copytree(SEED_DIR, root / "data" / "haidong-emergency" / "2021")
    (root / "params").mkdir()
    shutil.copy(REPO_ROOT / "params" / "haidong-emergency-2021.toml", root / "params")
    write_notebook(root)
    return root


def batch(*args: str) -> int:
    """``ogi-report batch ARGS…`` in this process; its exit code."""
    return main(["batch", *args])


def read_summary(root: Path, year: int = 2021, out: str = "output") -> dict[str, dict[str, str]]:
    """The rows of a year's summary.csv by slug (which must start with the BOM Excel needs)."""
    raw = (root / out / str(year) / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = csv.DictReader(raw.decode("utf-8-sig").splitlines())
    return {row["代号"]: row for row in rows}


def add_bureau(root: Path, slug: str, year: int = 2021, *, errors: bool = False, name: str = "") -> Path:
    """A generated bureau-year (示例数据) with its params file; ``errors`` breaks a total of 表三."""
    by = build_by(year=year, slug=slug)
    by = replace(by, meta=replace(by.meta, name=name or f"示例数据{slug}局"))
    if errors:
        by = with_cells(by, "t3", {("new", "natural_person"): 999})
    folder = root / "data" / slug / str(year)
    save_bureau_year(by, folder)
    params = root / "params" / f"{slug}-{year}.toml"
    params.parent.mkdir(parents=True, exist_ok=True)
    params.write_text(f'slug = "{slug}"\nyear = {year}\n', encoding="utf-8")
    return folder


class FakePool:
    """Stands in for :class:`ogi_report.batch.pool.WorkerPool` without kernels: each job "renders" one
    small file per requested format (holding the job's fingerprint) and ends OK.  For tests of what
    the batch does around renders (states, stale outputs, index), in milliseconds."""

    def __init__(self, jobs: int, notebook: Path, token: str = "") -> None:
        self.rendered: list[str] = []
        self.note = "1"  # what the real pool says about its workers (the progress line's 进程=…)

    def __enter__(self) -> FakePool:
        return self

    def ready(self) -> None:
        """As the real pool's: nothing to wait for."""

    def __exit__(self, *exc: object) -> None:
        pass

    def close(self) -> None:
        pass

    def run(self, jobs: Sequence[Job], on_start: Callable[[Job], None] | None = None) -> Iterator[Outcome]:
        for job in jobs:
            outputs = {"ipynb": f"{EXECUTED_DIR}/{job.slug}.ipynb"}
            (job.out_dir / EXECUTED_DIR).mkdir(parents=True, exist_ok=True)
            (job.out_dir / outputs["ipynb"]).write_text("{}", encoding="utf-8")
            for fmt in job.formats:
                (job.out_dir / f"{job.slug}.{fmt}").write_text(job.fingerprint, encoding="utf-8")
                outputs[fmt] = f"{job.slug}.{fmt}"
            yield Outcome(
                job.slug, job.year, job.name, Status.OK, outputs=outputs, fingerprint=job.fingerprint
            )
