"""The batch end to end (``ogi-report batch``): failures isolated, states, stale outputs, reruns, Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from batchkit import FakePool, add_bureau, batch, make_project, read_summary
from kit import REPO_ROOT, SEED_DIR
from ogi_report.batch import plan as batch_plan
from ogi_report.batch.lock import batch_lock
from ogi_report.batch.plan import kit_version as real_kit_version


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp project: the bundled example, a test report notebook, a pinned kit version.

    The kit version is pinned because other people edit the kit's sources while tests run.
    """
    monkeypatch.setattr(batch_plan, "kit_version", lambda: "pinned")
    return make_project(tmp_path)


# --- before any render: validation, the lock, unusable folders -----------------------------


def test_only_broken_inputs_never_start_a_worker(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ogi_report.batch.pool

    def no_pool(*args: object) -> None:
        raise AssertionError("a worker pool was started for inputs that fail validation")

    monkeypatch.setattr(ogi_report.batch.pool, "WorkerPool", no_pool)
    (project / "params" / "haidong-emergency-2021.toml").write_text(
        'slug = "haidong-emergency"\nyear = "2021"\n'
    )
    assert batch("--root", str(project)) == 1
    row = read_summary(project)["haidong-emergency"]
    assert row["状态"] == "失败" and "year" in row["说明"]


def test_unknown_only_slug_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert batch("--root", str(project), "--only", "nobody") == 2
    assert "nobody" in capsys.readouterr().err
    assert not (project / "output").exists()


def test_a_second_batch_on_the_same_output_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ogi_report.batch.pool

    def no_pool(*args: object) -> None:
        raise AssertionError("a worker pool was started while another batch holds the folder")

    monkeypatch.setattr(ogi_report.batch.pool, "WorkerPool", no_pool)
    out = project / "output"
    with batch_lock(out):  # what a running batch holds
        assert batch("--root", str(project)) == 2
        err = capsys.readouterr().err
        assert "另一个批量任务" in err and str(os.getpid()) in err and "--out" in err
        assert not (out / "2021").exists()  # it wrote nothing into the running batch's folder
    # Released when the holder ends: the next batch runs (here only a params failure, no worker).
    (project / "params" / "haidong-emergency-2021.toml").write_text(
        'slug = "haidong-emergency"\nyear = "2021"\n'
    )
    assert batch("--root", str(project)) == 1
    assert read_summary(project)["haidong-emergency"]["状态"] == "失败"


def test_an_unusable_output_folder_is_a_clear_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "blocked").write_text("a file where the output folder should be", encoding="utf-8")
    assert batch("--root", str(project), "--out", str(project / "blocked" / "out")) == 2
    err = capsys.readouterr().err
    assert "无法使用输出目录" in err and "Traceback" not in err


# --- stale outputs, unusable paths (rendering faked: no kernel) ----------------------------


@pytest.fixture
def fake_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    import ogi_report.batch.pool

    monkeypatch.setattr(ogi_report.batch.pool, "WorkerPool", FakePool)


def linked(root: Path, slug: str = "haidong-emergency") -> set[str]:
    """The formats the year's summary.csv and index.html link for ``slug``."""
    row = read_summary(root)[slug]
    index = (root / "output" / "2021" / "index.html").read_text(encoding="utf-8")
    formats = {f for f in ("html", "pdf", "docx") if row[f.upper()]}
    assert formats == {f for f in ("html", "pdf", "docx") if f'href="{slug}.{f}"' in index}
    return formats


