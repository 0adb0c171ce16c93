"""The report page on a phone (390 px) and on a desktop (1280 px), measured in a real browser.

淮安市人民政府 2024 (the second bundled example) has four-digit figures in table 三 and three-digit
ones in the fifteen columns of table 四: on a phone each table must scroll sideways inside its own
box — the page itself never — with its labels kept readable and no figure running past its cell;
on a desktop nothing scrolls.
The browser is the system Chromium driven by Playwright (no browser download); the test is skipped,
saying why, when it is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kit import REPO_ROOT
from ogi_report.checks.draft import fill_known
from ogi_report.checks.runner import check
from ogi_report.render.html.page import render_page, stylesheet
from ogi_report.storage.folder import load_bureau_year

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = REPO_ROOT / "data" / "huaian" / "2024"

# What the page looks like, measured in the browser: the page's and each table box's widths, the
# narrowest row label, and every figure wider than its cell.
MEASURE = """() => {
  const boxes = [...document.querySelectorAll('.ogi-table-wrap')].map(w => {
    const table = w.querySelector('table');
    return {table: table.dataset.table, client: w.clientWidth, scroll: w.scrollWidth,
            overflowX: getComputedStyle(w).overflowX};
  });
  const labels = [...document.querySelectorAll('table.ogi-t3 th.ogi-label:not(.ogi-group)')]
    .map(th => th.getBoundingClientRect().width);
  const fontSize = parseFloat(getComputedStyle(document.querySelector('table.ogi-t3')).fontSize);
  const clipped = [...document.querySelectorAll('td.ogi-num')]
    .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent);
  return {page: document.documentElement.scrollWidth, viewport: window.innerWidth, boxes,
          narrowestLabel: Math.min(...labels), fontSize, clipped};
}"""


def measured(width: int, tmp_path: Path) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install the Debian package chromium (make system)")
    sync_api = pytest.importorskip("playwright.sync_api")
    by = load_bureau_year(EXAMPLE)
    page_file = tmp_path / "report.html"
    page_file.write_text(render_page(by, check(by, text=fill_known(by))), encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            result: dict[str, Any] = page.evaluate(MEASURE)
            page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
        finally:
            browser.close()
    return result


def test_the_example_has_four_digit_figures() -> None:
    by = load_bureau_year(EXAMPLE)
    assert by.t3.get("new", "total") == 3119 and by.t3.get("new", "natural_person") == 3001
    assert by.t4.get("review", "total") == 351


def test_the_phone_rules_are_in_the_page() -> None:
    css = stylesheet()
    phone = css[css.index("@media screen and (max-width: 640px)") :]
    assert "overflow-x: auto" in phone and "table-layout: auto" in phone and "min-width: 8em" in phone


@pytest.mark.slow
def test_on_a_phone_tables_scroll_in_their_own_box(tmp_path: Path) -> None:
    m = measured(390, tmp_path)
    assert m["page"] <= m["viewport"], "the page itself scrolls sideways"
    boxes = {b["table"]: b for b in m["boxes"]}
    for table in ("t3", "t4"):
        box = boxes[table]
        assert box["overflowX"] == "auto"
        assert box["scroll"] > box["client"], f"{table} squeezed into the screen instead of scrolling"
    # Table 三's item labels keep several characters a line (not one), at the table's font size.
    assert m["narrowestLabel"] >= 7 * m["fontSize"]
    assert m["clipped"] == [], f"figures wider than their cells: {m['clipped']}"


@pytest.mark.slow
def test_on_a_desktop_nothing_scrolls(tmp_path: Path) -> None:
    m = measured(1280, tmp_path)
    assert m["page"] <= m["viewport"]
    assert all(b["scroll"] <= b["client"] for b in m["boxes"]), m["boxes"]
    assert m["clipped"] == []
