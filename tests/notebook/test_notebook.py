"""The report notebook: thin by construction (static test), and run by papermill with other parameters."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from kit import REPO_ROOT

ROOT = REPO_ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORT_NOTEBOOK = ROOT / "notebooks" / "annual_report.ipynb"
OVERVIEW_NOTEBOOK = ROOT / "notebooks" / "year_overview.ipynb"
SEED_DATA = ROOT / "data" / "haidong-emergency" / "2021"
# A string literal that names a file or folder: a separator, a home or drive prefix, a data file suffix.
PATH_LIKE = re.compile(r"[/\\]|^~|^[A-Za-z]:|\.(toml|csv|md|json|ipynb|html|xlsx|txt)$")


def code_cells(path: Path) -> list[dict[str, Any]]:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code"]


def source(cell: dict[str, Any]) -> str:
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else str(text)


def thinness_problems(path: Path) -> list[str]:
    """Why a notebook is not a thin caller of ogi_report (empty when it is)."""
    problems: list[str] = []
    cells = code_cells(path)
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(params) != 1:
        problems.append(f"{len(params)} cells tagged parameters, expected 1")
    for cell in cells:
        tree = ast.parse(source(cell))
        is_params = cell in params
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
                problems.append(f"definition: {ast.unparse(node)[:40]}")
            if isinstance(node, ast.For | ast.AsyncFor | ast.While | ast.comprehension | ast.With):
                problems.append(f"loop or block: {ast.unparse(node)[:40]}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                )
                problems += [f"import of {n}" for n in names if n.split(".")[0] != "ogi_report"]
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and PATH_LIKE.search(node.value)
            ):
                problems.append(f"path literal {node.value!r}")
        if is_params:
            for stmt in tree.body:
                literal = isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets)
                if not literal or not isinstance(stmt.value, ast.Constant):  # type: ignore[union-attr]
                    problems.append(
                        f"parameters cell holds more than literal assignments: {ast.unparse(stmt)}"
                    )
    return problems


def test_there_are_notebooks_to_check() -> None:
    assert REPORT_NOTEBOOK in NOTEBOOKS
    assert OVERVIEW_NOTEBOOK in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path: Path) -> None:
    assert thinness_problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_saved_without_outputs(path: Path) -> None:
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code_cells(path))


def test_thinness_check_catches_what_it_forbids(tmp_path: Path) -> None:
    bad = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": "slug = 'a'\nyear = int('2021')",
            },
            {"cell_type": "code", "metadata": {}, "source": "import os\nfor x in []: pass"},
            {"cell_type": "code", "metadata": {}, "source": "def f():\n    return '../data/a.csv'"},
        ]
    }
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(bad), "utf-8")
    problems = " | ".join(thinness_problems(path))
    for expected in ("literal assignments", "import of os", "loop", "definition", "path literal"):
        assert expected in problems


def test_report_parameters_default_to_the_bundled_example() -> None:
    params = next(c for c in code_cells(REPORT_NOTEBOOK) if "parameters" in c["metadata"].get("tags", []))
    values = {
        stmt.targets[0].id: stmt.value.value  # type: ignore[attr-defined]
        for stmt in ast.parse(source(params)).body
    }
    assert values == {"slug": "haidong-emergency", "year": 2021, "data_root": ""}


def test_overview_parameters_default_to_the_bundled_year() -> None:
    params = next(c for c in code_cells(OVERVIEW_NOTEBOOK) if "parameters" in c["metadata"].get("tags", []))
    values = {
        stmt.targets[0].id: stmt.value.value  # type: ignore[attr-defined]
        for stmt in ast.parse(source(params)).body
    }
    assert values == {"year": 2021, "slugs": "", "title": "", "data_root": ""}
    calls = " ".join(source(c) for c in code_cells(OVERVIEW_NOTEBOOK))
    assert "view.load(data_root)" in calls and "view.overview(data, year, slugs, title)" in calls


# ---------------------------------------------------------------------------------------------
# Runs (a kernel each).


def execute(tmp_path: Path, parameters: dict[str, Any], cwd: Path | None = None) -> Any:
    import papermill

    return papermill.execute_notebook(
        str(REPORT_NOTEBOOK),
        str(tmp_path / "executed.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(cwd or tmp_path),
    )


@pytest.mark.slow
def test_notebook_renders_another_bureau_year_and_exports_the_same_page(tmp_path: Path) -> None:
    from ogi_report.checks.runner import check
    from ogi_report.model.bureau import BureauYear
    from ogi_report.notebook import payload
    from ogi_report.notebook.export_html import export_html
    from ogi_report.render.html.page import render_page
    from ogi_report.storage.folder import load_bureau_year, save_bureau_year

    seed = load_bureau_year(SEED_DATA)
    by: BureauYear = replace(
        seed,
        meta=replace(seed.meta, name="示例县交通运输局", slug="sample-transport", year=2023, masthead=""),
        tables={**seed.tables, "t2": seed.t2.replace({("licensing", "decisions"): 58})},
    )
    folder = tmp_path / "root" / "data" / "sample-transport" / "2023"
    save_bureau_year(by, folder)
    nb = execute(tmp_path, {"slug": "sample-transport", "year": 2023, "data_root": str(tmp_path / "root")})

    carried = payload.from_notebook(nb)
    assert (carried.by.meta.slug, carried.by.meta.year) == ("sample-transport", 2023)
    html = export_html(nb)
    stored = load_bureau_year(folder)
    assert html == render_page(stored, check(stored))
    assert "示例县交通运输局2023年政府信息公开工作年度报告" in html
    assert "<pre" not in html and "In [" not in html and "report.render" not in html


@pytest.mark.slow
def test_a_failed_load_replaces_the_report_shown_before(tmp_path: Path) -> None:
    """Run All with another, mistyped slug in the same notebook (as in JupyterLab): the error takes
    the report's place; nothing of the previous bureau's report stays on screen."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from ogi_report.notebook import payload

    nb = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    where = {"metadata": {"path": str(ROOT / "notebooks")}}
    client = NotebookClient(nb, kernel_name="python3", resources=where)
    with client.setup_kernel():
        client.execute_cell(nb.cells[1], 1)
        client.execute_cell(nb.cells[2], 2)
        assert payload.file_stem(nb) == "haidong-emergency-2021"
        nb.cells[1].source = nb.cells[1].source.replace("haidong-emergency", "haidong-emergncy")
        client.execute_cell(nb.cells[1], 1)
        with pytest.raises(CellExecutionError, match="找不到 haidong-emergncy 的 2021 年数据"):
            client.execute_cell(nb.cells[2], 2)
    (error,) = nb.cells[2].outputs
    assert error["output_type"] == "error" and "找不到 haidong-emergncy" in error["traceback"][1]
    assert "请检查笔记本第一个单元格的参数" in error["traceback"][2]  # what to fix
    assert payload.file_stem(nb) is None
    assert "海东市应急管理局" not in json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)