@pytest.mark.usefixtures("fake_pool")
def test_outputs_made_from_other_inputs_do_not_stay_beside_new_ones(project: Path) -> None:
    out = project / "output" / "2021"
    args = ["--root", str(project)]
    assert batch(*args, "--format", "html,pdf,docx") == 0
    assert linked(project) == {"html", "pdf", "docx"}

    # New inputs: a PDF or DOCX of the old data must not stay looking publishable.
    table4 = project / "data" / "haidong-emergency" / "2021" / "table4.csv"
    table4.write_text(table4.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert batch(*args, "--format", "html") == 0
    assert sorted(p.name for p in out.glob("haidong-emergency.*")) == ["haidong-emergency.html"]
    assert linked(project) == {"html"}

    # Same inputs, other formats rendered: the HTML is still current, so it stays and stays linked.
    assert batch(*args, "--format", "pdf,docx") == 0
    assert all((out / f"haidong-emergency.{f}").is_file() for f in ("html", "pdf", "docx"))
    assert linked(project) == {"html", "pdf", "docx"}


@pytest.mark.usefixtures("fake_pool")
def test_a_failure_removes_outputs_of_every_format(project: Path) -> None:
    out = project / "output" / "2021"
    assert batch("--root", str(project), "--format", "pdf,docx") == 0
    (project / "data" / "haidong-emergency" / "2021" / "table4.csv").write_bytes(b"\xff\xfe\x00garbage")
    assert batch("--root", str(project)) == 1  # html only, and it fails
    assert not list(out.glob("haidong-emergency.*"))
    assert linked(project) == set()


@pytest.mark.usefixtures("fake_pool")
def test_an_unusable_year_folder_is_refused_and_other_years_go_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_bureau(project, "later", 2022)
    (project / "output").mkdir()
    (project / "output" / "2021").write_text("a file where the year folder should be", encoding="utf-8")
    assert batch("--root", str(project)) == 2
    err = capsys.readouterr().err
    assert str(project / "output" / "2021") in err and "2021 年度的报告均未生成" in err
    assert "Traceback" not in err
    assert (project / "output" / "2021").is_file()
    assert read_summary(project, 2022)["later"]["状态"] == "已通过"

    (project / "output" / "2021").unlink()
    (project / "output" / "2021").mkdir()
    (project / "output" / "2021" / ".state").write_text("", encoding="utf-8")  # the state folder
    assert batch("--root", str(project), "--year", "2021") == 2
    assert str(project / "output" / "2021" / ".state") in capsys.readouterr().err
    assert not (project / "output" / "2021" / "haidong-emergency.html").exists()


# --- end to end ---------------------------------------------------------------------------


def executed(root: Path, slug: str) -> nbformat.NotebookNode:
    return nbformat.read(str(root / "output" / "2021" / "executed" / f"{slug}.ipynb"), as_version=4)


def stream_text(nb: nbformat.NotebookNode) -> str:
    return "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream"
    )


@pytest.mark.slow
def test_batch_isolates_failures_and_reports_each(project: Path) -> None:
    add_bureau(project, "good", name="示例数据<script>alert(1)</script>局")
    add_bureau(project, "draft", errors=True)
    add_bureau(project, "corrupt")
    (project / "data" / "corrupt" / "2021" / "table4.csv").write_bytes(b"\xff\xfe\x00garbage")
    for slug in ("raise", "kill-kernel", "kill-worker", "hang"):
        add_bureau(project, slug)

    code = batch("--root", str(project), "--jobs", "2", "--timeout", "6")

    assert code == 1
    rows = read_summary(project)
    status = {slug: row["状态"] for slug, row in rows.items()}
    assert status == {
        "haidong-emergency": "已通过",
        "good": "已通过",
        "draft": "草稿",
        "corrupt": "失败",
        "raise": "失败",
        "kill-kernel": "失败",
        "kill-worker": "失败",
        "hang": "失败",
    }
    assert int(rows["draft"]["错误数"]) > 0 and int(rows["good"]["错误数"]) == 0
    assert "table4.csv" in rows["corrupt"]["说明"]
    assert "ValueError" in rows["raise"]["说明"]
    assert "DeadKernelError" in rows["kill-kernel"]["说明"]
    assert "ReportTimeout" in rows["hang"]["说明"]
    assert "渲染进程意外退出" in rows["kill-worker"]["说明"]
    out = project / "output" / "2021"
    for slug in ("haidong-emergency", "good", "draft"):
        assert (out / f"{slug}.html").is_file()
        assert stream_text(executed(project, slug)) == "leaked: []\n"  # no state from earlier reports
    for slug in ("corrupt", "raise", "kill-kernel", "kill-worker", "hang"):
        assert not (out / f"{slug}.html").exists()
    assert not (out / "executed" / "corrupt.ipynb").exists()  # failed before any kernel
    for slug in ("raise", "kill-kernel", "hang"):
        cells = executed(project, slug).cells
        assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in cells)
    findings = (out / "findings.csv").read_bytes().decode("utf-8-sig")
    assert "规则编号" in findings.splitlines()[0]
    assert any(line.startswith("示例数据draft局,draft,2021,T3") for line in findings.splitlines())
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert index.count("<tr>") == 1 + 8
    assert not list(out.glob("**/*.part")) and not (out / ".tmp").exists()


@pytest.mark.slow
def test_an_output_path_taken_by_a_folder_fails_that_report_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_bureau(project, "good")
    blocked = project / "output" / "2021" / "haidong-emergency.html"
    blocked.mkdir(parents=True)
    assert batch("--root", str(project), "--jobs", "1") == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    rows = read_summary(project)
    assert rows["good"]["状态"] == "已通过"
    assert rows["haidong-emergency"]["状态"] == "失败"
    assert str(blocked) in rows["haidong-emergency"]["说明"] and "文件夹" in rows["haidong-emergency"]["说明"]
    assert "Traceback" not in rows["haidong-emergency"]["说明"]
    assert blocked.is_dir()  # not ours to remove


