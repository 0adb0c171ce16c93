"""A report left as the template is a draft on the page: the banner and 【草稿】 until it is written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ogi_report.checks.draft import fill_known
from ogi_report.checks.runner import check
from ogi_report.model.bureau import BureauYear
from ogi_report.render.html.page import render_page
from ogi_report.render.model import DRAFT_BANNER
from ogi_report.storage.folder import load_bureau_year
from ogi_report.storage.scaffold import PROMPT, create
from ogi_report.storage.workspace import Workspace


def page(by: BureauYear) -> str:
    return render_page(by, check(by, text=fill_known(by)))


def test_the_template_renders_as_a_draft_until_written(tmp_path: Path) -> None:
    folder, _params = create(Workspace(tmp_path), "test-bureau", 2024, "测试市测试局", "department")
    template = load_bureau_year(folder)
    html = page(template)
    assert DRAFT_BANNER in html and "<title>【草稿】" in html
    # The prompts say what to write; nothing reads as a finished sentence about the fee.
    assert "（请填写：是否收取信息处理费" in html

    written = replace(
        template,
        narrative=PROMPT.sub("本部分写明工作情况。", template.narrative),
        meta=replace(template.meta, publish_date=date(2025, 1, 20)),
    )
    html = page(written)
    assert DRAFT_BANNER not in html and "<title>【草稿】" not in html


def test_a_placeholder_typo_makes_a_draft_not_a_crash(tmp_path: Path) -> None:
    folder, _params = create(Workspace(tmp_path), "test-bureau", 2024, "测试市测试局", "government")
    by = load_bureau_year(folder)
    by = replace(by, narrative=by.narrative.replace("{{ t3.new }}", "{{ t3.nwe }}"))
    result = check(by, text=fill_known(by))
    assert [f.found for f in result.errors if f.rule == "PLACEHOLDER"] == ["{{ t3.nwe }}"]
