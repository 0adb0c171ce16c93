"""The engine's notebook I/O: the template read once per version, the executed notebook written as
papermill writes it (``nbformat.writes``) without its validation and deep copy."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from ogi_report.notebook.engine import notebook_json, template


def executed_like() -> nbformat.NotebookNode:
    """A notebook with what an executed report holds: multi-line sources, stream, display and
    error outputs, non-ASCII text, metadata papermill and nbclient add."""
    cells = [
        new_markdown_cell("# 标题\n\n第二行"),
        new_code_cell("slug = 'a'\nyear = 2021", metadata={"tags": ["parameters"]}, execution_count=1),
        new_code_cell(
            "report.show(slug, year)",
            execution_count=2,
            outputs=[
                new_output("stream", name="stdout", text="一\n二\n"),
                new_output(
                    "display_data",
                    data={"text/html": "<p>报告</p>\n<p>第二段</p>", "text/plain": "<x>"},
                    metadata={},
                ),
                new_output("error", ename="E", evalue="坏", traceback=["a", "b"]),
            ],
        ),
    ]
    nb = new_notebook(cells=cells, metadata={"papermill": {"parameters": {"slug": "a"}}})
    nb.metadata["orig_nbformat"] = 4  # transient: stripped on write
    nb.cells[1].metadata["trusted"] = True
    return nb


def test_the_executed_notebook_is_written_as_nbformat_writes_it() -> None:
    nb = executed_like()
    expected = nbformat.writes(nb)
    assert notebook_json(nb) == expected
    assert nb.cells[0].source == "# 标题\n\n第二行"  # the notebook itself is left as it was
    assert nbformat.reads(notebook_json(nb), as_version=4) == nbformat.reads(expected, as_version=4)


def test_the_template_is_read_once_per_version_and_every_copy_is_fresh(tmp_path: Path) -> None:
    path = tmp_path / "report.ipynb"
    nbformat.write(executed_like(), str(path))
    first, second = template(path), template(path)
    assert first == second and first is not second
    first.cells.append(new_code_cell("x = 1"))  # papermill changes its copy in place
    assert len(template(path).cells) == 3
    assert all("tags" in cell.metadata for cell in second.cells)  # as papermill loads it
    changed = executed_like()
    changed.cells.append(new_markdown_cell("新的一段"))
    nbformat.write(changed, str(path))
    os.utime(path, ns=(1, 1))  # a new version even within the clock's resolution
    assert len(template(path).cells) == 4
