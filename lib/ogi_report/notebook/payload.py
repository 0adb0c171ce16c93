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
from ogi_report.model.bureau import BureauYear
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


def from_notebook(nb: Any) -> Carried:
    """Find the payload in an executed notebook (an nbformat NotebookNode or plain dict)."""
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                content = data[MIME]
                by = jsonform.from_data(content["bureau_year"], "笔记本中的报告数据")
                return Carried(by, tuple(Finding.from_dict(f) for f in content.get("findings", [])))
    raise RenderError(
        "笔记本尚未运行或运行出错，其中没有报告数据：请先“运行全部单元格”，"
        "或在命令行加 --execute（jupyter nbconvert --execute --to ...）"
    )
