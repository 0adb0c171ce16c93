"""The report notebook as source: what a person wrote in it, apart from what a run left in it.

A notebook file mixes the two: cells with their code, tags and parameters, and the outputs,
execution counts, timings and kernel details a run adds.  The template notebooks are tracked in
git and the batch fingerprints the report notebook, so only the first part may count:

- :func:`strip_run` drops what a run left (JupyterLab's pre-save hook,
  :func:`pre_save_hook`, calls it, so saving in Lab writes no outputs into the template);
- :func:`source_digest` hashes what a person wrote, so a notebook saved with outputs (by an
  older Lab, by hand) is still the same notebook to the batch.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

# Keys a run or a frontend's display state adds; none of them changes what the notebook does.
RUN_CELL_KEYS = ("execution", "ExecuteTime", "papermill", "collapsed", "scrolled")
RUN_NOTEBOOK_KEYS = ("papermill", "widgets", "execution")
# The folder whose notebooks are saved without outputs: the project's tracked templates.
TEMPLATE_FOLDER = "notebooks"


def strip_run(nb: dict[str, Any]) -> None:
    """Remove from ``nb`` (nbformat 4, as a dict) every output and what a run added, in place."""
    metadata = nb.get("metadata", {})
    for key in RUN_NOTEBOOK_KEYS:
        metadata.pop(key, None)
    language = metadata.get("language_info")
    if isinstance(language, dict):
        # The kernel fills in its version, lexer and mime type on every save; the name is the source's.
        metadata["language_info"] = {k: v for k, v in language.items() if k == "name"}
    for cell in nb.get("cells", []):
        cell_metadata = cell.get("metadata", {})
        for key in RUN_CELL_KEYS:
            cell_metadata.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def source_of(nb: dict[str, Any]) -> dict[str, Any]:
    """The part of ``nb`` a person wrote: the notebook's metadata and each cell's type, metadata
    and text (a list of lines or one string alike), without what a run adds."""
    stripped = json.loads(json.dumps(nb))  # a deep copy: strip_run works in place
    strip_run(stripped)
    return {
        "metadata": stripped.get("metadata", {}),
        "cells": [
            {
                "cell_type": cell.get("cell_type"),
                "metadata": cell.get("metadata", {}),
                "source": _text(cell.get("source", "")),
            }
            for cell in stripped.get("cells", [])
        ],
    }


def source_digest(path: Path) -> bytes:
    """A SHA-256 of the notebook file's source (:func:`source_of`): its outputs do not change it.

    A file that cannot be read or is not a notebook's JSON is hashed as it is (its errno, its bytes):
    the run that reads it fails, and must not be skipped as unchanged.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return hashlib.sha256(f"error:{exc.errno}".encode()).digest()
    try:
        nb = json.loads(raw)
    except ValueError:
        nb = None
    if not isinstance(nb, dict):
        return hashlib.sha256(b"raw\0" + raw).digest()
    canonical = json.dumps(source_of(nb), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(b"notebook\0" + canonical.encode()).digest()


def is_template(path: str) -> bool:
    """Whether the notebook at ``path`` (relative to the Jupyter server's root, ``/``-separated) is
    one of the project's templates, which are saved without outputs."""
    parts = PurePosixPath(path.strip("/"))
    return parts.suffix == ".ipynb" and parts.parent.name == TEMPLATE_FOLDER


def pre_save_hook(model: dict[str, Any], path: str, **_kwargs: Any) -> None:
    """jupyter_server's pre-save hook: a template notebook is written without outputs.

    Only the file changes: JupyterLab keeps showing the outputs it has until the notebook is
    reopened (then one "Run All" shows the report again, from the data).
    """
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict) and is_template(path):
        strip_run(model["content"])
