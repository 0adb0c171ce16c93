"""The data a report notebook carries in its outputs, so exporters need nothing but the notebook.

The report notebook emits one display output with :data:`MIME`, holding the bureau-year's JSON
form and its findings.  The DOCX exporter rebuilds the report from it, and the batch reads each
executed notebook's status (errors, warnings) from it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ogi_report.checks.findings import Finding, Severity
from ogi_report.checks.runner import CheckResult
from ogi_report.errors import RenderError
from ogi_report.model.bureau import BureauYear, is_slug
from ogi_report.storage import jsonform

MIME = "application/vnd.ogi-report.bureau-year+json"


def payload(by: BureauYear, result: CheckResult) -> dict[str, Any]:
    """The JSON-ready payload of one rendered bureau-year."""
    return {
        "bureau_year": jsonform.to_data(by),
        "findings": [f.to_dict() for f in result.findings],
    }


@dataclass(frozen=True)
class Carried:
    """What an executed report notebook carries: the bureau-year and its findings."""

    by: BureauYear
    findings: tuple[Finding, ...]

    @property
    def counts(self) -> Counter[Severity]:
        """How many findings of each severity (``counts[Severity.ERROR]`` errors)."""
        return Counter(f.severity for f in self.findings)


def _carried_data(nb: Any) -> dict[str, Any] | None:
    """The raw payload of the first output that carries one, or None."""
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                content: dict[str, Any] = data[MIME]
                return content
    return None


def file_stem(nb: Any) -> str | None:
    """``<slug>-<year>``, the name of the files exported from an executed report notebook (as the
    batch and ``render`` name theirs), or None when the notebook carries no report.

    Read from the payload as it is, without rebuilding the bureau-year: exporters call this for
    every report of a batch.  A slug that is not one (a hand-edited notebook) names nothing.
    """
    content = _carried_data(nb)
    try:
        meta = content["bureau_year"]["meta"] if content is not None else None
        slug, year = (meta["slug"], meta["year"]) if isinstance(meta, dict) else (None, None)
    except (KeyError, TypeError):
        return None
    if not is_slug(slug) or type(year) is not int:
        return None
    return f"{slug}-{year}"


def from_notebook(nb: Any) -> Carried:
    """Find the payload in an executed notebook (an nbformat NotebookNode or plain dict)."""
    content = _carried_data(nb)
    if content is not None:
        by = jsonform.from_data(content["bureau_year"], "笔记本中的报告数据")
        return Carried(by, tuple(Finding.from_dict(f) for f in content.get("findings", [])))
    raise RenderError(
        "笔记本尚未运行或运行出错，其中没有报告数据：请先“运行全部单元格”，"
        "或在命令行加 --execute（jupyter nbconvert --execute --to ...）"
    )
