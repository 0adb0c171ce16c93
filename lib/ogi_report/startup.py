"""Process start-up for the kit's own processes (the CLI, batch workers, Dask workers).

:func:`skip_slow_optional_imports` keeps out an optional package that costs most of a worker's
start: when ``rfc3987_syntax`` is installed (JupyterLab's event schemas pull it in through
``jsonschema[format-nongpl]``), ``jsonschema`` imports it for its IRI format checkers, and the
package builds a Lark grammar at import, ≈ 0.75 s of the ≈ 1.4 s that importing papermill and
nbconvert takes.  nbformat validates notebooks against schemas with no IRI formats, so nothing the
kit runs uses it.  Not done where users' code runs (the report kernel, JupyterLab's server):
there the import stays as installed.
"""

from __future__ import annotations

import sys

SLOW_OPTIONAL = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Make ``import`` of :data:`SLOW_OPTIONAL` packages fail fast in this process (ImportError,
    which their importers expect of an optional package), unless one is already imported."""
    for name in SLOW_OPTIONAL:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  # None: "not importable" to import
