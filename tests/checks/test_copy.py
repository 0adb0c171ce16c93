"""Rule COPY on real reports: a copied report is found, unrelated reports are not, and the figure
does not move when only whitespace or punctuation changes."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

import pytest
from kit import REPORTS_DIR, build_by
from ogi_report.checks.copying import THRESHOLD, measure, measure_years, sentences
from ogi_report.checks.runner import check
from ogi_report.importers import ImportOptions, import_report
from ogi_report.model.bureau import BureauYear
from ogi_report.spec.ids import RuleId

SUQIAN_2023, SUQIAN_2024 = "03_suqian-city-2023.txt", "04_suqian-city-2024.txt"
HUAIAN_2024 = "02_huaian-city-gov-2024.txt"


@cache
def real(name: str) -> BureauYear:
    """A shared real report (tests/fixtures/reports) read by the text importer."""
    return import_report(REPORTS_DIR / name, ImportOptions("suqian")).by


def changed_year_and_figures(text: str, year: int) -> str:
    """``text`` as if written for the year before: its years one less and every other figure changed."""

    def figure(match: re.Match[str]) -> str:
        value = match.group(0)
        if re.fullmatch(r"(19|20)\d\d", value) and 2015 <= int(value) <= year:
            return str(int(value) - 1)
        return str(int(value) + 3)

    return re.sub(r"\d+", figure, text)


def respaced(text: str) -> str:
    """``text`` with full-width punctuation half-width (and back), spaces added and lines re-wrapped."""
    swaps = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "、": "，", ",": "，"})
    out = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            out.append(line)
            continue
        line = line.translate(swaps).replace("。", "。 ")
        out.extend(["  " + line[:17], line[17:] + "  "] if len(line) > 17 else [line])
    return "\n".join(out)


def test_a_report_copied_with_year_and_figures_changed_is_found() -> None:
    this = real(SUQIAN_2024)
    last = changed_year_and_figures(this.narrative, 2024)
    assert last != this.narrative and "2023年" in last
    found = measure(this.narrative, last, 2024)
    assert found.rate == pytest.approx(1.0)
    longest = found.passages[0]
    assert longest.chars == found.total_chars  # one passage: every counted sentence, in order
    assert found.same_numbers == ()  # every figure changed: nothing left as last year wrote it


def test_the_rule_warns_with_the_rate_and_the_longest_passages() -> None:
    this = real(SUQIAN_2024)
    last = replace(
        this,
        meta=replace(this.meta, year=2023),
        narrative=changed_year_and_figures(this.narrative, 2024),
    )
    copy = [f for f in check(this, last).findings if f.rule == RuleId.COPY]
    summary = copy[0]
    assert summary.severity.value == "warning" and summary.table == "正文"
    assert summary.found == "100.0%" and "2023年报告的重复率为 100.0%" in summary.message
    assert "最长的重复段落：第" in summary.message
    assert [f.table.startswith("正文（第") for f in copy[1:]] == [True]  # one passage, located


def test_sentences_left_with_last_years_numbers_are_flagged() -> None:
    this = real(SUQIAN_2024)
    # Last year's text had the same figures: only the year was changed in one sentence.
    last = this.narrative.replace("2024年，我市坚持", "2023年，我市坚持")
    found = measure(this.narrative, last, 2024)
    assert found.rate == pytest.approx(1.0)
    flagged = {s.text for s in found.same_numbers}
    assert any("2100余条" in s for s in flagged)  # a count left as it was
    assert not any(s.startswith("2024年，我市坚持") for s in flagged)  # its year was changed


def test_a_2023_left_in_a_2024_report_is_flagged_even_when_little_is_copied() -> None:
    last = "本年度，我局共受理政府信息公开申请35件，同比增长12%。"
    this = build_by(year=2024)
    this = replace(this, narrative=this.narrative + "\n" + last + "\n")
    previous = replace(build_by(year=2023), narrative="## 一、总体情况\n\n" + last + "\n")
    copy = [f for f in check(this, previous).findings if f.rule == RuleId.COPY]
    assert [f.found for f in copy] == ["与上年相同"]
    assert "35、12" in copy[0].message


def test_two_unrelated_real_reports_share_nothing() -> None:
    assert measure(real(HUAIAN_2024).narrative, real(SUQIAN_2023).narrative, 2024).rate < 0.01
    assert measure(real(SUQIAN_2024).narrative, real(HUAIAN_2024).narrative, 2024).rate < 0.01


def test_the_same_body_two_real_years_stays_below_the_threshold() -> None:
    rate = measure_years(real(SUQIAN_2024), replace(real(SUQIAN_2023))).rate
    assert 0.0 < rate < THRESHOLD  # a few formulaic sentences, not a copied report (measured 5.9 %)


@pytest.mark.parametrize("name", [SUQIAN_2024, HUAIAN_2024])
def test_the_rate_is_stable_under_whitespace_and_punctuation(name: str) -> None:
    this = real(name).narrative
    last = changed_year_and_figures(this, 2024)
    partly = "\n".join(line for n, line in enumerate(last.splitlines()) if n % 3)  # a third not copied
    for now, before in ((this, last), (this, partly)):
        plain = measure(now, before, 2024).rate
        assert plain > 0.3
        assert measure(respaced(now), before, 2024).rate == pytest.approx(plain, abs=0.005)
        assert measure(now, respaced(before), 2024).rate == pytest.approx(plain, abs=0.005)


def test_short_formulas_and_headings_are_not_counted() -> None:
    text = "## 一、总体情况\n\n现将有关情况报告如下。\n\n| 表 | 格 |\n\n本年度未收取信息处理费。\n"
    assert sentences(text) == []
    assert measure(text, text, 2024).rate == 0.0


def test_without_last_year_the_rule_does_not_run() -> None:
    outcome = next(o for o in check(build_by()).outcomes if o.rule.id == RuleId.COPY)
    assert not outcome.applicable
