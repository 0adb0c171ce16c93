"""Rule COPY: how much of this year's narrative repeats last year's (重复率), and what was left unchanged.

The narrative is cut into sentences (at 。！？；, paragraph ends and line breaks between
paragraphs; headings and table rows are not prose and are left out) and each sentence is
normalised: full-width forms folded (NFKC), every number replaced by ``#``, and punctuation,
whitespace and Markdown marks dropped.  A sentence of this year is *copied* when last year's
narrative has a sentence with the same normalised text, or one at least :data:`NEAR` % alike
(rapidfuzz's ``fuzz.ratio``, an edit-distance ratio — so a changed word or two still counts).

重复率 is the share of this year's normalised characters in copied sentences: long copied
paragraphs weigh more than a copied 「现将有关情况报告如下」.  Sentences shorter than
:data:`MIN_CHARS` normalised characters (「无。」, list labels) are not counted either way.

A copied sentence that is identical *with its numbers* and whose numbers are not only old years
(「2019年修订」 is quoted every year) is flagged on its own: last year's counts, or 「2023年」
left in a 2024 report.

The thresholds and the choice of rapidfuzz are explained in docs/compile.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ogi_report.checks.declaration import Context, Found, rule
from ogi_report.checks.findings import Severity
from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear
from ogi_report.model.narrative import fill
from ogi_report.spec.ids import RuleId

THRESHOLD = 0.50  # 重复率 at or above which COPY warns
NEAR = 90.0  # fuzz.ratio (0–100) at or above which two normalised sentences are the same sentence
# Normalised characters below which a sentence is a formula (「现将有关情况报告如下」): not counted.
MIN_CHARS = 12
# Approximate comparisons (sentence pairs) per narrative, ~0.5 s: a real report has under 200
# sentences (200 × 200 = 40,000 pairs); past the budget, a sentence counts as copied only when exact.
PAIR_BUDGET = 2_000_000
PASSAGES = 3  # longest copied passages named
SAME_LISTED = 10  # sentences with unchanged numbers listed one by one
SNIPPET = 40  # characters of a sentence quoted in a message

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NOT_TEXT = re.compile(r"[^\w#]|_")  # punctuation, whitespace, Markdown marks: all but letters, digits, #
# Sentence ends, full-width or not: 。！？； and a full stop "." unless it is a decimal point.
_ENDS = "。！？；!?;.．"
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=[.．])(?![\d０-９])")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a narrative: as written, its line, and its normalised forms."""

    text: str
    line: int
    key: str  # numbers as "#", no punctuation or whitespace: what copying is judged on
    exact: str  # the same with the numbers kept: identical even in its figures

    @property
    def numbers(self) -> list[str]:
        return _NUMBER.findall(unicodedata.normalize("NFKC", self.text))

    @property
    def snippet(self) -> str:
        text = self.text.strip()
        return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


@dataclass(frozen=True)
class Passage:
    """Consecutive copied sentences of this year's narrative."""

    sentences: tuple[Sentence, ...]

    @property
    def chars(self) -> int:
        return sum(len(s.key) for s in self.sentences)

    @property
    def lines(self) -> str:
        first, last = self.sentences[0].line, self.sentences[-1].line
        return f"第{first}行" if first == last else f"第{first}–{last}行"


@dataclass(frozen=True)
class CopyMeasure:
    """What :func:`measure` found: 重复率, the copied passages (longest first), unchanged sentences."""

    copied_chars: int
    total_chars: int
    passages: tuple[Passage, ...]
    same_numbers: tuple[Sentence, ...]

    @property
    def rate(self) -> float:
        """The share of this year's counted characters that repeat last year's (0 when nothing counts)."""
        return self.copied_chars / self.total_chars if self.total_chars else 0.0


def normalised(text: str) -> tuple[str, str]:
    """``text`` folded (NFKC) without punctuation, whitespace or Markdown: numbers as ``#``, and kept."""
    folded = unicodedata.normalize("NFKC", text)
    return _NOT_TEXT.sub("", _NUMBER.sub("#", folded)), _NOT_TEXT.sub("", folded)


def _prose_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """Each line of prose with its number; a blank line, heading or table row yields "" (a paragraph ends)."""
    for number, line in enumerate(markdown.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "|")):
            yield number, ""
            continue
        yield number, _LIST_MARK.sub("", stripped)


def sentences(markdown: str) -> list[Sentence]:
    """The sentences of a narrative that count (see the module's docstring), in order.

    Lines of one paragraph are joined first: a published PDF breaks lines inside sentences.
    """
    out: list[Sentence] = []
    pending: list[tuple[int, str]] = []  # (line, text) pieces of the sentence being read

    def flush() -> None:
        if pending:
            text = "".join(t for _n, t in pending)
            key, exact = normalised(text)
            if len(key) >= MIN_CHARS:
                out.append(Sentence(text, pending[0][0], key, exact))
            pending.clear()

    for number, line in _prose_lines(markdown):
        if not line:
            flush()
            continue
        for piece in _SENTENCE_END.split(line):
            if piece:
                pending.append((number, piece))
                if piece[-1] in _ENDS:
                    flush()
    flush()
    return out


