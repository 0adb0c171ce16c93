"""The 数据校验 appendix as HTML: the summary, the notes, every rule and every finding."""

from __future__ import annotations

import lxml.html
from kit import build_by, with_cells
from ogi_report.checks.runner import check
from ogi_report.render.html.appendix import checks_html
from ogi_report.render.model import Checks, report_model


def appendix(checks: Checks | None) -> lxml.html.HtmlElement:
    assert checks is not None
    return lxml.html.fragment_fromstring(checks_html(checks))


def test_a_clean_report_lists_its_rules_and_no_problem() -> None:
    by = build_by()
    result = check(by)
    root = appendix(report_model(by, result, ("", "<b>上年</b>数据未找到")).checks)
    assert root.get("id") == "ogi-checks" and root.find("h2").text_content() == "数据校验"
    assert root.find_class("ogi-summary")[0].text_content().startswith(f"共 {len(result.outcomes)} 条规则")
    assert [p.text_content() for p in root.find_class("ogi-note")] == ["<b>上年</b>数据未找到"]  # as text
    (rules,) = root.find_class("ogi-rules")
    assert len(rules.findall("tbody/tr")) == len(result.outcomes)
    assert not root.find_class("ogi-findings")
    assert root.findall("p")[-1].text_content() == "未发现问题。"


def test_findings_show_where_with_figures_aligned_as_numbers() -> None:
    by = with_cells(build_by(), "t3", {("new", "natural_person"): 999})
    result = check(by)
    root = appendix(report_model(by, result).checks)
    (findings,) = root.find_class("ogi-findings")
    rows = findings.findall("tbody/tr")
    assert [tr.get("class") for tr in rows] == [f"ogi-{f.severity.value}" for f in result.findings]
    for tr, finding in zip(rows, result.findings, strict=True):
        found = tr.findall("td")[3]
        assert found.text_content() == finding.found
        figure = finding.found.strip().lstrip("-+−").replace(",", "").replace(".", "").isdigit()
        assert found.get("class") == ("ogi-num" if figure else "ogi-text")
    failed = [
        tr for tr in root.find_class("ogi-rules")[0].findall("tbody/tr") if tr.get("class") == "ogi-failed"
    ]
    assert failed and all(tr.findall("td")[3].text_content().startswith("未通过（") for tr in failed)
