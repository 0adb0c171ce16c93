"""One job slot of a batch: a long-lived process with a warm kernel and exporters built once.

A :class:`Renderer` turns a :class:`~ogi_report.batch.jobs.Job` into an
:class:`~ogi_report.batch.jobs.Outcome`: papermill executes the report notebook on the slot's
:class:`~ogi_report.notebook.kernels.WarmKernel`, then the executed notebook is exported to each requested
format in two editions: the published one (``<slug>.html|.pdf|.docx``: the official report, a
draft's marked 草稿) and the review one (``review/<slug>.…``: the report and its 数据校验 appendix).
The PDF typesetter (Typst, fonts loaded once) lives as long as the worker.
Every file is written under a temporary name and renamed into place, so a final path
never holds half a file; the state that marks a bureau-year done is written last, by the batch.
:func:`serve` is the process's main loop, fed over a pipe by :mod:`ogi_report.batch.pool`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogi_report import oserrors
from ogi_report.batch.jobs import (
    EXECUTED_DIR,
    FORMATS,
    REVIEW_PREFIX,
    TMP_DIR,
    Job,
    Outcome,
    Status,
    output_name,
    output_path,
)
from ogi_report.batch.lock import committing
from ogi_report.batch.state import read_state
from ogi_report.checks.findings import Severity
from ogi_report.errors import OgiError, RenderError, UsageError
from ogi_report.notebook.kernels import WarmKernel, notebook_imports
from ogi_report.render.model import Edition
from ogi_report.storage.textfiles import write_bytes, write_text

if TYPE_CHECKING:
    from ogi_report.notebook.payload import Carried
    from ogi_report.render.model import Report
    from ogi_report.render.pdf.typeset import Typesetter


def check_formats(formats: tuple[str, ...]) -> None:
    """Fail early, in the parent, when a requested format's renderer is not importable."""
    missing = []
    if "pdf" in formats:
        try:
            import ogi_report.render.pdf.typeset
        except ImportError as exc:
            missing.append(f"pdf（{exc}）")
    if "docx" in formats:
        try:
            import ogi_report.render.docx.document  # noqa: F401
        except ImportError as exc:
            missing.append(f"docx（{exc}）")
    if missing:
        raise UsageError(f"无法生成 {'、'.join(missing)}：请先安装相应组件，或改用 --format html")


def _error_text(exc: BaseException) -> str:
    name = getattr(exc, "ename", "") or type(exc).__name__
    value = getattr(exc, "evalue", "") or str(exc)
    return f"{name}: {value}".strip().splitlines()[0][:500]


def _unusable(path: Path, exc: OSError | None = None) -> RenderError:
    """A Chinese error naming an output path that cannot be written (e.g. a folder sits there)."""
    if path.is_dir() and not path.is_symlink():
        reason = "该路径是一个文件夹，请移走或改名后重试"
    elif exc is not None:
        reason = oserrors.reason(exc)
    else:
        reason = "该路径已被占用且不是普通文件"
    return RenderError(f"无法写入 {path}：{reason}")


def _outcome(job: Job, status: Status, started: float, **fields: Any) -> Outcome:
    return Outcome(
        slug=job.slug,
        year=job.year,
        name=job.name,
        status=status,
        fingerprint=job.fingerprint,
        seconds=time.monotonic() - started,
        **fields,
    )


