"""Warm kernels under papermill: fresh namespace per report, restarts, and the engine's entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from batchkit import add_bureau, write_notebook
from kit import REPO_ROOT, SEED_DIR
from ogi_report.notebook.engine import execute_report
from ogi_report.notebook.kernels import WarmKernel, notebook_imports


def test_notebook_imports_lists_the_modules_to_warm(tmp_path: Path) -> None:
    cells = [
        {
            "cell_type": "code",
            "source": ["from ogi_report.notebook import report\n", "import pandas as pd, json"],
        },
        {"cell_type": "code", "source": "%time x = 1"},  # a magic: skipped, not an error
        {"cell_type": "markdown", "source": "import nothing"},
        {"cell_type": "code", "source": "from . import local\nfrom os.path import *"},
    ]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert notebook_imports(path) == [
        "ogi_report.notebook",
        "ogi_report.notebook.report",
        "pandas",
        "json",
        "os.path",
    ]
    assert notebook_imports(tmp_path / "missing.ipynb") == []


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("engine")
    shutil.copytree(SEED_DIR, root / "data" / "haidong-emergency" / "2021")
    write_notebook(root)
    (root / "out").mkdir()
    for slug in ("first", "second", "hang", "kill-kernel", "raise"):
        add_bureau(root, slug)
    return root


@pytest.fixture(scope="module")
def kernel(project: Path) -> Iterator[WarmKernel]:
    with WarmKernel(project / "notebooks", ["ogi_report"]) as warm:
        yield warm


def run(kernel: WarmKernel, project: Path, slug: str, timeout: float | None = 30) -> object:
    return execute_report(
        kernel,
        project / "notebooks" / "annual_report.ipynb",
        project / "out" / f"{slug}.ipynb",
        {"slug": slug, "year": 2021, "data_root": str(project)},
        cwd=project / "notebooks",
        timeout=timeout,
    )


def leaked(nb: object) -> str:
    cells = nb["cells"]  # type: ignore[index]
    return "".join(
        o.get("text", "") for c in cells for o in c.get("outputs", []) if o["output_type"] == "stream"
    )


@pytest.mark.slow
def test_one_report_sees_nothing_of_the_previous(kernel: WarmKernel, project: Path) -> None:
    first = run(kernel, project, "first")
    pid = kernel.km.provisioner.pid
    second = run(kernel, project, "second")
    assert kernel.km.provisioner.pid == pid  # the same kernel served both
    # The test notebook's first code cell lists which of its globals from an earlier run exist.
    assert leaked(first) == leaked(second) == "leaked: []\n"
    counts = [c.get("execution_count") for c in second["cells"] if c["cell_type"] == "code"]  # type: ignore[index]
    assert counts == list(range(1, len(counts) + 1))  # numbered as in a fresh kernel
    assert second["metadata"]["papermill"]["parameters"]["slug"] == "second"  # type: ignore[index]


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "ename"), [("hang", "ReportTimeout"), ("kill-kernel", "DeadKernelError")])
def test_timeout_or_death_is_marked_and_the_kernel_restarted(
    kernel: WarmKernel, project: Path, slug: str, ename: str
) -> None:
    from papermill.exceptions import PapermillExecutionError

    run(kernel, project, "first")
    pid = kernel.km.provisioner.pid
    with pytest.raises(PapermillExecutionError) as exc:
        run(kernel, project, slug, timeout=3)
    assert exc.value.ename == ename
    saved = json.loads((project / "out" / f"{slug}.ipynb").read_text(encoding="utf-8"))
    assert any("papermill-error-cell-tag" in c["metadata"].get("tags", []) for c in saved["cells"])
    assert kernel.broken
    after = run(kernel, project, "second")
    assert kernel.km.provisioner.pid != pid and not kernel.broken
    assert leaked(after) == "leaked: []\n"


@pytest.mark.slow
def test_an_error_in_a_cell_restarts_the_kernel_before_the_next_report(
    kernel: WarmKernel, project: Path
) -> None:
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="ValueError"):
        run(kernel, project, "raise")
    pid = kernel.km.provisioner.pid
    run(kernel, project, "first")
    assert kernel.km.provisioner.pid != pid


def test_papermill_finds_the_engine_through_its_entry_point() -> None:
    from importlib.metadata import entry_points

    (declared,) = [e for e in entry_points(group="papermill.engine") if e.name == "ogi_warm"]
    assert declared.value == "ogi_report.notebook.warm_engine:WarmEngine"
    # papermill's own registry, in an interpreter that imports nothing of the kit itself.
    code = (
        "from papermill.engines import papermill_engines\n"
        "engine = papermill_engines.get_engine('ogi_warm')\n"
        "print(engine.__module__, engine.__name__)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["ogi_report.notebook.warm_engine", "WarmEngine"]
    # And the kit registers it nowhere else: the entry point is the one declaration.
    sources = [p.read_text(encoding="utf-8") for p in (REPO_ROOT / "lib").rglob("*.py")]
    assert not any("papermill_engines.register" in text for text in sources)


def test_execute_report_uses_the_registered_engine() -> None:
    from ogi_report.notebook.engine import ENGINE_NAME
    from papermill.engines import papermill_engines

    engine = papermill_engines.get_engine(ENGINE_NAME)
    assert (engine.__module__, engine.__name__) == ("ogi_report.notebook.warm_engine", "WarmEngine")
