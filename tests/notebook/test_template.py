"""The report notebook as source: saved without outputs, fingerprinted by code and parameters only,
one call cell (a failed load replaces the report), code collapsed in JupyterLab; the file name an
export carries."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from kit import REPO_ROOT, SEED_DIR
from ogi_report.notebook import payload, report
from ogi_report.notebook.template import (
    is_template,
    pre_save_hook,
    source_digest,
    source_of,
    strip_run,
)

REPORT_NOTEBOOK = REPO_ROOT / "notebooks" / "annual_report.ipynb"


def template() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REPORT_NOTEBOOK.read_text("utf-8"))
    return data


def as_run(nb: dict[str, Any]) -> dict[str, Any]:
    """``nb`` as JupyterLab saves it after "Run All": outputs, counts, timings, kernel details."""
    ran = copy.deepcopy(nb)
    view = report.show("haidong-emergency", 2021, str(REPO_ROOT))
    for count, cell in enumerate(c for c in ran["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = count + 1
        cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00.000Z"}
        if "parameters" not in cell["metadata"].get("tags", []):
            result = {"execution_count": count + 1, "metadata": {}, "data": view._repr_mimebundle_()}
            cell["outputs"] = [{"output_type": "execute_result", **result}]
    ran["metadata"]["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    ran["metadata"]["papermill"] = {"duration": 1.5}
    return ran


def code_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_the_template_is_a_parameters_cell_and_one_call_cell() -> None:
    """Item 3: the cell that loads is the cell that displays, so a failed load replaces the report."""
    params, call = code_cells(template())
    assert "parameters" in params["metadata"]["tags"]
    assert "".join(call["source"]).splitlines()[-1] == "report.show(slug, year, data_root)"


def test_the_call_cell_is_collapsed_in_lab_and_removed_from_exports() -> None:
    params, call = code_cells(template())
    assert call["metadata"]["jupyter"] == {"source_hidden": True}  # collapsed, still editable
    assert "remove-input" in call["metadata"]["tags"] and "remove-input" in params["metadata"]["tags"]
    assert "jupyter" not in params["metadata"]  # the parameters stay in view: the analyst edits them


def test_the_template_is_stored_as_jupyter_writes_it() -> None:
    """Saving it unchanged in JupyterLab leaves ``git diff`` empty (key order, indentation, ids)."""
    nb = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    assert nbformat.writes(nb) + "\n" == REPORT_NOTEBOOK.read_text("utf-8")
    nbformat.validate(nb)


def test_strip_run_leaves_exactly_the_template() -> None:
    ran = as_run(template())
    assert ran != template()
    strip_run(ran)
    assert ran == template()


def test_the_digest_ignores_outputs_but_not_code_tags_or_parameters(tmp_path: Path) -> None:
    path = tmp_path / "annual_report.ipynb"
    path.write_text(json.dumps(template()), "utf-8")
    clean = source_digest(path)
    path.write_text(json.dumps(as_run(template()), indent=4), "utf-8")
    assert source_digest(path) == clean
    for change in ("code", "tag", "parameter", "kernel"):
        nb = template()
        params, call = code_cells(nb)
        if change == "code":
            call["source"] = ["from ogi_report.notebook import report\n", "report.show(slug, year)"]
        elif change == "tag":
            call["metadata"]["tags"] = []
        elif change == "parameter":
            params["source"] = ['slug = "haidong-emergency"\n', "year = 2022\n", 'data_root = ""']
        else:
            nb["metadata"]["kernelspec"]["name"] = "python2"
        path.write_text(json.dumps(nb), "utf-8")
        assert source_digest(path) != clean, change


def test_the_digest_of_an_unreadable_or_broken_notebook_is_its_own(tmp_path: Path) -> None:
    path = tmp_path / "annual_report.ipynb"
    missing = source_digest(path)
    path.write_text("{not json", "utf-8")
    broken = source_digest(path)
    path.write_text("{not json either", "utf-8")
    assert len({missing, broken, source_digest(path)}) == 3


def test_source_of_reads_lines_and_strings_alike() -> None:
    nb = template()
    joined = copy.deepcopy(nb)
    for cell in joined["cells"]:
        cell["source"] = "".join(cell["source"])
    assert source_of(joined) == source_of(nb)


def test_the_batch_fingerprint_is_unchanged_by_outputs_and_changed_by_parameters(tmp_path: Path) -> None:
    from ogi_report.batch.plan import fingerprint
    from ogi_report.storage.workspace import Params

    notebook = tmp_path / "annual_report.ipynb"
    params = Params("haidong-emergency", 2021, SEED_DIR, REPO_ROOT / "params" / "haidong-emergency-2021.toml")
    notebook.write_text(json.dumps(template()), "utf-8")
    before = fingerprint(params, notebook, "kit")
    notebook.write_text(json.dumps(as_run(template())), "utf-8")
    assert fingerprint(params, notebook, "kit") == before
    nb = template()
    code_cells(nb)[1]["source"] = ["from ogi_report.notebook import report\n", "report.show(slug, 2020)"]
    notebook.write_text(json.dumps(nb), "utf-8")
    assert fingerprint(params, notebook, "kit") != before


@pytest.mark.parametrize(
    ("path", "template_notebook"),
    [
        ("notebooks/annual_report.ipynb", True),
        ("/notebooks/year_overview.ipynb", True),
        ("notebooks/drafts/mine.ipynb", False),
        ("scratch.ipynb", False),
        ("notebooks/notes.md", False),
    ],
)
def test_only_the_projects_notebooks_folder_holds_templates(path: str, template_notebook: bool) -> None:
    assert is_template(path) is template_notebook


def test_the_pre_save_hook_strips_templates_only() -> None:
    ran = as_run(template())
    model = {"type": "notebook", "content": copy.deepcopy(ran)}
    pre_save_hook(model, "notebooks/annual_report.ipynb", contents_manager=None)
    assert model["content"] == template()
    elsewhere = {"type": "notebook", "content": copy.deepcopy(ran)}
    pre_save_hook(elsewhere, "analysis/annual_report.ipynb", contents_manager=None)
    assert elsewhere["content"] == ran
    text = {"type": "file", "content": "x"}
    pre_save_hook(text, "notebooks/readme.txt")
    assert text == {"type": "file", "content": "x"}


def test_the_file_stem_of_an_executed_notebook_is_slug_and_year() -> None:
    ran = as_run(template())
    assert payload.file_stem(ran) == "haidong-emergency-2021"
    assert payload.file_stem(template()) is None
    meta = code_cells(ran)[1]["outputs"][0]["data"][payload.MIME]["bureau_year"]["meta"]
    meta["slug"] = "../etc"
    assert payload.file_stem(ran) is None  # a hand-edited payload names nothing
    del meta["slug"]
    assert payload.file_stem(ran) is None
