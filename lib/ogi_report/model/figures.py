"""Figures quoted in the narrative, recognised by the phrasings real reports use.

Each :class:`Measure` pairs a phrasing (收到/新收/受理 N件, 上年结转 N件, …) with the table value it
claims.  A clause that speaks of something else with the same words — 备案 cases, 同比 changes,
complaints or 复议 applications — is skipped rather than flagged: a false alarm teaches analysts to
ignore the check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ogi_report.model.bureau import BureauYear, sum_values

NUMBER = r"(\d[\d,，]*)"
GAP = r"[^\d。；;，,、：:（）()]{0,16}?"
CLAUSE = re.compile(r"[^。；;！!？?\n]+")
# A clause containing one of these speaks of other figures (备案 cases, year-on-year change, …).
OTHER_MEANING = ("备案", "同比", "较上年", "比上年", "累计", "增长", "下降", "减少")


@dataclass(frozen=True)
class Measure:
    """A table value the narrative may quote."""

    name: str
    pattern: re.Pattern[str]
    where: str  # the cell(s) in the analyst's words
    placeholder: str
    value: Callable[[BureauYear], int | Decimal]


def _t3(row_prefix: str) -> Callable[[BureauYear], int | Decimal]:
    def value(by: BureauYear) -> int | Decimal:
        keys = [
            r.key for _b, r in by.t3.spec.rows() if r.key == row_prefix or r.key.startswith(row_prefix + ".")
        ]
        return sum_values([by.t3.get(k, "total") for k in keys])

    return value


def _t4(*rows: str) -> Callable[[BureauYear], int | Decimal]:
    return lambda by: sum_values([by.t4.get(r, "total") for r in rows])


def _p(keyword: str, exclude: str = "") -> re.Pattern[str]:
    guard = f"(?!{GAP}(?:{exclude}))" if exclude else ""
    return re.compile(f"(?:{keyword}){guard}{GAP}{NUMBER}件")


MEASURES: tuple[Measure, ...] = (
    Measure(
        "new",
        _p("新收|收到|受理", "复议|诉讼|举报|投诉|意见|建议|来信|留言|咨询|结转"),
        "表三「一、本年新收政府信息公开申请数量」总计",
        "t3.new",
        _t3("new"),
    ),
    Measure(
        "carried_over",
        _p("上年度?结转|上一年度结转"),
        "表三「二、上年结转政府信息公开申请数量」总计",
        "t3.carried_over",
        _t3("carried_over"),
    ),
    Measure(
        "carried_forward",
        _p("结转(?:至|到)?下一?年度?(?:继续)?|转下一?年度|顺延(?:至|到)下一?年度?"),
        "表三「四、结转下年度继续办理」总计",
        "t3.carried_forward",
        _t3("carried_forward"),
    ),
    Measure("granted", _p("予以公开"), "表三「（一）予以公开」总计", "t3.granted", _t3("granted")),
    Measure(
        "partly_granted",
        _p("部分公开"),
        "表三「（二）部分公开」总计",
        "t3.partly_granted",
        _t3("partly_granted"),
    ),
    Measure("refused", _p("不予公开"), "表三「（三）不予公开」各项总计之和", "t3.refused", _t3("refused")),
    Measure("unable", _p("无法提供"), "表三「（四）无法提供」各项总计之和", "t3.unable", _t3("unable")),
    Measure(
        "not_processed",
        _p("不予处理"),
        "表三「（五）不予处理」各项总计之和",
        "t3.not_processed",
        _t3("not_processed"),
    ),
    Measure("review", _p("行政复议"), "表四「行政复议」总计", "t4.review", _t4("review")),
    Measure(
        "litigation",
        _p("行政诉讼"),
        "表四「行政诉讼」两项总计之和",
        "t4.行政诉讼",
        _t4("litigation_direct", "litigation_after_review"),
    ),
)


@dataclass(frozen=True)
class Figure:
    """A figure found in the narrative."""

    measure: Measure
    value: int
    snippet: str
    line: int


def narrative_figures(text: str) -> Iterator[Figure]:
    """Every recognised figure in ``text`` (a filled narrative), with the line it stands on.

    Wrapped lines (a PDF's layout) may cut a phrase: the lines of a paragraph are joined first.
    Headings end a paragraph but never hide the text that follows them.
    """
    paragraph: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            yield from _paragraph_figures(paragraph)
            paragraph = []
        else:
            paragraph.append((number, line))
    yield from _paragraph_figures(paragraph)


def _paragraph_figures(paragraph: list[tuple[int, str]]) -> Iterator[Figure]:
    chars: list[str] = []
    line_of: list[int] = []
    for number, line in paragraph:
        for char in line:
            if not char.isspace():
                chars.append(char)
                line_of.append(number)
    flat = "".join(chars)
    for clause in CLAUSE.finditer(flat):
        text = clause.group(0)
        if any(word in text for word in OTHER_MEANING):
            continue
        for measure in MEASURES:
            for match in measure.pattern.finditer(text):
                digits = re.sub(r"[,，]", "", match.group(1))
                yield Figure(measure, int(digits), match.group(0), line_of[clause.start() + match.start(1)])
