"""PDF of a rendered report: the HTML page printed by one long-lived headless Chromium.

The engine was chosen by measurement (``benchmarks/pdf.py``): Debian's Chromium, started once and
driven over the DevTools protocol on a pipe, prints a report in a fraction of the time WeasyPrint
takes, and keeps that lead on long tables; it repeats ``thead`` rows, honours ``@page`` margin boxes
(the "— 1 —" page number) and embeds CJK fonts as CID fonts with extractable text.  No browser is
ever downloaded: the system binary is used (another one may be named; through nbconvert, with the
traits of :class:`~ogi_report.notebook.export_pdf.OgiPdfExporter`).

    with PdfPrinter() as printer:          # one browser for a whole batch
        data = printer.print_html(html)    # RenderError for this report only; the printer lives on
    write_pdf(html, path)                  # one-off, written atomically

Before printing, every character the page prints is checked against the fonts of the
``font-family`` it is printed in, as the browser computed it for print (:mod:`ogi_report.render.fonts`):
a character that would print as an empty box refuses that PDF, and only that one.  After
printing, the PDF's text layer is repaired (:mod:`ogi_report.render.pdf.textlayer`): Chromium's ToUnicode maps
send many ideographs to look-alike radicals (一 → ⼀), which breaks copying and searching.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from ogi_report.errors import BrowserError, RenderError
from ogi_report.render.fonts import FontSetup, check_glyphs, fontconfig_file, load_setup, parse_stack
from ogi_report.render.pdf.textlayer import repair_text_layer
from ogi_report.storage.textfiles import write_bytes

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# No network, no first-run or background work.
CHROMIUM_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # a self-contained page needs no network: never wait on one
    "--remote-debugging-pipe",
)
START_TIMEOUT = 30.0
PRINT_TIMEOUT = 60.0
CLOSE_TIMEOUT = 5.0

# The page-number margin box's font-family (as print.css declares it) and the text it prints.
PAGE_NUMBER_FONT = '"宋体", "SimSun", "Noto Serif CJK SC", serif'
PAGE_NUMBER_TEXT = "— 0123456789"

# Every piece of text the page prints (generated content included), grouped by the computed
# font-family it is printed in: the glyph check sees the cascade exactly as the printer does.
_TEXTS_JS = """(() => {
  const out = {};
  const add = (family, text) => { out[family] = (out[family] || "") + text; };
  const root = document.body || document.documentElement;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && n.data.trim() && el.checkVisibility()) add(getComputedStyle(el).fontFamily, n.data);
  }
  for (const el of root.querySelectorAll("*")) {
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      if (style.content && style.content !== "none" && style.content !== "normal") {
        add(style.fontFamily, style.content);
      }
    }
  }
  return out;
})()"""

# Resolves once the page and its fonts have loaded, so nothing prints in a fallback font.
_READY_JS = """new Promise(resolve => {
  const done = () => document.fonts.ready.then(() => resolve(true));
  if (document.readyState === "complete") done(); else addEventListener("load", done);
})"""


def print_css() -> str:
    """The GB/T 9704 print stylesheet (also inlined by the HTML template)."""
    return resources.files("ogi_report").joinpath("templates/ogi_report/print.css").read_text("utf-8")


_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def with_print_style(html: str, setup: FontSetup) -> str:
    """``html`` with print.css and the font chains in force appended last, so they win in print."""
    style = f"<style>\n{print_css()}\n{setup.css_variables()}</style>\n"
    head = _HEAD_END.search(html)
    if head:
        return html[: head.start()] + style + html[head.start() :]
    body = _BODY_START.search(html)
    if body:
        return html[: body.end()] + style + html[body.end() :]
    return style + html


def _high_fd(fd: int) -> int:
    try:
        return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    finally:
        os.close(fd)


class _Browser:
    """One headless Chromium process and its DevTools pipe (fd 3 in, fd 4 out, NUL-framed JSON)."""

    def __init__(
        self, executable: str, flags: tuple[str, ...], fonts_conf_dir: Path, setup: FontSetup
    ) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="ogi-report-chromium-"))
        self.proc: subprocess.Popen[bytes] | None = None
        self.next_id = 0
        self.buffer = b""
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # The child's ends move above fd 9, so that the shell's "3<&N 4>&M" cannot clobber them.
        to_browser_r, from_browser_w = _high_fd(to_browser_r), _high_fd(from_browser_w)
        env = dict(os.environ)
        conf = fontconfig_file(setup, fonts_conf_dir)
        if conf is not None:
            env["FONTCONFIG_FILE"] = str(conf)
        # bash (dash takes one-digit fds only) moves the pipe ends to the fd numbers Chromium
        # expects, then execs it; this avoids preexec_fn (unsafe in threaded parents).
        script = f'exec "$@" 3<&{to_browser_r} 4>&{from_browser_w} {to_browser_r}<&- {from_browser_w}>&-'
        args = [executable, *flags, f"--user-data-dir={self.profile}", "about:blank"]
        try:
            self.proc = subprocess.Popen(
                ["/bin/bash", "-c", script, "bash", *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(to_browser_r, from_browser_w),
                start_new_session=True,  # its own process group: closing kills the whole tree
                env=env,
            )
        except OSError as exc:
            self.kill()
            raise RenderError(
                f"无法启动 Chromium（{executable}：{exc}）：请安装 chromium，或指定浏览器程序的路径"
            ) from exc
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        try:
            self.call("Browser.getVersion", timeout=START_TIMEOUT)
        except BaseException:
            self.kill()
            raise

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.to_browser, data) :]
        except OSError as exc:
            raise BrowserError(f"Chromium 已退出（{exc}）") from exc
        return self.next_id

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None, *, timeout: float
    ) -> dict[str, Any]:
        """Send one command and wait for its reply (events in between are dropped)."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline, method)
            if message.get("id") != wanted:
                continue
            if "error" in message:
                raise RenderError(
                    f"Chromium 执行 {method} 出错：{message['error'].get('message', message['error'])}"
                )
            result: dict[str, Any] = message.get("result", {})
            return result

    def _receive(self, deadline: float, method: str) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"Chromium 执行 {method} 超时")
            ready, _, _ = select.select([self.from_browser], [], [], min(left, 1.0))
            if not ready:
                if not self.alive:
                    raise BrowserError(f"Chromium 在执行 {method} 时意外退出")
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium 在执行 {method} 时意外退出")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def close(self) -> None:
        """Ask the browser to quit, then make sure its whole process group is gone."""
        if self.alive:
            with contextlib.suppress(RenderError, OSError):
                self.send("Browser.close")
            with contextlib.suppress(subprocess.TimeoutExpired):
                assert self.proc is not None
                self.proc.wait(CLOSE_TIMEOUT)
        self.kill()

    def kill(self) -> None:
        if self.proc is not None:
            # The group outlives the launcher when Chromium's helpers are still running.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(CLOSE_TIMEOUT)
        # Forget each fd before closing it, so a second kill() never closes a reused number.
        for name in ("to_browser", "from_browser"):
            fd: int = getattr(self, name, -1)
            setattr(self, name, -1)
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)


