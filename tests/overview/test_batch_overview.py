"""The batch renders the year overview through the real notebook (slow: a kernel, papermill, Typst)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from kit import REPO_ROOT
from ogi_report.batch.overview import EXECUTED, NOTEBOOK, render_overview
from ogi_report.storage.workspace import Workspace
from overview.citykit import YEAR, City

pytestmark = pytest.mark.slow


@pytest.fixture
def project(city: City, tmp_path: Path) -> Path:
    root = tmp_path / "city"
    shutil.copytree(city.root, root)
    (root / NOTEBOOK).parent.mkdir(parents=True)
    shutil.copy(REPO_ROOT / NOTEBOOK, root / NOTEBOOK)
    return root


def test_overview_of_the_synthetic_city_in_every_format(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kit's own sources are part of the fingerprint: held still, so only the data can change it.
    monkeypatch.setattr("ogi_report.batch.overview.kit_version", lambda: "kit")
    out = project / "output" / str(YEAR)
    result = render_overview(Workspace(project), out, YEAR, ("html", "pdf", "docx"))
    assert result is not None and not result.message, result
    assert result.outputs == {"html": "overview.html", "pdf": "overview.pdf", "docx": "overview.docx"}
    page = (out / "overview.html").read_text(encoding="utf-8")
    assert "示范市第12局、示范市第13局" in page and "<svg " in page
    assert (out / "executed" / EXECUTED).is_file()  # provenance, as for the reports
    text = subprocess.run(
        ["pdftotext", str(out / "overview.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")
    for words in ("未报送（2）", "逾期发布（2）", "按申请人类型", "行政复议、行政诉讼的结果", "社会公益组织"):
        assert words in text, words
    again = render_overview(Workspace(project), out, YEAR, ("html", "pdf"))
    assert again is not None and again.skipped  # unchanged data: not rendered again
    (project / "data" / "b01" / str(YEAR) / "narrative.md").write_text("改了", encoding="utf-8")
    changed = render_overview(Workspace(project), out, YEAR, ("html",))
    assert changed is not None and not changed.skipped
    assert not (out / "overview.pdf").exists(), "a PDF of the old data must not stay beside the new page"


def test_a_failing_overview_leaves_nothing_stale(project: Path) -> None:
    out = project / "output" / str(YEAR)
    out.mkdir(parents=True)
    (out / "overview.html").write_text("old", encoding="utf-8")
    (project / NOTEBOOK).write_text("{not a notebook", encoding="utf-8")
    result = render_overview(Workspace(project), out, YEAR, ("html",))
    assert result is not None and result.message.startswith(f"{YEAR} 年概览未生成")
    assert not (out / "overview.html").exists()


def test_a_project_without_the_overview_notebook_has_none(tmp_path: Path) -> None:
    assert render_overview(Workspace(tmp_path), tmp_path / "out", YEAR, ("html",)) is None
