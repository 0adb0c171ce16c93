"""One job slot of a batch: a long-lived process with a warm kernel and exporters built once.

A :class:`Renderer` turns a :class:`~ogi_report.batch.plan.Job` into an
:class:`~ogi_report.batch.plan.Outcome`: papermill executes the report notebook on the slot's
:class:`~ogi_report.notebook.engine.WarmKernel`, then the executed notebook is exported to each requested
format.  Every file is written under a temporary name and renamed into place, so a final path
never holds half a file; the state that marks a bureau-year done is written last, by the batch.
:func:`serve` is the process's main loop, fed over a pipe by :mod:`ogi_report.batch.pool`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path
from typing import Any

from ogi_report import oserrors
from ogi_report.batch.plan import EXECUTED_DIR, TMP_DIR, Job, Outcome, Status, output_path
from ogi_report.errors import OgiError, RenderError
from ogi_report.notebook.kernels import WarmKernel, notebook_imports
from ogi_report.storage.textfiles import write_bytes, write_text


def html_exporter() -> Any:
    """The kit's HTML exporter (no input cells); nbconvert's stock one until the kit's is installed."""
    try:
        from ogi_report.notebook.export_html import OgiHtmlExporter
    except ImportError:
        from nbconvert import HTMLExporter

        return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)  # type: ignore[no-untyped-call]
    return OgiHtmlExporter()  # type: ignore[no-untyped-call]


def check_formats(formats: tuple[str, ...]) -> None:
    """Fail early, in the parent, when a requested format's renderer is not importable."""
    missing = []
    if "pdf" in formats:
        try:
            import ogi_report.render.pdf.printer
        except ImportError as exc:
            missing.append(f"pdf（{exc}）")
    if "docx" in formats:
        try:
            import ogi_report.render.docx.document  # noqa: F401
        except ImportError as exc:
            missing.append(f"docx（{exc}）")
    if missing:
        from ogi_report.batch.plan import UsageError

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

    def __init__(self, notebook: Path, runtime_dir: Path | None = None) -> None:
        modules = ["ogi_report", *notebook_imports(notebook)]
        self.kernel = WarmKernel(notebook.parent, modules, runtime_dir=runtime_dir)
        self._html: Any = None  # built once per process (its template environment is costly)
        self._printer: Any = None

    def start(self) -> None:
        """Launch the kernel, import the heavy modules while it boots, then warm it."""
        self.kernel.launch()
        import ogi_report.notebook.engine  # noqa: F401  (papermill, nbclient, nbformat: ≈2 s)

        self._html = html_exporter()  # nbconvert
        self.kernel.connect()

    def close(self) -> None:
        try:
            if self._printer is not None:
                self._printer.close()
        finally:
            self._printer = None
            self.kernel.shutdown()

    def render(self, job: Job) -> Outcome:
        """Execute and export one bureau-year; any failure becomes a FAILED outcome, never a raise."""
        started = time.monotonic()
        try:
            return self._render(job, started)
        except Exception as exc:
            # Outside the notebook and the export (e.g. the executed notebook cannot be moved into
            # place): still this report's failure alone, not the worker's, which serves on.
            detail = str(exc) if isinstance(exc, OgiError) else _error_text(exc)
            return _outcome(job, Status.FAILED, started, message=f"生成失败：{detail}")

    def _render(self, job: Job, started: float) -> Outcome:
        from ogi_report.notebook import payload
        from ogi_report.notebook.engine import execute_report

        tmp = job.out_dir / TMP_DIR
        try:
            tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unusable(tmp, exc) from None
        executed_tmp = tmp / f"{job.slug}.{os.getpid()}.ipynb"
        executed = job.out_dir / EXECUTED_DIR / f"{job.slug}.ipynb"
        outputs = {"ipynb": f"{EXECUTED_DIR}/{job.slug}.ipynb"}
        parameters = {"slug": job.slug, "year": job.year, "data_root": str(job.root)}
        try:
            nb = execute_report(
                self.kernel,
                job.notebook,
                executed_tmp,
                parameters,
                cwd=job.notebook.parent,
                timeout=job.timeout,
            )
        except Exception as exc:
            self._keep_executed(executed_tmp, executed)
            message = f"笔记本运行失败：{_error_text(exc)}"
            return _outcome(
                job, Status.FAILED, started, message=message, outputs=outputs if executed.is_file() else {}
            )
        try:
            carried = payload.from_notebook(nb)
            findings = tuple(f.to_dict() for f in carried.findings)
            written = self._export(job, nb, carried)
        except Exception as exc:
            self._keep_executed(executed_tmp, executed)
            # Not a traceback: the summary is read by the office; an unexpected error is named by
            # its type and message, which is what a bug report needs to start from.
            detail = str(exc) if isinstance(exc, OgiError) else f"内部错误（{type(exc).__name__}：{exc}）"
            return _outcome(
                job, Status.FAILED, started, message=f"导出失败：{detail.strip()[:800]}", outputs=outputs
            )
        self._keep_executed(executed_tmp, executed)
        return _outcome(
            job,
            Status.DRAFT if carried.errors else Status.OK,
            started,
            errors=carried.errors,
            warnings=carried.warnings,
            findings=findings,
            outputs={**written, **outputs},
        )

    @staticmethod
    def _keep_executed(tmp: Path, final: Path) -> None:
        if tmp.is_file():
            try:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise _unusable(final, exc) from None

    def _export(self, job: Job, nb: Any, carried: Any) -> dict[str, str]:
        # Render every format first, then move them into place together: a report whose PDF
        # fails does not leave a fresh HTML beside a stale PDF.
        # A folder (or other non-file) at a final path would only fail after the slow rendering:
        # refuse it first, naming the path.
        for fmt in job.formats:
            path = output_path(job.out_dir, job.slug, fmt)
            if path.exists() and not path.is_file():
                raise _unusable(path)
        rendered: dict[str, bytes | str] = {}
        html = ""
        if "html" in job.formats or "pdf" in job.formats:
            html, _resources = self._html.from_notebook_node(nb)
        if "html" in job.formats:
            rendered["html"] = html
        if "pdf" in job.formats:
            rendered["pdf"] = self._pdf_printer().print_html(html, timeout=job.timeout or 120)
        if "docx" in job.formats:
            from ogi_report.render.docx.document import render_docx

            rendered["docx"] = render_docx(carried.by, carried.findings)
        names = {}
        for fmt, content in rendered.items():
            path = output_path(job.out_dir, job.slug, fmt)
            try:
                if isinstance(content, str):
                    write_text(path, content)
                else:
                    write_bytes(path, content)
            except OSError as exc:
                raise _unusable(path, exc) from None
            names[fmt] = path.name
        return names

    def _pdf_printer(self) -> Any:
        if self._printer is None:
            from ogi_report.render.pdf.printer import PdfPrinter

            self._printer = PdfPrinter()
            self._printer.start()
        return self._printer


def serve(conn: Any, notebook: Path, runtime_dir: Path | None = None) -> None:
    """A worker process's main loop: receive jobs, send outcomes, until ``None`` or SIGTERM."""

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    # Ctrl-C reaches the whole process group: the parent decides, the worker only obeys SIGTERM.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)
    renderer = Renderer(notebook, runtime_dir)
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