class PdfPrinter:
    """A PDF printer holding one headless Chromium for many reports (a context manager).

    The browser starts lazily on the first report and restarts by itself after a crash or a
    timeout; closing the printer always ends the browser's whole process tree.  Without its
    sandbox by default (``disable_sandbox``): the sandbox refuses to run as root, as in a container.
    """

    def __init__(
        self, executable: str | None = None, fonts: FontSetup | None = None, *, disable_sandbox: bool = True
    ) -> None:
        self.executable = executable or DEFAULT_CHROMIUM
        self.flags = (*CHROMIUM_FLAGS, "--no-sandbox") if disable_sandbox else CHROMIUM_FLAGS
        self.fonts = fonts if fonts is not None else load_setup()
        self._browser: _Browser | None = None
        self._conf_dir: Path | None = None

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Last resort for a printer never closed: no browser may outlive its owner.
        with contextlib.suppress(Exception):
            self.close()

    @property
    def browser_pid(self) -> int | None:
        """The process id of the running browser (its process-group id too), for measurements."""
        b = self._browser
        return b.proc.pid if b is not None and b.proc is not None and b.alive else None

    def start(self) -> None:
        """Start the browser now rather than on the first report."""
        self._ensure_browser()

    def close(self) -> None:
        """End the browser and remove its temporary profile."""
        browser, self._browser = self._browser, None
        if browser is not None:
            browser.close()
        if self._conf_dir is not None:
            shutil.rmtree(self._conf_dir, ignore_errors=True)
            self._conf_dir = None

    def _ensure_browser(self) -> _Browser:
        if self._browser is not None and self._browser.alive:
            return self._browser
        self.close()
        self._conf_dir = Path(tempfile.mkdtemp(prefix="ogi-report-fonts-"))
        self._browser = _Browser(self.executable, self.flags, self._conf_dir, self.fonts)
        return self._browser

    def print_html(self, html: str, *, timeout: float = PRINT_TIMEOUT) -> bytes:
        """The PDF of a self-contained HTML page (A4, GB/T 9704 layout from print.css).

        RenderError when a character of the page has no glyph in the fonts it is printed in
        (the browser stays up for the next report); BrowserError when the browser failed or
        timed out (it is restarted for the next report).
        """
        page = with_print_style(html, self.fonts)
        browser = self._ensure_browser()
        deadline = time.monotonic() + timeout
        try:
            return self._print(browser, page, deadline)
        except BaseException as exc:
            if not isinstance(exc, RenderError) or isinstance(exc, BrowserError):
                # A browser that failed mid-print is in an unknown state: start afresh.
                self.close()
            raise

    def _print(self, browser: _Browser, page: str, deadline: float) -> bytes:
        def left() -> float:
            return max(0.1, deadline - time.monotonic())

        target = browser.call("Target.createTarget", {"url": "about:blank"}, timeout=left())["targetId"]
        try:
            session = browser.call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}, timeout=left()
            )["sessionId"]
            browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session, timeout=left())
            frame = browser.call("Page.getFrameTree", session=session, timeout=left())["frameTree"]["frame"][
                "id"
            ]
            browser.call("Page.setDocumentContent", {"frameId": frame, "html": page}, session, timeout=left())
            browser.call(
                "Runtime.evaluate", {"expression": _READY_JS, "awaitPromise": True}, session, timeout=left()
            )
            texts = browser.call(
                "Runtime.evaluate", {"expression": _TEXTS_JS, "returnByValue": True}, session, timeout=left()
            )["result"]["value"]
            texts[PAGE_NUMBER_FONT] = texts.get(PAGE_NUMBER_FONT, "") + PAGE_NUMBER_TEXT
            check_glyphs(self.fonts, texts)
            faces = printed_faces(self.fonts, texts)
            result = browser.call(
                "Page.printToPDF",
                {
                    "preferCSSPageSize": True,
                    "printBackground": True,
                    "displayHeaderFooter": False,
                    "generateTaggedPDF": False,
                },
                session,
                timeout=left(),
            )
        finally:
            with contextlib.suppress(RenderError, OSError):
                browser.send("Target.closeTarget", {"targetId": target})
        return repair_text_layer(base64.b64decode(result["data"]), "".join(texts.values()), faces)


def printed_faces(setup: FontSetup, texts: Mapping[str, str]) -> tuple[tuple[Path, int], ...]:
    """The installed fonts (file, face index) of every ``font-family`` the page printed in."""
    faces: dict[tuple[Path, int], None] = {}
    for stack in texts:
        for face in setup.stack_faces(parse_stack(stack)):
            faces.setdefault((face.file, face.index), None)
    return tuple(faces)


def write_pdf(html: str, path: Path, printer: PdfPrinter | None = None) -> None:
    """Print ``html`` to ``path`` atomically (with a one-off browser unless a printer is given)."""
    if printer is not None:
        write_bytes(path, printer.print_html(html))
        return
    with PdfPrinter() as own:
        write_bytes(path, own.print_html(html))