def _copied(now: Sequence[Sentence], before: Sequence[Sentence]) -> list[bool]:
    """For each sentence of ``now``: whether ``before`` has it (same key, or :data:`NEAR` % alike)."""
    keys = {s.key for s in before}
    choices = sorted(keys)
    verdict: dict[str, bool] = {}
    fuzzy_left = PAIR_BUDGET // max(1, len(choices))  # sentences that may still be compared approximately
    result = []
    for sentence in now:
        key = sentence.key
        if key not in verdict:
            if key in keys:
                verdict[key] = True
            elif fuzzy_left > 0 and choices:
                fuzzy_left -= 1
                best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=NEAR)
                verdict[key] = best is not None
            else:
                verdict[key] = False
        result.append(verdict[key])
    return result


def _stale_numbers(sentence: Sentence, year: int) -> bool:
    """Whether a sentence's numbers are figures of a year, not only old years quoted every year."""
    numbers = sentence.numbers
    return bool(numbers) and not all(_YEAR.match(n) and int(n) < year - 1 for n in numbers)


def measure(text: str, previous_text: str, year: int) -> CopyMeasure:
    """How much of ``text`` (this year's narrative, ``year``) repeats ``previous_text`` (last year's)."""
    now, before = sentences(text), sentences(previous_text)
    copied = _copied(now, before)
    passages: list[Passage] = []
    run: list[Sentence] = []
    for sentence, is_copied in zip(now, copied, strict=True):
        if is_copied:
            run.append(sentence)
        elif run:
            passages.append(Passage(tuple(run)))
            run = []
    if run:
        passages.append(Passage(tuple(run)))
    exact_before = {s.exact for s in before}
    same = tuple(
        s
        for s, c in zip(now, copied, strict=True)
        if c and s.exact in exact_before and _stale_numbers(s, year)
    )
    return CopyMeasure(
        copied_chars=sum(len(s.key) for s, c in zip(now, copied, strict=True) if c),
        total_chars=sum(len(s.key) for s in now),
        passages=tuple(sorted(passages, key=lambda p: (-p.chars, p.sentences[0].line))),
        same_numbers=same,
    )


def filled_or_raw(by: BureauYear) -> str:
    """A bureau-year's narrative with its placeholders filled, or as written when they cannot be."""
    try:
        return fill(by)
    except DataError:
        return by.narrative


def measure_years(by: BureauYear, previous: BureauYear, text: str | None = None) -> CopyMeasure:
    """COPY's measure of a bureau-year against last year's (``text``: this year's filled narrative)."""
    return measure(filled_or_raw(by) if text is None else text, filled_or_raw(previous), by.meta.year)


def percent(rate: float) -> str:
    """重复率 as printed: one decimal (``62.3%``)."""
    return f"{rate:.1%}"


@rule(
    RuleId.COPY,
    Severity.WARNING,
    f"正文与上年报告的重复率（阈值 {THRESHOLD:.0%}），以及连数字也未改的句子",
    "有上年数据时，逐句比较本年与上年的正文（数字、标点、空白和全角半角的差别不计，"
    f"相似度达 {NEAR:.0f}% 的句子视为相同）。重复的字数占本年正文字数的比例即“重复率”，"
    f"达到 {THRESHOLD:.0%} 即报出，并列出最长的重复段落：年度报告应写本年度的工作。"
    "与上年一字不差、连数字也相同的句子（如 2024 年报告中留下的“2023年”、上年的件数）"
    "无论重复率高低都逐句报出；只引用往年年份的句子（如“2019年修订”）除外。",
    needs_previous=True,
)
def copied_from_last_year(ctx: Context) -> Iterator[Found]:
    assert ctx.previous is not None  # needs_previous: the runner gives last year's data
    before = ctx.previous.meta.year
    found = measure_years(ctx.by, ctx.previous, ctx.text)
    if found.total_chars and found.rate >= THRESHOLD:
        longest = found.passages[:PASSAGES]
        yield Found(
            f"正文与{before}年报告的重复率为 {percent(found.rate)}"
            f"（{found.copied_chars:,}/{found.total_chars:,} 字），"
            f"达到 {THRESHOLD:.0%}：年度报告应写本年度的工作。最长的重复段落："
            + "；".join(f"{p.lines}「{p.sentences[0].snippet}」" for p in longest),
            table="正文",
            found=percent(found.rate),
            expected=f"低于 {THRESHOLD:.0%}",
        )
        for passage in longest:
            yield Found(
                f"此段 {len(passage.sentences)} 句（{passage.chars:,} 字）与{before}年报告相同或几乎相同："
                f"「{passage.sentences[0].snippet}」",
                table=f"正文（{passage.lines}）",
            )
    for sentence in found.same_numbers[:SAME_LISTED]:
        yield Found(
            f"「{sentence.snippet}」与{before}年报告一字不差，连数字（{'、'.join(sentence.numbers[:5])}）也相同："
            "请改写为本年度的情况",
            table=f"正文（第{sentence.line}行）",
            found="与上年相同",
            expected="本年度的情况与数字",
        )
    if len(found.same_numbers) > SAME_LISTED:
        yield Found(
            f"… 以及另外 {len(found.same_numbers) - SAME_LISTED} 句连数字也与{before}年相同"
            f"（只列出前 {SAME_LISTED} 句）",
            table="正文",
        )


RULES = (copied_from_last_year,)