@pytest.mark.slow
def test_rerun_skips_unchanged_and_force_renders(project: Path) -> None:
    folder = add_bureau(project, "steady")
    add_bureau(project, "draft", errors=True)
    args = ["--root", str(project), "--jobs", "2"]
    assert batch(*args) == 1  # the draft
    html = project / "output" / "2021" / "steady.html"
    first = html.stat().st_mtime_ns

    assert batch(*args) == 1  # still a draft, even when skipped
    rows = read_summary(project)
    assert {r["状态"] for r in rows.values()} == {"未变跳过（已通过）", "未变跳过（草稿）"}
    assert html.stat().st_mtime_ns == first

    (folder / "narrative.md").write_text((folder / "narrative.md").read_text(encoding="utf-8") + "\n补充。\n")
    assert batch(*args, "--only", "steady") == 0
    rows = read_summary(project)
    assert (
        rows["steady"]["状态"] == "已通过" and rows["draft"]["状态"] == "草稿"
    )  # the index keeps every bureau
    assert html.stat().st_mtime_ns != first

    assert batch(*args, "--force") == 1
    assert {r["状态"] for r in read_summary(project).values()} == {"已通过", "草稿"}
    state = json.loads((project / "output" / "2021" / ".state" / "steady.json").read_text(encoding="utf-8"))
    assert state["status"] == "ok" and state["outputs"]["html"] == "steady.html"


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_a_rerun_completes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slugs = [f"slow-{i}" for i in range(6)]
    for slug in slugs:
        add_bureau(project, slug)
    (project / "params" / "haidong-emergency-2021.toml").unlink()
    cmd = [sys.executable, str(REPO_ROOT / "run_reports.py"), "--root", str(project), "--jobs", "2"]
    # Its own process group, so the test can do what a terminal's Ctrl-C does: SIGINT the group.
    kit = real_kit_version()  # what the subprocess will compute (unless the kit is edited meanwhile)
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    states = project / "output" / "2021" / ".state"
    deadline = time.monotonic() + 60
    while not (states.is_dir() and any(states.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.1)
    family = psutil.Process(proc.pid).children(recursive=True)
    assert any("ipykernel" in " ".join(p.cmdline()) for p in family), "kernels should be running"
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "已中断" in err.decode()
    _gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"
    # Done means recorded: a report whose files were written but whose state was not is redone.
    done = [s for s in slugs if (states / f"{s}.json").is_file()]
    assert all((project / "output" / "2021" / f"{s}.html").is_file() for s in done)
    assert 0 < len(done) < len(slugs)
    assert (
        not list((project / "output").glob("**/*.part"))
        and not (project / "output" / "2021" / ".tmp").exists()
    )

    monkeypatch.setattr(batch_plan, "kit_version", lambda: kit)
    assert batch("--root", str(project), "--jobs", "2") == 0
    rows = read_summary(project)
    assert sorted(rows) == slugs
    assert {rows[s]["状态"] for s in done} == {"未变跳过（已通过）"}
    assert {rows[s]["状态"] for s in slugs if s not in done} == {"已通过"}


@pytest.mark.slow
def test_real_report_notebook_renders_the_bundled_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = REPO_ROOT / "notebooks" / "annual_report.ipynb"
    monkeypatch.setattr(batch_plan, "kit_version", lambda: "pinned")  # others edit the kit meanwhile
    shutil.copytree(SEED_DIR, tmp_path / "data" / "haidong-emergency" / "2021")
    shutil.copytree(REPO_ROOT / "params", tmp_path / "params")
    (tmp_path / "notebooks").mkdir()
    shutil.copy(notebook, tmp_path / "notebooks")
    assert batch("--root", str(tmp_path), "--only", "haidong-emergency") == 0
    assert read_summary(tmp_path)["haidong-emergency"]["状态"] == "已通过"
    html = (tmp_path / "output" / "2021" / "haidong-emergency.html").read_text(encoding="utf-8")
    assert "海东市应急管理局" in html and 'lang="zh' in html and 'class="ogi-banner"' not in html

    add_bureau(tmp_path, "draft", errors=True)
    assert batch("--root", str(tmp_path)) == 1
    rows = read_summary(tmp_path)
    assert rows["draft"]["状态"] == "草稿" and rows["haidong-emergency"]["状态"] == "未变跳过（已通过）"
    assert 'class="ogi-banner"' in (tmp_path / "output" / "2021" / "draft.html").read_text(encoding="utf-8")
