"""What ``ogi-report batch`` prints when it is done: a short table, failure reasons and the totals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ogi_report.batch.jobs import Outcome, Status
from ogi_report.spec.wording import display_width


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _lead(text: str, max_lines: int = 3, limit: int = 360) -> str:
    """The first lines of a message, up to ``max_lines`` lines or ``limit`` characters.

    A message's first line is often only a lead-in (「无法生成 PDF，否则这些字符会显示为空框：」):
    the lines after it say which characters and which font, so they show too, within reason.
    """
    lines = [line.rstrip() for line in text.strip().splitlines()]
    shown: list[str] = []
    budget = limit
    for line in lines[:max_lines]:
        if budget <= 0:
            break
        shown.append(line[:budget] + "…" if len(line) > budget else line)
        budget -= len(line)
    rest = len(lines) - len(shown)
    more = f"（另有 {rest} 行，见 summary.csv）" if rest else ""
    return "\n    ".join(shown) + more


def format_table(outcomes: Sequence[Outcome]) -> str:
    """The short table printed after the progress bar, then why each failed report failed."""
    header = ("年度", "机关", "状态", "错误", "警告", "用时")
    rows = [
        (str(o.year), o.name, o.status_label, str(o.errors), str(o.warnings), f"{o.seconds:.2f}s")
        for o in sorted(outcomes, key=lambda o: (o.year, o.slug))
    ]
    widths = [max(display_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    failed = [o for o in outcomes if o.status is Status.FAILED and o.message]
    notes = [f"  {o.name}（{o.year}）：{_lead(o.message)}" for o in failed]
    return "\n".join([*lines, *(["失败原因："] if notes else []), *notes])


def _kind(outcome: Outcome) -> str:
    return "skipped" if outcome.skipped else outcome.status.value


class Tally:
    """The running counts of a batch's outcomes, kept as they arrive.

    The progress bar shows them after every report: counted afresh each time, the counting grew
    with the square of the batch (seconds at 5,000 reports); kept here, each report adds one.
    """

    def __init__(self) -> None:
        self._counter: Counter[str] = Counter()

    def add(self, outcome: Outcome) -> None:
        self._counter[_kind(outcome)] += 1

    def counts(self) -> dict[str, int]:
        """As :func:`counts` of every outcome added."""
        c = self._counter
        return {"ok": c["ok"], "draft": c["draft"], "failed": c["failed"], "skipped": c["skipped"]}


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """How many reports passed, are drafts, failed, or were skipped as unchanged."""
    tally = Tally()
    for outcome in outcomes:
        tally.add(outcome)
    return tally.counts()


def totals(outcomes: Sequence[Outcome], seconds: float, where: object) -> str:
    """The closing line: how many reports of each kind, how long it took, where the results are."""
    n = counts(outcomes)
    return (
        f"共 {len(outcomes)} 份，用时 {seconds:.1f} 秒：已通过 {n['ok']}，草稿 {n['draft']}，"
        f"失败 {n['failed']}，未变跳过 {n['skipped']}。结果在 {where}"
    )
