"""The report notebook in JupyterLab, with the project's Jupyter configuration (``jupyter_config/``,
as ``make lab`` starts it) in a copy of the project: Chinese menus, the three labelled report
exports named ``<slug>-<year>.<ext>``, code collapsed, Run All showing the report, saving writing
no outputs.  The HTTP tests need only the server; the browser test drives the system Chromium with
Playwright (no browser download) and is skipped, saying why, when /usr/bin/chromium is absent."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from kit import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
PROJECT_PARTS = ("data", "params", "notebooks", "jupyter_config")
NOTEBOOK = "notebooks/annual_report.ipynb"
TITLE = "海东市应急管理局2021年政府信息公开工作年度报告"
LABELS = ("年报网页（HTML）", "年报 PDF", "年报 Word")
# Where the browser test leaves its screenshots besides its own tmp folder (for a person to look at).
SCREENSHOT_DIR = os.environ.get("OGI_SCREENSHOT_DIR", "")

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab on a copy of the project."""

    url: str
    token: str
    root: Path
    log: Path

    def api(self, path: str, method: str = "GET", body: Any = None) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of one request to the server."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, dict(exc.headers), exc.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def lab_environment(home: Path, root: Path) -> dict[str, str]:
    """The environment ``make lab`` gives Jupyter, with every per-user folder in ``home``: the
    user's own settings neither leak in nor get written."""
    env = dict(os.environ)
    for name, folder in {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
    }.items():
        (home / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / folder)
    env["JUPYTER_CONFIG_PATH"] = str(root / "jupyter_config")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("lab")
    root = base / "project"
    for part in PROJECT_PARTS:
        shutil.copytree(REPO_ROOT / part, root / part)
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # as ``make lab`` adds it
    log = base / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env=lab_environment(base / "home", root), stdout=out, stderr=out
        )
    server = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if server.api("/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def template_text() -> str:
    return (REPO_ROOT / NOTEBOOK).read_text("utf-8")


def test_the_extension_is_loaded_by_the_projects_configuration(lab: Lab) -> None:
    log = lab.log.read_text(errors="replace")
    assert "ogi_report.notebook.lab | extension was successfully loaded" in log


def test_lab_translates_the_export_entries_and_keeps_the_language_pack(lab: Lab) -> None:
    status, _headers, body = lab.api("/lab/api/translations/zh_CN")
    answer = json.loads(body)
    assert status == 200 and answer["message"] == ""
    domain = answer["data"]["jupyterlab"]
    assert domain["Ogi_report_html"] == ["年报网页（HTML）"]
    assert domain["Ogi_report_pdf"] == ["年报 PDF"] and domain["Ogi_report_docx"] == ["年报 Word"]
    assert domain["menu\x04File"] == ["文件"] and len(domain) > 1000  # the whole pack is still there


def test_lab_offers_only_the_reports_for_export(lab: Lab) -> None:
    status, _headers, body = lab.api("/api/nbconvert")
    assert status == 200
    assert json.loads(body) == {
        "ogi_report_html": {"output_mimetype": "text/html"},
        "ogi_report_pdf": {"output_mimetype": "application/pdf"},
        "ogi_report_docx": {
            "output_mimetype": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        },
    }


def test_the_projects_lab_defaults_to_chinese_without_news(lab: Lab) -> None:
    """The project's defaults (the user's own settings, none here, would still win)."""

    def default(plugin: str, key: str) -> Any:
        status, _headers, body = lab.api(f"/lab/api/settings/{plugin}")
        assert status == 200
        return json.loads(body)["schema"]["properties"][key]["default"]

    assert default("@jupyterlab/translation-extension:plugin", "locale") == "zh_CN"
    assert default("@jupyterlab/apputils-extension:notification", "fetchNews") == "false"
    assert default("@jupyterlab/apputils-extension:notification", "checkForUpdates") is False


def test_saving_through_the_contents_api_writes_no_outputs(lab: Lab) -> None:
    """What JupyterLab sends when saving after Run All (outputs, counts, kernel details) is written
    as the template: ``git diff notebooks/`` stays empty."""
    status, _headers, body = lab.api(f"/api/contents/{NOTEBOOK}")
    nb = json.loads(body)["content"]
    call = nb["cells"][2]
    call["execution_count"] = 1
    call["metadata"]["execution"] = {"shell.execute_reply": "2026-01-01T00:00:01.000Z"}
    call["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {"text/html": f"<h1>{TITLE}</h1>"}}
    ]
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2", "pygments_lexer": "ipython3"}
    status, _headers, _body = lab.api(
        f"/api/contents/{NOTEBOOK}", "PUT", {"type": "notebook", "format": "json", "content": nb}
    )
    assert status == 200
    assert (lab.root / NOTEBOOK).read_text("utf-8") == template_text()


def test_a_batch_rerun_after_saving_in_lab_skips_every_report(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run All and save in Lab between two batches: nothing to re-render (the file is the template
    again, and the batch fingerprints the notebook by code and parameters anyway)."""
    from batchkit import batch, read_summary

    # The kit's own sources count too; people editing them meanwhile must not re-render this one.
    monkeypatch.setattr("ogi_report.batch.plan.kit_version", lambda: "this kit")

    args = ["--root", str(lab.root), "--jobs", "1", "--year", "2021", "--only", "haidong-emergency"]
    assert batch(*args) == 0
    html = lab.root / "output" / "2021" / "haidong-emergency.html"
    first = html.stat().st_mtime_ns
    _status, _headers, body = lab.api(f"/api/contents/{NOTEBOOK}")
    nb = json.loads(body)["content"]
    nb["cells"][2]["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {"text/plain": TITLE}}
    ]
    nb["cells"][2]["execution_count"] = 7
    assert lab.api(f"/api/contents/{NOTEBOOK}", "PUT", {"type": "notebook", "content": nb})[0] == 200
    assert batch(*args) == 0
    assert {row["状态"] for row in read_summary(lab.root).values()} == {"未变跳过（已通过）"}
    assert html.stat().st_mtime_ns == first


def test_export_runs_the_saved_notebook_and_names_the_download(lab: Lab) -> None:
    status, headers, body = lab.api(f"/nbconvert/ogi_report_docx/{NOTEBOOK}?download=true")
    assert status == 200, body[-2000:]
    assert headers["Content-Disposition"] == "attachment; filename*=utf-8''haidong-emergency-2021.docx"
    assert body[:2] == b"PK"  # a DOCX is a zip


def test_a_failed_export_says_why_in_chinese(lab: Lab) -> None:
    mistyped = lab.root / "notebooks" / "mistyped.ipynb"
    mistyped.write_text(template_text().replace("haidong-emergency", "haidong-emergncy"), "utf-8")
    status, _headers, body = lab.api("/nbconvert/ogi_report_pdf/notebooks/mistyped.ipynb?download=true")
    page = body.decode("utf-8")
    assert status == 422
    assert "报告未能导出" in page and "找不到 haidong-emergncy 的 2021 年数据" in page
    assert "Traceback" not in page


# ---------------------------------------------------------------------------------------------
# In the browser.


@pytest.mark.browser
def test_the_analysts_day_in_lab(lab: Lab, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install the Debian package chromium (make system)")
    from playwright.sync_api import sync_playwright

    downloads: list[Any] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)

            def collect(download: Any) -> None:
                downloads.append(download)

            # Lab opens the export in a new tab, which turns into the download; the handler is
            # on every page of the context, this one included.
            context.on("page", lambda opened: opened.on("download", collect))
            page = context.new_page()
            page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}")
            menu = page.locator(".lm-MenuBar-itemLabel")
            menu.filter(has_text="文件").wait_for(timeout=90_000)
            assert {"文件", "编辑", "运行", "内核"} <= set(menu.all_inner_texts())

            cells = page.locator(".jp-Notebook .jp-Cell")
            cells.nth(2).wait_for(timeout=60_000)
            assert cells.count() == 3
            assert cells.nth(2).locator(".jp-InputPlaceholder").is_visible()  # the call: collapsed
            assert not cells.nth(2).locator(".jp-InputArea-editor").is_visible()
            assert cells.nth(1).locator(".jp-InputArea-editor").is_visible()  # the parameters: shown

            run_all(page)
            report = cells.nth(2).locator(".jp-OutputArea-output")
            report.filter(has_text=TITLE).wait_for(timeout=120_000)
            assert "一、总体情况" in report.inner_text()
            shoot(page, tmp_path, "lab-report.png")

            page.locator(".lm-MenuBar-itemLabel", has_text="文件").click()
            page.locator(".lm-Menu-itemLabel", has_text="保存并导出笔记本为").hover()
            entries = page.locator(".lm-Menu").last.locator(".lm-Menu-itemLabel")
            entries.filter(has_text="年报 PDF").wait_for(timeout=10_000)
            assert entries.all_inner_texts() == list(LABELS)  # and not nbconvert's LaTeX "PDF"
            shoot(page, tmp_path, "lab-export-menu.png")
            entries.filter(has_text="年报 PDF").click()
            deadline = time.monotonic() + 120
            while not downloads and time.monotonic() < deadline:
                page.wait_for_timeout(250)
            assert downloads, f"no download:\n{lab.log.read_text(errors='replace')[-3000:]}"
            (download,) = downloads
            assert download.suggested_filename == "haidong-emergency-2021.pdf"
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            assert saved.read_bytes()[:5] == b"%PDF-"
            # Lab saved the notebook before exporting it: the file is the template again.
            assert (lab.root / NOTEBOOK).read_text("utf-8") == template_text()

            # A mistyped slug: the error takes the report's place.
            editor = cells.nth(1).locator(".cm-content")
            editor.click()
            page.keyboard.press("Control+a")
            page.keyboard.insert_text('slug = "haidong-emergncy"\nyear = 2021\ndata_root = ""')
            run_all(page)
            error = cells.nth(2).locator(".jp-OutputArea-output")
            error.filter(has_text="找不到 haidong-emergncy 的 2021 年数据").wait_for(timeout=60_000)
            assert TITLE not in cells.nth(2).inner_text()
            shoot(page, tmp_path, "lab-error.png")
        finally:
            browser.close()


def run_all(page: Any) -> None:
    """运行 › 运行所有单元格."""
    page.locator(".lm-MenuBar-itemLabel", has_text="运行").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="运行所有单元格").first.click()


def shoot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name))
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / name, Path(SCREENSHOT_DIR) / name)