@pytest.mark.slow
def test_run_all_from_the_notebooks_folder_finds_the_bundled_example(tmp_path: Path) -> None:
    from ogi_report.notebook.export_html import export_html

    nb = execute(tmp_path, {}, cwd=ROOT / "notebooks")
    assert "海东市应急管理局2021年政府信息公开工作年度报告" in export_html(nb)


@pytest.mark.slow
def test_missing_bureau_year_fails_with_a_short_chinese_message(tmp_path: Path) -> None:
    import nbformat
    from ogi_report.notebook.export_html import export_html
    from papermill.exceptions import PapermillExecutionError

    (tmp_path / "root" / "data").mkdir(parents=True)
    with pytest.raises(PapermillExecutionError) as info:
        execute(tmp_path, {"slug": "no-such-bureau", "year": 2022, "data_root": str(tmp_path / "root")})
    assert info.value.ename == "NotebookDataError"
    assert "找不到 no-such-bureau 的 2022 年数据" in info.value.evalue
    nb = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    (error,) = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert "找不到 no-such-bureau" in error["traceback"][1]
    assert len(error["traceback"]) <= 3 and not any("File " in line for line in error["traceback"])
    html = export_html(nb)
    assert "报告未能生成" in html and "找不到 no-such-bureau 的 2022 年数据" in html


