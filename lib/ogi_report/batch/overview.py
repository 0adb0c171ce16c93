"""The year overview of a batch: ``notebooks/year_overview.ipynb`` run after the bureau reports.

For each year of the batch, papermill runs the overview notebook with ``year`` and the project
root, on a kernel of its own (one notebook a year: not worth a warm pool) through the reports'
engine.  The page the notebook displayed (:func:`ogi_report.overview.view.page_from_notebook`) is
written as ``output/<year>/overview.html``; ``overview.pdf`` (Typst) and ``overview.docx`` are made
from the same blocks (:mod:`ogi_report.overview.pdf`, :mod:`ogi_report.overview.docx`) when those
formats are asked for.  Like the reports, the files are written beside their final path and
renamed.  An overview whose inputs (every bureau-year's data, the notebook, the kit) did not
change since the last run is skipped when it has every format asked for; a failed one leaves no
stale overview behind.

Names that begin with ``_`` (``executed/_year_overview.ipynb``, ``.state/_overview.json``) cannot
be a body's slug, so the overview never overwrites a report's files.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ogi_report import oserrors
from ogi_report.batch.jobs import EXECUTED_DIR, STATE_DIR, TMP_DIR
from ogi_report.batch.plan import kit_version
from ogi_report.errors import OgiError
from ogi_report.storage.textfiles import write_bytes, write_text
from ogi_report.storage.workspace import DATA_DIR, PARAMS_DIR, Workspace

NOTEBOOK = Path("notebooks") / "year_overview.ipynb"
NAME = "overview"  # output/<year>/overview.html|pdf|docx
EXECUTED = "_year_overview.ipynb"
STATE = "_overview.json"
FORMATS = ("html", "pdf", "docx")


@dataclass(frozen=True)
class OverviewResult:
    """What became of one year's overview: the files (format → name) or why there are none."""

    year: int
    outputs: dict[str, str] = field(default_factory=dict)
    message: str = ""
    skipped: bool = False


def output_name(fmt: str) -> str:
    return f"{NAME}.{fmt}"


def fingerprint(root: Path, notebook: Path) -> str:
    """What an overview depends on: every data and params file of the project, the notebook, the kit."""
    digest = hashlib.sha256(f"kit:{kit_version()}\0".encode())
    digest.update(hashlib.sha256(notebook.read_bytes()).digest())
    for folder in (root / DATA_DIR, root / PARAMS_DIR):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _read_state(out_dir: Path) -> dict[str, object]:
    try:
        data = json.loads((out_dir / STATE_DIR / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _execute(root: Path, notebook: Path, executed: Path, year: int, timeout: float | None) -> object:
    """Run the overview notebook through papermill on a kernel of its own (the reports' engine)."""
    from ogi_report.notebook.engine import execute_report
    from ogi_report.notebook.kernels import WarmKernel, notebook_imports

    kernel = WarmKernel(notebook.parent, ["ogi_report", *notebook_imports(notebook)])
    try:
        parameters = {"year": year, "data_root": str(root)}
        return execute_report(kernel, notebook, executed, parameters, cwd=notebook.parent, timeout=timeout)
    finally:
        kernel.shutdown()


def _rendered(root: Path, year: int, nb: object, formats: Sequence[str]) -> dict[str, str | bytes]:
    """The overview in each requested format: the page the executed notebook carries, and the PDF
    and DOCX typeset from the same blocks (computed again from the data, as the notebook did)."""
    from ogi_report.overview.view import page_from_notebook

    rendered: dict[str, str | bytes] = {}
    if "html" in formats:
        rendered["html"] = page_from_notebook(nb)
    if "pdf" in formats or "docx" in formats:
        from ogi_report.overview.document import document
        from ogi_report.overview.view import overview_of

        doc = document(overview_of(root, year))
        if "pdf" in formats:
            from ogi_report.overview.pdf import overview_pdf

            rendered["pdf"] = overview_pdf(doc)
        if "docx" in formats:
            from ogi_report.overview.docx import overview_docx

            rendered["docx"] = overview_docx(doc)
    return rendered


def _remove(out_dir: Path, formats: Iterable[str]) -> None:
    for fmt in formats:
        path = out_dir / output_name(fmt)
        if path.is_file() or path.is_symlink():
            path.unlink()


def render_overview(
    workspace: Workspace,
    out_dir: Path,
    year: int,
    formats: Sequence[str],
    *,
    force: bool = False,
    timeout: float | None = None,
) -> OverviewResult | None:
    """Render ``year``'s overview into ``out_dir``; None when the project has no overview notebook."""
    notebook = workspace.root / NOTEBOOK
    if not notebook.is_file():
        return None
    fp = fingerprint(workspace.root, notebook)
    state = _read_state(out_dir)
    previous = state.get("outputs") if state.get("fingerprint") == fp else None
    kept = (
        {f: n for f, n in previous.items() if (out_dir / str(n)).is_file()}
        if isinstance(previous, dict)
        else {}
    )
    if not force and all(f in kept for f in formats):
        return OverviewResult(year, {str(f): str(n) for f, n in kept.items()}, skipped=True)
    executed = out_dir / EXECUTED_DIR / EXECUTED
    staging = out_dir / TMP_DIR / f"_year_overview.{os.getpid()}.ipynb"
    try:
        staging.parent.mkdir(parents=True, exist_ok=True)
        try:
            nb = _execute(workspace.root, notebook, staging, year, timeout)
        finally:
            if staging.is_file():
                executed.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging, executed)
        rendered = _rendered(workspace.root, year, nb, formats)
        for fmt, content in rendered.items():
            path = out_dir / output_name(fmt)
            write_text(path, content) if isinstance(content, str) else write_bytes(path, content)
    except Exception as exc:  # the reports stand without their overview: say why, keep nothing stale
        _remove(out_dir, FORMATS)
        (out_dir / STATE_DIR / STATE).unlink(missing_ok=True)
        detail = str(exc) if isinstance(exc, OgiError | OSError) else f"{type(exc).__name__}：{exc}"
        if isinstance(exc, OSError):
            detail = f"{exc.filename or out_dir}：{oserrors.reason(exc)}"
        return OverviewResult(year, message=f"{year} 年概览未生成：{detail.strip().splitlines()[0][:500]}")
    outputs = {**{f: str(n) for f, n in kept.items()}, **{f: output_name(f) for f in rendered}}
    _remove(out_dir, [f for f in FORMATS if f not in outputs])
    write_text(out_dir / STATE_DIR / STATE, json.dumps({"fingerprint": fp, "outputs": outputs}, indent=1))
    return OverviewResult(year, outputs)


def render_overviews(
    workspace: Workspace,
    out: Path,
    years: Iterable[int],
    formats: Sequence[str],
    *,
    force: bool = False,
    timeout: float | None = None,
) -> list[OverviewResult]:
    """Each year's overview after its reports; a failure is said on stderr and fails nothing else."""
    results = []
    for year in sorted(years):
        result = render_overview(workspace, out / str(year), year, formats, force=force, timeout=timeout)
        if result is None:
            continue
        if result.message:
            print(f"警告：{result.message}", file=sys.stderr)
        results.append(result)
    return results
