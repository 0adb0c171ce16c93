"""Running a report notebook through papermill on a warm kernel: :func:`execute_report`.

papermill still parameterizes, executes and records each run: :func:`execute_report` takes
papermill's own steps (``papermill.execute.execute_notebook``'s: parameterize, stamp the metadata,
clear old error markers, run the engine, add the error marker to a failed run) with the engine
``ogi_warm``, the one papermill found through its ``papermill.engine`` entry point
(:class:`ogi_report.notebook.warm_engine.WarmEngine`).  What it leaves out is what a batch of
thousands pays for nothing: reading and validating the same notebook file for every report (it is
read once per version of the file, :func:`template`), and validating and deep-copying the executed
notebook to write it (:func:`notebook_json`, byte for byte what papermill writes).
Importing this module imports papermill (≈2 s with nbclient and nbformat), whose ``papermill.engines``
registers the engine.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4.nbjson import BytesEncoder
from nbformat.v4.rwbase import split_lines, strip_transient
from papermill.engines import papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.execute import (
    parameterize_notebook,
    prepare_notebook_metadata,
    raise_for_execution_errors,
    remove_error_markers,
)
from papermill.iorw import load_notebook_node

from ogi_report.notebook.kernels import WarmKernel

ENGINE_NAME = "ogi_warm"  # the entry point's name (pyproject.toml, group papermill.engine)

__all__ = ["ENGINE_NAME", "execute_report", "notebook_json", "template"]

# notebook path → ((mtime_ns, size), the notebook as papermill loads it, as JSON text)
_TEMPLATES: dict[Path, tuple[tuple[int, int], str]] = {}


def template(notebook: Path) -> Any:
    """A fresh copy of ``notebook`` as papermill loads it (read, validated, upgraded, tagged).

    The file is read and validated once per version (its modification time and size): every
    report of a batch runs the same notebook, and validating it is most of what reading costs.
    Each call returns a new copy, which papermill's parameterization then changes in place.
    """
    info = notebook.stat()
    key = (info.st_mtime_ns, info.st_size)
    cached = _TEMPLATES.get(notebook)
    if cached is None or cached[0] != key:
        cached = (key, json.dumps(load_notebook_node(str(notebook))))
        _TEMPLATES[notebook] = cached
    return nbformat.from_dict(json.loads(cached[1]))  # type: ignore[no-untyped-call]


def notebook_json(nb: Any) -> str:
    """``nb`` as the ``.ipynb`` text papermill writes (``nbformat.writes``), without its validation.

    The notebook came from a validated template through papermill and nbclient, which only add
    well-formed cells and outputs; and where nbformat would find it invalid, it would only log
    that and write the same text.  The copy (nbformat writes lines split, leaving ``nb`` as it
    was) goes through JSON rather than ``copy.deepcopy``: the same data, a fraction of the time.
    """
    copy = nbformat.from_dict(json.loads(json.dumps(nb, cls=BytesEncoder)))  # type: ignore[no-untyped-call]
    copy = strip_transient(split_lines(copy))  # type: ignore[no-untyped-call]
    return json.dumps(
        copy, cls=BytesEncoder, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False
    )


def _write(output: Path, nb: Any) -> None:
    # A plain write, as papermill's: the caller writes to a staging name and renames it into place.
    output.write_text(notebook_json(nb), encoding="utf-8")


def execute_report(
    kernel: WarmKernel,
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    timeout: float | None = None,
) -> Any:
    """Execute ``notebook`` with ``parameters`` on ``kernel`` through papermill, writing ``output``.

    Raises papermill's ``PapermillExecutionError`` when a cell failed (the notebook at ``output``
    then carries papermill's error marker).  The kernel is reset before; after a failure it is
    marked broken, and the next :meth:`WarmKernel.ensure_ready` restarts it so the next report starts clean.
    """
    kernel.ensure_ready()
    deadline = None if timeout is None else time.monotonic() + timeout
    nb = parameterize_notebook(
        template(notebook), parameters, kernel_name=kernel.kernel_name, engine_name=ENGINE_NAME
    )
    nb = remove_error_markers(prepare_notebook_metadata(nb, str(notebook), str(output)))
    try:
        nb = papermill_engines.execute_notebook_with_engine(
            ENGINE_NAME,
            nb,
            input_path=str(notebook),
            # One write at the end (or with the error marker): per-cell saves cost more than the cells.
            output_path=None,
            kernel_name=kernel.kernel_name,
            progress_bar=False,
            log_output=False,
            kernel=kernel,
            kernel_cwd=cwd,  # papermill's own ``cwd`` would chdir this process, not the kernel
            deadline=deadline,
        )
        try:
            # papermill's check: on a failed cell it adds its error marker to ``nb`` and raises.
            raise_for_execution_errors(nb, None)
        except PapermillExecutionError:
            _write(output, nb)
            raise
        _write(output, nb)
        return nb
    except Exception:
        # Whatever failed (a cell, papermill, the kernel), the next report gets a restarted kernel.
        kernel.broken = True
        raise
    finally:
        kernel.reports += 1