class Renderer:
    """Renders jobs one after another on one warm kernel, with exporters built once."""

    def __init__(self, notebook: Path, runtime_dir: Path | None = None, token: str = "") -> None:
        self.token = token  # the batch lock's: files are committed only while it is current
        modules = ["ogi_report", *notebook_imports(notebook)]
        self.kernel = WarmKernel(notebook.parent, modules, runtime_dir=runtime_dir)
        self._typesetter: Typesetter | None = None  # built on the first PDF, then kept

    def start(self) -> None:
        """Launch the kernel, import the heavy modules while it boots, then warm it."""
        self.kernel.launch()
        import ogi_report.notebook.engine  # noqa: F401  (papermill and its engine ogi_warm: ≈2 s)
        from ogi_report.notebook.export_html import html_exporter

        html_exporter()  # nbconvert's template environment, built once per process
        self.kernel.connect()

    def close(self) -> None:
        self._typesetter = None
        self.kernel.shutdown()

    def render(self, job: Job) -> Outcome:
        """Execute and export one bureau-year; any failure becomes a FAILED outcome, never a raise."""
        started = time.monotonic()
        try:
            outcome = self._render(job, started)
        except Exception as exc:
            # Outside the notebook and the export (e.g. the executed notebook cannot be moved into
            # place): still this report's failure alone, not the worker's, which serves on.
            detail = str(exc) if isinstance(exc, OgiError) else _error_text(exc)
            outcome = _outcome(job, Status.FAILED, started, message=f"生成失败：{detail}")
        return settle_review(job, outcome)

    def _render(self, job: Job, started: float) -> Outcome:
        from ogi_report.notebook import payload

        executed_tmp = self._staging(job) / f"{job.slug}.{os.getpid()}.ipynb"
        executed = job.out_dir / EXECUTED_DIR / f"{job.slug}.ipynb"
        outputs = {"ipynb": f"{EXECUTED_DIR}/{job.slug}.ipynb"}
        try:
            nb = self._execute(job, executed_tmp)
        except Exception as exc:
            self._keep_executed(job, executed_tmp, executed)
            message = f"笔记本运行失败：{_error_text(exc)}"
            return _outcome(
                job, Status.FAILED, started, message=message, outputs=outputs if executed.is_file() else {}
            )
        try:
            carried = payload.from_notebook(nb)
            written = self._export(job, nb, carried)
        except Exception as exc:
            self._keep_executed(job, executed_tmp, executed)
            # Not a traceback: the summary is read by the office; an unexpected error is named by
            # its type and message, which is what a bug report needs to start from.
            detail = str(exc) if isinstance(exc, OgiError) else f"内部错误（{type(exc).__name__}：{exc}）"
            return _outcome(
                job, Status.FAILED, started, message=f"导出失败：{detail.strip()[:800]}", outputs=outputs
            )
        self._keep_executed(job, executed_tmp, executed)
        counts = carried.counts
        return _outcome(
            job,
            Status.DRAFT if counts[Severity.ERROR] else Status.OK,
            started,
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
            findings=carried.findings,
            outputs={**written, **outputs},
        )

    @staticmethod
    def _staging(job: Job) -> Path:
        """The year's staging folder, made when missing."""
        tmp = job.out_dir / TMP_DIR
        try:
            tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unusable(tmp, exc) from None
        return tmp

    def _execute(self, job: Job, executed: Path) -> Any:
        """Run the report notebook with the job's parameters on the warm kernel, saving ``executed``."""
        from ogi_report.notebook.engine import execute_report

        parameters = {"slug": job.slug, "year": job.year, "data_root": str(job.root)}
        return execute_report(
            self.kernel, job.notebook, executed, parameters, cwd=job.notebook.parent, timeout=job.timeout
        )

    def _keep_executed(self, job: Job, tmp: Path, final: Path) -> None:
        if tmp.is_file():
            try:
                final.parent.mkdir(parents=True, exist_ok=True)
                with committing(job.out_dir.parent, self.token):
                    os.replace(tmp, final)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise _unusable(final, exc) from None

    def _export(self, job: Job, nb: Any, carried: Carried) -> dict[str, str]:
        """Render every requested format in both editions, then move them into place together;
        output kind (html, review-html …) → file name relative to ``output/<year>``.

        A report whose PDF fails does not leave a fresh HTML beside a stale PDF.
        """
        kinds = [*job.formats, *(REVIEW_PREFIX + fmt for fmt in job.formats)]
        # A folder (or other non-file) at a final path would only fail after the slow rendering:
        # refuse it first, naming the path.
        for kind in kinds:
            path = output_path(job.out_dir, job.slug, kind)
            if path.exists() and not path.is_file():
                raise _unusable(path)
        rendered = self._rendered(job, nb, carried)
        with committing(job.out_dir.parent, self.token):  # only while this report's batch owns the folder
            return self._commit(job, rendered)

    @staticmethod
    def _commit(job: Job, rendered: dict[str, bytes | str]) -> dict[str, str]:
        """Write each rendered output at its final path; output kind → file name."""
        names = {}
        for kind, content in rendered.items():
            path = output_path(job.out_dir, job.slug, kind)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, str):
                    write_text(path, content)
                else:
                    write_bytes(path, content)
            except OSError as exc:
                raise _unusable(path, exc) from None
            names[kind] = output_name(kind, job.slug)
        return names

    def _rendered(self, job: Job, nb: Any, carried: Carried) -> dict[str, bytes | str]:
        """The content of each requested output: the published edition (the HTML as the notebook
        exports it) and the review edition (from the model, as the PDF and DOCX)."""
        from ogi_report.notebook.export_html import export_html
        from ogi_report.notebook.exporting import carried_report

        rendered: dict[str, bytes | str] = {}
        # The published edition's model only for the formats printed from it (the HTML page is
        # the notebook's own export): reading it back from the notebook costs a few ms a report.
        published = carried_report(nb) if {"pdf", "docx"} & set(job.formats) else None
        review = self._review(job, carried)
        if "html" in job.formats:
            from ogi_report.render.html.page import report_page

            rendered["html"] = export_html(nb)
            rendered[REVIEW_PREFIX + "html"] = report_page(review)
        if published is not None and "pdf" in job.formats:
            typesetter = self._pdf_typesetter()
            rendered["pdf"] = typesetter.pdf(published)
            rendered[REVIEW_PREFIX + "pdf"] = typesetter.pdf(review, Edition.REVIEW)
        if published is not None and "docx" in job.formats:
            from ogi_report.render.docx.document import report_docx

            rendered["docx"] = report_docx(published)
            rendered[REVIEW_PREFIX + "docx"] = report_docx(review)
        return rendered

    @staticmethod
    def _review(job: Job, carried: Carried) -> Report:
        """The review edition's model: the carried report with every rule's outcome, checked again
        with last year's data as the notebook was (the checks take milliseconds)."""
        from ogi_report.checks.runner import check
        from ogi_report.render.model import report_model
        from ogi_report.storage.workspace import Workspace

        loaded = Workspace(job.root).load(job.slug, job.year)
        notes = (loaded.previous_problem,) if loaded.previous_problem else ()
        return report_model(carried.by, check(carried.by, loaded.previous), notes)

    def _pdf_typesetter(self) -> Typesetter:
        if self._typesetter is None:
            from ogi_report.render.pdf.typeset import Typesetter

            self._typesetter = Typesetter()
        return self._typesetter


