"""A batch stopped mid-report (SIGKILL, SIGTERM, Ctrl-C) leaves nothing behind that outlives it.

Each case kills a real batch while its workers are rendering, changes every bureau's data, and
reruns at once: every report must then show the new data, no process of the first batch may be
alive, no half-written file may remain, and the stop itself says so in Chinese, without a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from batchkit import add_bureau, make_project
from kit import REPO_ROOT

SLUGS = [f"slow-{i}" for i in range(4)]
# Reports of the old data end slowly, while the rerun (kept busy by a slow last report) has already
# written the new data: a worker of the first batch still alive then writes the old data over the
# new, and the rerun records it as current (what happened before the fix).
SLOW_OLD_DATA = (
    'if "（新）" not in loaded.by.meta.name:\n    time.sleep(10)\n'
    'if "尾部" in loaded.by.meta.name:\n    time.sleep(12)\n'
)


def _start(project: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, str(REPO_ROOT / "run_reports.py"), "--root", str(project), "--jobs", "2"]
    return subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _cmdline(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:  # gone meanwhile, or a zombie not yet reaped
        return ""


def _rendering(proc: subprocess.Popen[bytes], project: Path) -> list[psutil.Process]:
    """Wait until the batch has recorded a first report and the next ones have read their data."""
    states = project / "output" / "2021" / ".state"
    deadline = time.monotonic() + 90
    while not (states.is_dir() and any(states.iterdir())):
        assert proc.poll() is None and time.monotonic() < deadline, "the batch never rendered a report"
        time.sleep(0.05)
    time.sleep(2.5)  # the next two reports have read the old data (after 1.5 s) and are still running
    family = psutil.Process(proc.pid).children(recursive=True)
    assert sum("ipykernel" in _cmdline(p) for p in family) == 2, "both workers' kernels should be running"
    return family


def _rename_all(project: Path, suffix: str) -> None:
    for slug in SLUGS:
        meta = project / "data" / slug / "2021" / "meta.toml"
        text = meta.read_text(encoding="utf-8")
        meta.write_text(text.replace(f"示例数据{slug}局", f"示例数据{slug}局{suffix}"), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGKILL, -9, ""), (signal.SIGTERM, 143, "已终止"), (signal.SIGINT, 130, "已中断")],
)
def test_a_stopped_batch_leaves_no_worker_and_no_stale_report(
    tmp_path: Path, signum: int, code: int, said: str
) -> None:
    project = make_project(tmp_path)
    notebook = project / "notebooks" / "annual_report.ipynb"
    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(SLOW_OLD_DATA))
    nbformat.write(nb, str(notebook))
    (project / "params" / "haidong-emergency-2021.toml").unlink()
    for slug in SLUGS:
        add_bureau(project, slug)
    first = _start(project)
    family = _rendering(first, project)
    if signum == signal.SIGINT:
        os.killpg(first.pid, signum)  # what a terminal's Ctrl-C does: the whole foreground group
    else:
        os.kill(first.pid, signum)  # what `kill`, `timeout` and `systemctl stop` do
    if signum != signal.SIGKILL:
        # A stopped batch cleans up before it exits (and the shell returns): the rerun follows that.
        first.wait(timeout=60)
    _rename_all(project, "（新）")
    if signum == signal.SIGKILL:
        add_bureau(project, "tail", name="尾部局（新）")  # rendered last, slowly
    second = _start(project)  # at once: after SIGKILL, while the first batch's workers may still run
    out, err = second.communicate(timeout=180)
    _, first_err = first.communicate(timeout=60)
    assert first.returncode == code, first_err.decode()
    assert said in first_err.decode() and "Traceback" not in first_err.decode()
    assert second.returncode == 0, err.decode() + out.decode()
    _gone, alive = psutil.wait_procs(family, timeout=15)
    assert not alive, f"left running: {[_cmdline(p) for p in alive]}"
    year = project / "output" / "2021"
    assert not list(year.glob("**/*.part")) and not (year / ".tmp").exists()
    for slug in SLUGS:
        assert f"示例数据{slug}局（新）" in (year / f"{slug}.html").read_text(encoding="utf-8"), slug
        # Recorded as made from the new data: later runs may skip it rightly.
        state = json.loads((year / ".state" / f"{slug}.json").read_text(encoding="utf-8"))
        assert state["name"] == f"示例数据{slug}局（新）" and state["status"] == "ok"