# ---------------------------------------------------------------------------------------------
# What the notebook calls (no kernel).


def test_report_display_carries_the_html_and_the_payload() -> None:
    from ogi_report.checks.findings import Severity
    from ogi_report.notebook import payload, report

    view = report.show("haidong-emergency", 2021, str(ROOT))
    bundle = view._repr_mimebundle_()
    assert bundle["text/html"].startswith("<style>") and view.fragment in bundle["text/html"]
    assert "海东市应急管理局" in bundle["text/plain"]
    nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "execute_result", "data": bundle}]}]}
    carried = payload.from_notebook(nb)
    assert carried.by.meta.slug == "haidong-emergency" and not carried.counts[Severity.ERROR]


def test_empty_data_root_finds_the_project_root_from_the_notebooks_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ogi_report.notebook import report

    monkeypatch.chdir(ROOT / "notebooks")
    assert report.resolve_workspace("").root == ROOT
    assert report.load("haidong-emergency", 2021).by.meta.year == 2021


@pytest.mark.parametrize(
    ("slug", "year", "data_root", "message"),
    [
        ("haidong-emergency", "2021", "", "year 读到「2021」"),
        ("Haidong", 2021, "", "slug 读到「Haidong」"),
        ("haidong-emergency", 2021, 5, "参数 data_root"),
        ("haidong-emergency", 2021, "/nonexistent/root", "data_root 指向的文件夹不存在"),
    ],
)
def test_bad_parameters_raise_the_kits_error_with_a_short_chinese_message(
    slug: object, year: object, data_root: object, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ogi_report.errors import DataError
    from ogi_report.notebook import report

    monkeypatch.chdir(ROOT / "notebooks")
    with pytest.raises(DataError) as info:
        report.load(slug, year, data_root)
    assert message in str(info.value)
    shown = info.value._render_traceback_()  # type: ignore[attr-defined]
    assert shown[1] == str(info.value) and len(shown) == 3


def test_no_project_root_above_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ogi_report.errors import DataError
    from ogi_report.notebook import report

    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError, match="找不到项目根目录"):
        report.load("haidong-emergency", 2021)


@pytest.mark.parametrize("exporter", ["ogi_report_html", "ogi_report_pdf", "ogi_report_docx"])
def test_an_unrun_notebook_is_refused_not_exported_empty(exporter: str) -> None:
    import nbformat
    from nbconvert.exporters import get_exporter
    from ogi_report.errors import RenderError

    nb = nbformat.read(REPORT_NOTEBOOK, as_version=4)  # saved without outputs
    with pytest.raises(RenderError, match=r"笔记本尚未运行.*--execute"):
        get_exporter(exporter)().from_notebook_node(nb)


@pytest.mark.slow
def test_nbconvert_execute_exports_the_report_with_its_title(tmp_path: Path) -> None:
    import subprocess
    import sys

    jupyter = Path(sys.executable).with_name("jupyter")
    base = [str(jupyter), "nbconvert", "--to", "ogi_report_html", str(REPORT_NOTEBOOK)]
    refused = subprocess.run(
        [*base, "--output-dir", str(tmp_path / "a")], capture_output=True, text=True, cwd=ROOT / "notebooks"
    )
    assert refused.returncode != 0 and "笔记本尚未运行" in refused.stderr
    assert not (tmp_path / "a" / "annual_report.html").exists()
    done = subprocess.run(
        [*base, "--execute", "--output-dir", str(tmp_path / "b")],
        capture_output=True,
        text=True,
        cwd=ROOT / "notebooks",
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "b" / "annual_report.html").read_text(encoding="utf-8")
    assert "<title>海东市应急管理局2021年政府信息公开工作年度报告</title>" in html
    assert "一、总体情况" in html