def settle_review(job: Job, outcome: Outcome) -> Outcome:
    """Keep the review editions current or absent, as :mod:`ogi_report.batch.state` keeps the
    published files: one of a format not written now stays (and stays listed) only when the recorded
    state says it was made from the same inputs and this render did not fail; otherwise it goes."""
    previous = read_state(job.out_dir, job.slug)
    same = outcome.rendered and previous is not None and previous.rendered
    same = same and previous is not None and previous.fingerprint == job.fingerprint
    outputs = dict(outcome.outputs)
    for fmt in FORMATS:
        kind = REVIEW_PREFIX + fmt
        if kind in outputs:
            continue
        kept = previous.outputs.get(kind) if same and previous is not None else None
        if kept and (job.out_dir / kept).is_file():
            outputs[kind] = kept
        else:
            with contextlib.suppress(OSError):
                path = output_path(job.out_dir, job.slug, kind)
                if path.is_file() or path.is_symlink():
                    path.unlink()
    return outcome if outputs == outcome.outputs else replace(outcome, outputs=outputs)


def serve(conn: Any, notebook: Path, runtime_dir: Path | None = None, token: str = "") -> None:
    """A worker process's main loop: receive jobs, send outcomes, until ``None`` or SIGTERM."""

    def stop(signum: int, frame: Any) -> None:
        # Told to stop (the batch was interrupted or died): nothing the unwinding prints (asyncio's
        # DeadKernelError…) is for the user's terminal, and a worker stuck unwinding is ended.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.alarm(15)
        raise SystemExit(0)

    # Ctrl-C reaches the whole process group: the parent decides, the worker only obeys SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)
    renderer = Renderer(notebook, runtime_dir, token)
    try:
        renderer.start()
        conn.send(("ready", os.getpid()))
        while True:
            job = conn.recv()
            if job is None:
                break
            conn.send(("done", renderer.render(job)))
    except (EOFError, BrokenPipeError):
        pass  # the parent is gone: shut down quietly
    except Exception as exc:
        with contextlib.suppress(OSError):
            conn.send(("fatal", _error_text(exc)))
    finally:
        renderer.close()
