"""Make the browser forms of two real corpus pages: text copied from the page, and the page printed to PDF.

People who want a report's figures open the report's web page and either select all and copy
(Ctrl+A, Ctrl+C, then paste into a text file) or print it to PDF (print → 「另存为 PDF」).  This script
does exactly that in the system Chromium driven by Playwright, for the real pages kept in
``tests/fixtures/corpus``, and writes

    <id>-copied.txt    the clipboard's text/plain after Ctrl+A, Ctrl+C (the page's innerText only
                       when the clipboard cannot be read; the script says which it used)
    <id>-printed.pdf   page.pdf(): Chromium's print to PDF with what its print dialog defaults to
                       (A4 here, margins of about 1 cm, headers and footers on: the date and
                       the page title above, the address and 「1/3」 below, backgrounds off)

The DOCX form is made with pandoc: ``scripts/corpus/pandoc_forms.sh``.

It is run by hand (``.venv/bin/python scripts/corpus/browser_forms.py``), never by the tests: its
outputs are fixtures, kept with a sidecar saying how they were made.  The pages are served to the
browser from the corpus files as ``text/html; charset=utf-8`` (what the sites send) under a made-up
https address (the async clipboard API exists only in secure contexts); every other request (the
sites' scripts, styles, images) is refused, since the machine is offline and the kept page is the
report as found.  A page whose tables are wider than portrait A4 is printed landscape
(:func:`tables_too_wide`).

"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, Route, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
PAGES = ("shuyang-fgj-2023", "sh-office-2019")
# https: the async clipboard API exists only in secure contexts.
ORIGIN = "https://corpus.invalid"


def chromium_version() -> str:
    """The system Chromium's version line, for the provenance."""
    out = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def serve(page: Page, case_id: str) -> None:
    """Answer the page's own address with the kept file; refuse everything else (offline)."""
    body = (CORPUS / f"{case_id}.html").read_bytes()

    def handle(route: Route) -> None:
        if route.request.url == f"{ORIGIN}/{case_id}.html":
            route.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")
        else:
            route.abort()

    page.route("**/*", handle)


def copy_all(page: Page) -> tuple[str, str]:
    """Select all and copy as a person does; return (text, how it was obtained)."""
    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("ControlOrMeta+C")
    try:
        text = page.evaluate("() => navigator.clipboard.readText()")
    except Exception as exc:  # any failure means falling back, and saying so
        print(f"clipboard not readable ({exc}); using document.body.innerText", file=sys.stderr)
        return page.evaluate("() => document.body.innerText"), "document.body.innerText"
    if not text.strip():
        print("clipboard empty; using document.body.innerText", file=sys.stderr)
        return page.evaluate("() => document.body.innerText"), "document.body.innerText"
    return text, "clipboard (Ctrl+A, Ctrl+C, navigator.clipboard.readText)"


# The printable width of A4 portrait with 1 cm margins, in CSS pixels (96 per inch): 190 mm.
PORTRAIT_WIDTH = 190 / 25.4 * 96


def tables_too_wide(page: Page) -> bool:
    """Whether a table is wider than portrait A4's printable width (in print media).

    Chromium prints such a table cut at the right margin (sh-office-2019's 总计 column comes out
    as 「85」 for 859); a person seeing that in the print preview switches to landscape.
    """
    page.set_viewport_size({"width": round(PORTRAIT_WIDTH), "height": 900})
    widest = page.evaluate(
        "() => Math.max(0, ...[...document.querySelectorAll('table')]"
        ".map(t => t.getBoundingClientRect().right))"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    return bool(widest > PORTRAIT_WIDTH)


def main() -> None:
    print(chromium_version())
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        try:
            context = browser.new_context(
                permissions=["clipboard-read", "clipboard-write"], viewport={"width": 1280, "height": 900}
            )
            for case_id in PAGES:
                page = context.new_page()
                serve(page, case_id)
                page.goto(f"{ORIGIN}/{case_id}.html", wait_until="load")
                text, how = copy_all(page)
                # Written as a text editor saves a paste: UTF-8, the clipboard's characters unchanged.
                (CORPUS / f"{case_id}-copied.txt").write_bytes(text.encode("utf-8"))
                print(f"{case_id}-copied.txt: {len(text)} characters, from {how}")
                page.emulate_media(media="print")
                landscape = tables_too_wide(page)
                page.pdf(
                    path=str(CORPUS / f"{case_id}-printed.pdf"),
                    format="A4",
                    landscape=landscape,
                    display_header_footer=True,  # the print dialog's default; Chromium's own header
                    margin={"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"},
                )
                print(f"{case_id}-printed.pdf: A4, landscape={landscape}, display_header_footer=True")
                page.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
